#!/usr/bin/env bash
# Issue 12(c) and the storage calibration: (1) per-operation latencies of every storage from one
# process and under contention (4 processes, zero-time objective, SQL statement / commit / journal
# lock timing); (2) 4 processes on a 4x5 grid with journal-file and PostgreSQL storage, ~20 runs;
# (3) client CPU per trial vs study size. Debian's 3.1.0 unless said otherwise; PostgreSQL from
# Debian's postgresql package, started by pg_temp.sh on 127.0.0.1 (stopped at the end).
set -euo pipefail
source "$(dirname "$0")/priority.sh"
here=$(cd "$(dirname "$0")" && pwd); data=$here/../data; mkdir -p "$data/storages" "$data/scaling"
src=${OPTUNA_SRC:-/work/optuna-src}; runs=${RUNS:-20}
pp() { [[ $1 == debian ]] && echo "" || echo "$src/v$1"; }
pgdir=$(mktemp -d /dev/shm/pgtemp-XXXX)
trap 'bash "$here/../../scripts/pg_temp.sh" stop "$pgdir" || true; rm -rf "$pgdir"' EXIT
pg=$(bash "$here/../../scripts/pg_temp.sh" start "$pgdir" 55432)
echo "postgresql at $pg" >&2
pgv() { bash "$here/../../scripts/pg_temp.sh" db "$pgdir" 55432 "optuna_${1//./_}"; }  # one database per version
# SKIP_EXISTING=1: keep data files that exist (resume an interrupted batch)
have() { [[ ${SKIP_EXISTING:-0} == 1 && -s $1 ]]; }
# (1) latencies: one process and 4 processes, zero-time objective, 5x8 grid
for st in sqlite journal postgresql; do
  for w in 1 4; do
    have "$data/storages/latency-$st-w$w-3.1.0.jsonl.gz" && continue
    PYTHONPATH= /usr/bin/python3 "$here/mp_grid.py" "$data/storages/latency-$st-w$w-3.1.0.jsonl.gz" --scenario "latency-$st-w$w" \
      --runs 10 --workers $w --grid 5x8 --storage $st --pg-url "$(pgv debian)" --sleep zero --sql-timing
  done
done
for j in 1 4; do
  have "$data/storages/latency-inmemory-j$j-3.1.0.jsonl.gz" && continue
  PYTHONPATH= /usr/bin/python3 "$here/threads_inmemory.py" "$data/storages/latency-inmemory-j$j-3.1.0.jsonl.gz" \
    --jobs $j --runs 50 --grid 5x8 --n-trials 40 --op-timing
done
# (2) 4 processes, 4x5, objective uniform 0.05-0.25 s
for v in debian 4.9.0; do
  for st in journal postgresql; do
    have "$data/storages/$st-w4-4x5-${v/debian/3.1.0}-none.jsonl.gz" && continue
    PYTHONPATH=$(pp $v) /usr/bin/python3 "$here/mp_grid.py" "$data/storages/$st-w4-4x5-${v/debian/3.1.0}-none.jsonl.gz" \
      --scenario "$st-4x5-w4" --runs "$runs" --workers 4 --grid 4x5 --storage $st --pg-url "$(pgv $v)" --seed none \
      --sleep uniform:0.05:0.25 --sql-timing
  done
done
# (3) client CPU per trial vs number of trials in the study
for v in debian 3.2.0 3.6.1 4.9.0; do
  for st in sqlite inmemory journal postgresql; do
    have "$data/scaling/cpu-$st-${v/debian/3.1.0}.jsonl.gz" && continue
    PYTHONPATH=$(pp $v) /usr/bin/python3 "$here/cpu_scaling.py" "$data/scaling/cpu-$st-${v/debian/3.1.0}.jsonl.gz" \
      --storage $st --pg-url "$(pgv $v)" --trials 1000
  done
done
# (4) SQLite on the disk instead of tmpfs (commit fsyncs included; the disk is shared with other
# sessions, so these latencies carry their I/O): latencies 1 and 4 processes, and the 4x5 scenario.
mkdir -p /work/tmp-sqlite-disk
for w in 1 4; do
  have "$data/storages/latency-sqlite-disk-w$w-3.1.0.jsonl.gz" && continue
  PYTHONPATH= /usr/bin/python3 "$here/mp_grid.py" "$data/storages/latency-sqlite-disk-w$w-3.1.0.jsonl.gz" \
    --scenario "latency-sqlite-disk-w$w" --runs 10 --workers $w --grid 5x8 --storage sqlite --sleep zero \
    --sql-timing --db-dir /work/tmp-sqlite-disk
done
have "$data/storages/sqlite-disk-w4-4x5-3.1.0-none.jsonl.gz" || \
  PYTHONPATH= /usr/bin/python3 "$here/mp_grid.py" "$data/storages/sqlite-disk-w4-4x5-3.1.0-none.jsonl.gz" \
    --scenario sqlite-disk-4x5-w4 --runs 20 --workers 4 --grid 4x5 --seed none --sleep uniform:0.05:0.25 \
    --sql-timing --db-dir /work/tmp-sqlite-disk
rmdir /work/tmp-sqlite-disk 2>/dev/null || true
