#!/usr/bin/env bash
# Issue 12(a): n_jobs 2 and 4 on InMemoryStorage, 2x2 grid, n_trials=4; Debian's 3.1.0 and checkouts.
# OPTUNA_SRC (default /work/optuna-src) holds one directory per tag (git archive of optuna/optuna).
set -euo pipefail
source "$(dirname "$0")/priority.sh"
here=$(cd "$(dirname "$0")" && pwd); data=$here/../data/threads; mkdir -p "$data"
src=${OPTUNA_SRC:-/work/optuna-src}; runs=${RUNS:-1000}
# EXTRA_ONLY=1 skips the main rows (already recorded) and runs only the 3.1.0 conditions below.
for v in debian v3.6.1 v4.9.0; do
  [[ ${EXTRA_ONLY:-0} == 1 ]] && break
  pp=""; [[ $v != debian ]] && pp=$src/$v
  for j in 2 4; do
    PYTHONPATH=$pp /usr/bin/python3 "$here/threads_inmemory.py" "$data/threads-inmemory-$(l=${v#v}; echo ${l/debian/3.1.0})-j$j.jsonl.gz" --jobs $j --runs "$runs"
  done
done
# 3.1.0 under other conditions (the repeat probability depends on how the threads get the CPU):
# one CPU only (taskset), Optuna's default INFO logging (a stderr line per trial), a 1 ms objective,
# and a new session (setsid: its own autogroup at nice 0, so it shares the cores with whatever else
# runs on the machine — the load average is recorded).
for j in 2 4; do
  taskset -c 0 /usr/bin/python3 "$here/threads_inmemory.py" "$data/threads-inmemory-3.1.0-j$j-onecpu.jsonl.gz" --jobs $j --runs "$runs"
  /usr/bin/python3 "$here/threads_inmemory.py" "$data/threads-inmemory-3.1.0-j$j-loginfo.jsonl.gz" --jobs $j --runs "$runs" --log info 2>/dev/null
  /usr/bin/python3 "$here/threads_inmemory.py" "$data/threads-inmemory-3.1.0-j$j-sleep1ms.jsonl.gz" --jobs $j --runs "$runs" --sleep-ms 1
  setsid -w /usr/bin/python3 "$here/threads_inmemory.py" "$data/threads-inmemory-3.1.0-j$j-shared-cpu.jsonl.gz" --jobs $j --runs "$runs"
done
