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
./build/samplersim report "$results" --out out/report >/dev/null
echo "report written to $(pwd)/out/report/report.html (and report.md beside it)"
