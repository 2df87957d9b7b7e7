/**
 * What each field of a trigger's pull request must look like, wherever it comes from: an input, the
 * event payload or GitHub's answer to a lookup. One rule per field, so the three sources agree and
 * every error says what is expected in the same words.
 */
import type { PrDetails } from './datafold-client.js'

const SHA = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/i
// eslint-disable-next-line no-control-regex -- control characters are what this rejects, with what git forbids in a branch name
const UNSAFE_BRANCH = /[\s\x00-\x1f\x7f~^:?*[\\]/

export const EXPECTED: Record<keyof PrDetails, string> = {
  pr_number: 'a positive integer',
  pr_branch: 'a branch name such as main or feature/orders (no spaces or ~^:?*[\\)',
  base_branch: 'a branch name such as main or feature/orders (no spaces or ~^:?*[\\)',
  pr_sha: 'a full commit SHA (40 hexadecimal characters, 64 in SHA-256 repositories)',
  base_sha: 'a full commit SHA (40 hexadecimal characters, 64 in SHA-256 repositories)'
}

// Not a type guard: a string that fails is still a string (a guard would make it `never`).
export function isSha(value: unknown): boolean {
  return typeof value === 'string' && SHA.test(value)
}

export function isBranchName(value: unknown): boolean {
  return typeof value === 'string' && value !== '' && !UNSAFE_BRANCH.test(value)
}

function isPrNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 1
}

/** The field as the trigger sends it (SHAs in lower case), or undefined when it breaks its rule. */
export function checkField<K extends keyof PrDetails>(
  key: K,
  value: unknown
): PrDetails[K] | undefined {
  switch (key) {
    case 'pr_number':
      return (isPrNumber(value) ? value : undefined) as PrDetails[K] | undefined
    case 'pr_branch':
    case 'base_branch':
      return (isBranchName(value) ? value : undefined) as PrDetails[K] | undefined
    default:
      return (isSha(value) ? (value as string).toLowerCase() : undefined) as
        PrDetails[K] | undefined
  }
}

/** The five fields, each as the trigger sends it; call only once every one passed `checkField`. */
export function checkedDetails(values: Partial<Record<keyof PrDetails, unknown>>): PrDetails {
  return {
    pr_number: checkField('pr_number', values.pr_number) as number,
    pr_branch: checkField('pr_branch', values.pr_branch) as string,
    base_branch: checkField('base_branch', values.base_branch) as string,
    pr_sha: checkField('pr_sha', values.pr_sha) as string,
    base_sha: checkField('base_sha', values.base_sha) as string
  }
}

/** A value from outside, quoted for an error message: JSON, so null and "12" read as what they are. */
export function quote(value: unknown): string {
  if (value === undefined) return 'missing'
  // JSON.stringify gives undefined only for what JSON cannot hold: a symbol (or a function).
  const text = JSON.stringify(value) ?? (value as symbol | (() => unknown)).toString()
  return text.length > 80 ? `${text.slice(0, 80)}…` : text
}
