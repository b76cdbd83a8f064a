#!/usr/bin/env python3
"""Real multi-process Optuna studies on one storage: the calibration runs of issues 11 and 12.

Usage (the Optuna under test is the one on PYTHONPATH; empty = Debian's python3-optuna 3.1.0):
  PYTHONPATH=/work/optuna-src/v3.6.1 /usr/bin/python3 mp_grid.py OUT.jsonl --scenario NAME \
      --runs 20 --workers 8 --grid 4x5 --storage sqlite --seed none --sleep uniform:0.05:0.25

Each run: the parent creates a fresh storage and study, forks W worker processes (the parent has
imported optuna, so a fork costs no import), and every worker waits until the common start time
t0 (+ i * --stagger for worker i), builds its own sampler (as a distributed user does), loads the
study and runs its loop (optimize / ask-and-tell / Hydra-style batches).  The objective suggests
every grid name (unless --suggest says otherwise), sleeps per --sleep and returns 0.0.

Measured per run (one JSON object per line, after a {"meta": ...} line):
- trials: [number, state, grid_id, flat_point_index, worker, start_s, end_s] (times from the
  storage's datetime_start / datetime_complete, seconds after t0; worker = process index, from the
  worker's own record of the trial numbers its objective saw; None if the objective never ran);
- repeats (evaluations beyond the first of a combination, over trials whose objective received
  every grid name), never_evaluated, distinct_evaluated, never_completed, total_trials, states;
- double_claimed_trials: trial numbers whose objective ran in more than one worker (one trial
  claimed twice, e.g. a WAITING trial popped by two processes);
- per worker: the trial numbers its objective saw, trials, setup seconds (storage + sampler + load_study), loop wall seconds (from the
  call of optimize / the first ask to its end), sleep seconds, CPU seconds (user+sys of the process
  from its start), the exception that ended it (if any);
- overhead_per_trial_s: per worker (wall - sleep) / trials, median over workers (as in the
  reference data); cpu_per_trial_s likewise from CPU time;
- ops: per storage method, count / total seconds / quantiles of the call's wall duration over all
  workers (every call of study._storage is timed with perf_counter); with --sql-timing also every
  SQL statement by kind (sql:select, sql:select_for_update, sql:insert, sql:update, ...), every
  commit (sql:commit: lock wait + write + fsync), and the journal file backend's
  journal:lock_acquire / journal:append_logs / journal:read_logs;
- loadavg before and after the run.

Storage files live in --db-dir (default /dev/shm, a tmpfs: on a machine shared with other jobs the
disk's fsync queue otherwise dominates every commit; pass a disk directory to include it).
Storages: sqlite (RDBStorage, 120 s busy timeout), journal (JournalStorage + JournalFileStorage),
postgresql (RDBStorage on --pg-url, a fresh study name per run), inmemory (only with --workers 1).
"""
import argparse
import gc
import json
import math
import os
import random
import resource
import signal
import sys
import tempfile
import threading
import time
import traceback

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common  # noqa: E402

NAMES = ["x", "y", "z", "w"]


def parse_grid(spec):
    """'4x5' -> [("x",[0..3]),("y",[0..4])]; or 'x=0,1,2;y=a,b' (values parsed as JSON if possible)."""
    if "=" not in spec:
        dims = [int(v) for v in spec.split("x")]
        return [(NAMES[i], list(range(n))) for i, n in enumerate(dims)]
    out = []
    for part in spec.split(";"):
        name, vals = part.split("=", 1)
        values = []
        for v in vals.split(","):
            try:
                values.append(json.loads(v))
            except ValueError:
                values.append(v)
        out.append((name, values))
    return out


def parse_sleep(spec):
    kind, *a = spec.split(":")
    a = [float(v) for v in a]
    if kind == "zero":
        return lambda rng: 0.0
    if kind == "const":
        return lambda rng: a[0]
    if kind == "uniform":
        return lambda rng: rng.uniform(a[0], a[1])
    raise SystemExit(f"--sleep: unknown kind {kind!r} (zero, const:S, uniform:A:B)")


def flat_index(grid, params):
    idx = 0
    for name, values in grid:
        if name not in params:
            return None
        v = params[name]
        k = None
        for i, gv in enumerate(values):
            if gv == v or (isinstance(gv, float) and isinstance(v, float) and math.isnan(gv) and math.isnan(v)):
                k = i
                break
        if k is None:
            return None
        idx = idx * len(values) + k
    return idx


# ------------------------------------------------------------------------------------ storages
class _TimedCommit:
    """Mixin for DB-API connection classes: times commit() (lock wait + write + fsync)."""
    oplog = None

    def commit(self):
        t = time.perf_counter()
        try:
            return super().commit()
        finally:
            if _TimedCommit.oplog is not None:
                _TimedCommit.oplog.append(("sql:commit", time.perf_counter() - t))


def _timed_connection_class(kind):
    if kind == "sqlite":
        import sqlite3
        return type("TimedSqliteConnection", (_TimedCommit, sqlite3.Connection), {})
    import psycopg2.extensions
    return type("TimedPgConnection", (_TimedCommit, psycopg2.extensions.connection), {})


def _sql_kind(statement):
    s = statement.lstrip()[:6].upper()
    if s.startswith("SELECT"):
        return "sql:select_for_update" if "FOR UPDATE" in statement.upper() else "sql:select"
    return "sql:" + s.split()[0].lower() if s else "sql:other"


def attach_sql_timing(storage, oplog):
    """Times every SQL statement (by kind) and every commit of this RDB storage's engine, and the
    journal file backend's lock acquisition, append and read (replay) calls."""
    _TimedCommit.oplog = oplog
    backend = getattr(storage, "_backend", storage)
    engine = getattr(backend, "engine", None)
    if engine is not None:
        from sqlalchemy import event
        starts = {}

        def before(conn, cursor, statement, parameters, context, executemany):
            starts[id(cursor)] = time.perf_counter()

        def after(conn, cursor, statement, parameters, context, executemany):
            t = starts.pop(id(cursor), None)
            if t is not None:
                oplog.append((_sql_kind(statement), time.perf_counter() - t))
        event.listen(engine, "before_cursor_execute", before)
        event.listen(engine, "after_cursor_execute", after)
    jb = getattr(storage, "_backend", None)
    if jb is not None and hasattr(jb, "append_logs"):
        def wrap(obj, name, label):
            fn = getattr(obj, name)

            def timed(*a, **k):
                t = time.perf_counter()
                try:
                    return fn(*a, **k)
                finally:
                    oplog.append((label, time.perf_counter() - t))
            setattr(obj, name, timed)
        wrap(jb, "append_logs", "journal:append_logs")
        wrap(jb, "read_logs", "journal:read_logs")
        if getattr(jb, "_lock", None) is not None:
            wrap(jb._lock, "acquire", "journal:lock_acquire")


def make_storage(optuna, kind, path, pg_url, heartbeat=None, retry=None, sql_timing=False):
    if kind in ("sqlite", "postgresql"):
        url = f"sqlite:///{path}" if kind == "sqlite" else pg_url
        kw = {}
        if kind == "sqlite":
            kw["engine_kwargs"] = {"connect_args": {"timeout": 120}}
        if sql_timing:
            ca = kw.setdefault("engine_kwargs", {}).setdefault("connect_args", {})
            ca["factory" if kind == "sqlite" else "connection_factory"] = _timed_connection_class(kind)
        if heartbeat:
            kw["heartbeat_interval"] = heartbeat
            if retry:
                cb = getattr(optuna.storages, "RetryFailedTrialCallback", None)
                kw["failed_trial_callback"] = cb(max_retry=retry)
        return optuna.storages.RDBStorage(url, **kw)
    if kind == "journal":
        js = optuna.storages.JournalStorage
        backend = None
        try:
            from optuna.storages.journal import JournalFileBackend  # 4.0+
            backend = JournalFileBackend(path)
        except ImportError:
            backend = optuna.storages.JournalFileStorage(path)
        return js(backend)
    if kind == "inmemory":
        return optuna.storages.InMemoryStorage()
    raise SystemExit(f"--storage: unknown {kind!r}")


def dispose(storage):
    """Close pooled connections so that no socket or file handle is shared across fork."""
    for s in (storage, getattr(storage, "_backend", None)):
        eng = getattr(s, "engine", None)
        if eng is not None:
            eng.dispose()


# ------------------------------------------------------------------------------------ timing of storage calls
STORAGE_METHODS = [
    "create_new_trial", "get_all_trials", "get_trial", "set_trial_system_attr", "set_trial_param",
    "set_trial_state_values", "get_trial_system_attrs", "get_best_trial", "read_trials_from_remote_storage",
    "set_trial_user_attr", "get_trial_id_from_study_id_trial_number", "record_heartbeat",
    "get_study_directions", "get_n_trials", "set_trial_intermediate_value", "_get_stale_trial_ids",
    "get_trial_params", "get_trial_number_from_id", "fail_stale_trials",
]


def instrument(storage, log):
    for name in STORAGE_METHODS:
        fn = getattr(storage, name, None)
        if fn is None or not callable(fn):
            continue

        def wrap(fn=fn, name=name):
            def timed(*a, **k):
                t = time.perf_counter()
                try:
                    return fn(*a, **k)
                finally:
                    log.append((name, time.perf_counter() - t))
            return timed
        setattr(storage, name, wrap())


# ------------------------------------------------------------------------------------ the worker
def make_sampler(optuna, args, grid, index):
    space = {n: list(v) for n, v in grid}
    if args.value_order_worker is not None and index in args.value_order_worker:
        space = {n: list(reversed(v)) for n, v in grid}
    seed = None
    if args.seed.startswith("same:"):
        seed = int(args.seed.split(":")[1])
    elif args.seed == "distinct":
        seed = 1 + index
    if args.seed.startswith("random-same:"):  # 2.x: identically seeded global `random`
        random.seed(int(args.seed.split(":")[1]))
    if args.sampler == "bruteforce":
        kw = {} if seed is None else {"seed": seed}
        return optuna.samplers.BruteForceSampler(**kw)
    if seed is None:
        return optuna.samplers.GridSampler(space)
    return optuna.samplers.GridSampler(space, seed=seed)


def worker_main(args, grid, index, t_start, storage_path, study_name, result_path):
    out = {"worker": index, "numbers": [], "error": None}
    try:
        optuna = common.quiet_optuna()
        if args.log == "info":
            optuna.logging.set_verbosity(optuna.logging.INFO)
        ru0 = resource.getrusage(resource.RUSAGE_SELF)
        rng = random.Random()  # objective durations: independent of the sampler's RNG
        sleep_of = parse_sleep(args.sleep)
        suggest = args.suggest.split(",") if args.suggest else [n for n, _ in grid]
        values = dict(grid)
        fail_at = None
        if args.fail_at:
            w, k = (int(v) for v in args.fail_at.split(":"))
            fail_at = k if w == index else None
        crash_at = None
        if args.crash:
            w, k = (int(v) for v in args.crash.split(":"))
            crash_at = k if w == index else None
        state = {"sleep": 0.0, "started": 0}
        lock = threading.Lock()

        numbers_file = open(result_path + ".numbers", "a", buffering=1)  # survives a SIGKILL

        def objective(trial):
            with lock:
                out["numbers"].append(trial.number)
                numbers_file.write(f"{trial.number}\n")
                state["started"] += 1
                mine = state["started"]
            for n in suggest:
                vals = values.get(n, [0, 1])
                if args.sampler == "bruteforce" or args.suggest_kind == "int":
                    trial.suggest_int(n, min(vals), max(vals))
                else:
                    trial.suggest_categorical(n, vals)
            if crash_at is not None and mine == crash_at:
                time.sleep(args.crash_after_s)
                os.kill(os.getpid(), signal.SIGKILL)
            s = sleep_of(rng)
            with lock:
                state["sleep"] += s
            if s > 0:
                time.sleep(s)
            if fail_at is not None and mine == fail_at:
                raise RuntimeError("evicted (scenario --fail-at)")
            if args.fail_every and mine % args.fail_every == 0:
                raise ValueError("objective failure (scenario)")
            if args.prune_every and mine % args.prune_every == 0:
                raise optuna.TrialPruned()
            return 0.0

        delay = t_start + index * args.stagger - time.time()
        if delay > 0:
            time.sleep(delay)
        t_begin = time.time()
        storage = make_storage(optuna, args.storage, storage_path, args.pg_url, args.heartbeat, args.retry,
                               sql_timing=args.sql_timing)
        sampler = make_sampler(optuna, args, grid, index)
        study = optuna.load_study(study_name=study_name, storage=storage, sampler=sampler)
        oplog = []
        instrument(study._storage, oplog)
        if args.sql_timing:
            attach_sql_timing(study._storage, oplog)
        if args.enqueue_each:
            for p in json.loads(args.enqueue_each):
                study.enqueue_trial(p)
        callbacks = []
        if args.max_trials:
            n, _, st = args.max_trials.partition(":")
            states = None if st == "none" else ((optuna.trial.TrialState.COMPLETE,) if not st else
                                                tuple(getattr(optuna.trial.TrialState, s) for s in st.split("+")))
            callbacks.append(optuna.study.MaxTrialsCallback(int(n), states=states))
        n_trials = args.n_trials
        t_loop = time.time()
        try:
            if args.loop == "optimize":
                study.optimize(objective, n_trials=n_trials, n_jobs=args.n_jobs, callbacks=callbacks,
                               catch=(ValueError, RuntimeError) if args.catch else ())
            else:
                batch = 1 if args.loop == "asktell" else int(args.loop.split(":")[1])
                budget = n_trials if n_trials is not None else 10 ** 6
                if args.loop.startswith("hydra"):
                    gs = 1
                    for _, v in grid:
                        gs *= len(v)
                    budget = min(budget, gs)
                stop_errors = 0
                while budget > 0:
                    k = min(batch, budget)
                    trials = [study.ask() for _ in range(k)]
                    vals = []
                    for t in trials:
                        try:
                            vals.append((t, objective(t), None))
                        except Exception as e:  # noqa: BLE001
                            vals.append((t, None, e))
                    stopped = False
                    for t, v, e in vals:
                        try:
                            if e is None:
                                study.tell(t, v)
                            else:
                                study.tell(t, state=optuna.trial.TrialState.FAIL)
                        except RuntimeError as re_:
                            if "supposed to be invoked" in str(re_):
                                stop_errors += 1
                                stopped = True
                            else:
                                raise
                    budget -= k
                    if stopped and args.loop == "asktell" and args.asktell_break:
                        break
                out["stop_errors"] = stop_errors
        except BaseException as e:  # noqa: BLE001  the worker's own end, recorded as the real outcome
            out["error"] = f"{type(e).__name__}: {e}"
            out["traceback_tail"] = traceback.format_exc().strip().splitlines()[-3:]
        t_end = time.time()
        ru1 = resource.getrusage(resource.RUSAGE_SELF)
        out["wall_s"] = t_end - t_loop
        out["setup_s"] = t_loop - t_begin
        out["begin_s"] = t_begin - t_start
        out["end_s"] = t_end - t_start
        out["sleep_s"] = state["sleep"]
        out["cpu_s"] = (ru1.ru_utime - ru0.ru_utime) + (ru1.ru_stime - ru0.ru_stime)
        out["ops"] = oplog
        dispose(storage)
    except BaseException as e:  # noqa: BLE001
        out["error"] = f"setup {type(e).__name__}: {e}"
        out["traceback_tail"] = traceback.format_exc().strip().splitlines()[-3:]
    with open(result_path, "w") as f:
        json.dump(out, f)
    os._exit(0)


# ------------------------------------------------------------------------------------ the parent
def summarize_ops(all_ops):
    by = {}
    for name, d in all_ops:
        by.setdefault(name, []).append(d)
    return {n: {k: (round(v, 7) if isinstance(v, float) else v) for k, v in common.quantiles(ds).items()}
            for n, ds in sorted(by.items())}


def one_run(optuna, args, grid, rep, tmp):
    storage_path = os.path.join(tmp, f"rep{rep}.db" if args.storage == "sqlite" else f"rep{rep}.log")
    study_name = f"grid-{os.getpid()}-{rep}"
    for p in (storage_path, storage_path + ".lock"):
        if os.path.exists(p):
            os.remove(p)
    st = make_storage(optuna, args.storage, storage_path, args.pg_url)
    study = optuna.create_study(study_name=study_name, storage=st)
    if args.pre_trials:  # resume: a finished/partial study made by one sequential process first
        pre_sampler = make_sampler(optuna, args, grid, 0)
        pre = optuna.load_study(study_name=study_name, storage=st, sampler=pre_sampler)
        pre.optimize(lambda t: [t.suggest_categorical(n, v) for n, v in grid] and 0.0, n_trials=args.pre_trials)
    if args.enqueue_before:
        for p in json.loads(args.enqueue_before):
            study.enqueue_trial(p)
    pre_count = len(study.trials)
    dispose(st)
    del st, study
    gc.collect()
    load0 = os.getloadavg()
    t_start = time.time() + 0.3
    pids = []
    for i in range(args.workers):
        rp = os.path.join(tmp, f"w{i}.json")
        for old in (rp, rp + ".numbers"):
            if os.path.exists(old):
                os.remove(old)
        pid = os.fork()
        if pid == 0:
            worker_main(args, grid, i, t_start, storage_path, study_name, rp)
        pids.append(pid)
    rcs = []
    deadline = time.time() + args.timeout
    timed_out = False
    for pid in pids:
        while True:
            r, status = os.waitpid(pid, os.WNOHANG)
            if r:
                rcs.append(os.waitstatus_to_exitcode(status))
                break
            if time.time() > deadline:
                timed_out = True
                os.kill(pid, signal.SIGKILL)
            time.sleep(0.02)
    load1 = os.getloadavg()
    workers = []
    for i in range(args.workers):
        rp = os.path.join(tmp, f"w{i}.json")
        if os.path.exists(rp):
            with open(rp) as f:
                workers.append(json.load(f))
        else:
            nums = []
            if os.path.exists(rp + ".numbers"):
                with open(rp + ".numbers") as f:
                    nums = [int(x) for x in f.read().split()]
            workers.append({"worker": i, "numbers": nums, "error": "killed (no result)", "ops": []})
    st = make_storage(optuna, args.storage, storage_path, args.pg_url)
    study = optuna.load_study(study_name=study_name, storage=st)
    trials = study.get_trials(deepcopy=False)
    worker_of = {}
    for w in workers:
        for n in w["numbers"]:
            worker_of.setdefault(n, w["worker"])
    rows, counts, completed, states = [], {}, {}, {}
    names = [n for n, _ in grid]
    for t in trials:
        states[t.state.name] = states.get(t.state.name, 0) + 1
        fi = flat_index(grid, t.params) if all(n in t.params for n in names) else None
        if fi is not None and t.number >= pre_count:
            counts[fi] = counts.get(fi, 0) + 1
            if t.state.name == "COMPLETE":
                completed[fi] = completed.get(fi, 0) + 1
        ds = t.datetime_start.timestamp() - t_start if t.datetime_start else None
        de = t.datetime_complete.timestamp() - t_start if t.datetime_complete else None
        rows.append([t.number, t.state.name, t.system_attrs.get("grid_id"), fi, worker_of.get(t.number),
                     None if ds is None else round(ds, 4), None if de is None else round(de, 4)])
    dispose(st)
    n_grid = 1
    for _, v in grid:
        n_grid *= len(v)
    per_w = []
    all_ops = []
    for w in workers:
        nt = len(w["numbers"])
        wall = w.get("wall_s")
        ov = (wall - w.get("sleep_s", 0.0)) / nt if wall is not None and nt else None
        cpu = w.get("cpu_s")
        per_w.append({"trials": nt, "numbers": w["numbers"], "wall_s": None if wall is None else round(wall, 4),
                      "setup_s": round(w.get("setup_s", 0.0), 4),
                      "begin_s": round(w.get("begin_s", 0.0), 4), "end_s": round(w.get("end_s", 0.0), 4),
                      "sleep_s": round(w.get("sleep_s", 0.0), 4), "cpu_s": None if cpu is None else round(cpu, 4),
                      "overhead_per_trial_s": None if ov is None else round(ov, 5),
                      "cpu_per_trial_s": None if (cpu is None or not nt) else round(cpu / nt, 5),
                      "error": w.get("error"), "traceback_tail": w.get("traceback_tail"),
                      "stop_errors": w.get("stop_errors")})
        all_ops.extend((n, d) for n, d in w.get("ops", []))
    claims = {}
    for w in workers:
        for n in w["numbers"]:
            claims[n] = claims.get(n, 0) + 1
    double_claimed = sorted(n for n, c in claims.items() if c > 1)
    ovs = sorted(p["overhead_per_trial_s"] for p in per_w if p["overhead_per_trial_s"] is not None)
    cpus = sorted(p["cpu_per_trial_s"] for p in per_w if p["cpu_per_trial_s"] is not None)
    ends = [r[6] for r in rows if r[6] is not None]
    hist = {}
    for c in counts.values():
        hist[str(c)] = hist.get(str(c), 0) + 1
    return {
        "rep": rep, "total_trials": len(trials) - pre_count, "pre_trials": pre_count, "states": states,
        "repeats": sum(c - 1 for c in counts.values()), "duplicates": sum(c - 1 for c in counts.values()),
        "never_evaluated": n_grid - len(counts), "distinct_evaluated": len(counts),
        "never_completed": n_grid - len(completed), "eval_count_hist": hist,
        "makespan_s": round(max(ends), 4) if ends else None,
        "overhead_per_trial_s": ovs[len(ovs) // 2] if ovs else None,
        "cpu_per_trial_s": cpus[len(cpus) // 2] if cpus else None,
        "trials_per_worker": [p["trials"] for p in per_w], "workers_detail": per_w,
        "worker_rc": rcs, "worker_errors": {str(i): p["error"] for i, p in enumerate(per_w) if p["error"]},
        "double_claimed_trials": double_claimed, "timed_out": timed_out, "loadavg_before": [round(v, 2) for v in load0],
        "loadavg_after": [round(v, 2) for v in load1], "ops": summarize_ops(all_ops), "trials": rows,
    }


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("out")
    ap.add_argument("--scenario", required=True)
    ap.add_argument("--runs", type=int, default=20)
    ap.add_argument("--workers", type=int, default=4)
    ap.add_argument("--grid", default="4x5")
    ap.add_argument("--storage", default="sqlite", choices=["sqlite", "journal", "postgresql", "inmemory"])
    ap.add_argument("--pg-url", default=None)
    ap.add_argument("--seed", default="none", help="none | same:S | distinct | random-same:S (2.x global random)")
    ap.add_argument("--sampler", default="grid", choices=["grid", "bruteforce"])
    ap.add_argument("--sleep", default="uniform:0.05:0.25")
    ap.add_argument("--stagger", type=float, default=0.0, help="worker i starts i*S seconds after t0")
    ap.add_argument("--n-trials", type=int, default=None)
    ap.add_argument("--n-jobs", type=int, default=1)
    ap.add_argument("--max-trials", default=None, help="N[:none|:COMPLETE+PRUNED] MaxTrialsCallback")
    ap.add_argument("--loop", default="optimize", help="optimize | asktell | batched:K | hydra:K")
    ap.add_argument("--asktell-break", action="store_true", help="asktell: stop at the stop() RuntimeError")
    ap.add_argument("--catch", action="store_true", help="optimize(catch=(ValueError, RuntimeError))")
    ap.add_argument("--suggest", default=None, help="comma list of names the objective suggests")
    ap.add_argument("--suggest-kind", default="categorical", choices=["categorical", "int"])
    ap.add_argument("--value-order-worker", type=lambda s: [int(v) for v in s.split(",")], default=None,
                    help="these workers list every dimension's values reversed")
    ap.add_argument("--enqueue-before", default=None, help="JSON list of param dicts enqueued before start")
    ap.add_argument("--enqueue-each", default=None, help="JSON list enqueued by every worker at its start")
    ap.add_argument("--pre-trials", type=int, default=0, help="trials run sequentially before the workers")
    ap.add_argument("--heartbeat", type=int, default=None)
    ap.add_argument("--retry", type=int, default=None, help="RetryFailedTrialCallback(max_retry)")
    ap.add_argument("--crash", default=None, help="W:K: worker W kills itself (SIGKILL) in its K-th trial")
    ap.add_argument("--crash-after-s", type=float, default=0.05)
    ap.add_argument("--fail-at", default=None, help="W:K: worker W's K-th trial raises RuntimeError "
                    "after its sleep (FAIL; with --catch the worker goes on)")
    ap.add_argument("--fail-every", type=int, default=0)
    ap.add_argument("--prune-every", type=int, default=0)
    ap.add_argument("--log", default="error", choices=["error", "info"])
    ap.add_argument("--sql-timing", action="store_true",
                    help="also time every SQL statement (by kind) and commit, and the journal file "
                         "lock / append / read calls (reported under ops as sql:* and journal:*)")
    ap.add_argument("--timeout", type=float, default=600)
    ap.add_argument("--db-dir", default="/dev/shm" if os.path.isdir("/dev/shm") else None,
                    help="where the SQLite / journal files live (default tmpfs /dev/shm: no disk fsync "
                         "queue shared with other jobs on the machine; use a disk path to include it)")
    args = ap.parse_args()
    optuna = common.quiet_optuna()
    grid = parse_grid(args.grid)
    n_grid = 1
    for _, v in grid:
        n_grid *= len(v)
    cfg = {k: v for k, v in vars(args).items() if k not in ("out",)}
    meta = common.run_meta([os.path.basename(sys.executable)] + sys.argv, {
        "script": "mp_grid.py", "config": cfg, "grid_spec": [[n, v] for n, v in grid], "grid_size": n_grid,
        "trial_row": ["number", "state", "grid_id", "flat_point_index", "worker", "start_s", "end_s"]})
    if args.storage == "postgresql" and not args.pg_url:
        raise SystemExit("--storage postgresql needs --pg-url")
    rows = []
    with tempfile.TemporaryDirectory(prefix="mpgrid-", dir=args.db_dir) as tmp:
        for rep in range(args.runs):
            r = one_run(optuna, args, grid, rep, tmp)
            r["scenario"] = args.scenario
            r["label"] = optuna.__version__
            r["seed_policy"] = args.seed
            r["workers"] = args.workers
            r["grid_size"] = n_grid
            rows.append(r)
            print(f"{args.scenario} {optuna.__version__} rep {rep}: trials {r['total_trials']} repeats {r['repeats']} "
                  f"never {r['never_evaluated']} makespan {r['makespan_s']} ov {r['overhead_per_trial_s']} "
                  f"errors {r['worker_errors'] or ''} load {r['loadavg_before'][0]}", flush=True)
    common.write_jsonl(args.out, meta, rows)


if __name__ == "__main__":
    main()
