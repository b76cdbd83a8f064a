#!/usr/bin/env bash
# Fuzzes every input reader with libFuzzer (clang, AddressSanitizer + UndefinedBehaviorSanitizer,
# toml++ compiled header-only so it is instrumented too):
#
#   bash scripts/fuzz.sh [MINUTES] [TARGET...]     default: 1 minute each (fractions allowed), all five
#
# Targets (fuzz/*_fuzz.cc): scenario, sweep_spec, replay, results, study_db. Builds into
# build-fuzz/, seeds each target from the malformed-input corpus (tests/data/malformed/, plus the
# built-in scenarios and tests/data/bad-scenarios) and keeps a growing working corpus in
# build-fuzz/corpus/TARGET/. Prints per target: seconds run, executions, executions per second,
# coverage (libFuzzer's cov/ft), corpus size and the verdict; exits 1 if any target found a crash, a leak, a timeout or an out-of-memory
# (the input is saved as build-fuzz/findings/TARGET/crash-* etc.: re-run it with
# ./build-fuzz/fuzz/TARGET_fuzz FILE).
# FUZZ_SEED=N (environment) fixes libFuzzer's random seed (-seed=N), so a CI finding can be
# reproduced by the same command; unset, libFuzzer picks one and prints it in the target's log.
set -euo pipefail
cd "$(dirname "$0")/.."
minutes=${1:-1}
shift || true
seconds=$(awk -v m="$minutes" 'BEGIN { s = int(m * 60); if (s < 1) s = 1; print s }')
targets=("$@")
((${#targets[@]})) || targets=(scenario sweep_spec replay results study_db)
bash scripts/setup.sh
CC=clang CXX=clang++ cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSAMPLERSIM_FUZZ=ON \
  -DSAMPLERSIM_SANITIZE=address,undefined -DSAMPLERSIM_TOML_HEADER_ONLY=ON -DSAMPLERSIM_BUILD_BENCH=OFF \
  -DSAMPLERSIM_WERROR=ON >/dev/null
build_targets=(make_study_seeds)
for t in "${targets[@]}"; do build_targets+=("${t}_fuzz"); done
cmake --build build-fuzz -j"$(nproc)" --target "${build_targets[@]}" >/dev/null

seeds() {  # target -> seed files (one per line)
  case "$1" in
    scenario) ls scenarios/*.toml tests/data/golden/*.toml tests/data/scenarios/*.toml tests/data/bad-scenarios/*.toml \
                 tests/data/malformed/scenario/*.toml ;;
    sweep_spec) ls scenarios/sweeps/*.toml tests/data/malformed/sweep/*.toml ;;
    replay) ls tests/data/malformed/replay/*.json ;;
    results) ls tests/data/malformed/results/*.jsonl ;;
    study_db) ./build-fuzz/fuzz/make_study_seeds tests/data/malformed/study build-fuzz/seeds/study_db >/dev/null
              ls build-fuzz/seeds/study_db/*.db ;;
  esac
}

export SAMPLERSIM_SCENARIOS="$PWD/scenarios"  # built-in names in sweep specs
export ASAN_OPTIONS=detect_stack_use_after_return=0:detect_leaks=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
status=0
printf '%-11s %6s %12s %8s %8s %8s %7s  %s\n' target secs execs exec/s cov ft corpus verdict
for t in "${targets[@]}"; do
  corpus=build-fuzz/corpus/$t
  findings=build-fuzz/findings/$t
  mkdir -p "$corpus" "$findings" build-fuzz/seeds/$t
  while read -r f; do cp -n "$f" "build-fuzz/seeds/$t/" 2>/dev/null || true; done < <(seeds "$t")
  log=build-fuzz/$t.log
  verdict=clean
  started=$SECONDS
  seed_flag=()
  if [[ -n ${FUZZ_SEED:-} ]]; then seed_flag=(-seed="$FUZZ_SEED"); fi
  # -timeout: one input may take at most 25 s (a shared 2-core machine); -rss_limit_mb: 2 GiB.
  ./build-fuzz/fuzz/${t}_fuzz "$corpus" "build-fuzz/seeds/$t" -max_total_time="$seconds" -timeout=25 \
    -rss_limit_mb=2048 -max_len=1048576 -print_final_stats=1 -artifact_prefix="$findings/" "${seed_flag[@]}" >"$log" 2>&1 || {
    verdict="FINDING (see $log and $findings/; libFuzzer $(grep -m1 -o 'Seed: [0-9]*' "$log" || echo 'seed unknown'))"
    status=1
  }
  secs=$((SECONDS - started))
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  last=$(grep -E '^#[0-9]+' "$log" | tail -1)
  cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"$last")
  ft=$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<<"$last")
  size=$(ls "$corpus" | wc -l)
  printf '%-11s %6s %12s %8s %8s %8s %7s  %s\n' "$t" "$secs" "${execs:-?}" "${rate:-?}" "${cov:-?}" "${ft:-?}" "$size" "$verdict"
done
exit $status
