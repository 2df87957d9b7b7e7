/** Small text helpers shared by log lines and the summary. */

/** 75_000 → "1m 15s"; 4_000 → "4s"; 3_725_000 → "1h 2m 5s". */
export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.round(ms / 1000))
  const h = Math.floor(total / 3600)
  const m = Math.floor((total % 3600) / 60)
  const s = total % 60
  if (h > 0) return `${h}h ${m}m ${s}s`
  if (m > 0) return `${m}m ${s}s`
  return `${s}s`
}

export function shortSha(sha: string): string {
  return sha.slice(0, 7)
}
