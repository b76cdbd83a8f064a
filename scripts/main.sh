#!/usr/bin/env bash
# The README's main command: install dependencies, build, run the built-in comparison suite
# (scenarios/sweeps/builtin.toml) on all cores, and write the report to out/report/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build.sh
mkdir -p out
results=out/builtin.results.jsonl
rm -f "$results"   # a fresh sweep each time; `samplersim sweep --resume` continues an interrupted one
./build/samplersim sweep scenarios/sweeps/builtin.toml --out "$results"
# The report includes, when present next to the results: the guarantees matrix, and shrunk
# counterexample diagrams of the violating policies (`samplersim check` exits 1 when it finds one).
rm -f out/guarantees.md   # the older text form; the report shows guarantees.json as a table
./build/samplersim guarantees --format json > out/guarantees.json
rm -rf out/counterexamples out/check && mkdir -p out/counterexamples out/check
counterexample() {  # name scenario policy seed-policy property strategy
  local status=0
  ./build/samplersim check "$2" --policy "$3" --seed-policy "$4" --property "$5" --strategy "$6" \
    --budget 200 --out "out/check/$1" >/dev/null || status=$?
  if [ "$status" -eq 1 ]; then cp "out/check/$1/interleaving.svg" "out/counterexamples/$1.svg"; fi
  if [ "$status" -gt 1 ]; then echo "main: samplersim check failed for $1 (exit $status)" >&2; exit "$status"; fi
}
counterexample issue-5489-optuna-3.6-none issue-5489 optuna-3.6 none no-repeats pct:3
counterexample grid-4x5-w4-optuna-3.2-same42 grid-4x5-w4 optuna-3.2 same:42 no-repeats random
# The ranked remedies of each built-in scenario's arms (`run --format json`), shown by the report.
rm -rf out/remedies && mkdir -p out/remedies
for scenario in issue-5489 grid-4x5-w4 crash-recovery flaky-objective slow-store late-joiners; do
  ./build/samplersim run "$scenario" --reps 500 --format json > "out/remedies/$scenario.json"
done
./build/samplersim report "$results" --out out/report >/dev/null
echo "report written to $(pwd)/out/report/report.html (and report.md beside it)"
