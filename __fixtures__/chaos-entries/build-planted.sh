#!/usr/bin/env bash
# Bundles copies of src/ with one planted bug each, into a temporary directory, for showing by hand
# that __tests__/fault-chaos.test.ts catches them (nothing here is committed or run by npm test):
#
#   dir=$(__fixtures__/chaos-entries/build-planted.sh)
#   CHAOS_ENTRY=$dir/done-not-final/dist/index.js \
#     NODE_OPTIONS=--experimental-vm-modules npx jest __tests__/fault-chaos.test.ts -t property
#
#   done-not-final        Datafold's `done` is not a final status (the run is waited on forever)
#   error-unchanged       a data diff with result `error` counts as unchanged
#   no-lost-trigger       a trigger whose answer was lost ends the step with an error, instead of
#                         looking for the run it may have created
#   other-commit          any run in the list counts as the head commit's, whatever its pr_sha
#   trigger-anyway        trigger: auto triggers even when it follows Datafold's own run
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
out=$(mktemp -d "${TMPDIR:-/tmp}/chaos-planted-XXXXXX")

plant() { # name file perl-substitution
  local dir=$out/$1
  mkdir -p "$dir"
  cp -r "$root/src" "$root/tsconfig.json" "$root/package.json" "$dir/"
  ln -s "$root/node_modules" "$dir/node_modules"
  local before
  before=$(md5sum "$dir/$2")
  perl -0pi -e "$3" "$dir/$2"
  if [ "$(md5sum "$dir/$2")" = "$before" ]; then
    echo "planting $1 changed nothing in $2: the source moved on" >&2
    exit 1
  fi
  (cd "$dir" && "$root/node_modules/.bin/ncc" build src/index.ts -o dist -q >&2)
}

plant done-not-final src/verdict.ts 's/\n  done: .success.,\n/\n/'
plant error-unchanged src/data-diffs.ts "s/    case 'different':\n      return 'changed'/    case 'error':\n      return 'unchanged'\n    case 'different':\n      return 'changed'/"
plant no-lost-trigger src/main.ts 's/if \(!error\.mayHaveStarted \|\| error\.outOfTime \|\| !settings\.wait\) throw error/if (error.message.length >= 0) throw error/'
plant other-commit src/which-run.ts "s/return typeof run\.pr_sha === 'string' && run\.pr_sha\.toLowerCase\(\) === sha\.toLowerCase\(\)/return typeof run.pr_sha === 'string' || sha !== ''/"
plant trigger-anyway src/which-run.ts "s/  return follow\(newestWhy\)\n/  return { kind: 'trigger', why: newestWhy }\n/"
echo "$out"
