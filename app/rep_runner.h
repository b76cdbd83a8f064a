// RepRunner: runs repetitions of a scenario's arms, on several threads, with results delivered in
// a fixed order (arm by arm, rep by rep) whatever the thread count.
//
// Rep r of every arm uses run seed run_seed_for_rep(spec.seed, r): arms share timing draws (common
// random numbers, so comparisons between policies are paired), and a rep's result does not depend
// on how reps are batched or spread over threads (app/ordered_pool.h runs them). Each thread runs
// its own fiber scheduler.
// Cost: one simulate() per (arm, rep). for_each_rep holds O(jobs) summaries at a time, whatever
// the number of reps (what `run` and `audit --simulate` use, up to 10^8 reps); run_reps collects
// one arm's summaries (O(reps)), for tests and benchmarks that want them as a vector.
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include "app/arms.h"
#include "sim/run_outcome.h"

namespace samplersim {

// One rep's metrics and the inputs that identify it (the run's per-combination detail is dropped).
struct RunSummary : RunMetrics {
  int rep = 0;
  std::uint64_t run_seed = 0;
  // Set only by run_arm_jobs for an ArmJob with limits_end_run: the run reached one of its limits
  // (the RunLimitReached message, naming the seed); the metrics are then all zero.
  std::string unfinished;
};

RunSummary summarize(int rep, std::uint64_t run_seed, const RunOutcome& outcome);

struct RepRange {
  int first = 0;  // first rep index
  int count = 0;  // number of reps
};

// Runs reps of every arm. `on_run(arm_index, summary)` is called on the calling thread once per
// run, arm by arm and rep by rep (the same order for every `jobs`); `jobs` <= 0 means all
// hardware threads. A failing run: the runs before it are delivered, then its exception is
// rethrown (RunFailure, with its run seed).
void for_each_rep(const ScenarioSpec& spec, const std::vector<Arm>& arms, RepRange reps, int jobs,
                  const std::function<void(std::size_t, const RunSummary&)>& on_run);

// As for_each_rep, but `on_arm_done(arm_index, summaries)` is called in arm order, each with that
// arm's summaries in rep order.
void run_reps(const ScenarioSpec& spec, const std::vector<Arm>& arms, RepRange reps, int jobs,
              const std::function<void(std::size_t, const std::vector<RunSummary>&)>& on_arm_done);

}  // namespace samplersim
