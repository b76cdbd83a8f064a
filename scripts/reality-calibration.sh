#!/usr/bin/env bash
# Machine-dependent calibration check (not part of the test command): 40 real 3-process SQLite
# studies of Debian's Optuna 3.1.0 against 4,000 simulations of the scenario `audit --simulate`
# infers (`sqlite` store preset), Welch's t-test on mean repeats and never-evaluated at alpha 1e-6
# per metric. Unseeded real processes race differently with the machine's speed and load, so this
# is a statement about this machine now. Prints means, standard deviations and t statistics; exit 0
# when both metrics agree. About 1-3 minutes.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build.sh
SAMPLERSIM_REALITY_CALIBRATION=1 ./build/tests/tests_reality \
  --gtest_filter='RealMultiProcessCalibration.*'
