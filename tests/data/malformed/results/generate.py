#!/usr/bin/env python3
"""Writes the results-file cases of the malformed corpus from good.jsonl (lines that
`samplersim sweep` wrote for a two-rep sweep of issue-5489 with a workers.processes axis). Run it
from this folder after changing good.jsonl; cases.txt names the files."""
import json

lines = [json.loads(l) for l in open("good.jsonl")]
first = lines[0]


def write(name, objs, tail=""):
    with open(name + ".jsonl", "w") as f:
        for o in objs:
            f.write((o if isinstance(o, str) else json.dumps(o)) + "\n")
        f.write(tail)


def changed(**changes):
    o = dict(first)
    for k, v in changes.items():
        if v is None:
            o.pop(k, None)
        else:
            o[k] = v
    return o


write("torn", lines, tail=json.dumps(lines[0])[:40])
write("not-json-line", lines[:1] + ["{not json"])
write("array-line", ["[1, 2]"])
write("blank-line", lines[:1] + [""])
for key in ["scenario", "scenario_digest", "policy", "seed_policy", "rep", "processes", "threads", "grid_size",
            "trials", "repeats", "never_evaluated", "uncovered", "wasted_time_s", "objective_time_s", "makespan_s",
            "store_ops"]:
    write("missing-" + key.replace("_", "-"), [changed(**{key: None})])
write("scenario-number", [changed(scenario=3)])
write("rep-float", [changed(rep=0.5)])
write("rep-string", [changed(rep="0")])
write("trials-1e300", [changed(trials=1e300)])
write("seconds-1e300", [changed(wasted_time_s=1e300)])
write("seconds-negative-huge", [changed(makespan_s=-1e12)])
write("axes-not-object", [changed(axes=[1, 2])])
write("coverage-not-array", [changed(coverage_curve={"a": 1})])
write("coverage-bad-point", [changed(coverage_curve=[[1, 2]])])
write("conflict", [first, changed(repeats=first["repeats"] + 5)])
write("conflict-escape-key", [changed(run_key="k\u001b[31m\u202e"), changed(run_key="k\u001b[31m\u202e", repeats=99)])
write("duplicate-ok-then-bad", [first, first, changed(trials="x")])
write("run-seed-1e999", [json.dumps(changed(run_key=None)).replace('"run_seed": %d' % first["run_seed"], '"run_seed": 1e999')])
write("nested-65", ["[" * 65 + "]" * 65])
write("nul-in-line", [json.dumps(first)[:10] + "\u0000" + json.dumps(first)[10:]])
with open("invalid-utf8.jsonl", "wb") as f:
    f.write(json.dumps(changed(policy="@@X@@")).encode().replace(b"@@X@@", b"\xc0\xaf") + b"\n")
