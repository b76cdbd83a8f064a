// The report's first section: the answer, one row per scenario and sweep point.
//
// For each scenario variant (axis point) the row names
//   - the user's arm: among the arms that model an Optuna release (policy "optuna-*"), the one that
//     does worst (most uncovered combinations, then most repeats, then most wasted compute), with
//     its mean repeats, share of runs with a repeat and mean uncovered combinations;
//   - the best change available in Optuna today: the best arm of the user's release (another seed
//     policy) if it is strictly better than the user's arm, else the best Optuna arm compared (another
//     release) if that is;
//   - the best library design (any other policy), if one does better than the user's arm.
// Means are compared as numbers (the per-scenario tables give their intervals; `run` ranks
// remedies with significance tests, reports/remedy_ranking.h). Variants without an Optuna arm name
// the best and worst arms instead. Text only: the renderers escape it (labels come from results
// files). Pure functions.
#pragma once

#include <string>
#include <vector>

#include "reports/report_data.h"

namespace samplersim {

struct SummaryRow {
  std::string scenario;   // scenario name
  std::string point;      // "as written" or "workers.processes=8"
  std::string setup;      // "4 processes × 1 thread, 20 combinations"
  std::string user_arm;   // "optuna-3.6/none"
  std::string user_result;  // "repeats 8.28 per run (100% of runs), 5.02 uncovered"
  std::string best_today;   // "optuna-3.6/same:42: repeats 3.23, 0 uncovered" or "nothing better among the Optuna arms"
  std::string best_design;  // "leased-claim/none: repeats 0, 0 uncovered" or ""
};

std::vector<SummaryRow> report_summary(const ReportData& data);

}  // namespace samplersim
