/**
 * Removing secrets from text. A server that echoes a request back (an error page, a debug answer)
 * may return the key escaped for its own format, so every form a key takes in JSON, URLs and HTML
 * is removed, not just the key as sent.
 */

const REDACTED = '***'

const HTML_ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;'
}

/** The secret as sent, JSON-escaped (also with `\/`), URL-encoded (both hex cases), HTML-escaped. */
export function secretForms(secret: string): string[] {
  if (secret === '') return []
  const json = JSON.stringify(secret).slice(1, -1)
  const url = encodeURIComponent(secret)
  const forms = [
    secret,
    json,
    json.replace(/\//g, '\\/'),
    url,
    url.replace(/%[0-9A-F]{2}/g, (escape) => escape.toLowerCase()),
    secret.replace(/[&<>"']/g, (char) => HTML_ENTITIES[char])
  ]
  return [...new Set(forms)]
}

/** `text` with every form of every secret replaced by ***; longest forms first. */
export function redact(text: string, secrets: readonly string[]): string {
  const forms = secrets.flatMap(secretForms).sort((a, b) => b.length - a.length)
  return forms.reduce((out, form) => out.split(form).join(REDACTED), text)
}
