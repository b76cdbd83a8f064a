#!/usr/bin/env bash
# Issue 12(b): 8 worker processes on this 2-core machine, one SQLite study, no n_trials (the sampler
# stops each process), objective sleep uniform 0.05-0.25 s; grids 4x5 and 5x8; seed none / same:42;
# Optuna 3.1.0 (Debian), 3.2.0, 3.6.1, 4.9.0. First a harness check against the reference
# grid-4x5-w4 row (4 processes, 3.2.0, same:42: real 6.25 [5.39, 7.11]).
set -euo pipefail
source "$(dirname "$0")/priority.sh"
here=$(cd "$(dirname "$0")" && pwd); data=$here/../data/oversubscribed; mkdir -p "$data"
src=${OPTUNA_SRC:-/work/optuna-src}; runs=${RUNS:-20}
pp() { [[ $1 == debian ]] && echo "" || echo "$src/v$1"; }
PYTHONPATH=$(pp 3.2.0) /usr/bin/python3 "$here/mp_grid.py" "$data/check-grid-4x5-w4-3.2.0-same42.jsonl.gz" \
  --scenario grid-4x5-w4 --runs "$runs" --workers 4 --grid 4x5 --seed same:42 --sleep uniform:0.05:0.25
for grid in 4x5 5x8; do
  for v in debian 3.2.0 3.6.1 4.9.0; do
    for seed in none same:42; do
      name=w8-$grid-${v/debian/3.1.0}-${seed/:/}
      PYTHONPATH=$(pp $v) /usr/bin/python3 "$here/mp_grid.py" "$data/$name.jsonl.gz" --scenario "sqlite-w8-$grid" \
        --runs "$runs" --workers 8 --grid $grid --seed $seed --sleep uniform:0.05:0.25
    done
  done
done
