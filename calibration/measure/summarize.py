#!/usr/bin/env python3
"""Summary table (Markdown) of mp_grid.py / threads_inmemory.py data files, 99.5% intervals.

Usage: summarize.py FILE.jsonl... > table.md
Columns: scenario, Optuna version, seed policy, storage, workers, n runs, repeats mean [t 99.5%],
P(repeats>0) [Wilson 99.5%], never-evaluated mean [CI], trials mean [CI], makespan s mean [CI],
median per-trial overhead s (wall outside the objective's sleep, per worker), median CPU s per trial
per worker, median load average (1 min) at the runs' start.
"""
import os
import statistics
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common  # noqa: E402


def fmt(ci, d=2):
    m, lo, hi = ci
    return f"{m:.{d}f} [{lo:.{d}f}, {hi:.{d}f}]"


def row(path):
    meta, rows = common.read_jsonl(path)
    if not rows:
        return None
    cfg = meta.get("config", {})
    n = len(rows)
    rep = [r["repeats"] for r in rows]
    k = sum(1 for x in rep if x > 0)
    lo, hi = common.wilson(k, n)
    never = [r["never_evaluated"] for r in rows]
    trials = [r["total_trials"] for r in rows]
    mk = [r["makespan_s"] for r in rows if r.get("makespan_s") is not None]
    ov = [r["overhead_per_trial_s"] for r in rows if r.get("overhead_per_trial_s") is not None]
    cpu = [r["cpu_per_trial_s"] for r in rows if r.get("cpu_per_trial_s") is not None]
    load = [r["loadavg_before"][0] for r in rows if r.get("loadavg_before")]
    if not load:
        load = [meta.get("loadavg_start", [float("nan")])[0]]
    scen = rows[0].get("scenario") or meta.get("scenario")
    workers = rows[0].get("workers") or (f"1 proc x {meta.get('n_jobs')} threads" if meta.get("n_jobs") else "?")
    storage = cfg.get("storage") or meta.get("storage", "?")
    return (f"| {scen} | {meta['optuna_version']} | {rows[0].get('seed_policy') or meta.get('seed_policy')} | {storage} "
            f"| {workers} | {n} | {fmt(common.mean_ci(rep))} | {k}/{n} [{lo:.3f}, {hi:.3f}] "
            f"| {fmt(common.mean_ci(never))} | {fmt(common.mean_ci(trials))} "
            f"| {fmt(common.mean_ci(mk)) if mk else '-'} | {statistics.median(ov) if ov else float('nan'):.3f} "
            f"| {statistics.median(cpu) if cpu else float('nan'):.4f} | {statistics.median(load):.1f} | {os.path.basename(path)} |")


print("| scenario | version | seed | storage | workers | n | repeats [99.5%] | P(repeats>0) [99.5% Wilson] "
      "| never-evaluated [99.5%] | trials [99.5%] | makespan s [99.5%] | overhead s/trial (median) "
      "| CPU s/trial (median) | load 1 min (median) | file |")
print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
for p in sys.argv[1:]:
    r = row(p)
    if r:
        print(r)
