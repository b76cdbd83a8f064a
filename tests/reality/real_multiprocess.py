#!/usr/bin/env python3
"""Reality test, part b: real multi-process GridSampler studies on SQLite.

Usage: real_multiprocess.py OUT_DIR REPS WORKERS SEED_MODE [STORAGE]
  SEED_MODE: "none" (GridSampler(seed=None) in every process) or "same:S" (seed=S everywhere).
  STORAGE: "sqlite" (default: RDBStorage on OUT_DIR/rep-<r>.db), "journal"
  (JournalStorage(JournalFileStorage(OUT_DIR/rep-<r>.log)), Optuna 3.1+) or "postgresql=URL"
  (RDBStorage on the SQLAlchemy URL, one study "grid-<r>" per repetition in that database).

Starts WORKERS long-lived worker processes once (importing optuna is the slow part). For each
repetition r the parent creates OUT_DIR/rep-<r>.db with one study "grid"; all workers pass a
barrier together and run study.optimize(objective) on it without n_trials (the sampler stops each
process), objective = sleep(uniform(0.05, 0.15)) s. After each repetition the parent counts, by
direct SQL, the evaluations per combination and writes OUT_DIR/results.json:
{"optuna_version", "grid": [[name, [values]]...], "workers", "seed_mode", "storage", "reps": [{"db",
"study", "trials", "repeats", "never_evaluated", "states": {...}, "repeated": [[trial numbers]...]}]}.
"db" is the file or URL to audit. For SQLite and PostgreSQL the counts are direct SQL; for a journal
file they come from Optuna's own replay of the log (study.get_trials()).
"""
import json
import multiprocessing as mp
import os
import random
import sqlite3
import sys
import time

GRID = [("a", [0, 1, 2]), ("b", [0, 1, 2])]  # 9 points
SLEEP_S = (0.05, 0.15)


def storage_for(location):
    import optuna
    if location.startswith("postgresql"):
        return optuna.storages.RDBStorage(location)
    if location.endswith(".log"):
        return optuna.storages.JournalStorage(optuna.storages.JournalFileStorage(location))
    return optuna.storages.RDBStorage(f"sqlite:///{location}", engine_kwargs={"connect_args": {"timeout": 60}})


def rep_location(out_dir, r, storage):
    """(file or URL, study name) of repetition r."""
    if storage.startswith("postgresql="):
        return storage.split("=", 1)[1], f"grid-{r}"
    return os.path.join(out_dir, f"rep-{r}.log" if storage == "journal" else f"rep-{r}.db"), "grid"


def worker(barrier, out_dir, reps, seed_mode, storage):
    import optuna
    optuna.logging.set_verbosity(optuna.logging.ERROR)
    import warnings
    warnings.simplefilter("ignore")
    seed = None if seed_mode == "none" else int(seed_mode.split(":")[1])
    space = {n: list(v) for n, v in GRID}
    rng = random.Random()  # the objective's own sleeps (independent of the sampler)

    def objective(trial):
        for n, v in GRID:
            trial.suggest_categorical(n, v)
        time.sleep(rng.uniform(*SLEEP_S))
        return 0.0

    for r in range(reps):
        barrier.wait()
        location, name = rep_location(out_dir, r, storage)
        study = optuna.load_study(study_name=name, storage=storage_for(location),
                                  sampler=optuna.samplers.GridSampler(space, seed=seed))
        study.optimize(objective, n_trials=100)
        barrier.wait()


def sql_counts(location, study):
    if location.startswith("postgresql"):
        import psycopg2
        con = psycopg2.connect(location.replace("postgresql+psycopg2://", "postgresql://"))
        mark = "%s"
    else:
        con = sqlite3.connect(f"file:{location}?mode=ro", uri=True)
        mark = "?"
    of_study = f" JOIN studies s ON s.study_id = t.study_id WHERE s.study_name = {mark} "

    def query(sql):
        cur = con.cursor()
        cur.execute(sql, (study,))
        return cur.fetchall()

    try:
        per_trial = ("SELECT t.trial_id, t.number, "
                     " MAX(CASE WHEN p.param_name = 'a' THEN p.param_value END) AS a, "
                     " MAX(CASE WHEN p.param_name = 'b' THEN p.param_value END) AS b "
                     " FROM trials t JOIN trial_params p ON p.trial_id = t.trial_id" + of_study +
                     " GROUP BY t.trial_id, t.number")
        rows = query(f"SELECT a, b, COUNT(*) FROM ({per_trial}) x WHERE a IS NOT NULL AND b IS NOT NULL GROUP BY a, b")
        states = {str(k): v for k, v in query("SELECT t.state, COUNT(*) FROM trials t" + of_study + " GROUP BY t.state")}
        trials = query("SELECT COUNT(*) FROM trials t" + of_study)[0][0]
        numbers = {}
        for _, number, a, b in query(per_trial):
            if a is not None and b is not None:
                numbers.setdefault((a, b), []).append(number)
    finally:
        con.close()
    return counts_of(rows_count=len(rows), repeats=sum(k - 1 for _, _, k in rows), trials=trials, states=states,
                     numbers=numbers)


def counts_of(rows_count, repeats, trials, states, numbers):
    n = 1
    for _, v in GRID:
        n *= len(v)
    return {"trials": trials, "repeats": repeats, "never_evaluated": n - rows_count, "states": states,
            "repeated": sorted(sorted(v) for v in numbers.values() if len(v) > 1)}


def journal_counts(path):
    import optuna
    study = optuna.load_study(study_name="grid", storage=storage_for(path))
    numbers, states = {}, {}
    for t in study.get_trials(deepcopy=False):
        states[t.state.name] = states.get(t.state.name, 0) + 1
        if all(n in t.params for n, _ in GRID):
            numbers.setdefault(tuple(t.params[n] for n, _ in GRID), []).append(t.number)
    return counts_of(rows_count=len(numbers), repeats=sum(len(v) - 1 for v in numbers.values()),
                     trials=len(study.trials), states=states, numbers=numbers)


def main():
    out_dir, reps, workers, seed_mode = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
    storage = sys.argv[5] if len(sys.argv) > 5 else "sqlite"
    if storage not in ("sqlite", "journal") and not storage.startswith("postgresql="):
        print(f"unknown storage {storage!r}: sqlite, journal or postgresql=URL", file=sys.stderr)
        sys.exit(2)
    try:
        import optuna
    except ImportError as e:
        print(f"cannot import optuna: {e}", file=sys.stderr)
        sys.exit(2)
    optuna.logging.set_verbosity(optuna.logging.ERROR)
    os.makedirs(out_dir, exist_ok=True)
    ctx = mp.get_context("fork")
    barrier = ctx.Barrier(workers + 1)
    procs = [ctx.Process(target=worker, args=(barrier, out_dir, reps, seed_mode, storage)) for _ in range(workers)]
    for p in procs:
        p.start()
    results = []
    for r in range(reps):
        path, name = rep_location(out_dir, r, storage)
        if os.path.exists(path):
            os.remove(path)
        optuna.create_study(study_name=name, storage=storage_for(path))
        barrier.wait()  # start together
        barrier.wait()  # all workers stopped
        counts = journal_counts(path) if storage == "journal" else sql_counts(path, name)
        results.append(dict(db=path, study=name, **counts))
    for p in procs:
        p.join()
        if p.exitcode != 0:
            print(f"worker exited {p.exitcode}", file=sys.stderr)
            sys.exit(1)
    with open(os.path.join(out_dir, "results.json"), "w") as f:
        json.dump({"optuna_version": optuna.__version__, "grid": [[n, v] for n, v in GRID], "workers": workers,
                   "seed_mode": seed_mode, "storage": storage, "reps": results}, f)


if __name__ == "__main__":
    main()
