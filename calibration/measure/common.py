"""Shared helpers of the calibration scripts: machine/run metadata, Optuna import, statistics.

Every data file written by calibration/measure/*.py starts with one line {"meta": {...}} (see
run_meta) followed by one JSON object per run; a path ending in .gz is written and read
gzip-compressed (the committed data files are .jsonl.gz: read them with zcat or gzip.open).  Nothing here imports Optuna at module level: the
caller chooses the Optuna checkout through PYTHONPATH (see calibration/README.md).
"""
import datetime
import json
import math
import os
import platform
import subprocess
import sys


def cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _read(path):
    try:
        with open(path) as f:
            return f.read().strip()
    except OSError:
        return None


def run_meta(command_args, extra=None):
    """Version, machine, date, command and load average, recorded once per data file."""
    import optuna
    import numpy
    import sqlalchemy
    meta = {
        "optuna_version": optuna.__version__,
        "optuna_path": os.path.dirname(optuna.__file__),
        "python": sys.version.split()[0],
        "python_executable": sys.executable,
        "numpy": numpy.__version__,
        "sqlalchemy": sqlalchemy.__version__,
        "nproc": os.cpu_count(),
        "cpu_model": cpu_model(),
        "kernel": platform.release(),
        "date_utc": datetime.datetime.utcnow().strftime("%Y-%m-%dT%H:%M:%SZ"),
        "command": " ".join(command_args),
        "loadavg_start": list(os.getloadavg()),
        "autogroup": _read("/proc/self/autogroup"),
        "sched_autogroup_enabled": _read("/proc/sys/kernel/sched_autogroup_enabled"),
    }
    if extra:
        meta.update(extra)
    return meta


def quiet_optuna():
    import optuna
    import warnings
    optuna.logging.set_verbosity(optuna.logging.ERROR)
    warnings.simplefilter("ignore")
    return optuna


# ---- statistics (99.5% two-sided intervals, as in /work/shared/reference/real-runs) ----
Z995 = 2.807033768343811  # standard normal quantile 0.9975


def wilson(k, n, z=Z995):
    if n == 0:
        return (0.0, 1.0)
    p = k / n
    d = 1 + z * z / n
    c = (p + z * z / (2 * n)) / d
    h = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / d
    return (max(0.0, c - h), min(1.0, c + h))


def t_quantile_9975(df):
    try:
        from scipy import stats
        return float(stats.t.ppf(0.9975, df))
    except Exception:  # normal approximation if scipy is missing
        return Z995


def mean_ci(xs):
    n = len(xs)
    if n == 0:
        return (float("nan"), float("nan"), float("nan"))
    m = sum(xs) / n
    if n < 2:
        return (m, m, m)
    var = sum((x - m) ** 2 for x in xs) / (n - 1)
    h = t_quantile_9975(n - 1) * math.sqrt(var / n)
    return (m, m - h, m + h)


def quantiles(xs, qs=(0.05, 0.25, 0.5, 0.75, 0.95, 0.99)):
    ys = sorted(xs)
    if not ys:
        return {}
    out = {}
    for q in qs:
        i = min(len(ys) - 1, max(0, int(round(q * (len(ys) - 1)))))
        out[f"p{int(q * 1000) / 10:g}"] = ys[i]
    out["max"] = ys[-1]
    out["mean"] = sum(ys) / len(ys)
    out["n"] = len(ys)
    return out


def _open(path, mode):
    """Plain or gzip-compressed (path ends in .gz) text file."""
    if path.endswith(".gz"):
        import gzip
        return gzip.open(path, mode + "t", compresslevel=9)
    return open(path, mode)


def write_jsonl(path, meta, rows):
    meta = dict(meta)
    meta["loadavg_end"] = list(os.getloadavg())
    with _open(path, "w") as f:
        f.write(json.dumps({"meta": meta}, sort_keys=True) + "\n")
        for r in rows:
            f.write(json.dumps(r, sort_keys=True, separators=(",", ":")) + "\n")


def read_jsonl(path):
    meta, rows = None, []
    with _open(path, "r") as f:
        for line in f:
            o = json.loads(line)
            if "meta" in o and meta is None:
                meta = o["meta"]
            else:
                rows.append(o)
    return meta, rows
