// ArmStats: the per-arm aggregate behind every comparison table (run, report, audit).
//
// Built from per-run metrics only (RunMetrics, the engine's record; no simulation here). Times are
// aggregated in seconds (microseconds / 10^6). Intervals: means with a Student-t interval,
// proportions with a Wilson interval, both at the requested confidence.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "reports/stats.h"
#include "sim/run_outcome.h"

namespace samplersim {

struct ArmStats {
  std::string label;  // "optuna-3.6/none"
  std::int64_t runs = 0;
  std::int64_t runs_with_repeats = 0;
  std::int64_t runs_with_never_evaluated = 0;
  MeanAccumulator repeats, never_evaluated, uncovered, trials, wasted_time_s, makespan_s,
      store_ops_per_trial, wasted_share;
  // Issue 11: processes that ended with each Python exception, and swallowed stop errors (sums).
  std::array<std::int64_t, kPyErrorCount> process_errors{};
  std::int64_t runs_with_process_error = 0;
  std::int64_t stop_errors_swallowed = 0;
  bool any_process_outcome() const { return runs_with_process_error > 0 || stop_errors_swallowed > 0; }

  // Runs that reached a simulation limit instead of finishing (only remedies' runs are kept going
  // past one: app/arm_jobs.h); they add nothing to the means above. The first one's message.
  std::int64_t runs_unfinished = 0;
  std::string first_unfinished;

  void add(const RunMetrics& r);
  void add_unfinished(const std::string& why);
  Interval p_repeats(double confidence) const { return wilson_interval(runs_with_repeats, runs, confidence); }
  Interval p_never(double confidence) const { return wilson_interval(runs_with_never_evaluated, runs, confidence); }
};

// Plain-text comparison table for a terminal, one row per arm: runs, mean repeats and P(repeats>0)
// with intervals, mean never-evaluated and uncovered (no COMPLETE trial) combinations, mean
// trials, and mean wasted time and makespan per run in human units ("35.6 s", "9.90 h").
std::string format_arm_table(const std::vector<ArmStats>& arms, double confidence);

// The same row as JSON (`--format json`): every mean with its interval; times in seconds.
nlohmann::json arm_stats_json(const ArmStats& arm, double confidence);

// Lines naming, per arm, the Python exceptions that ended processes (mean per run, share of runs)
// and the swallowed stop errors; "" when no arm has any (issue 11).
std::string format_process_errors(const std::vector<ArmStats>& arms);

}  // namespace samplersim
