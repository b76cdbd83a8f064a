// The real runs' summary table (measurements of Optuna 3.2.0, 3.6.1 and 4.9.0 with real processes
// on SQLite; the project's copy is tests/data/real-runs/summary-table.md), parsed, and the same
// statistics computed from simulated runs, for side-by-side comparison.
#pragma once

#include <string>
#include <vector>

#include "app/rep_runner.h"

namespace samplersim {

struct RealRange {
  double mean = 0, low = 0, high = 0;  // 99.5% interval
  bool contains(double x, double slack = 0) const { return x >= low - slack && x <= high + slack; }
};

struct RealRunsRow {
  std::string scenario, model, version, seed_policy;  // seed_policy in samplersim syntax
  int n = 0;
  RealRange repeats, never_evaluated, trials;
  int runs_with_repeats = 0;
  double p_repeats_low = 0, p_repeats_high = 0;
};

// Throws std::runtime_error naming the line on a malformed table.
std::vector<RealRunsRow> read_real_runs_table(const std::string& path);

struct SimulatedRow {
  double repeats = 0, never_evaluated = 0, trials = 0, p_repeats = 0;
  int runs = 0;
};
SimulatedRow simulated_row(const std::vector<RunSummary>& runs);

}  // namespace samplersim
