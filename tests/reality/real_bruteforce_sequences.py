#!/usr/bin/env python3
"""Reality test: the sequence of points the REAL Optuna BruteForceSampler evaluates in one process.

One single-process study per (space shape, seed) with BruteForceSampler(seed=seed), InMemory
storage, study.optimize(objective) with a generous n_trials (the sampler stops the study when the
space is exhausted). The objective suggests every dimension with suggest_categorical in the order
listed here (names deliberately unsorted: the define-by-run order is the suggest order) and records
the index of each value in its list.

Usage: real_bruteforce_sequences.py OUT.json [FIRST_SEED] [SEED_COUNT]
Writes {"optuna_version", "python_version", "cases": [{"shape", "grid": [[name, [values]]...],
"seed", "sequence": [[value index per dimension]...]}]}. Exit 2 if optuna or its
BruteForceSampler cannot be imported (the C++ side skips then).
"""
import itertools
import json
import sys
import warnings

try:
    import optuna
    from optuna.samplers import BruteForceSampler
except ImportError as e:
    print(f"cannot import optuna's BruteForceSampler: {e}", file=sys.stderr)
    sys.exit(2)

SHAPES = [
    ("4x5", [("a", [0, 1, 2, 3]), ("b", [0, 1, 2, 3, 4])]),
    ("3x3-str", [("b", [2, 0, 1]), ("a", ["x", "y", "z"])]),
    ("2x3x2", [("c", [0.5, 1.5]), ("a", [1, 2, 3]), ("b", ["p", "q"])]),
    ("7", [("k", [6, 5, 4, 3, 2, 1, 0])]),
]


def run_case(grid, seed):
    sequence = []

    def objective(trial):
        row = []
        for name, values in grid:
            v = trial.suggest_categorical(name, values)
            row.append(values.index(v))
        sequence.append(row)
        return 0.0

    study = optuna.create_study(sampler=BruteForceSampler(seed=seed))
    limit = 10 * len(list(itertools.product(*[v for _, v in grid])))
    study.optimize(objective, n_trials=limit)
    return sequence


def main():
    out = sys.argv[1]
    first = int(sys.argv[2]) if len(sys.argv) > 2 else 0
    count = int(sys.argv[3]) if len(sys.argv) > 3 else 100
    optuna.logging.set_verbosity(optuna.logging.ERROR)
    warnings.simplefilter("ignore")
    cases = []
    for shape, grid in SHAPES:
        for seed in range(first, first + count):
            cases.append({"shape": shape, "grid": [[n, v] for n, v in grid], "seed": seed,
                          "sequence": run_case(grid, seed)})
    with open(out, "w") as f:
        json.dump({"optuna_version": optuna.__version__, "python_version": sys.version.split()[0],
                   "cases": cases}, f)


if __name__ == "__main__":
    main()
