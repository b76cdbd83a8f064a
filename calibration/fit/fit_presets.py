#!/usr/bin/env python3
"""Fits the store presets' costs (sim/store_preset.h) from the recorded real runs and writes them as
sim/store_preset_tables.cc.

Usage: python3 calibration/fit/fit_presets.py [--out sim/store_preset_tables.cc] [--check]
  --check: do not write; exit 1 if the committed file differs from what the data give (CTest runs
  this, so the tables in the build are always this script's output).

Deterministic: no clock, no randomness; every number is rounded to whole nanoseconds.

Sources (calibration/README.md describes each file and its conditions; all Debian bookworm, this
2-vCPU machine, SQLite and journal files on tmpfs):
  data/storages/latency-<storage>-w1-3.1.0   per-call wall-time quantiles of every storage method,
                                             one process, zero-time objective, 5x8 grid (3.1.0)
  data/oversubscribed/w8-4x5-<v>-none        the same under 8 processes (3.1.0, 3.2.0, 3.6.1, 4.9.0):
                                             their 5th percentiles stand for the uncontended cost of
                                             the calls 3.1.0 does not make (ratio to 3.1.0's own
                                             uncontended median: 0.81-1.12 for the calls both make)
  data/scaling/cpu-<storage>-<v>             client CPU per trial at an empty study (intercept a)
  data/threads/phases-inmemory-3.1.0-j2      CPU per phase of an n_jobs trial (thread CPU clock)
What the model does with them: sim/store_cost.h (the execution), sim/store_preset.h (the fields).
"""
import argparse
import gzip
import json
import os
import statistics
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
DATA = os.path.join(ROOT, "calibration", "data")

PROFILES = ["3.1.0", "3.2.0", "3.6.1", "4.9.0"]          # ClientProfile order: k31, k32, k36, k4
OPS = ["create_trial", "list_waiting", "claim_waiting", "get_trial", "get_all_trials", "set_system_attr",
       "set_param", "set_state", "get_study_attr", "study_attr_insert_if_absent", "claim_combination",
       "release_claim", "complete_combination", "record_heartbeat", "get_stale_trials"]  # StoreOp order
WRITES = {"create_trial", "claim_waiting", "set_system_attr", "set_param", "set_state",
          "study_attr_insert_if_absent", "claim_combination", "release_claim", "complete_combination",
          "record_heartbeat"}
STEPS = ["kJobStart", "kReseedNative", "kAsk", "kTrialInit", "kDraw", "kDrawNative", "kSuggest", "kTell"]
QS = [("p5", 50_000), ("p25", 250_000), ("p50", 500_000), ("p75", 750_000), ("p95", 950_000), ("p99", 990_000)]

# Where the lock sits inside a call (share of its CPU before the lock, while holding it; the rest
# runs after the release). From the structure of the RDB storage's transactions (docs/optuna-facts.md
# section 10): pysqlite begins the transaction at the first INSERT/UPDATE, which the ORM emits at
# the flush on commit — except create_new_trial, which flushes the new row first, counts the past
# trials for its number, then commits. Reads take no write lock (their "hold" is the SQL part).
SHARES = {  # op: (pre permille, hold permille)
    "create_trial": (350, 450), "set_system_attr": (650, 250), "set_param": (650, 250),
    "set_state": (400, 250), "claim_waiting": (650, 250), "default_write": (650, 250),
    "default_read": (700, 0),
}
# SQLite only: the share of a read-then-write call's CPU between its SELECT and its first DML
# (OpCost::gap_permille; it comes out of the "pre" share, so the call's CPU and the lock hold are
# unchanged). set_trial_state_values(RUNNING), the claim of a WAITING trial, loads the row, checks
# and sets it through the ORM, and flushes the UPDATE at the commit: that ORM work is the window
# in which a second process reads the same WAITING row. Measured, not fitted: the median gap share
# of data/probes/claim-window-3.1.0-debian.json and -4.9.0.json (0.247 and 0.251 of the call;
# measure/claim_window.py), the same for every client generation.
SQLITE_GAPS = {"claim_waiting": 250}
# Calls per trial in the model (sim/optimize_loop.cc, samplers/optuna_grid.cc) on the scaling runs'
# 25x40 grid (2 parameters, trial numbers far below the grid size): used to split a(storage, v).
# On the RDB storages (`rdb`: SQLite, PostgreSQL) these are the calls that reach the database, as
# the real runs count them (every _CachedStorage method, data/oversubscribed/w8-4x5-*: per trial
# 3.1.0 read_trials_from_remote_storage 1, create 1, set_trial_system_attr 2, set_trial_param 2,
# set_trial_state_values 1 with its backend get_trial; 3.2.0+ get_all_trials 3 (3.6.1+: 2 below
# trial N), get_trial 5 of which 2 inside get_trial_system_attrs, none from the cache):
#  - 3.1.0: the refresh, create, the 2 attrs, the 2 params, the state write and its read-back
#    get_trial (_CachedStorage.set_trial_state_values: backend.get_trial); Trial.__init__'s, the
#    suggests' and tell's get_trial and the pop's WAITING list are cache reads, no store call
#    (StoreClient::own_trial_view, pop_waiting_trial): their CPU is in the steps;
#  - 3.2.0+: list_waiting (the pop's get_all_trials), create, get_trial x5 (Trial.__init__, one per
#    suggest, tell's _get_frozen_trial, tell's final get_trial: StoreClient::read_back_told), the
#    2 attrs, the 2 params, the state write, get_all_trials in the grid step (3.2 only, below N)
#    and in after_trial.
# The journal (no cache, no read-back in the model) keeps 4 get_trial and the list_waiting.
def model_calls(profile, rdb=True):
    calls = {"create_trial": 1, "list_waiting": 1, "get_trial": 4, "set_system_attr": 2, "set_param": 2,
             "set_state": 1}
    calls["get_all_trials"] = {"3.1.0": 1, "3.2.0": 2, "3.6.1": 1, "4.9.0": 1}[profile]
    if rdb and profile == "3.1.0":
        calls["list_waiting"] = 0
        calls["get_trial"] = 1
    elif rdb:
        calls["get_trial"] = 5
    return calls
# Share of the per-trial CPU not spent in store calls, per step (the inmemory phases give the same
# proportions within 10%: ask 0.20, init+draw 0.15, suggests 0.25, tell 0.40 of the non-reseed part).
STEP_SHARES = {"kAsk": 0.20, "kTrialInit": 0.10, "kDraw": 0.05, "kSuggest": 0.125, "kTell": 0.40}


def load(rel):
    with gzip.open(os.path.join(DATA, rel), "rt") as f:
        rows = [json.loads(line) for line in f]
    return rows[0]["meta"], rows[1:]


def op_quantiles(rows, method):
    """Median over runs of each per-run quantile of `method`, in ns (p5..p99, max)."""
    per = [r["ops"][method] for r in rows if method in r.get("ops", {})]
    out = {k: statistics.median(p[k] for p in per) * 1e9 for k, _ in QS}
    out["max"] = statistics.median(p["max"] for p in per) * 1e9
    return out


def points_from(q, scale=1.0):
    """Quantile points (ppm, ns): p0 is 0.9 x p5, p100 the median run maximum capped at 2 x p99."""
    pts = [(0, q["p5"] * 0.9 * scale)] + [(ppm, q[k] * scale) for k, ppm in QS]
    pts.append((1_000_000, min(q["max"], 2 * q["p99"]) * scale))
    out, last = [], 0
    for ppm, v in pts:
        v = max(int(round(v)), last)  # non-decreasing
        out.append((ppm, v))
        last = v
    return out


def median_of(pts):
    for (qa, va), (qb, vb) in zip(pts, pts[1:]):
        if qb >= 500_000:
            return va + (vb - va) * (500_000 - qa) / (qb - qa)
    return pts[-1][1]


def scaled_to(shape_q, median_ns):
    return points_from(shape_q, median_ns / shape_q["p50"])


def a_ns(storage, version):
    _, rows = load(f"scaling/cpu-{storage}-{version}.jsonl.gz")
    return rows[0]["fit_cpu"]["a_s"] * 1e9


def p5_under_w8(version, method):
    _, rows = load(f"oversubscribed/w8-4x5-{version}-none.jsonl.gz")
    return statistics.median(r["ops"][method]["p5"] for r in rows if method in r["ops"]) * 1e9


def setup_w8(version):
    """Median setup wall time (storage, sampler, load_study) of 8 processes on 2 cores, as CPU."""
    _, rows = load(f"oversubscribed/w8-4x5-{version}-none.jsonl.gz")
    setups = [w["setup_s"] for r in rows for w in r["workers_detail"]]
    return statistics.median(setups) * 1e9 * 2 / 8


def steps_from_residual(residual_ns, phases):
    steps = {s: 0 for s in STEPS}
    for s, share in STEP_SHARES.items():
        steps[s] = residual_ns * share
    steps["kJobStart"] = phases["job_start"]
    steps["kReseedNative"] = phases["reseed_native"]
    steps["kDrawNative"] = phases["draw_native"]
    return {k: int(round(v)) for k, v in steps.items()}


# ---- the inmemory phases (n_jobs trial) ----

def inmemory_phases():
    _, rows = load("threads/phases-inmemory-3.1.0-j2.jsonl.gz")
    ph = {}
    for r in rows:
        for k, v in r["phases_us"].items():
            ph.setdefault(k, []).extend(v)
    med = {k: statistics.median(v) * 1000 for k, v in ph.items()}  # ns
    # The reseed's GIL release (os.urandom) and numpy's nogil draw: their effective length is what
    # decides a GIL hand-over (sim/machine.h); it is fitted by fit_threads.py against P(repeat).
    return {
        "job_start": med["job"] + 0.2 * med["reseed"],     # before os.urandom
        "reseed_native": 0,                                 # set by fit_threads (effective window)
        "reseed_after": 0.8 * med["reseed"] + med["pre_ask"],
        "ask": med["ask"], "init": med["init"], "walk": med["walk"], "draw": med["draw"],
        "draw_native": 0, "attrs": med["attrs"], "suggest": med["suggest"], "objective": med["objective"],
        "tell": med["tell"], "end": med["end"], "submit": med["submit"], "start": med["start"],
        "bootstrap": med["bootstrap"],
    }


def fitted_threads():
    path = os.path.join(HERE, "threads_fit.json")
    with open(path) as f:
        return json.load(f)


# ---- presets ----

def sqlite_preset(phases, fit):
    _, w1 = load("storages/latency-sqlite-w1-3.1.0.jsonl.gz")
    q31 = {m: op_quantiles(w1, m) for m in ["create_new_trial", "read_trials_from_remote_storage",
                                            "set_trial_param", "set_trial_system_attr",
                                            "set_trial_state_values", "get_trial", "get_all_trials"]}
    profiles = []
    for v in PROFILES:
        ops = {}
        if v == "3.1.0":
            ops["create_trial"] = points_from(q31["create_new_trial"])
            ops["get_all_trials"] = points_from(q31["read_trials_from_remote_storage"])  # the refresh
            ops["list_waiting"] = points_from(q31["get_all_trials"])  # cache (policies without the process cache)
            ops["set_param"] = points_from(q31["set_trial_param"])
            ops["set_system_attr"] = points_from(q31["set_trial_system_attr"])
            db_read = scaled_to(q31["read_trials_from_remote_storage"], p5_under_w8("3.2.0", "get_trial"))
            # get_trial as a store call is a database read (the read-back of the state write, a
            # popped trial's read-back, fail_stale_trials' read of another process's trial); the
            # measured set_trial_state_values includes the read-back, which is now its own call.
            ops["get_trial"] = db_read
            ops["set_state"] = scaled_to(q31["set_trial_state_values"],
                                         q31["set_trial_state_values"]["p50"] - median_of(db_read))
        else:
            read_shape = q31["read_trials_from_remote_storage"]
            ops["create_trial"] = scaled_to(q31["create_new_trial"], p5_under_w8(v, "create_new_trial"))
            ops["get_all_trials"] = scaled_to(read_shape, p5_under_w8(v, "get_all_trials"))
            ops["list_waiting"] = ops["get_all_trials"]
            ops["get_trial"] = scaled_to(read_shape, p5_under_w8(v, "get_trial"))
            ops["set_param"] = scaled_to(q31["set_trial_param"], p5_under_w8(v, "set_trial_param"))
            ops["set_system_attr"] = scaled_to(q31["set_trial_system_attr"], p5_under_w8(v, "set_trial_system_attr"))
            ops["set_state"] = scaled_to(q31["set_trial_state_values"], p5_under_w8(v, "set_trial_state_values"))
            db_read = ops["get_trial"]
        fill_defaults(ops, db_read)
        calls = model_calls(v)
        in_calls = sum(median_of(ops[o]) * n for o, n in calls.items())
        residual = max(0.0, a_ns("sqlite", v) - in_calls)
        profiles.append({"ops": ops, "steps": steps_from_residual(residual, merged(phases, fit)),
                         "first_ask": int(round(setup_w8(v))), "a_ns": a_ns("sqlite", v), "in_calls": in_calls})
    return {"kind": "kSqlite", "name": "sqlite", "profiles": profiles,
            "summary": "SQLite file (RDBStorage): one writer at a time, busy-handler back-off, no row locks",
            "source": "calibration/data/storages/latency-sqlite-w1-3.1.0, oversubscribed/w8-4x5-*, scaling/cpu-sqlite-*",
            "scalars": {"busy_timeout_us": 120 * 1_000_000, "commit_fsync_us": 0}}


def fill_defaults(ops, db_read):
    """Calls the real-runs data have no timing for (coordination fixes, heartbeats, study attrs):
    a write costs what a system-attribute write costs, a read what a point read of one row costs."""
    for o in OPS:
        if o not in ops:
            ops[o] = ops["set_system_attr"] if o in WRITES else db_read


def merged(phases, fit):
    p = dict(phases)
    p["reseed_native"] = fit["reseed_native_ns"]
    p["draw_native"] = fit["draw_native_ns"]
    return p


def journal_preset(phases, fit):
    _, w1 = load("storages/latency-journal-w1-3.1.0.jsonl.gz")
    q = {m: op_quantiles(w1, m) for m in ["create_new_trial", "get_all_trials", "get_trial", "set_trial_param",
                                          "set_trial_system_attr", "set_trial_state_values"]}
    # Replay: read_logs time per line read (one process reads every line once).
    lines = statistics.mean(r["ops"]["journal:append_logs"]["n"] for r in w1)
    read_total = statistics.mean(r["ops"]["journal:read_logs"]["n"] * r["ops"]["journal:read_logs"]["mean"] for r in w1)
    replay_line_ns = read_total / lines * 1e9
    profiles = []
    base_ops = {"create_trial": points_from(q["create_new_trial"]), "get_all_trials": points_from(q["get_all_trials"]),
                "list_waiting": points_from(q["get_all_trials"]), "get_trial": points_from(q["get_trial"]),
                "set_param": points_from(q["set_trial_param"]), "set_system_attr": points_from(q["set_trial_system_attr"]),
                "set_state": points_from(q["set_trial_state_values"])}
    fill_defaults(base_ops, base_ops["get_trial"])
    for v in PROFILES:
        ops = dict(base_ops)
        calls = model_calls(v, rdb=False)
        calls["get_all_trials"] = {"3.1.0": 2, "3.2.0": 2, "3.6.1": 1, "4.9.0": 1}[v]  # no cache: fresh reads
        in_calls = sum(median_of(ops[o]) * n for o, n in calls.items())
        residual = max(0.0, a_ns("journal", v) - in_calls)
        profiles.append({"ops": ops, "steps": steps_from_residual(residual, merged(phases, fit)),
                         "first_ask": int(round(statistics.median(w["setup_s"] for r in w1 for w in r["workers_detail"]) * 1e9)),
                         "a_ns": a_ns("journal", v), "in_calls": in_calls})
    return {"kind": "kJournalFile", "name": "journal-file", "profiles": profiles,
            "summary": "JournalStorage on a JournalFileStorage: appends under a lock file, every call replays new lines",
            "source": "calibration/data/storages/latency-journal-w1-3.1.0, scaling/cpu-journal-*",
            "scalars": {"lock_retry_first_us": 1000, "lock_retry_max_us": 1_000_000,
                        "replay_line_ns": int(round(replay_line_ns)), "append_fsync_us": 0}}


def gat_per_call(storage, version):
    """CPU and wall time of one get_all_trials call at an empty study (scaling data: intercept of
    the CPU fit; wall from the first 50 trials' buckets), in ns."""
    _, rows = load(f"scaling/cpu-{storage}-{version}.jsonl.gz")
    calls = rows[0]["gat_calls_per_trial"]
    cpu = rows[0]["fit_gat_cpu"]["a_s"] / calls * 1e9
    first = rows[0]["buckets"][:5]
    wall = statistics.mean(b[4] for b in first) / calls * 1e9
    return cpu, max(wall, cpu)


def postgresql_preset(phases, fit):
    _, w1 = load("storages/latency-postgresql-w1-3.1.0.jsonl.gz")
    q = {m: op_quantiles(w1, m) for m in ["create_new_trial", "read_trials_from_remote_storage", "set_trial_param",
                                          "set_trial_system_attr", "set_trial_state_values", "get_trial", "get_all_trials"]}
    # Client CPU is this share of a call's wall time (CPU / wall of one process at an empty study,
    # scaling/cpu-postgresql-3.1.0); the rest is round trips and the server's work.
    _, sc = load("scaling/cpu-postgresql-3.1.0.jsonl.gz")
    cpu_share = sc[0]["fit_cpu"]["a_s"] / sc[0]["fit_wall"]["a_s"]
    rtt_us = 50  # loopback; the statements' own time is server work
    trips = {"create_trial": 5, "get_all_trials": 4, "set_param": 4, "set_system_attr": 3, "set_state": 5}
    src = {"create_trial": "create_new_trial", "get_all_trials": "read_trials_from_remote_storage",
           "set_param": "set_trial_param", "set_system_attr": "set_trial_system_attr",
           "set_state": "set_trial_state_values"}
    setup_wall = statistics.median(w["setup_s"] for r in w1 for w in r["workers_detail"]) * 1e9

    def point_read(v):
        """A get_trial that reaches the database: CPU points, server ns (2 round trips)."""
        gat_cpu, gat_wall = gat_per_call("postgresql", v)
        ratio = p5_under_w8(v, "get_trial") / p5_under_w8(v, "get_all_trials")
        server_gat = max(0.0, gat_wall - gat_cpu - trips["get_all_trials"] * rtt_us * 1000)
        return scaled_to(q["read_trials_from_remote_storage"], gat_cpu * ratio), server_gat * ratio

    profiles = []
    for v in PROFILES:
        ops, server, tr = {}, {}, dict(trips)
        for o, m in src.items():
            wall = q[m]
            ops[o] = points_from(wall, cpu_share)
            server[o] = max(0.0, wall["p50"] * (1 - cpu_share) - tr[o] * rtt_us * 1000)
        if v == "3.1.0":
            ops["list_waiting"] = points_from(q["get_all_trials"])   # cache (policies without the process cache)
            # get_trial as a store call is a database read, as 3.2.0's backend.get_trial (the same
            # RDBStorage query); the measured set_trial_state_values includes the read-back
            # (backend.get_trial), which is now its own call: its wall, 2 of its 5 statements.
            ops["get_trial"], server["get_trial"] = point_read("3.2.0")
            tr["get_trial"] = 2
            read_wall = median_of(ops["get_trial"]) + server["get_trial"] + 2 * rtt_us * 1000
            wall = q["set_trial_state_values"]
            scale = (wall["p50"] - read_wall) / wall["p50"]
            ops["set_state"] = points_from(wall, cpu_share * scale)
            tr["set_state"] = trips["set_state"] - 2
            server["set_state"] = max(0.0, wall["p50"] * scale * (1 - cpu_share) - tr["set_state"] * rtt_us * 1000)
        else:
            # 3.2+: get_all_trials reads the database (scaling: CPU and wall per call); a point read
            # (get_trial) costs what it costs relative to get_all_trials on SQLite under 8 processes.
            gat_cpu, gat_wall = gat_per_call("postgresql", v)
            shape = q["read_trials_from_remote_storage"]
            ops["get_all_trials"] = scaled_to(shape, gat_cpu)
            server["get_all_trials"] = max(0.0, gat_wall - gat_cpu - tr["get_all_trials"] * rtt_us * 1000)
            ratio = p5_under_w8(v, "get_trial") / p5_under_w8(v, "get_all_trials")
            ops["list_waiting"] = ops["get_all_trials"]
            ops["get_trial"] = scaled_to(shape, gat_cpu * ratio)
            server["list_waiting"] = server["get_all_trials"]
            server["get_trial"] = server["get_all_trials"] * ratio
            tr["list_waiting"] = tr["get_all_trials"]
            tr["get_trial"] = 2
        fill_defaults(ops, ops["get_trial"])
        calls = model_calls(v)
        in_calls = sum(median_of(ops[o]) * n for o, n in calls.items())
        residual = max(0.0, a_ns("postgresql", v) - in_calls)
        profiles.append({"ops": ops, "server": {o: int(round(s)) for o, s in server.items()},
                         "trips": tr, "steps": steps_from_residual(residual, merged(phases, fit)),
                         "first_ask": int(round(setup_wall * cpu_share)),
                         "first_ask_wait_us": int(round(setup_wall * (1 - cpu_share) / 1000)),
                         "a_ns": a_ns("postgresql", v), "in_calls": in_calls})
    return {"kind": "kPostgresql", "name": "postgresql", "profiles": profiles,
            "summary": "PostgreSQL server (RDBStorage): round trips, server work on its host, row locks",
            "source": "calibration/data/storages/latency-postgresql-w1-3.1.0, scaling/cpu-postgresql-*",
            "scalars": {"round_trip_us": rtt_us}}


def inmemory_preset(phases, fit):
    _, j1 = load("storages/latency-inmemory-j1-3.1.0.jsonl.gz")
    q = {m: op_quantiles(j1, m) for m in ["create_new_trial", "get_all_trials", "get_trial", "set_trial_param",
                                          "set_trial_system_attr", "set_trial_state_values"]}
    ops = {"create_trial": points_from(q["create_new_trial"]), "get_all_trials": points_from(q["get_all_trials"]),
           "list_waiting": points_from(q["get_all_trials"]), "get_trial": points_from(q["get_trial"]),
           "set_param": points_from(q["set_trial_param"]), "set_system_attr": points_from(q["set_trial_system_attr"]),
           "set_state": points_from(q["set_trial_state_values"])}
    fill_defaults(ops, ops["get_trial"])
    p = merged(phases, fit)
    # Python outside the calls, from the phases: the store calls' own medians are subtracted.
    steps = {
        "kJobStart": p["job_start"], "kReseedNative": p["reseed_native"],
        "kAsk": p["reseed_after"] + p["ask"] - median_of(ops["list_waiting"]) - median_of(ops["create_trial"]),
        "kTrialInit": p["init"] - median_of(ops["get_trial"]),
        "kDraw": p["draw"], "kDrawNative": p["draw_native"],
        "kSuggest": (p["attrs"] - 2 * median_of(ops["set_system_attr"]) + p["suggest"] + p["objective"]) / 2
                    - median_of(ops["set_param"]) - median_of(ops["get_trial"]),
        "kTell": p["tell"] + p["end"] - median_of(ops["set_state"]) - median_of(ops["get_all_trials"]),
    }
    steps = {k: int(round(max(0.0, v))) for k, v in steps.items()}
    profile = {"ops": ops, "steps": steps, "first_ask": 0, "a_ns": a_ns("inmemory", "3.1.0"), "in_calls": 0}
    return {"kind": "kInMemory", "name": "inmemory", "profiles": [profile] * 4,
            "summary": "InMemoryStorage: one process, its threads take one RLock per call",
            "source": "calibration/data/storages/latency-inmemory-j1-3.1.0, threads/phases-inmemory-3.1.0-j2",
            "scalars": {"process_local": "true"}, "executor": {k: int(round(p[k])) for k in ("submit", "start", "bootstrap")}}


# ---- C++ output ----

def cxx(presets, fit):
    out = []
    w = out.append
    w("// GENERATED by calibration/fit/fit_presets.py from calibration/data/ (see that script for every")
    w("// source and rule). Do not edit: change the data or the script and run it again; CTest checks that")
    w("// this file is its output (test fit_presets.tables_match_data).")
    w('#include "sim/store_preset.h"')
    w("")
    w("#include <array>")
    w("")
    w("namespace samplersim {")
    w("")
    w("namespace {")
    w("")
    names = {}
    for pr in presets:
        for pi, prof in enumerate(pr["profiles"]):
            for o in OPS:
                pts = tuple(prof["ops"][o])
                if pts not in names:
                    names[pts] = f"kQ{len(names)}"
                    body = ", ".join(f"{{{q}, {v}}}" for q, v in pts)
                    w(f"constexpr QuantilePoint {names[pts]}[] = {{{body}}};")
    w("")
    for pr in presets:
        fn = "make_" + pr["name"].replace("-", "_")
        w(f"StorePreset {fn}() {{")
        w("  StorePreset p;")
        w(f"  p.kind = StoreKind::{pr['kind']};")
        w(f'  p.name = "{pr["name"]}";')
        w(f'  p.summary = "{pr["summary"]}";')
        w(f'  p.source = "{pr["source"]}";')
        for k, v in pr["scalars"].items():
            w(f"  p.{k} = {v};")
        for pi, prof in enumerate(pr["profiles"]):
            w(f"  {{  // ClientProfile {PROFILES[pi]}: a = {prof['a_ns'] / 1e6:.2f} ms per trial, "
              f"{prof['in_calls'] / 1e6:.2f} ms of it in store calls")
            w(f"    ProfileCosts& c = p.profiles[{pi}];")
            for oi, o in enumerate(OPS):
                pre, hold = SHARES.get(o, SHARES["default_write"] if o in WRITES else SHARES["default_read"])
                if pr["kind"] == "kInMemory":
                    pre, hold = (1000, 0)
                gap = SQLITE_GAPS.get(o, 0) if pr["kind"] == "kSqlite" else 0
                pre -= gap
                trips = prof.get("trips", {}).get(o, 0) if pr["kind"] == "kPostgresql" else 0
                server = prof.get("server", {}).get(o, 0) if pr["kind"] == "kPostgresql" else 0
                gap_field = f", {gap}" if gap else ""
                w(f"    c.ops[{oi}] = OpCost{{QuantileDist{{{names[tuple(prof['ops'][o])]}}}, {pre}, {hold}, {trips}, {server}{gap_field}}};"
                  f"  // {o}")
            for si, s in enumerate(STEPS):
                w(f"    c.step_ns[{si}] = {prof['steps'][s]};  // {s}")
            w(f"    c.first_ask_ns = {prof['first_ask']};")
            if prof.get("first_ask_wait_us"):
                w(f"    c.first_ask_wait_us = {prof['first_ask_wait_us']};")
            w("  }")
        if "executor" in pr:
            pass
        w("  return p;")
        w("}")
        w("")
    w("}  // namespace")
    w("")
    w("const StorePreset* store_preset(StoreKind kind) {")
    w("  static const std::array<StorePreset, kStoreKindCount> kPresets{")
    by_kind = {pr["kind"]: "make_" + pr["name"].replace("-", "_") + "()" for pr in presets}
    w("      StorePreset{}, " + ", ".join(by_kind[k] for k in ["kSqlite", "kInMemory", "kJournalFile", "kPostgresql"]) + "};")
    w("  if (kind == StoreKind::kLegacy) return nullptr;")
    w("  return &kPresets[static_cast<std::size_t>(kind)];")
    w("}")
    w("")
    w("ThreadPoolCosts thread_pool_costs() {")
    ex = [pr for pr in presets if "executor" in pr][0]["executor"]
    w(f"  return ThreadPoolCosts{{{ex['submit']}, {ex['start']}, {ex['bootstrap']}}};")
    w("}")
    w("")
    w("}  // namespace samplersim")
    return "\n".join(out) + "\n"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default=os.path.join(ROOT, "sim", "store_preset_tables.cc"))
    ap.add_argument("--check", action="store_true")
    ap.add_argument("--summary", action="store_true", help="print the per-trial budget of every preset")
    args = ap.parse_args()
    phases = inmemory_phases()
    fit = fitted_threads()
    presets = [sqlite_preset(phases, fit), inmemory_preset(phases, fit), journal_preset(phases, fit),
               postgresql_preset(phases, fit)]
    text = cxx(presets, fit)
    if args.summary:
        for pr in presets:
            for v, prof in zip(PROFILES, pr["profiles"]):
                print(f"{pr['name']:13s} {v}: a {prof['a_ns'] / 1e6:7.2f} ms, calls {prof['in_calls'] / 1e6:7.2f} ms, "
                      f"steps {sum(prof['steps'].values()) / 1e6:6.2f} ms, first ask {prof['first_ask'] / 1e6:6.2f} ms")
    if args.check:
        with open(args.out) as f:
            if f.read() != text:
                print(f"{args.out} is not the output of {sys.argv[0]}: run it again", file=sys.stderr)
                return 1
        return 0
    with open(args.out, "w") as f:
        f.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
