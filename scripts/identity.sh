#!/usr/bin/env bash
# Byte-identity witness: SHA-256 fingerprints of results that a refactor must not change.
#
#   bash scripts/identity.sh [BUILD_DIR]            compare with tests/data/identity/fingerprints.txt
#   bash scripts/identity.sh [BUILD_DIR] --update   rewrite that file (a commit that moves numbers
#                                                   says which and why)
#
# Fingerprinted: the built-in sweep's results file (what scripts/main.sh writes), `run --json` of
# every built-in scenario at fixed seeds, the two counterexamples scripts/main.sh draws (replay
# file and text trace), and an exhaustive check's verdict line. Golden transcripts are compared by
# their own tests (tests/model). Exit 0 when every fingerprint matches, 1 otherwise (the
# differing names are printed).
set -euo pipefail
cd "$(dirname "$0")/.."
build=build
update=0
for arg in "$@"; do
  case "$arg" in
    --update) update=1 ;;
    *) build="$arg" ;;
  esac
done
bin="$build/samplersim"
[ -x "$bin" ] || { echo "identity: $bin not built" >&2; exit 2; }
expected=tests/data/identity/fingerprints.txt
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
actual="$work/fingerprints.txt"

# Replay files name the scenario file by its absolute path, which depends on where the checkout
# (or the installed scenarios) lives: only its file name is fingerprinted.
fp() {
  printf '%s %s\n' "$1" "$(sed -E 's#"scenario_path": "[^"]*/#"scenario_path": "#' "$2" | sha256sum | cut -d' ' -f1)" >> "$actual"
}

"$bin" sweep scenarios/sweeps/builtin.toml --out "$work/builtin.jsonl" 2>/dev/null
fp sweep/builtin "$work/builtin.jsonl"
for toml in scenarios/*.toml; do
  name=$(basename "$toml" .toml)
  "$bin" run "$name" --reps 300 --seed 20261130 --json "$work/$name.jsonl" > "$work/$name.table"
  fp "run-json/$name" "$work/$name.jsonl"
done
check() {  # name scenario policy seed-policy strategy
  local status=0
  "$bin" check "$2" --policy "$3" --seed-policy "$4" --property no-repeats --strategy "$5" \
    --budget 200 --out "$work/$1" > /dev/null || status=$?
  [ "$status" -eq 1 ] || { echo "identity: check $1 exited $status, expected 1" >&2; exit 1; }
  fp "check/$1/replay.json" "$work/$1/replay.json"
  fp "check/$1/trace.txt" "$work/$1/trace.txt"
}
check issue-5489-optuna-3.6-none issue-5489 optuna-3.6 none pct:3
check grid-4x5-w4-optuna-3.2-same42 grid-4x5-w4 optuna-3.2 same:42 random
"$bin" check tests/data/golden/two-by-two.toml --policy optuna-4 --seed-policy none \
  --strategy exhaustive --budget 100000 > "$work/exhaustive.txt"
grep -E 'schedules|exhausted' "$work/exhaustive.txt" > "$work/exhaustive.verdict" || true
fp check/two-by-two-optuna-4-exhaustive "$work/exhaustive.verdict"

if [ "$update" -eq 1 ]; then
  cp "$actual" "$expected"
  echo "identity: wrote $expected"
  exit 0
fi
if diff -u "$expected" "$actual"; then
  echo "identity: all $(wc -l < "$actual") fingerprints match"
else
  echo "identity: fingerprints differ (lines above); a change meant to move numbers updates them with --update and says why" >&2
  exit 1
fi
