// Fault injection for the bundled action (loaded with node --require): every HTTP request is
// swallowed (it never answers, never fails) and timers never fire. Whatever the action awaits
// then never settles, the event loop drains, and only the fail-closed guard stands between that
// and a silent exit 0.
const http = require('node:http')
const https = require('node:https')
const net = require('node:net')
const tls = require('node:tls')
const { EventEmitter } = require('node:events')

function silentRequest() {
  const req = new EventEmitter()
  req.end = () => req
  req.write = () => true
  req.destroy = () => req
  req.setTimeout = () => req
  return req
}
http.request = silentRequest
https.request = silentRequest
// undici (what the action sends with) opens its own sockets: a socket that never connects.
net.connect = net.createConnection = () => new net.Socket()
tls.connect = () => new net.Socket()
globalThis.setTimeout = () => ({ unref() {}, ref() {}, hasRef: () => false, refresh() {} })
