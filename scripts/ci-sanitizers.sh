#!/usr/bin/env bash
# A sanitizer step for CI (not yet run by scripts/test.sh: its time on CI is unmeasured): one clang build with
# AddressSanitizer + UndefinedBehaviorSanitizer, toml++ compiled header-only (instrumented), and
# libFuzzer's coverage hooks, in build-fuzz/ (the build scripts/fuzz.sh uses):
#   1. the unit and property tests (CTest labels unit, property) under the sanitizers;
#   2. each fuzz target for FUZZ_SECONDS (default 60) on its seed corpus (scripts/fuzz.sh).
# Prints the seconds each part took. Exit status: the first failing part's.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${FUZZ_SECONDS:-60}
start=$SECONDS
bash scripts/setup.sh
CC=clang CXX=clang++ cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSAMPLERSIM_FUZZ=ON \
  -DSAMPLERSIM_SANITIZE=address,undefined -DSAMPLERSIM_TOML_HEADER_ONLY=ON -DSAMPLERSIM_BUILD_BENCH=OFF \
  -DSAMPLERSIM_WERROR=ON >/dev/null
cmake --build build-fuzz -j"$(nproc)" >/dev/null
built=$SECONDS
(
  cd build-fuzz
  ASAN_OPTIONS=detect_stack_use_after_return=0 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    LSAN_OPTIONS=suppressions="$(pwd)/../scripts/lsan.supp":print_suppressions=0 \
    ctest -j"$(nproc)" --output-on-failure -L 'unit|property'
)
tested=$SECONDS
bash scripts/fuzz.sh "$(awk "BEGIN { print $seconds / 60 }")"
echo "ci-sanitizers: build $((built - start)) s, unit+property tests $((tested - built)) s, fuzzing $((SECONDS - tested)) s"
