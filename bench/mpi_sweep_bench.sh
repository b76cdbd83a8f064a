#!/usr/bin/env bash
# Wall time of one sweep as a single process and under mpirun -np 1 and -np 2, one thread per
# process (--jobs 1), and whether every results file is the single-process file byte for byte.
# A figure, not a test. Usage: bash bench/mpi_sweep_bench.sh [BUILD_DIR] [SPEC]
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
spec=${2:-scenarios/sweeps/builtin.toml}
bin="$build/samplersim"
command -v mpirun >/dev/null || { echo "mpi_sweep_bench: no mpirun (scripts/setup.sh installs openmpi-bin)"; exit 0; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mpirun_cmd=(mpirun -q --oversubscribe --allow-run-as-root)
seconds() {  # runs "$@", prints its wall time in seconds
  local start end
  start=$(date +%s%N)
  "$@" >/dev/null
  end=$(date +%s%N)
  awk -v a="$start" -v b="$end" 'BEGIN { printf "%.2f", (b - a) / 1e9 }'
}
single=$(seconds "$bin" sweep "$spec" --quiet --jobs 1 --out "$tmp/single.jsonl")
printf 'sweep %s: %s runs on %s cores\n' "$spec" "$(wc -l <"$tmp/single.jsonl")" "$(nproc)"
printf '%-28s %8.2f s\n' "single process, --jobs 1" "$single"
for np in 1 2; do
  t=$(seconds "${mpirun_cmd[@]}" -np "$np" "$bin" sweep "$spec" --quiet --jobs 1 --out "$tmp/np$np.jsonl")
  same=$(cmp -s "$tmp/single.jsonl" "$tmp/np$np.jsonl" && echo "identical" || echo "DIFFERENT")
  printf '%-28s %8.2f s  (%.2fx)  file %s\n' "mpirun -np $np, --jobs 1" "$t" "$(awk -v a="$single" -v b="$t" 'BEGIN { print a / b }')" "$same"
done
