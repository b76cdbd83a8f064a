#!/usr/bin/env python3
"""Where the SELECT and the UPDATE sit inside RDBStorage.set_trial_state_values(RUNNING) (issue 11).

Usage: PYTHONPATH=<checkout> /usr/bin/python3 claim_window.py OUT.json [--calls N]

Claiming a WAITING trial on SQLite (`_pop_waiting_trial_id`) is a SELECT, ORM work on the loaded
row, then an UPDATE at the flush and the commit (docs/optuna-facts.md section 10): another process
can read the row as WAITING in between. This probe times, in one process on a SQLite file in
/dev/shm, N claims of enqueued trials with SQLAlchemy's cursor events, and records per call the
share of its wall time (one uncontended process: wall = CPU) from the call's start to the end of
the SELECT ("pre"), from there to the UPDATE being issued ("gap", no lock held), and from the
UPDATE to the return ("update_to_return": the write lock, the commit and the session's close).
The event hooks add their own time to every share (a few microseconds per statement).
sim/store_preset.h's OpCost::gap_permille for SQLite's claim_waiting is this file's median gap
(calibration/fit/fit_presets.py, SQLITE_GAPS).
"""
import argparse
import json
import os
import statistics
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common  # noqa: E402

optuna = common.quiet_optuna()
from optuna.trial import TrialState  # noqa: E402
from sqlalchemy import event  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--calls", type=int, default=400)
    ap.add_argument("--warmup", type=int, default=20)
    args = ap.parse_args()
    directory = tempfile.mkdtemp(prefix="claim-window-", dir="/dev/shm" if os.path.isdir("/dev/shm") else None)
    storage = optuna.storages.RDBStorage(f"sqlite:///{os.path.join(directory, 'study.db')}")
    study = optuna.create_study(storage=storage, study_name="claim-window")
    for i in range(args.calls + args.warmup):
        study.enqueue_trial({"x": i})
    trial_ids = [t._trial_id for t in study.get_trials(deepcopy=False)]

    marks = []

    @event.listens_for(storage.engine, "before_cursor_execute")
    def before(conn, cursor, statement, parameters, context, executemany):
        marks.append(("before", statement.split()[0].upper(), time.perf_counter_ns()))

    @event.listens_for(storage.engine, "after_cursor_execute")
    def after(conn, cursor, statement, parameters, context, executemany):
        marks.append(("after", statement.split()[0].upper(), time.perf_counter_ns()))

    rows = []
    for trial_id in trial_ids:
        marks.clear()
        start = time.perf_counter_ns()
        claimed = storage.set_trial_state_values(trial_id, TrialState.RUNNING)
        end = time.perf_counter_ns()
        assert claimed
        select_done = next(t for k, s, t in marks if k == "after" and s == "SELECT")
        update_issued = next(t for k, s, t in marks if k == "before" and s == "UPDATE")
        total = end - start
        rows.append({"total_ns": total, "pre": (select_done - start) / total,
                     "gap": (update_issued - select_done) / total, "update_to_return": (end - update_issued) / total})
    rows = rows[args.warmup:]
    summary = {k: {"median": statistics.median(r[k] for r in rows),
                   "p25": statistics.quantiles([r[k] for r in rows], n=4)[0],
                   "p75": statistics.quantiles([r[k] for r in rows], n=4)[2]}
               for k in ("pre", "gap", "update_to_return", "total_ns")}
    meta = common.run_meta(sys.argv, {"calls": len(rows), "warmup": args.warmup})
    with open(args.out, "w") as f:
        json.dump({"meta": meta, "summary": summary, "calls": rows}, f, indent=1)
        f.write("\n")
    for k, v in summary.items():
        print(f"{k}: median {v['median']:.3f} [p25 {v['p25']:.3f}, p75 {v['p75']:.3f}]")


if __name__ == "__main__":
    main()
