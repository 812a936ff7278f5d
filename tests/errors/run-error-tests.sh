#!/usr/bin/env bash
# Bad-input cases: each folder <kind>/ holds small YAML files, args.txt (the input files in
# order), optionally cmd.txt (the subcommand: model, the default, or map) and expect.txt
# (its first line must appear in stderr). loopsim must exit with code 2,
# print that text and never crash, abort or report an internal error.
# Usage: tests/errors/run-error-tests.sh /path/to/loopsim
set -u

if [[ $# -ne 1 ]]; then
  echo "usage: $0 /path/to/loopsim" >&2
  exit 2
fi
loopsim=$1
if [[ $loopsim != /* ]]; then loopsim="$PWD/$loopsim"; fi
if [[ ! -x $loopsim ]]; then
  echo "not an executable: $loopsim" >&2
  exit 2
fi

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

passed=0
failed=0
for dir in "$here"/*/; do
  kind=$(basename "$dir")
  if [[ ! -f $dir/args.txt || ! -f $dir/expect.txt ]]; then
    echo "FAIL $kind: args.txt or expect.txt is missing"
    failed=$((failed + 1))
    continue
  fi
  mapfile -t args < <(grep -v '^[[:space:]]*$' "$dir/args.txt")
  expect=$(head -n 1 "$dir/expect.txt")
  out="$work/$kind"
  sub=model
  [[ -f $dir/cmd.txt ]] && sub=$(head -n 1 "$dir/cmd.txt")
  rc=0
  (cd "$dir" && timeout 60 "$loopsim" "$sub" "${args[@]}" -o "$out/out" >"$work/$kind.stdout" \
     2>"$work/$kind.stderr") || rc=$?
  stderr=$(cat "$work/$kind.stderr")
  problem=""
  if [[ $rc -ne 2 ]]; then
    problem="exit code $rc, expected 2"
  elif [[ -z $expect ]]; then
    problem="expect.txt has an empty first line"
  elif ! grep -qF -- "$expect" "$work/$kind.stderr"; then
    problem="stderr lacks '$expect'"
  elif grep -qiE 'internal error|terminate|Aborted|AddressSanitizer|UndefinedBehaviorSanitizer|LeakSanitizer|runtime error:|please report' \
         "$work/$kind.stderr"; then
    problem="crash or internal error in stderr"
  fi
  if [[ -z $problem ]]; then
    echo "ok $kind"
    passed=$((passed + 1))
  else
    echo "FAIL $kind: $problem"
    [[ -n $stderr ]] && sed 's/^/    stderr: /' <<<"$stderr"
    failed=$((failed + 1))
  fi
done

echo "$passed passed, $failed failed"
[[ $failed -eq 0 && $passed -gt 0 ]]
