#!/usr/bin/env python3
"""Writes the replay-file cases of the malformed corpus from good.json (a replay file that
`samplersim run tests/data/golden/two-by-two.toml --policy optuna-3.2 --seed-policy same:42
--reps 1 --schedule good.json` wrote; its scenario_path is shortened). Run it from this folder
after changing good.json; cases.txt names the files."""
import json

good = json.load(open("good.json"))


def variant(name, **changes):
    r = dict(good)
    for k, v in changes.items():
        if v is None:
            r.pop(k, None)
        else:
            r[k] = v
    with open(name + ".json", "w") as f:
        json.dump(r, f, indent=1)
        f.write("\n")


def raw(name, text):
    with open(name + ".json", "w") as f:
        f.write(text)


picks = good["picks"]
variant("pick-out-of-range", picks=[99] + picks[1:])
variant("pick-out-of-range-late", picks=picks[:3] + [7] + picks[4:])
variant("pick-max-uint32", picks=[4294967295] + picks[1:])
variant("pick-negative", picks=[-1] + picks[1:])
variant("pick-1e300", picks=[1e300] + picks[1:])
variant("pick-float", picks=[0.5] + picks[1:])
variant("pick-2-to-32", picks=[4294967296] + picks[1:])
variant("pick-string", picks=["0"] + picks[1:])
variant("pick-null", picks=[None] + picks[1:])
variant("pick-nested", picks=[[0]] + picks[1:])
variant("picks-empty", picks=[])
variant("picks-too-few", picks=picks[:2])
variant("picks-too-many", picks=picks + [0, 0, 0])
variant("picks-object", picks={"0": 1})
variant("picks-string", picks="0,1,0")
variant("picks-missing", picks=None)
variant("format-wrong", format="samplersim-replay/2")
variant("format-number", format=1)
variant("format-missing", format=None)
variant("run-seed-negative", run_seed=-1)
variant("run-seed-float", run_seed=1.5)
variant("run-seed-string", run_seed="1")
variant("rep-negative", rep=-1)
variant("rep-huge", rep=10**12)
variant("trace-hash-short", trace_hash="abc")
variant("trace-hash-upper", trace_hash=good["trace_hash"].upper())
variant("trace-hash-different", trace_hash="0123456789abcdef")
variant("policy-unknown", policy="optuna-9")
variant("policy-escape", policy="optuna\u001b[2J\u202e")
variant("seed-policy-bad", seed_policy="same:-1")
variant("strategy-long", strategy="x" * 300)
variant("property-unknown", property="liveness")
variant("property-replay", property="replay")
variant("unknown-key", pikcs=[0])
variant("unknown-key-escape", **{"k\u001b[31m": 1})
variant("omitted-negative", omitted_processes=[-1])
variant("omitted-descending", omitted_processes=[1, 0])
variant("omitted-duplicate", omitted_processes=[0, 0])
variant("omitted-not-array", omitted_processes=1)
variant("omitted-all", omitted_processes=[0, 1])
variant("omitted-beyond", omitted_processes=[5])
variant("scenario-syntax-error", scenario_source="[grid\n")
variant("scenario-cafe", scenario_source="café = 1\n")
variant("scenario-not-string", scenario_source=["[grid]"])
variant("scenario-escape-key", scenario_source=good["scenario_source"].replace("[grid]", "[grid]\n\"\u001b[31m\" = [1]\n\"\u001b[31m\" = [2]"))
raw("run-seed-1e999", json.dumps(good).replace('"run_seed": %d' % good["run_seed"], '"run_seed": 1e999'))
raw("run-seed-2-to-64", json.dumps(good).replace('"run_seed": %d' % good["run_seed"], '"run_seed": 18446744073709551616'))
raw("not-json", "this is not JSON\n")
raw("empty", "")
raw("array", "[1, 2, 3]\n")
raw("truncated", json.dumps(good)[:-20])

def raw_bytes(name, marker_bytes):
    text = json.dumps(good).replace('"strategy": "', '"strategy": "@@MARK@@').encode()
    with open(name + ".json", "wb") as f:
        f.write(text.replace(b"@@MARK@@", marker_bytes))


raw_bytes("nul-byte", b"\x00")
raw_bytes("invalid-utf8-string", b"\xff\xfe")
raw_bytes("escape-raw-in-string", b"\x1b[2J")
raw("duplicate-keys", json.dumps(good)[:-1] + ', "picks": [99]}')
