#!/usr/bin/env python3
"""Deterministic behaviour probes of one Optuna version (issue 11): one process, no timing.

Usage: PYTHONPATH=<checkout> /usr/bin/python3 facts_probe.py OUT.json
Writes {"meta": ..., "probes": {name: result}}. Each probe builds fresh studies, does one thing a
user does (enqueue, ask-and-tell, resume, MaxTrialsCallback, another value order, objective/grid
mismatch, None/NaN values, BruteForceSampler, a heartbeat retry copy) and records what the real
library did: trial count, states, parameters in trial order, grid_ids, and any exception raised
(type and message) — an exception is an outcome, not a failure of the probe.
"""
import json
import math
import os
import sys
import tempfile
import time
import traceback

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common  # noqa: E402

optuna = common.quiet_optuna()
from optuna.trial import TrialState  # noqa: E402

TMP = tempfile.mkdtemp(prefix="probe-")


def jsonable(v):
    if isinstance(v, float) and math.isnan(v):
        return "NaN"
    return v


def summary(study):
    out = []
    for t in study.get_trials(deepcopy=False):
        out.append({"number": t.number, "state": t.state.name,
                    "params": {k: jsonable(v) for k, v in sorted(t.params.items())},
                    "grid_id": t.system_attrs.get("grid_id"),
                    "fixed": "fixed_params" in t.system_attrs,
                    "retry_of": t.system_attrs.get("failed_trial")})
    combos = [json.dumps(t["params"], sort_keys=True) for t in out]
    return {"n_trials": len(out), "distinct_params": len(set(combos)), "trials": out}


def err(e):
    return {"type": type(e).__name__, "message": str(e)[:300]}


def grid_obj(space, names=None):
    names = names if names is not None else list(space)

    def objective(trial):
        for n in names:
            trial.suggest_categorical(n, space.get(n, [0, 1]))
        return 0.0
    return objective


def run(study, objective, **kw):
    try:
        study.optimize(objective, **kw)
        return None
    except Exception as e:  # noqa: BLE001
        return err(e)


def sampler(space, seed=0):
    try:
        return optuna.samplers.GridSampler(space, seed=seed)
    except TypeError:  # 2.x: no seed argument
        return optuna.samplers.GridSampler(space)


def probe_enqueue_on_grid():
    space = {"x": [0, 1], "y": [0, 1]}
    s = optuna.create_study(sampler=sampler(space))
    s.enqueue_trial({"x": 0, "y": 0})
    e = run(s, grid_obj(space), n_trials=20)
    return dict(summary(s), error=e)


def probe_enqueue_last_point():
    """One grid point left, then an enqueued trial: after_trial's one-element branch."""
    res = {}
    for label, fixed in (("on_grid_visited", {"x": 0}), ("on_grid_unvisited", {"x": 1})):
        space = {"x": [0, 1]}
        s = optuna.create_study(sampler=sampler(space))
        first = run(s, grid_obj(space), n_trials=1)
        s.enqueue_trial(fixed)
        e = run(s, grid_obj(space), n_trials=5)
        res[label] = dict(summary(s), error_first=first, error=e)
    # off-grid enqueued value with a float suggestion
    space = {"x": [0.0, 1.0]}
    s = optuna.create_study(sampler=sampler(space))
    run(s, lambda t: t.suggest_float("x", 0, 10), n_trials=1)
    s.enqueue_trial({"x": 5.0})
    e = run(s, lambda t: t.suggest_float("x", 0, 10), n_trials=5)
    res["off_grid_float"] = dict(summary(s), error=e)
    return res


def probe_enqueue_every_worker():
    """k 'workers' (Study objects on one storage, run one after another) each enqueue the same
    m trials before optimizing: how many trials run, how many distinct."""
    space = {"x": list(range(4))}
    stor = optuna.storages.RDBStorage(f"sqlite:///{TMP}/enq.db")
    optuna.create_study(study_name="e", storage=stor)
    out = []
    for w in range(3):
        s = optuna.load_study(study_name="e", storage=stor, sampler=sampler(space))
        for v in (0, 1):
            s.enqueue_trial({"x": v})
        e = run(s, grid_obj(space), n_trials=100)
        out.append({"worker": w, "error": e, "n_trials_after": len(s.trials)})
    s = optuna.load_study(study_name="e", storage=stor)
    return dict(summary(s), per_worker=out)


def probe_ask_tell():
    space = {"x": [0, 1], "y": [0, 1]}
    s = optuna.create_study(sampler=sampler(space))
    if not hasattr(s, "ask"):
        return {"unsupported": "no Study.ask"}
    log = []
    for i in range(6):
        t = s.ask()
        for n, v in space.items():
            t.suggest_categorical(n, v)
        try:
            s.tell(t, 0.0)
            log.append({"ask": i, "number": t.number, "tell": "ok"})
        except Exception as e:  # noqa: BLE001
            st = s.get_trials(deepcopy=False)[-1].state.name
            log.append({"ask": i, "number": t.number, "tell": err(e), "state_after": st})
    return dict(summary(s), log=log)


def probe_ask_tell_batched():
    """Hydra-style: ask 2, tell 2 (swallow the stop error), 3 batches, 2x2 grid."""
    space = {"x": [0, 1], "y": [0, 1]}
    s = optuna.create_study(sampler=sampler(space))
    if not hasattr(s, "ask"):
        return {"unsupported": "no Study.ask"}
    log = []
    for b in range(3):
        ts = [s.ask() for _ in range(2)]
        for t in ts:
            for n, v in space.items():
                t.suggest_categorical(n, v)
        for t in ts:
            try:
                s.tell(t, 0.0)
                log.append([b, t.number, "ok"])
            except RuntimeError as e:
                log.append([b, t.number, "RuntimeError: " + str(e)[:80]])
    return dict(summary(s), log=log)


def slow(objective, sleep_s):
    def f(trial):
        v = objective(trial)
        time.sleep(sleep_s)
        return v
    return f


def probe_resume_finished():
    """Re-running optimize on an exhausted grid, objective 0 s and 0.2 s (threads: timing matters)."""
    out = {}
    space = {"x": [0, 1, 2]}
    for sleep_s in (0.0, 0.2):
        for jobs in (1, 4):
            s = optuna.create_study(sampler=sampler(space))
            run(s, grid_obj(space), n_trials=10)
            before = len(s.trials)
            e = run(s, slow(grid_obj(space), sleep_s), n_trials=10, n_jobs=jobs)
            out[f"n_jobs_{jobs}_sleep_{sleep_s}"] = {"before": before, "after": len(s.trials),
                                                     "added": len(s.trials) - before, "error": e}
    return out


def probe_max_trials():
    out = {}
    if not hasattr(optuna.study, "MaxTrialsCallback"):
        return {"unsupported": "no MaxTrialsCallback"}
    space = {"x": list(range(20))}
    counter = {"k": 0}

    def pruning(trial):
        trial.suggest_categorical("x", space["x"])
        counter["k"] += 1
        if counter["k"] % 2 == 0:
            raise optuna.TrialPruned()
        return 0.0
    for label, states in (("default_states", "default"), ("states_none", None)):
        counter["k"] = 0
        s = optuna.create_study(sampler=sampler(space))
        cb = (optuna.study.MaxTrialsCallback(6) if states == "default"
              else optuna.study.MaxTrialsCallback(6, states=None))
        e = run(s, pruning, n_trials=100, callbacks=[cb])
        out[f"pruned_every_2nd_{label}"] = {"n_trials": len(s.trials),
                                            "states": {st: sum(1 for t in s.trials if t.state.name == st)
                                                       for st in ("COMPLETE", "PRUNED")}, "error": e}
    # continuing a study that already has 6 COMPLETE trials, n_jobs 1 and 3, objective 0.2 s
    for jobs in (1, 3):
        s = optuna.create_study(sampler=sampler(space))
        run(s, grid_obj(space), n_trials=6)
        e = run(s, slow(grid_obj(space), 0.2), n_trials=100, n_jobs=jobs,
                callbacks=[optuna.study.MaxTrialsCallback(6)])
        out[f"continue_full_n_jobs_{jobs}"] = {"n_trials": len(s.trials), "error": e}
    return out


def int_obj(space):
    def objective(trial):
        for n, v in space.items():
            trial.suggest_int(n, min(v), max(v))
        return 0.0
    return objective


def probe_value_order():
    """Sampler A exhausts its grid, then sampler B (another value order / another space) runs on the
    same study. The objective suggests with suggest_int (suffix _int) or with suggest_categorical
    over the sampler's own value list (suffix _categorical: the reversed list is another
    CategoricalDistribution)."""
    out = {}
    space = {"x": [0, 1, 2, 3]}
    for label, other, mk in (("reversed_int", {"x": [3, 2, 1, 0]}, int_obj),
                             ("reversed_categorical", {"x": [3, 2, 1, 0]}, grid_obj),
                             ("other_space_int", {"x": [0, 1, 2, 3], "y": [0]}, int_obj),
                             ("same_int", {"x": [0, 1, 2, 3]}, int_obj)):
        stor = optuna.storages.InMemoryStorage()
        a = optuna.create_study(study_name="v", storage=stor, sampler=sampler(space))
        ea = run(a, mk(space), n_trials=100)
        b = optuna.load_study(study_name="v", storage=stor, sampler=sampler(other))
        eb = run(b, mk(other), n_trials=100)
        sm = summary(b)
        out[label] = {"n_trials": sm["n_trials"], "distinct_params": sm["distinct_params"], "error_a": ea,
                      "error_b": eb, "params": [t["params"] for t in sm["trials"]]}
    return out


def probe_objective_mismatch():
    out = {}
    space = {"x": [0, 1], "y": [0, 1, 2]}
    s = optuna.create_study(sampler=sampler(space))
    e = run(s, grid_obj(space, ["x"]), n_trials=100)
    sm = summary(s)
    out["subset_x_of_xy"] = {"n_trials": sm["n_trials"], "params": [t["params"] for t in sm["trials"]],
                             "grid_ids": [t["grid_id"] for t in sm["trials"]], "error": e}
    for catch in (False, True):
        s = optuna.create_study(sampler=sampler(space))
        kw = {"catch": (ValueError,)} if catch else {}
        e = run(s, grid_obj({"x": [0, 1], "y": [0, 1, 2], "z": [0, 1]}, ["x", "z"]), n_trials=100, **kw)
        sm = summary(s)
        fail_msgs = []
        out[f"missing_name_catch_{catch}"] = {"n_trials": sm["n_trials"],
                                              "states": [t["state"] for t in sm["trials"]], "error": e}
    return out


def probe_none_nan():
    out = {}
    space = {"x": [None, "a", 1.5, float("nan")]}
    try:
        smp = sampler(space)
    except Exception as e:  # noqa: BLE001
        out["construct"] = err(e)
        return out
    out["construct"] = "ok"
    path = f"{TMP}/nan.db"
    stor = optuna.storages.RDBStorage(f"sqlite:///{path}")
    s = optuna.create_study(study_name="n", storage=stor, sampler=smp)
    e = run(s, grid_obj(space), n_trials=2)
    s2 = optuna.load_study(study_name="n", storage=optuna.storages.RDBStorage(f"sqlite:///{path}"),
                           sampler=sampler({"x": [None, "a", 1.5, float("nan")]}))
    e2 = run(s2, grid_obj(space), n_trials=100)
    sm = summary(s2)
    out["sqlite_resume"] = {"n_trials": sm["n_trials"], "params": [t["params"] for t in sm["trials"]],
                            "error_first": e, "error_resume": e2}
    try:
        sampler({"x": [None, "a"]})
        out["none_and_str"] = "ok"
    except Exception as ex:  # noqa: BLE001
        out["none_and_str"] = err(ex)
    return out


def probe_bruteforce():
    if not hasattr(optuna.samplers, "BruteForceSampler"):
        return {"unsupported": "no BruteForceSampler"}
    out = {}
    s = optuna.create_study(sampler=optuna.samplers.BruteForceSampler(seed=0))

    def obj(t):
        a = t.suggest_int("a", 0, 3)
        b = t.suggest_categorical("b", ["p", "q"])
        if a == 0:
            t.suggest_int("c", 0, 1)  # conditional: a tree, not a product
        return 0.0
    e = run(s, obj, n_trials=100)
    sm = summary(s)
    out["sequential_tree"] = {"n_trials": sm["n_trials"], "params": [t["params"] for t in sm["trials"]],
                              "error": e}
    for jobs in (4,):
        s = optuna.create_study(sampler=optuna.samplers.BruteForceSampler())
        e = run(s, lambda t: (t.suggest_int("a", 0, 3), t.suggest_int("b", 0, 4), 0.0)[-1], n_trials=100,
                n_jobs=jobs)
        sm = summary(s)
        out[f"n_jobs_{jobs}_4x5"] = {"n_trials": sm["n_trials"], "distinct": sm["distinct_params"], "error": e}
    return out


def probe_retry_copy():
    """A RUNNING trial whose heartbeat went stale is failed by fail_stale_trials and copied by
    RetryFailedTrialCallback; what the grid sampler does with the copy."""
    cb = getattr(optuna.storages, "RetryFailedTrialCallback", None)
    if cb is None:
        return {"unsupported": "no RetryFailedTrialCallback"}
    space = {"x": [0, 1, 2]}
    path = f"{TMP}/retry.db"
    stor = optuna.storages.RDBStorage(f"sqlite:///{path}", heartbeat_interval=1, grace_period=1,
                                      failed_trial_callback=cb(max_retry=1))
    s = optuna.create_study(study_name="r", storage=stor, sampler=sampler(space))
    t = s.ask()
    t.suggest_categorical("x", space["x"])
    s._storage.record_heartbeat(t._trial_id)
    stale = {"number": t.number, "params": dict(t.params),
             "grid_id": s._storage.get_trial_system_attrs(t._trial_id).get("grid_id")}
    time.sleep(2.5)
    e = run(s, grid_obj(space), n_trials=100)
    return dict(summary(s), stale=stale, error=e)


PROBES = [probe_enqueue_on_grid, probe_enqueue_last_point, probe_enqueue_every_worker, probe_ask_tell,
          probe_ask_tell_batched, probe_resume_finished, probe_max_trials, probe_value_order,
          probe_objective_mismatch, probe_none_nan, probe_bruteforce, probe_retry_copy]


def main():
    out = {"meta": common.run_meta([os.path.basename(sys.executable)] + sys.argv, {"script": "facts_probe.py"}),
           "probes": {}}
    only = set(sys.argv[2:])
    for p in PROBES:
        name = p.__name__[len("probe_"):]
        if only and name not in only:
            continue
        try:
            out["probes"][name] = p()
        except Exception as e:  # noqa: BLE001
            out["probes"][name] = {"probe_error": err(e), "tb": traceback.format_exc().splitlines()[-4:]}
    out["meta"]["loadavg_end"] = list(os.getloadavg())
    with open(sys.argv[1], "w") as f:
        json.dump(out, f, indent=1, sort_keys=True, default=str)


if __name__ == "__main__":
    main()
