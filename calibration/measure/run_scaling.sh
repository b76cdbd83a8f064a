#!/usr/bin/env bash
# How the per-trial client CPU's growth with study size depends on the grid: InMemoryStorage (no
# storage cost), 1,000 trials, grids with the same ~1,000 points but a different number of values
# V = sum of the value-list lengths: 2^10 (V=20), 10x10x10 (V=30), 25x40 (V=65, as run_storages.sh)
# and 1000 (one dimension, V=1000: 200 trials only, each scan then costs ~1.4 ms per trial).
# Versions 3.1.0 (Debian), 3.6.1 and 4.9.0.
set -euo pipefail
source "$(dirname "$0")/priority.sh"
here=$(cd "$(dirname "$0")" && pwd); data=$here/../data/scaling; mkdir -p "$data"
src=${OPTUNA_SRC:-/work/optuna-src}
pp() { [[ $1 == debian ]] && echo "" || echo "$src/v$1"; }
bin10=$(python3 -c 'print(";".join(f"d{i}=0,1" for i in range(10)))')
for v in debian 3.6.1 4.9.0; do
  for g in "bin10:$bin10" "10x10x10:10x10x10" "1000:x=$(python3 -c 'print(",".join(map(str, range(1000))))')"; do
    name=${g%%:*}; spec=${g#*:}
    n=1000; [[ $name == 1000 ]] && n=200
    PYTHONPATH=$(pp $v) /usr/bin/python3 "$here/cpu_scaling.py" "$data/cpu-inmemory-grid$name-${v/debian/3.1.0}.jsonl.gz" \
      --storage inmemory --grid "$spec" --trials $n
  done
done
