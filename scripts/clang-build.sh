#!/usr/bin/env bash
# Builds everything with clang++ and warnings as errors into build-clang/ (GCC is the default).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
CXX=clang++ cmake -S . -B build-clang -DSAMPLERSIM_WERROR=ON >/dev/null
cmake --build build-clang -j"$(nproc)"
