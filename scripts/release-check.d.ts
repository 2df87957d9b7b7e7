/** Types of release-check.js for the TypeScript tests; the JSDoc there is the reference. */
export function parseReleaseTag(tag: string): {
  version: string
  major: string
  parts: [number, number, number]
}
export function changelogSection(changelog: string, version: string): string | undefined
export function changelogProblems(changelog: string, version: string): string[]
export function newerInMajor(version: string, tags: string[]): string[]
