#!/usr/bin/env python3
"""Issue 12(a): where the CPU of one n_jobs trial goes, per phase, on InMemoryStorage.

Usage: PYTHONPATH=<optuna checkout or empty for Debian's 3.1.0> /usr/bin/python3 phases_inmemory.py \
           OUT.jsonl [--jobs 2] [--runs 300] [--grid 2x2] [--n-trials 4]

Same workload as threads_inmemory.py (optimize(n_trials, n_jobs), GridSampler, zero-time objective).
Marks are taken with time.thread_time_ns() (CPU time of the calling thread: insensitive to how much
of the machine the process gets, so this file may be recorded while other jobs run) at:
  job         _optimize_sequential entry .. exit (one job = one trial on a pool thread)
  reseed      sampler.reseed_rng() (numpy RandomState.seed(): os.urandom, GIL released inside)
  ask         study.ask() entry .. create_new_trial return
  init        create_new_trial return .. the grid step's get_all_trials return
  walk        get_all_trials return .. rng.choice entry (the grid sampler's walk over the trials)
  draw        rng.choice (numpy; its nogil section releases the GIL)
  attrs       rng.choice return .. second set_trial_system_attr return
  suggest     second set_trial_system_attr return .. objective entry (two suggests)
  tell        objective return .. set_trial_state_values return (after_trial included)
  end         set_trial_state_values return .. job exit
and in the main thread: submit (executor.submit incl. thread creation), start (Thread.start, main's
CPU), bootstrap (a new pool thread's CPU before its first job). Per run: every phase's CPU in
microseconds (lists, one entry per occurrence) and the wall time of each reseed and draw call.
"""
import argparse
import os
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common  # noqa: E402


def one_run(optuna, a, b, jobs, n_trials, hooks):
    import concurrent.futures.thread as cft
    import optuna.study._optimize as opt
    space = {"x": list(range(a)), "y": list(range(b))}
    tls = threading.local()
    phases = {}
    walls = {"reseed": [], "draw": []}

    def add(name, ns):
        phases.setdefault(name, []).append(round(ns / 1000.0, 2))

    def mark(name):
        now = time.thread_time_ns()
        prev = getattr(tls, "last", None)
        if prev is not None:
            add(prev[0], now - prev[1])
        tls.last = (name, now)

    def stop_marks():
        now = time.thread_time_ns()
        prev = getattr(tls, "last", None)
        if prev is not None:
            add(prev[0], now - prev[1])
        tls.last = None

    def objective(trial):
        mark("objective")
        trial.suggest_categorical("x", space["x"])
        trial.suggest_categorical("y", space["y"])
        mark("tell")
        return 0.0

    sampler = optuna.samplers.GridSampler(space)
    study = optuna.create_study(sampler=sampler)
    st = study._storage
    rng = sampler._rng

    class Rng:
        def seed(self, *args):
            w = time.perf_counter_ns()
            rng.seed(*args)
            walls["reseed"].append(round((time.perf_counter_ns() - w) / 1000.0, 2))

        def choice(self, *args, **kw):
            mark("draw")
            w = time.perf_counter_ns()
            r = rng.choice(*args, **kw)
            walls["draw"].append(round((time.perf_counter_ns() - w) / 1000.0, 2))
            mark("attrs")
            return r

        def __getattr__(self, name):
            return getattr(rng, name)

    sampler._rng = Rng()
    orig = {n: getattr(st, n) for n in ("create_new_trial", "get_all_trials", "set_trial_system_attr",
                                         "set_trial_state_values")}
    state = {"gat": 0, "attrs": 0}

    def create_new_trial(*args, **kw):
        r = orig["create_new_trial"](*args, **kw)
        mark("init")
        return r

    def get_all_trials(*args, **kw):
        r = orig["get_all_trials"](*args, **kw)
        if getattr(tls, "last", (None,))[0] == "init":
            mark("walk")
        return r

    def set_trial_system_attr(trial_id, key, value):
        r = orig["set_trial_system_attr"](trial_id, key, value)
        if key == "grid_id":
            mark("suggest")
        return r

    def set_trial_state_values(*args, **kw):
        r = orig["set_trial_state_values"](*args, **kw)
        mark("end")
        return r

    st.create_new_trial = create_new_trial
    st.get_all_trials = get_all_trials
    st.set_trial_system_attr = set_trial_system_attr
    st.set_trial_state_values = set_trial_state_values
    seq = opt._optimize_sequential
    orig_ask = study.ask

    def ask(*args, **kw):
        mark("ask")
        return orig_ask(*args, **kw)
    study.ask = ask

    def reseed_wrapped():
        mark("reseed")
        type(sampler).reseed_rng(sampler)
        mark("pre_ask")
    sampler.reseed_rng = reseed_wrapped

    def job(*args, **kw):
        if not getattr(tls, "booted", False):
            tls.booted = True
            add("bootstrap", time.thread_time_ns() - tls_boot.get(threading.get_ident(), time.thread_time_ns()))
        mark("job")
        try:
            return seq(*args, **kw)
        finally:
            stop_marks()

    tls_boot = {}
    orig_start = threading.Thread.start
    orig_run = threading.Thread.run

    def run_wrapped(self):
        tls_boot[threading.get_ident()] = 0
        return orig_run(self)

    def start_wrapped(self):
        c = time.thread_time_ns()
        orig_start(self)
        add("start", time.thread_time_ns() - c)
    orig_submit = cft.ThreadPoolExecutor.submit

    def submit_wrapped(self, *args, **kw):
        c = time.thread_time_ns()
        r = orig_submit(self, *args, **kw)
        add("submit", time.thread_time_ns() - c)
        return r
    hooks.update(opt=opt, seq=seq, cft=cft, submit=orig_submit, start=orig_start, run=orig_run)
    opt._optimize_sequential = job
    threading.Thread.start = start_wrapped
    threading.Thread.run = run_wrapped
    cft.ThreadPoolExecutor.submit = submit_wrapped
    try:
        study.optimize(objective, n_trials=n_trials, n_jobs=jobs)
    finally:
        opt._optimize_sequential = seq
        threading.Thread.start = orig_start
        threading.Thread.run = orig_run
        cft.ThreadPoolExecutor.submit = orig_submit
    return {"phases_us": phases, "native_wall_us": walls, "trials": len(study.trials)}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--runs", type=int, default=300)
    ap.add_argument("--grid", default="2x2")
    ap.add_argument("--n-trials", type=int, default=4)
    args = ap.parse_args()
    optuna = common.quiet_optuna()
    a, b = (int(v) for v in args.grid.split("x"))
    meta = common.run_meta([os.path.basename(sys.executable)] + sys.argv, {
        "script": "phases_inmemory.py", "scenario": "phases-inmemory", "storage": "inmemory", "grid": args.grid,
        "n_jobs": args.jobs, "n_trials": args.n_trials, "clock": "time.thread_time_ns (CPU of the thread)"})
    rows = []
    for r in range(args.runs):
        res = one_run(optuna, a, b, args.jobs, args.n_trials, {})
        res["rep"] = r
        rows.append(res)
    common.write_jsonl(args.out, meta, rows)
    allp = {}
    for row in rows:
        for k, v in row["phases_us"].items():
            allp.setdefault(k, []).extend(v)
    for k in sorted(allp):
        v = sorted(allp[k])
        print(f"{k:10s} n={len(v):5d} median {v[len(v) // 2]:8.1f} us  p90 {v[9 * len(v) // 10]:8.1f}")
    for k in ("reseed", "draw"):
        v = sorted(x for row in rows for x in row["native_wall_us"][k])
        print(f"wall {k:5s} n={len(v):5d} median {v[len(v) // 2]:8.1f} us")


if __name__ == "__main__":
    main()
