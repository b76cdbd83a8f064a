#!/usr/bin/env python3
"""Issue 12(a) / optuna#4627: one process, study.optimize(n_jobs=K threads), InMemoryStorage.

Usage: PYTHONPATH=<optuna checkout or empty for Debian's 3.1.0> /usr/bin/python3 threads_inmemory.py \
           OUT.jsonl --jobs K --runs R [--grid 2x2] [--n-trials 4] [--sleep-ms 0] [--seed none|S]

Each run: a fresh in-memory study with GridSampler({x: [0..a-1], y: [0..b-1]}, seed), and
study.optimize(objective, n_trials, n_jobs=K). The objective suggests x then y, sleeps --sleep-ms
(0 = returns at once) and returns 0.  Per run it records the trials as
[number, state, grid_id, flat_point_index, worker, start_s, end_s] (worker = index of the thread in
order of first appearance; times from the trial's datetime_start/datetime_complete relative to the
run's start), repeats (evaluations beyond the first of a combination), never_evaluated, trials.
"""
import argparse
import os
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common  # noqa: E402


def one_run(optuna, a, b, jobs, n_trials, sleep_s, seed, op_timing=False):
    space = {"x": list(range(a)), "y": list(range(b))}
    thread_of = {}

    def objective(trial):
        x = trial.suggest_categorical("x", space["x"])
        y = trial.suggest_categorical("y", space["y"])
        thread_of[trial.number] = threading.get_ident()
        if sleep_s > 0:
            time.sleep(sleep_s)
        return float(x * b + y)

    study = optuna.create_study(sampler=optuna.samplers.GridSampler(space, seed=seed))
    oplog = []
    if op_timing:
        import mp_grid
        mp_grid.instrument(study._storage, oplog)
    t0 = time.time()
    study.optimize(objective, n_trials=n_trials, n_jobs=jobs)
    wall = time.time() - t0
    threads = []
    rows, counts = [], {}
    for t in study.get_trials(deepcopy=False):
        tid = thread_of.get(t.number)
        if tid is not None and tid not in threads:
            threads.append(tid)
        flat = None
        if "x" in t.params and "y" in t.params:
            flat = t.params["x"] * b + t.params["y"]
            counts[flat] = counts.get(flat, 0) + 1
        st = t.datetime_start.timestamp() - t0 if t.datetime_start else None
        en = t.datetime_complete.timestamp() - t0 if t.datetime_complete else None
        rows.append([t.number, t.state.name, t.system_attrs.get("grid_id"), flat,
                     threads.index(tid) if tid in threads else None,
                     None if st is None else round(st, 6), None if en is None else round(en, 6)])
    out = {"ops_raw": oplog} if op_timing else {}
    return {**out, "trials": rows, "total_trials": len(rows), "repeats": sum(c - 1 for c in counts.values()),
            "never_evaluated": a * b - len(counts), "distinct_evaluated": len(counts), "wall_s": round(wall, 6)}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--jobs", type=int, required=True)
    ap.add_argument("--runs", type=int, default=500)
    ap.add_argument("--grid", default="2x2")
    ap.add_argument("--n-trials", type=int, default=4)
    ap.add_argument("--sleep-ms", type=float, default=0.0)
    ap.add_argument("--seed", default="none")
    ap.add_argument("--op-timing", action="store_true",
                    help="time every storage call (InMemoryStorage: lock wait + work); per-run quantiles in ops")
    ap.add_argument("--log", default="error", choices=["error", "info"],
                    help="optuna verbosity: info = the default (a line per trial to stderr)")
    args = ap.parse_args()
    optuna = common.quiet_optuna()
    if args.log == "info":
        optuna.logging.set_verbosity(optuna.logging.INFO)
    a, b = (int(v) for v in args.grid.split("x"))
    seed = None if args.seed == "none" else int(args.seed)
    meta = common.run_meta([os.path.basename(sys.executable)] + sys.argv, {
        "script": "threads_inmemory.py", "scenario": "threads-inmemory", "storage": "inmemory",
        "grid": args.grid, "grid_size": a * b, "n_jobs": args.jobs, "n_trials": args.n_trials,
        "sleep_ms": args.sleep_ms, "log_level": args.log, "seed_policy": args.seed, "switch_interval_s": sys.getswitchinterval()})
    rows = []
    for r in range(args.runs):
        res = one_run(optuna, a, b, args.jobs, args.n_trials, args.sleep_ms / 1000.0, seed, args.op_timing)
        res["rep"] = r
        res["loadavg_1min"] = round(os.getloadavg()[0], 2)
        if args.op_timing:
            import mp_grid
            res["ops"] = mp_grid.summarize_ops(res.pop("ops_raw"))
        rows.append(res)
    common.write_jsonl(args.out, meta, rows)
    k = sum(1 for r in rows if r["repeats"] > 0)
    lo, hi = common.wilson(k, len(rows))
    print(f"{meta['optuna_version']} n_jobs={args.jobs} runs={len(rows)} P(repeat)={k / len(rows):.3f} "
          f"[{lo:.3f}, {hi:.3f}] mean trials={sum(r['total_trials'] for r in rows) / len(rows):.2f}")


if __name__ == "__main__":
    main()
