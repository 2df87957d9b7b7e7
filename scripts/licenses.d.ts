/** Types of licenses.js for the TypeScript tests; the JSDoc there is the reference. */
export interface StatsModule {
  name?: string
  identifier?: string
  nameForCondition?: string
  chunks?: (string | number)[]
  modules?: StatsModule[]
}
export interface Stats {
  modules?: StatsModule[]
  children?: { modules?: StatsModule[] }[]
}
export interface Notice {
  name: string
  version: string
  license: string
  repository?: string
  files: { name: string; text: string }[]
}
export function bundledFiles(stats: Stats): string[]
export function packageOf(path: string): { name: string; dir: string } | undefined
export function bundledPackages(stats: Stats): { name: string; dir: string }[]
export function repositoryUrl(field: unknown): string | undefined
export function noticeOf(dir: string): Notice
export function renderLicenses(notices: Notice[]): string
export function parseLicenses(
  text: string
): { name: string; version: string; license: string; text: string }[]
export function writeLicenses(statsPath: string, outPath: string): Notice[]
