#!/usr/bin/env bash
# Issue 11 (d): the public reports without figures and the minimal 2.x cases, real processes on
# SQLite (tmpfs) unless said otherwise. One data file per case and version in data/cases/.
set -euo pipefail
source "$(dirname "$0")/priority.sh"
here=$(cd "$(dirname "$0")" && pwd); data=$here/../data/cases; mkdir -p "$data"
src=${OPTUNA_SRC:-/work/optuna-src}
pp() { [[ $1 == debian ]] && echo "" || echo "$src/v$1"; }
lab() { echo "${1/debian/3.1.0}"; }
run() { local v=$1 name=$2; shift 2; PYTHONPATH=$(pp $v) /usr/bin/python3 "$here/mp_grid.py" "$data/$name-$(lab $v).jsonl.gz" --scenario "$name" "$@"; }
only=${CASES:-all}
want() { [[ $only == all || ",$only," == *",$1,"* ]]; }

# PR #2783 minimal form: 2-point grid, 2 processes, the second 0.5 s later, constant 1 s objective
if want pr2783; then for v in 2.10.1 debian 3.4.0 4.9.0; do
  run $v pr2783-minimal --runs 10 --workers 2 --grid 2 --stagger 0.5 --sleep const:1; done; fi
# #2039 / PR #2783: 4 processes with identically seeded global `random` (2.x), 3x3 and 4x5
if want seeded2x; then for v in 2.3.0 2.8.0 2.10.1; do
  for g in 3x3 4x5; do run $v issue2039-random-same0-$g --runs 20 --workers 4 --grid $g --seed random-same:0 \
    --sleep uniform:0.05:0.25; done
  run $v issue2039-random-none-4x5 --runs 20 --workers 4 --grid 4x5 --seed none --sleep uniform:0.05:0.25; done; fi
# PR #2946: 2 processes, 3x3, heartbeat 1 s + RetryFailedTrialCallback, worker 0 killed in its 2nd trial
if want retry; then for v in 2.10.1 debian 4.9.0; do
  run $v pr2946-retry-crash --runs 10 --workers 2 --grid 3x3 --heartbeat 1 --retry 1 --crash 0:2 \
    --crash-after-s 0.2 --sleep const:1; done; fi
# #3256: one evicted (FAILed) trial, 3x3, 2 processes
if want evict; then for v in debian 4.9.0; do
  run $v issue3256-evicted --runs 10 --workers 2 --grid 3x3 --fail-at 0:2 --catch --sleep uniform:0.05:0.25; done; fi
# #5052: re-running optimize on a finished grid: 4 processes (n_jobs 1) and 1 process with n_jobs 4
if want resume; then for v in debian 4.9.0; do
  run $v issue5052-resume-w4 --runs 10 --workers 4 --grid 4x5 --pre-trials 20 --sleep uniform:0.05:0.25
  run $v issue5052-resume-j4 --runs 10 --workers 1 --n-jobs 4 --grid 4x5 --pre-trials 20 --sleep uniform:0.05:0.25; done; fi
# #3518: MaxTrialsCallback(20) with 4 processes on a 40-point grid; default states / states=None / pruning
if want maxtrials; then for v in debian 4.9.0; do
  run $v issue3518-max20-default --runs 10 --workers 4 --grid 5x8 --max-trials 20 --sleep uniform:0.05:0.25
  run $v issue3518-max20-none --runs 10 --workers 4 --grid 5x8 --max-trials 20:none --sleep uniform:0.05:0.25
  run $v issue3518-max20-default-prune3 --runs 10 --workers 4 --grid 5x8 --max-trials 20 --prune-every 3 \
    --sleep uniform:0.05:0.25; done; fi
# hydra#2892: Hydra-style sweepers (ask n_jobs, evaluate, tell, swallow the stop error), 4 processes
if want hydra; then for v in debian 4.9.0; do
  run $v hydra2892-batch4 --runs 10 --workers 4 --grid 4x5 --loop hydra:4 --n-trials 20 --sleep uniform:0.05:0.25
  run $v asktell-swallow --runs 10 --workers 4 --grid 4x5 --loop asktell --n-trials 20 --sleep uniform:0.05:0.25; done; fi
# #2925 / PR #6844: every process enqueues the same trials (scaled: 8 processes x the 20 grid points)
if want enqueue; then for v in debian 4.9.0; do
  run $v enqueue-every-worker-w8 --runs 10 --workers 8 --grid 4x5 --sleep uniform:0.05:0.25 \
    --enqueue-each "$(python3 -c 'import json;print(json.dumps([{"x":x,"y":y} for x in range(4) for y in range(5)]))')"; done; fi
# PR #665 review: a second process lists the same 4 values in reversed order
if want order; then for v in 2.10.1 debian 4.9.0; do
  run $v value-order-reversed-w2 --runs 10 --workers 2 --grid 4 --value-order-worker 1 --sleep uniform:0.05:0.25; done; fi
# #4948 / #5780: BruteForceSampler, one process, n_jobs=4, 4x5 integer combinations
if want brute; then for v in debian 3.2.0 3.4.0 3.6.1 4.0.0 4.9.0; do
  run $v bruteforce-j4-4x5 --runs 20 --workers 1 --n-jobs 4 --grid 4x5 --sampler bruteforce --catch \
    --sleep uniform:0.05:0.25; done; fi
