#!/usr/bin/env python3
"""Real runs beside their simulation, for fitting and checking the store presets by hand.

Usage: python3 calibration/fit/compare.py [--bin build/samplersim] [--reps 400] [--rows w8|storages|all]
           [--set scenario.key=value ...]

For every data file of a row set it runs `samplersim run <scenario> --policy P --seed-policy S
--reps N --json` and prints, per metric, the real mean with its 99.5% t interval (as the summary
table) beside the simulated mean; a `*` marks a simulated mean outside the real interval.
`--set` writes a value into a temporary copy of each scenario (a quick way to try a parameter,
e.g. --set machine.background_load=0.3); the committed scenarios and presets are what the tests
use. This is a tool for people; the pass/fail checks are tests/model/preset_reality_test.cc.
"""
import argparse
import gzip
import json
import math
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
DATA = os.path.join(ROOT, "calibration", "data")
sys.path.insert(0, os.path.join(ROOT, "calibration", "measure"))
import common  # noqa: E402

POLICY = {"3.1.0": "optuna-3.1", "3.2.0": "optuna-3.2", "3.6.1": "optuna-3.6", "4.9.0": "optuna-4"}
SEED = {"none": "none", "same42": "same:42"}


def rows_w8():
    for g in ("4x5", "5x8"):
        for v in ("3.1.0", "3.2.0", "3.6.1", "4.9.0"):
            for s in ("none", "same42"):
                yield (f"scenarios/calibration/sqlite-w8-{g}.toml", f"oversubscribed/w8-{g}-{v}-{s}.jsonl.gz",
                       POLICY[v], SEED[s])


def rows_storages():
    for st in ("journal", "postgresql"):
        for v in ("3.1.0", "4.9.0"):
            yield (f"scenarios/calibration/{st}-w4-4x5.toml", f"storages/{st}-w4-4x5-{v}-none.jsonl.gz", POLICY[v], "none")


def real(rel):
    with gzip.open(os.path.join(DATA, rel), "rt") as f:
        rows = [json.loads(line) for line in f][1:]
    return {"repeats": [r["repeats"] for r in rows], "trials": [r["total_trials"] for r in rows],
            "makespan_s": [r["makespan_s"] for r in rows], "never_evaluated": [r["never_evaluated"] for r in rows]}


def with_overrides(path, sets, tmp):
    if not sets:
        return path
    import tomllib
    with open(path, "rb") as f:
        doc = tomllib.load(f)
    for s in sets:
        key, _, value = s.partition("=")
        node = doc
        parts = key.split(".")
        for p in parts[:-1]:
            node = node.setdefault(p, {})
        node[parts[-1]] = json.loads(value) if value[:1] in "[{0123456789-tf" and value not in ("true", "false") or value in ("true", "false") else value
    out = os.path.join(tmp, os.path.basename(path))
    with open(out, "w") as f:
        f.write(to_toml(doc))
    return out


def to_toml(doc, prefix=""):
    lines, tables = [], []
    for k, v in doc.items():
        if isinstance(v, dict):
            tables.append((k, v))
        else:
            lines.append(f"{json.dumps(k)} = {json.dumps(v)}")
    text = "\n".join(lines) + "\n"
    for k, v in tables:
        text += f"\n[{prefix + k}]\n" + to_toml(v, prefix + k + ".")
    return text


def simulate(binary, scenario, policy, seed, reps):
    with tempfile.NamedTemporaryFile(suffix=".jsonl") as out:
        subprocess.run([binary, "run", scenario, "--policy", policy, "--seed-policy", seed, "--reps", str(reps),
                        "--json", out.name], check=True, stdout=subprocess.DEVNULL)
        with open(out.name) as f:
            rows = [json.loads(line) for line in f]
    return {"repeats": [r["repeats"] for r in rows], "trials": [r["trials"] for r in rows],
            "makespan_s": [r["makespan_s"] for r in rows], "never_evaluated": [r["never_evaluated"] for r in rows]}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default=os.path.join(ROOT, "build", "samplersim"))
    ap.add_argument("--reps", type=int, default=400)
    ap.add_argument("--rows", default="w8", choices=["w8", "storages", "all"])
    ap.add_argument("--only", default="", help="substring of the data file names to keep")
    ap.add_argument("--set", action="append", default=[])
    args = ap.parse_args()
    rows = []
    if args.rows in ("w8", "all"):
        rows += list(rows_w8())
    if args.rows in ("storages", "all"):
        rows += list(rows_storages())
    rows = [r for r in rows if args.only in r[1]]
    misses = 0
    with tempfile.TemporaryDirectory() as tmp:
        print(f"{'data':36s} {'repeats real [99.5%]':>24s} {'sim':>6s}  {'trials real':>24s} {'sim':>6s}  "
              f"{'makespan real':>24s} {'sim':>6s}")
        for scenario, data, policy, seed in rows:
            r = real(data)
            s = simulate(args.bin, with_overrides(os.path.join(ROOT, scenario), args.set, tmp), policy, seed, args.reps)
            cells = []
            for m in ("repeats", "trials", "makespan_s"):
                mean, lo, hi = common.mean_ci(r[m])
                sm = sum(s[m]) / len(s[m])
                ok = lo - 1e-9 <= sm <= hi + 1e-9
                misses += not ok
                cells.append(f"{mean:7.2f} [{lo:6.2f}, {hi:6.2f}] {sm:6.2f}{' ' if ok else '*'}")
            print(f"{data.split('/')[-1][:-9]:36s} " + "  ".join(cells), flush=True)
    print(f"{misses} simulated means outside the real 99.5% intervals")


if __name__ == "__main__":
    main()
