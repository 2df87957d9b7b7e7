/**
 * The error every bad input ends in: the modules that read an input's file (table-pairs.ts,
 * workspace-file.ts) throw it as inputs.ts does, without importing inputs.ts back.
 */

/** One or more inputs are invalid; each problem names the input, the value and what is expected. */
export class InputError extends Error {
  override name = 'InputError'
  /** `missingKey`: the problem among `problems` that says the API key is empty, if one does. */
  constructor(
    readonly problems: string[],
    readonly missingKey?: string
  ) {
    super(problems.join('\n'))
  }
}
