/**
 * Renders markdown as GitHub renders a job summary (CommonMark with GitHub's extensions: tables,
 * autolinks, strikethrough), with micromark, so tests can check what a reader sees: which links,
 * tables and HTML the summary really makes.
 */
import { micromark } from 'micromark'
import { gfm, gfmHtml } from 'micromark-extension-gfm'

export function renderGfm(markdown: string): string {
  return micromark(markdown, {
    // GitHub keeps some raw HTML; allowing it here shows any that gets through.
    allowDangerousHtml: true,
    extensions: [gfm()],
    htmlExtensions: [gfmHtml()]
  })
}

/** Every link target in rendered HTML, in order. */
export function linksIn(html: string): string[] {
  return [...html.matchAll(/<a href="([^"]*)"/g)].map((match) => match[1])
}

/** The names of every HTML element in rendered HTML, in order (p, table, a, ...). */
export function elementsIn(html: string): string[] {
  return [...html.matchAll(/<([a-z][a-z0-9]*)\b/g)].map((match) => match[1])
}

/** The text of rendered HTML: tags removed, the common entities read back. */
export function textOf(html: string): string {
  return html
    .replace(/<[^>]*>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')
}
