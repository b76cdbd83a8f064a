// Grid-scale runs (issue 15 item 2; figures, not pass/fail): a 1000 × 1000 grid (10^6 points)
// searched by 1,024 single-threaded processes under optuna-4 (seed=None: seed 0 in every process),
// a 316 × 317 grid (100,172 points, ~10^5) and the 1000 × 1000 grid by 1,024 under optuna-3.2, each
// run to completion.
// Each run executes in a child process of its own, so its CPU seconds (user + system) and peak RSS
// (getrusage's ru_maxrss, via wait4) are its own. Targets (issue 15): optuna-4 <= 5 CPU-s and
// <= 1 GiB at 10^6 points; optuna-3.2 <= 30 CPU-s at 10^6 points (optuna-3.2-1e6; its target list's
// wrapped set order is kept by samplers/set_order_tracker.h instead of rebuilt per trial).
// Then the crash cost (issue 15: "10^5 points with crashes and heartbeats within 2x the fault-free
// time"): the same 100,172-point grid by 64 processes under optuna-4, fault-free and with
// crash-recovery's faults (crash p = 0.05 per trial, heartbeat 100 ms, grace 200 ms, retry callback),
// printing the ratio of their CPU seconds.
// Usage: grid_scale_bench [NAME [--untracked]]  (one run, in this process: for perf / callgrind; NAME as
// printed; --untracked builds every wrapped target list instead of asking samplers/set_order_tracker.h).
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iterator>
#include <string>

#include "bench/integer_grid.h"
#include "samplers/optuna_grid.h"
#include "sim/seed_policy.h"
#include "sim/simulation.h"
#include "sim/strategy.h"

namespace samplersim {
namespace {

struct ScaleRun {
  const char* name;
  const char* policy;
  int side_a;
  int side_b;
  int processes;
  bool crashes = false;  // crash-recovery's faults (above)
};

constexpr ScaleRun kRuns[] = {{"optuna-4", "optuna-4", 1000, 1000, 1024},
                              {"optuna-3.2", "optuna-3.2", 316, 317, 1024},
                              {"optuna-3.2-1e6", "optuna-3.2", 1000, 1000, 1024},
                              {"fault-free-1e5", "optuna-4", 316, 317, 64},
                              {"crash-heartbeat-1e5", "optuna-4", 316, 317, 64, true}};

ScenarioSpec grid_spec(const ScaleRun& run) {
  ScenarioSpec spec = bench::integer_grid_spec("grid-scale", {{"a", run.side_a}, {"b", run.side_b}}, run.processes,
                                               run.policy);
  spec.limits.max_trials_per_run = 4 * static_cast<std::int64_t>(run.side_a) * run.side_b;  // never binding
  if (run.crashes) {
    spec.faults.present = true;
    spec.faults.crash_ppm = 50'000;
    spec.faults.heartbeat_interval_us = 100 * kMicrosPerMilli;
    spec.faults.grace_us = 200 * kMicrosPerMilli;
    spec.faults.retry_failed = true;
  }
  return spec;
}

void run_in_this_process(const ScaleRun& run) {
  const ScenarioSpec spec = grid_spec(run);
  RandomStrategy strategy(1);
  const RunOutcome o =
      simulate(RunRequest{&spec, PolicyRegistry::find(run.policy), *parse_seed_policy("none"), 1, &strategy});
  std::printf("%s (%s): %lld points, %d processes, seed None: trials %lld, repeats %lld, never-evaluated %lld, "
              "store ops %llu, FAIL trials %lld (crashed, failed by fail_stale_trials), virtual makespan %.0f s, "
              "trace %016llx\n",
              run.name, run.policy, static_cast<long long>(run.side_a) * run.side_b, run.processes,
              static_cast<long long>(o.trials), static_cast<long long>(o.repeats),
              static_cast<long long>(o.never_evaluated), static_cast<unsigned long long>(o.store_ops),
              static_cast<long long>(o.state_count(TrialState::kFail)),
              static_cast<double>(o.makespan_us) / kMicrosPerSecond, static_cast<unsigned long long>(o.trace_hash));
  std::fflush(stdout);
}

double seconds(const timeval& t) { return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6; }

// Runs `run` in a child process; its CPU seconds in *cpu_s_out. Returns 0, or 1 if it failed.
int run_in_child(const ScaleRun& run, double* cpu_s_out) {
  std::fflush(stdout);
  const pid_t pid = fork();
  if (pid < 0) {
    std::perror("fork");
    return 1;
  }
  if (pid == 0) {
    run_in_this_process(run);
    std::_Exit(0);
  }
  int status = 0;
  rusage usage{};
  if (wait4(pid, &status, 0, &usage) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    std::fprintf(stderr, "%s run failed (status %d)\n", run.name, status);
    return 1;
  }
  const double cpu_s = seconds(usage.ru_utime) + seconds(usage.ru_stime);
  *cpu_s_out = cpu_s;
  const double rss_mib = static_cast<double>(usage.ru_maxrss) / 1024.0;  // ru_maxrss is in KiB on Linux
  std::printf("  CPU %.2f s (user %.2f, system %.2f), peak RSS %.1f MiB\n\n", cpu_s, seconds(usage.ru_utime),
              seconds(usage.ru_stime), rss_mib);
  return 0;
}

}  // namespace
}  // namespace samplersim

int main(int argc, char** argv) {
  using samplersim::kRuns;
  if (argc > 1) {
    // --untracked: wrapped target lists are built per draw (the path before SetOrderTracker), for a
    // before/after on one binary (the draws are the same).
    const bool untracked = argc == 3 && std::strcmp(argv[2], "--untracked") == 0;
    for (const auto& run : kRuns) {
      if (std::strcmp(argv[1], run.name) == 0 && (argc == 2 || untracked)) {
        samplersim::use_tracked_target_lists(!untracked);
        samplersim::run_in_this_process(run);
        return 0;
      }
    }
    std::fprintf(stderr, "usage: %s [optuna-4|optuna-3.2|optuna-3.2-1e6|fault-free-1e5|crash-heartbeat-1e5 [--untracked]]\n",
                 argv[0]);
    return 2;
  }
  std::printf("grid-scale runs (issue 15): targets optuna-4 10^6 points <= 5 CPU-s and <= 1 GiB, optuna-3.2 10^6 "
              "points <= 30 CPU-s\n\n");
  int status = 0;
  double cpu_s[std::size(kRuns)] = {};
  for (std::size_t i = 0; i < std::size(kRuns); ++i) status |= samplersim::run_in_child(kRuns[i], &cpu_s[i]);
  if (status == 0) {
    std::printf("crash-heartbeat-1e5 / fault-free-1e5 CPU: %.2f (target <= 2)\n", cpu_s[4] / cpu_s[3]);
  }
  return status;
}
