#!/usr/bin/env python3
"""Per-operation latency table (ms) from mp_grid.py / threads_inmemory.py files recorded with
--sql-timing / --op-timing: for every storage call and SQL kind, the median over runs of the run's
count, p50, p95 and max. Usage: latency_table.py FILE.jsonl..."""
import os
import statistics
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common  # noqa: E402

for path in sys.argv[1:]:
    meta, rows = common.read_jsonl(path)
    ops = {}
    for r in rows:
        for name, q in (r.get("ops") or {}).items():
            ops.setdefault(name, []).append(q)
    trials = statistics.mean(r["total_trials"] for r in rows)
    print(f"\n### {os.path.basename(path)} (Optuna {meta['optuna_version']}, {len(rows)} runs, {trials:.1f} trials/run)\n")
    print("| call | calls/run | p50 ms | p95 ms | p99 ms | max ms | mean ms |")
    print("|---|---|---|---|---|---|---|")
    for name in sorted(ops):
        qs = ops[name]
        med = lambda k: statistics.median(q[k] for q in qs) * 1e3  # noqa: E731
        print(f"| {name} | {statistics.median(q['n'] for q in qs):.0f} | {med('p50'):.3f} | {med('p95'):.3f} "
              f"| {med('p99'):.3f} | {med('max'):.3f} | {med('mean'):.3f} |")
