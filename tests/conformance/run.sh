#!/usr/bin/env bash
# Runs scripts/compare-with-timeloop over ../shared/conformance; exit 77 (skip) without it.
# usage: run.sh LOOPSIM CASES_DIR [ENGINE]
set -u
here="$(cd "$(dirname "$0")/../.." && pwd)"
if [ ! -d "$2" ]; then
  echo "SKIP: $2 is absent (CI keeps ../shared beside the checkout); conformance not checked"
  exit 77
fi
exec python3 "$here/scripts/compare-with-timeloop" "$2" --loopsim "$1" --engine "${3:-auto}"
