// RepRunner: runs repetitions of a scenario's arms, on several threads, with results delivered in
// a fixed order (arm by arm, rep by rep) whatever the thread count.
//
// Rep r of every arm uses run seed run_seed_for_rep(spec.seed, r): arms share timing draws (common
// random numbers, so comparisons between policies are paired), and a rep's result does not depend
// on how reps are batched or spread over threads. Each thread runs its own fiber scheduler.
// Cost: one simulate() per (arm, rep); memory O(reps) compact summaries per arm.
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include "app/arms.h"
#include "reports/arm_stats.h"
#include "sim/run_outcome.h"

namespace samplersim {

// The per-run numbers kept for tables and result files (the full outcome is dropped).
struct RunSummary {
  int rep = 0;
  std::uint64_t run_seed = 0;
  std::int64_t trials = 0;
  std::array<std::int64_t, kTrialStateCount> trials_by_state{};
  std::int64_t grid_size = 0;
  std::int64_t repeats = 0;
  std::int64_t never_evaluated = 0;
  std::int64_t uncovered = 0;
  std::int64_t completed_twice = 0;
  VirtualTime objective_time_us = 0;
  VirtualTime wasted_time_us = 0;
  VirtualTime makespan_us = 0;
  std::uint64_t store_ops = 0;
  std::uint64_t choice_points = 0;
  std::uint64_t trace_hash = 0;
};

RunSummary summarize(int rep, std::uint64_t run_seed, const RunOutcome& outcome);

// The numbers an ArmStats aggregates (times in seconds).
RunNumbers run_numbers(const RunSummary& r);

struct RepRange {
  int first = 0;  // first rep index
  int count = 0;  // number of reps
};

// Runs reps of every arm. `on_arm_done(arm_index, summaries)` is called in arm order, each with
// that arm's summaries in rep order. `jobs` <= 0 means all hardware threads.
void run_reps(const ScenarioSpec& spec, const std::vector<Arm>& arms, RepRange reps, int jobs,
              const std::function<void(std::size_t, const std::vector<RunSummary>&)>& on_arm_done);

}  // namespace samplersim
