#!/usr/bin/env bash
# Configures and builds samplersim into build/ (warnings are errors). Extra args go to cmake.
set -euo pipefail
cd "$(dirname "$0")/.."
launcher=()
if command -v ccache >/dev/null; then launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache); fi  # optional
cmake -S . -B build -DSAMPLERSIM_WERROR=ON "${launcher[@]}" "$@" >/dev/null
cmake --build build -j"$(nproc)"
