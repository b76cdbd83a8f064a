#!/usr/bin/env bash
# The sanitizer and fuzzing step of CI (`.ci/run` runs it after scripts/test.sh). One clang build
# in build-fuzz/ with AddressSanitizer + UndefinedBehaviorSanitizer, toml++ compiled header-only
# (instrumented) and libFuzzer's coverage hooks serves both parts, so CI pays one extra build:
#   1. the unit and property tests (CTest labels unit, property) under the sanitizers;
#   2. each fuzz target for FUZZ_SECONDS (default 30) on its seed corpus (scripts/fuzz.sh); 30 s
#      each keeps CI near its 30-minute aim on a two-core machine (the whole run took 38 minutes
#      with 60 s, 2026-12-02); scripts/fuzz.sh fuzzes longer by hand.
# Only the executables these two parts run are built (not the cli, model, reality, browser and
# real-library tests, which scripts/sanitize.sh covers). Left out as well, for CI's time budget: the
# built-in report's sweep and its story checks (78,000 runs) and the exhaustive DPOR soundness
# explorations (DporSoundness.*), and the unreduced exhaustive walks (WholeTree.TwoByTwoEverySchedule,
# WholeTree.ThreeByThreeEveryScheduleWithinThreePreemptions, Exploration.ExhaustiveFindsTheRaceWhen
# OnlyPicksOrderTheSteps, Exploration.ExhaustiveExploresEveryOptuna4CappedSchedule...): under ASan on
# a loaded two-core machine the sweep took 10 minutes, single DporSoundness cases 4 to 10 minutes,
# and those four walks 876, 263, 377 and 143 s (57% of the step's test time, 2026-12-01), each
# replaying the same engine paths tens of thousands of times; the reduced and prefix explorations
# of the same scenarios stay in. scripts/sanitize.sh runs everything. Prints the seconds each part
# took; exit status: the first failing part's.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${FUZZ_SECONDS:-30}
start=$SECONDS
bash scripts/setup.sh
launcher=()
if command -v ccache >/dev/null; then launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache); fi  # optional
CC=clang CXX=clang++ cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSAMPLERSIM_FUZZ=ON \
  -DSAMPLERSIM_SANITIZE=address,undefined -DSAMPLERSIM_TOML_HEADER_ONLY=ON -DSAMPLERSIM_BUILD_BENCH=OFF \
  -DSAMPLERSIM_WERROR=ON "${launcher[@]}" >/dev/null
# The test executables of the unit and property labels, read from tests/CMakeLists.txt
# (samplersim_test_dir(DIR LABEL) builds tests_DIR).
mapfile -t test_targets < <(sed -n 's/^samplersim_test_dir(\([a-z_/]*\) \(unit\|property\))$/tests_\1/p' tests/CMakeLists.txt | tr / _)
((${#test_targets[@]})) || { echo "ci-sanitizers: no unit or property test directories found" >&2; exit 1; }
fuzz_targets=(scenario_fuzz sweep_spec_fuzz replay_fuzz results_fuzz study_db_fuzz make_study_seeds)
cmake --build build-fuzz -j"$(nproc)" --target samplersim "${test_targets[@]}" "${fuzz_targets[@]}" >/dev/null
built=$SECONDS
(
  cd build-fuzz
  ASAN_OPTIONS=detect_stack_use_after_return=0 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    LSAN_OPTIONS=suppressions="$(pwd)/../scripts/lsan.supp":print_suppressions=0 \
    ctest -j"$(nproc)" --output-on-failure --timeout 900 -L 'unit|property' \
      -E '^(builtin_report\.sweep|BuiltinReport\.|DporSoundness\.|WholeTree\.(TwoByTwoEverySchedule|ThreeByThreeEveryScheduleWithinThreePreemptions)$|Exploration\.Exhaustive(FindsTheRaceWhenOnlyPicksOrderTheSteps|ExploresEveryOptuna4CappedScheduleWithoutViolation)$)'
)
tested=$SECONDS
# A fixed libFuzzer seed: the same checkout fuzzes the same inputs first, and a finding names it.
FUZZ_SEED=${FUZZ_SEED:-20261201} bash scripts/fuzz.sh "$(awk "BEGIN { print $seconds / 60 }")"
echo "ci-sanitizers: build $((built - start)) s, unit+property tests $((tested - built)) s, fuzzing $((SECONDS - tested)) s"
