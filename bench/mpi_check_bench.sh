#!/usr/bin/env bash
# Wall time of `check` searches as a single process and under mpirun -np 1 and -np 2 (the random
# and pct searches and the exhaustive search without reduction, app/check_explore.h RankShare),
# and whether each JSON verdict equals the single-process one (the output folders aside).
# A figure, not a test. Usage: bash bench/mpi_check_bench.sh [BUILD_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
bin="$build/samplersim"
command -v mpirun >/dev/null || { echo "mpi_check_bench: no mpirun (scripts/setup.sh installs openmpi-bin)"; exit 0; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mpirun_cmd=(mpirun -q --oversubscribe --allow-run-as-root)
searches=(
  "exhaustive|tests/data/scenarios/grid-3x3-w3.toml --policy optuna-4 --seed-policy none --property no-repeats --strategy exhaustive --reduction none --budget 50000"
  "pct:3|tests/data/scenarios/cluster-6x8-w16.toml --policy atomic-claim --strategy pct:3 --budget 20000"
  "random|tests/data/scenarios/cluster-6x8-w16.toml --policy atomic-claim --strategy random --budget 20000"
)
verdict() { sed 's/"files":{[^}]*},\?//' "$1"; }  # the JSON line without the output paths
echo "check under mpirun on $(nproc) cores (wall seconds; --format json; verdict compared with one process)"
for entry in "${searches[@]}"; do
  name=${entry%%|*}
  args=${entry#*|}
  start=$(date +%s%N)
  # shellcheck disable=SC2086
  "$bin" check $args --format json --out "$tmp/$name-single" >"$tmp/$name-single.json" || true
  single=$(awk -v a="$start" -v b="$(date +%s%N)" 'BEGIN { printf "%.2f", (b - a) / 1e9 }')
  printf '%-11s single process %8.2f s  %s\n' "$name" "$single" "$(grep -o '"schedules":[0-9]*' "$tmp/$name-single.json")"
  for np in 1 2; do
    start=$(date +%s%N)
    # shellcheck disable=SC2086
    "${mpirun_cmd[@]}" -np "$np" "$bin" check $args --format json --out "$tmp/$name-$np" >"$tmp/$name-$np.json" || true
    t=$(awk -v a="$start" -v b="$(date +%s%N)" 'BEGIN { printf "%.2f", (b - a) / 1e9 }')
    same=$(cmp -s <(verdict "$tmp/$name-single.json") <(verdict "$tmp/$name-$np.json") && echo "same verdict" || echo "DIFFERENT")
    printf '%-11s mpirun -np %d  %8.2f s  (%.2fx)  %s\n' "$name" "$np" "$t" "$(awk -v a="$single" -v b="$t" 'BEGIN { print a / b }')" "$same"
  done
done
