#!/usr/bin/env python3
"""Table of the fitted laws in cpu_scaling.py files: client CPU per trial = a + b*k (k = trials
already in the study), and the same for the CPU inside get_all_trials. Usage: scaling_table.py FILES..."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common  # noqa: E402

print("| version | storage | grid | a: CPU/trial at k=0 (ms) | b: growth per trial in study (us) | rms (ms) "
      "| wall/trial a (ms) | wall b (us) | get_all_trials CPU a (ms) | b (us) | calls/trial | file |")
print("|---|---|---|---|---|---|---|---|---|---|---|---|")
for path in sys.argv[1:]:
    meta, rows = common.read_jsonl(path)
    for r in rows:
        c, w, g = r["fit_cpu"], r["fit_wall"], r["fit_gat_cpu"]
        grid = meta["grid"] if len(meta["grid"]) < 20 else meta["grid"][:17] + "..."
        print(f"| {r['optuna_version']} | {r['storage']} | {grid} | {c['a_s'] * 1e3:.2f} | {c['b_s_per_trial'] * 1e6:.1f} "
              f"| {c['rms_s'] * 1e3:.2f} | {w['a_s'] * 1e3:.2f} | {w['b_s_per_trial'] * 1e6:.1f} | {g['a_s'] * 1e3:.3f} "
              f"| {g['b_s_per_trial'] * 1e6:.2f} | {r['gat_calls_per_trial']} | {os.path.basename(path)} |")
