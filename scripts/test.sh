#!/usr/bin/env bash
# The README's test command: install dependencies, build, run the whole test suite with CTest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build.sh
cd build
ctest -j"$(nproc)" --output-on-failure --timeout 900
