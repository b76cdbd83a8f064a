#!/usr/bin/env python3
"""Reality test, part a: the sequence of grid points the REAL Optuna GridSampler evaluates.

Runs one single-process study per (grid shape, seed) with GridSampler(search_space, seed=seed),
InMemory storage, study.optimize(objective) without n_trials (the sampler stops the study when the
grid is exhausted), and records, for every trial in evaluation order, the index of each suggested
value in the user's value list (dimensions in the order they are listed here = "file order").

Usage: real_grid_sequences.py OUT.json [FIRST_SEED] [SEED_COUNT]
Writes {"optuna_version", "python_version", "cases": [{"shape", "grid": [[name, [values]]...],
"seed", "sequence": [[value index per dimension]...]}]}. One process loops over every case (fast).
Exit 2 if optuna cannot be imported (the C++ test skips then).
"""
import json
import sys

try:
    import optuna
except ImportError as e:  # the C++ side turns this into GTEST_SKIP
    print(f"cannot import optuna: {e}", file=sys.stderr)
    sys.exit(2)

# Grid shapes: names deliberately not in sorted order, values not ascending, mixed value types.
# N = 9, 10, 16 and 30 reach CPython's new-set path with a table smaller than the largest id, so
# the target list is not ascending (e.g. [8, 1] for N = 9); N = 7 stays ascending (control).
SHAPES = [
    ("3x3-str", [("b", [2, 0, 1]), ("a", ["x", "y", "z"])]),
    ("5x2-float-bool", [("lr", [0.1, 0.01, 0.001, 1.0, 0.5]), ("opt", [True, False])]),
    ("4x4-desc", [("y", [3, 2, 1, 0]), ("x", [0, 1, 2, 3])]),
    ("2x3x5", [("c", [0.5, 1.5, 2.5, 3.5, 4.5]), ("a", [1, 2]), ("b", ["p", "q", "r"])]),
    ("7", [("k", [6, 5, 4, 3, 2, 1, 0])]),
]


def run_case(grid, seed):
    space = {name: list(values) for name, values in grid}
    sequence = []

    def objective(trial):
        row = []
        for name, values in grid:  # suggest in file order, as the simulator's objective does
            v = trial.suggest_categorical(name, values)
            row.append(values.index(v))
        sequence.append(row)
        return 0.0

    study = optuna.create_study(sampler=optuna.samplers.GridSampler(space, seed=seed))
    limit = 10 * len(list(__import__("itertools").product(*space.values())))
    study.optimize(objective, n_trials=limit)  # the sampler stops the study long before
    return sequence


def main():
    out = sys.argv[1]
    first = int(sys.argv[2]) if len(sys.argv) > 2 else 0
    count = int(sys.argv[3]) if len(sys.argv) > 3 else 200
    optuna.logging.set_verbosity(optuna.logging.ERROR)
    import warnings
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
