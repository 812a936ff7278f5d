#!/usr/bin/env bash
# Leniency cases: inputs Timeloop/timeloopfe accept that look like a mistake. Each folder
# <kind>/ holds small YAML files, args.txt (the input files and options, in order),
# optionally cmd.txt (the subcommand: model, the default, or map) and expect.txt (its first
# line must appear in stderr as a warning). loopsim must exit 0 and print the warning
# (`file:line: key: warning: ...`); with --strict it must exit 2 with the same text as an
# error (without "warning: ").
# Usage: tests/warnings/run-warning-tests.sh /path/to/loopsim
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
crash='internal error|terminate|Aborted|AddressSanitizer|UndefinedBehaviorSanitizer|LeakSanitizer|runtime error:|please report'
for dir in "$here"/*/; do
  kind=$(basename "$dir")
  if [[ ! -f $dir/args.txt || ! -f $dir/expect.txt ]]; then
    echo "FAIL $kind: args.txt or expect.txt is missing"
    failed=$((failed + 1))
    continue
  fi
  mapfile -t args < <(grep -v '^[[:space:]]*$' "$dir/args.txt")
  expect=$(head -n 1 "$dir/expect.txt")
  sub=model
  [[ -f $dir/cmd.txt ]] && sub=$(head -n 1 "$dir/cmd.txt")
  extra=()
  [[ $sub == map ]] && extra=(--threads 1 --quiet)
  problem=""
  for strict in no yes; do
    flags=()
    want=0
    [[ $strict == yes ]] && flags=(--strict) && want=2
    err="$work/$kind.$strict.stderr"
    rc=0
    (cd "$dir" && timeout 120 "$loopsim" "$sub" "${args[@]}" "${extra[@]}" "${flags[@]}" \
       -o "$work/$kind/out" >"$work/$kind.stdout" 2>"$err") || rc=$?
    if [[ $rc -ne $want ]]; then
      problem="exit code $rc, expected $want (strict: $strict)"
    elif [[ -z $expect ]]; then
      problem="expect.txt has an empty first line"
    elif [[ $strict == no ]] && ! grep -qF -- "$expect" "$err"; then
      problem="stderr lacks '$expect'"
    elif [[ $strict == yes ]] && ! grep -qF -- "${expect/warning: /}" "$err"; then
      problem="stderr lacks '${expect/warning: /}' (strict)"
    elif [[ $strict == no ]] && ! grep -qF -- "warning: " "$err"; then
      problem="no 'warning: ' in stderr"
    elif [[ $strict == yes ]] && ! grep -qF -- "made an error by --strict" "$err"; then
      problem="--strict did not say the warning was made an error"
    elif grep -qiE "$crash" "$err"; then
      problem="crash or internal error in stderr"
    fi
    if [[ -n $problem ]]; then
      sed 's/^/    stderr: /' "$err"
      break
    fi
  done
  if [[ -z $problem ]]; then
    echo "ok $kind"
    passed=$((passed + 1))
  else
    echo "FAIL $kind: $problem"
    failed=$((failed + 1))
  fi
done

echo "$passed passed, $failed failed"
[[ $failed -eq 0 && $passed -gt 0 ]]
