#!/usr/bin/env python3
"""Prints the probe results of calibration/data/probes/facts-*.json side by side (one line per
probe and version): the compact form used in docs/optuna-facts.md."""
import glob
import json
import os
import sys


def short(name, p):
    if not isinstance(p, dict):
        return str(p)
    if "unsupported" in p:
        return "n/a (" + p["unsupported"] + ")"
    if "probe_error" in p:
        return "probe error " + p["probe_error"]["type"] + ": " + p["probe_error"]["message"][:60]
    e = lambda x: "" if not x else f" raises {x['type']}({x['message'][:40]!r})"  # noqa: E731
    if name == "enqueue_on_grid":
        return f"{p['n_trials']} trials, {p['distinct_params']} distinct{e(p['error'])}"
    if name == "enqueue_last_point":
        return "; ".join(f"{k}: {v['n_trials']} trials{e(v.get('error'))}" for k, v in sorted(p.items()))
    if name == "enqueue_every_worker":
        st = {}
        for t in p["trials"]:
            st[t["state"]] = st.get(t["state"], 0) + 1
        return f"{p['n_trials']} trials {st}"
    if name in ("ask_tell",):
        return ", ".join(f"#{x['number']}:" + ("ok" if x["tell"] == "ok" else x["tell"]["type"] + "/" + x.get("state_after", "")) for x in p["log"])
    if name == "ask_tell_batched":
        return ", ".join(f"#{x[1]}:" + ("ok" if x[2] == "ok" else "RTE") for x in p["log"]) + f"; distinct {p['distinct_params']}"
    if name == "resume_finished":
        return ", ".join(f"{k}: +{v['added']}{e(v['error'])}" for k, v in sorted(p.items()))
    if name == "max_trials":
        return ", ".join(f"{k}: {v['n_trials']}" + (f" {v.get('states')}" if v.get("states") else "") + e(v["error"]) for k, v in sorted(p.items()))
    if name == "value_order":
        return ", ".join(f"{k}: {v['n_trials']} trials/{v['distinct_params']} distinct{e(v['error_b'])}" for k, v in sorted(p.items()))
    if name == "objective_mismatch":
        s = p["subset_x_of_xy"]
        return (f"subset: {s['n_trials']} trials x={[t.get('x') for t in s['params']]}; "
                f"missing/no catch: {p['missing_name_catch_False']['n_trials']} trials{e(p['missing_name_catch_False']['error'])}; "
                f"missing/catch: {p['missing_name_catch_True']['n_trials']} {set(p['missing_name_catch_True']['states'])}")
    if name == "none_nan":
        c = p.get("construct")
        if c != "ok":
            return f"construct raises {c['type']}({c['message'][:50]!r})"
        r = p["sqlite_resume"]
        return f"ok; sqlite resume: {r['n_trials']} trials{e(r['error_resume'])}; None+str: {p['none_and_str'] if p['none_and_str']=='ok' else p['none_and_str']['type']}"
    if name == "bruteforce":
        s = p["sequential_tree"]
        j = p["n_jobs_4_4x5"]
        return f"tree: {s['n_trials']} trials{e(s['error'])}; n_jobs=4 zero-time 4x5: {j['n_trials']} trials {j['distinct']} distinct{e(j['error'])}"
    if name == "retry_copy":
        tr = [(t["number"], t["state"], t["grid_id"], t["params"].get("x"), t["retry_of"]) for t in p["trials"]]
        return f"stale #{p['stale']['number']} grid_id {p['stale']['grid_id']} x={p['stale']['params'].get('x')}; trials (n,state,grid_id,x,retry_of) {tr}{e(p['error'])}"
    return json.dumps(p)[:200]


files = sorted(glob.glob(os.path.join(sys.argv[1] if len(sys.argv) > 1 else "calibration/data/probes", "facts-*.json")),
               key=lambda f: [int(x) if x.isdigit() else x for x in os.path.basename(f)[6:].replace("-", ".").split(".")])
data = {os.path.basename(f)[6:-5]: json.load(open(f))["probes"] for f in files}
names = []
for d in data.values():
    for k in d:
        if k not in names:
            names.append(k)
for n in names:
    print(f"## {n}")
    for v, d in data.items():
        print(f"- {v}: {short(n, d.get(n, {'unsupported': 'not run'}))}")
    print()
