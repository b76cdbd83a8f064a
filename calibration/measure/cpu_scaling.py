#!/usr/bin/env python3
"""Client-side CPU per trial as a function of the number of trials already in the study (issue 12).

Usage: PYTHONPATH=<checkout> /usr/bin/python3 cpu_scaling.py OUT.jsonl --storage sqlite|inmemory|journal|postgresql \
           [--trials 1000] [--grid 25x40] [--pg-url URL] [--db-dir /dev/shm] [--runs 1]

One process, one GridSampler study (grid large enough never to be exhausted), objective returns at
once. For every trial k (k = number of trials already in the study when it starts) it records
- cpu_s: process CPU time (user+sys, time.process_time) from this trial's objective start to the next
  one's: the whole client-side work of one trial (tell, callbacks, ask, grid step, suggests);
- wall_s: the same interval in wall-clock time;
- gat_cpu_s / gat_wall_s: CPU and wall time inside this trial's storage get_all_trials calls;
- gat_calls: how many get_all_trials calls the trial made.
Then a least-squares fit cpu_s = a + b * k per run (and for get_all_trials). Rows are written in
buckets of 10 consecutive trials (means) to keep the file small; the fit uses every trial.
"""
import argparse
import os
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common  # noqa: E402
import mp_grid  # noqa: E402


def fit(xs, ys):
    n = len(xs)
    mx, my = sum(xs) / n, sum(ys) / n
    sxx = sum((x - mx) ** 2 for x in xs)
    sxy = sum((x - mx) * (y - my) for x, y in zip(xs, ys))
    b = sxy / sxx if sxx else 0.0
    a = my - b * mx
    res = [y - (a + b * x) for x, y in zip(xs, ys)]
    rms = (sum(r * r for r in res) / n) ** 0.5
    return {"a_s": a, "b_s_per_trial": b, "rms_s": rms, "n": n}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--storage", default="sqlite")
    ap.add_argument("--trials", type=int, default=1000)
    ap.add_argument("--grid", default="25x40")
    ap.add_argument("--pg-url", default=None)
    ap.add_argument("--db-dir", default="/dev/shm" if os.path.isdir("/dev/shm") else None)
    ap.add_argument("--runs", type=int, default=1)
    args = ap.parse_args()
    optuna = common.quiet_optuna()
    grid = mp_grid.parse_grid(args.grid)
    space = {n: v for n, v in grid}
    meta = common.run_meta([os.path.basename(sys.executable)] + sys.argv, {
        "script": "cpu_scaling.py", "storage": args.storage, "grid": args.grid, "trials": args.trials,
        "db_dir": args.db_dir, "row": "bucket of 10 trials: k_first, mean cpu_s, wall_s, gat_cpu_s, gat_wall_s, gat_calls"})
    rows = []
    with tempfile.TemporaryDirectory(prefix="cpuscale-", dir=args.db_dir) as tmp:
        for rep in range(args.runs):
            path = os.path.join(tmp, f"s{rep}.{'db' if args.storage == 'sqlite' else 'log'}")
            storage = mp_grid.make_storage(optuna, args.storage, path, args.pg_url)
            name = f"scale-{os.getpid()}-{rep}"
            study = optuna.create_study(study_name=name, storage=storage,
                                        sampler=optuna.samplers.GridSampler(space, seed=0))
            st = study._storage
            gat = {"cpu": 0.0, "wall": 0.0, "calls": 0}
            orig = st.get_all_trials

            def timed_gat(*a, **k):
                c, w = time.process_time(), time.perf_counter()
                try:
                    return orig(*a, **k)
                finally:
                    gat["cpu"] += time.process_time() - c
                    gat["wall"] += time.perf_counter() - w
                    gat["calls"] += 1
            st.get_all_trials = timed_gat
            marks = []

            def objective(trial):
                marks.append((trial.number, time.process_time(), time.perf_counter(), gat["cpu"], gat["wall"],
                              gat["calls"]))
                for n, v in grid:
                    trial.suggest_categorical(n, v)
                return 0.0
            study.optimize(objective, n_trials=args.trials + 1)
            per = []
            for (k, c0, w0, g0, gw0, n0), (_, c1, w1, g1, gw1, n1) in zip(marks, marks[1:]):
                per.append((k, c1 - c0, w1 - w0, g1 - g0, gw1 - gw0, n1 - n0))
            ks = [p[0] for p in per]
            res = {"rep": rep, "storage": args.storage, "optuna_version": optuna.__version__,
                   "fit_cpu": fit(ks, [p[1] for p in per]), "fit_wall": fit(ks, [p[2] for p in per]),
                   "fit_gat_cpu": fit(ks, [p[3] for p in per]), "gat_calls_per_trial": per[-1][5],
                   "buckets": []}
            for i in range(0, len(per), 10):
                b = per[i:i + 10]
                res["buckets"].append([b[0][0]] + [round(sum(p[j] for p in b) / len(b), 6) for j in (1, 2, 3, 4)]
                                      + [round(sum(p[5] for p in b) / len(b), 2)])
            rows.append(res)
            f = res["fit_cpu"]
            g = res["fit_gat_cpu"]
            print(f"{optuna.__version__} {args.storage}: cpu/trial = {f['a_s'] * 1e3:.2f} ms + {f['b_s_per_trial'] * 1e6:.2f} us * k "
                  f"(rms {f['rms_s'] * 1e3:.2f} ms); get_all_trials cpu = {g['a_s'] * 1e3:.2f} ms + "
                  f"{g['b_s_per_trial'] * 1e6:.2f} us * k; {res['gat_calls_per_trial']} calls/trial", flush=True)
            mp_grid.dispose(storage)
    common.write_jsonl(args.out, meta, rows)


if __name__ == "__main__":
    main()
