// Fault injection for the bundled action (loaded with node --require): writing the log fails (as
// a closed pipe would) for the line that announces the verdict, and only for it. The step must not
// pass on a verdict it could not report.
const fs = require('node:fs')
const MARK = process.env.FAIL_LINE_CONTAINING || 'finished with status done'

function failing(original) {
  return function (fd, data, ...rest) {
    const text = Buffer.isBuffer(data) ? data.toString('utf8') : String(data)
    if (fd === 1 && text.includes(MARK)) {
      throw Object.assign(new Error('EPIPE: broken pipe, write'), { code: 'EPIPE' })
    }
    return original.call(this, fd, data, ...rest)
  }
}
fs.writeSync = failing(fs.writeSync)
const stdoutWrite = process.stdout.write.bind(process.stdout)
process.stdout.write = (chunk, ...rest) => {
  const text = Buffer.isBuffer(chunk) ? chunk.toString('utf8') : String(chunk)
  if (text.includes(MARK))
    throw Object.assign(new Error('EPIPE: broken pipe, write'), { code: 'EPIPE' })
  return stdoutWrite(chunk, ...rest)
}
