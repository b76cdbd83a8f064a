// What every registered policy costs on the cluster scenario of issue 15 (item 1): 16 processes, a
// 6x8 grid, objectives uniform 10-30 minutes (tests/data/scenarios/cluster-6x8-w16.toml), 1,000
// reps per policy on one thread, seed=None. Figures, not pass/fail.
//
// Part 1, per policy: CPU seconds for the 1,000 reps (std::clock: this process's CPU time, so
// other load on the machine does not count), and per run the mean store operations and trace
// events. Part 2, per policy, over the first 20 reps (traced): per run the heartbeat writes
// (record_heartbeat) and get_all_trials reads, i.e. the costs that grew with objective duration
// before issue 15 (a leased-claim lease renewed by one store write per second, and idle workers
// polling every 250 ms).
// Target (issue 15): every policy under 2 CPU-s for the 1,000 reps.
// Usage: idle_wait_bench [reps]
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <string>
#include <vector>

#include "app/arms.h"
#include "app/rep_runner.h"
#include "app/scenario_files.h"
#include "sim/simulation.h"
#include "sim/store_op.h"
#include "sim/strategy.h"

namespace samplersim {
namespace {

struct OpCounts {
  double heartbeats = 0, reads = 0;
};

OpCounts traced_counts(const ScenarioSpec& spec, const PolicyInfo* policy, int reps) {
  OpCounts c;
  for (int rep = 0; rep < reps; ++rep) {
    const std::uint64_t seed = run_seed_for_rep(spec.seed, rep);
    Trace trace(true);
    RandomStrategy strategy(seed);
    const RunRequest req{&spec, policy, SeedPolicy{}, seed, &strategy};
    (void)simulate(req, &trace);
    for (const TraceEvent& e : trace.events()) {
      if (e.kind != TraceKind::kStoreOp) continue;
      c.heartbeats += e.a == static_cast<std::int64_t>(StoreOp::kRecordHeartbeat);
      c.reads += e.a == static_cast<std::int64_t>(StoreOp::kGetAllTrials);
    }
  }
  c.heartbeats /= reps;
  c.reads /= reps;
  return c;
}

int main_impl(int reps) {
  const ScenarioSpec spec =
      load_scenario(std::string(SAMPLERSIM_SOURCE_DIR) + "/tests/data/scenarios/cluster-6x8-w16.toml");
  constexpr int kTracedReps = 20;
  std::printf("cluster-6x8-w16 (16 processes, 6x8 grid, 10-30 min objectives), seed=None, %d reps per policy, 1 thread\n",
              reps);
  std::printf("%-22s %8s %12s %14s %14s %16s %10s\n", "policy", "CPU-s", "store ops/run", "events/run",
              "heartbeats/run", "get_all_trials/run", "repeats");
  double worst = 0;
  for (const PolicyInfo* policy : PolicyRegistry::all()) {
    if (policy->name.rfind("real:", 0) == 0) continue;  // real-library mode (CPython): not this model
    const std::vector<Arm> arms = {Arm{policy, SeedPolicy{}}};
    double ops = 0, events = 0, repeats = 0;
    const std::clock_t start = std::clock();
    for_each_rep(spec, arms, RepRange{0, reps}, 1, [&](std::size_t, const RunSummary& r) {
      ops += static_cast<double>(r.store_ops);
      events += static_cast<double>(r.trace_events);
      repeats += static_cast<double>(r.repeats);
    });
    const double cpu_s = static_cast<double>(std::clock() - start) / CLOCKS_PER_SEC;
    worst = std::max(worst, cpu_s);
    const OpCounts c = traced_counts(spec, policy, kTracedReps);
    std::printf("%-22s %8.2f %12.0f %14.0f %14.0f %16.0f %10.2f\n", policy->name.c_str(), cpu_s, ops / reps,
                events / reps, c.heartbeats, c.reads, repeats / reps);
  }
  std::printf("slowest policy: %.2f CPU-s for %d reps (target: < 2 CPU-s for 1,000)\n", worst, reps);
  return 0;
}

}  // namespace
}  // namespace samplersim

int main(int argc, char** argv) { return samplersim::main_impl(argc > 1 ? std::atoi(argv[1]) : 1000); }
