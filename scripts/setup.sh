#!/usr/bin/env bash
# Installs what samplersim needs from Debian bookworm's packages (as root), if anything is missing.
set -euo pipefail
packages=(
  build-essential cmake clang
  libboost-context-dev                         # Boost.Context: the deterministic worker fibers
  libboost-math-dev                            # Boost.Math: Student-t and normal quantiles (reports)
  librapidcheck-dev libgtest-dev libbenchmark-dev  # property tests, unit tests, benchmarks
  libtomlplusplus-dev nlohmann-json3-dev libcli11-dev libfmt-dev  # scenarios, results, CLI, text
  libgraphviz-dev graphviz                     # counterexample diagrams
  libsqlite3-dev                               # reading real Optuna study databases
  libpq-dev                                    # ... and PostgreSQL ones (audit postgresql://...)
  postgresql python3-psycopg2                  # audit tests: a throw-away server (scripts/pg_temp.sh) and Optuna on it
  pkg-config                                   # CMake finds libgvc and sqlite3 through pkg-config
  python3 python3-numpy                        # bit-exactness vectors generated at test time
  python3-optuna                               # reality tests and real:optuna: the real Optuna (3.1.0)
  python3-dev pybind11-dev                     # real:optuna embeds CPython (real/, pybind11 2.10)
  gnuplot-nox                                  # report charts (SVG terminal)
  chromium                                     # browser test of report.html (headless)
  openmpi-bin libopenmpi-dev                   # mpirun -np K samplersim sweep|check (README "Across machines")
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
