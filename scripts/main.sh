#!/usr/bin/env bash
# The README's main command: install dependencies, build, compare every built-in scenario's
# policies, and write the report to out/report/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build.sh
mkdir -p out/report
report=out/report/report.md
{
  echo "# samplersim: comparison of the built-in scenarios"
  echo
  for scenario in $(./build/samplersim list | awk '/^Built-in/{f=1;next} /^$/{f=0} f{print $1}'); do
    echo "## $scenario"
    echo
    echo '```'
    ./build/samplersim run "$scenario" --reps 1000 --json "out/report/$scenario.jsonl"
    echo '```'
    echo
  done
} > "$report.tmp"
mv "$report.tmp" "$report"
echo "report written to $(pwd)/$report"
