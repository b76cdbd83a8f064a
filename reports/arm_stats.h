// ArmStats: the per-arm aggregate behind every comparison table (run, report, audit).
//
// Built from per-run numbers only (no simulation here). Intervals: means with a Student-t
// interval, proportions with a Wilson interval, both at the requested confidence.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "reports/stats.h"

namespace samplersim {

struct RunNumbers {
  std::int64_t trials = 0;
  std::int64_t repeats = 0;
  std::int64_t never_evaluated = 0;
  std::int64_t uncovered = 0;
  double wasted_time_s = 0;
  double objective_time_s = 0;
  double makespan_s = 0;
  std::uint64_t store_ops = 0;
};

struct ArmStats {
  std::string label;  // "optuna-3.6/none"
  std::int64_t runs = 0;
  std::int64_t runs_with_repeats = 0;
  std::int64_t runs_with_never_evaluated = 0;
  MeanAccumulator repeats, never_evaluated, uncovered, trials, wasted_time_s, makespan_s,
      store_ops_per_trial, wasted_share;

  void add(const RunNumbers& r);
  Interval p_repeats(double confidence) const { return wilson_interval(runs_with_repeats, runs, confidence); }
  Interval p_never(double confidence) const { return wilson_interval(runs_with_never_evaluated, runs, confidence); }
};

// Plain-text comparison table for a terminal, one row per arm.
std::string format_arm_table(const std::vector<ArmStats>& arms, double confidence);

}  // namespace samplersim
