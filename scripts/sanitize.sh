#!/usr/bin/env bash
# Builds with AddressSanitizer + UndefinedBehaviorSanitizer (Debug) into build-asan/ and runs the
# test suite there, except the four long statistical tests (same code paths, thousands of reps).
# toml++ is compiled header-only in this build (SAMPLERSIM_TOML_HEADER_ONLY), so its parser is
# instrumented too, not just our code around Debian's shared library.
# The engine annotates its fiber switches for ASan (sim/engine.cc); detect_stack_use_after_return
# stays off because Boost.Context's fcontext does not support ASan's fake stacks. Leaks inside
# Graphviz/fontconfig (process-lifetime caches of third-party libraries) and inside the embedded
# CPython of real-library mode (never finalised) are suppressed by scripts/lsan.supp; our own code
# has no suppression. PYTHONMALLOC=malloc makes CPython allocate through malloc, so ASan and LSan
# see its heap (pymalloc's arenas would hide it).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DSAMPLERSIM_SANITIZE=address,undefined \
  -DSAMPLERSIM_BUILD_BENCH=OFF -DSAMPLERSIM_TOML_HEADER_ONLY=ON -DSAMPLERSIM_WERROR=ON >/dev/null
cmake --build build-asan -j"$(nproc)"
cd build-asan
PYTHONMALLOC=malloc ASAN_OPTIONS=detect_stack_use_after_return=0 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  LSAN_OPTIONS=suppressions="$(pwd)/../scripts/lsan.supp":print_suppressions=0 \
  ctest -j"$(nproc)" --output-on-failure -E "RealRuns|ClosedForm|Issue5489.Optuna36|RealOptuna.UnseededRepeats"
