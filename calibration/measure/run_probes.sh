#!/usr/bin/env bash
# The deterministic probes (facts_probe.py) for every version, one after another (a few probes use
# threads and a 0.2 s objective: run them alone on the machine).
set -euo pipefail
source "$(dirname "$0")/priority.sh"
here=$(cd "$(dirname "$0")" && pwd); data=$here/../data/probes; mkdir -p "$data"
src=${OPTUNA_SRC:-/work/optuna-src}
for v in debian 2.0.0 2.3.0 2.8.0 2.10.1 3.2.0 3.4.0 3.6.1 4.0.0 4.9.0; do
  pp=""; n=$v; [[ $v != debian ]] && pp=$src/v$v; [[ $v == debian ]] && n=3.1.0-debian
  PYTHONPATH=$pp /usr/bin/python3 "$here/facts_probe.py" "$data/facts-$n.json"
done
