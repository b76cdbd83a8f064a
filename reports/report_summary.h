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
#include "reports/report_remedies.h"

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

// The same, and for a scenario as written with a ranking of the user's arm in `remedies`
// (reports/report_remedies.h, from `run --format json`): "best in Optuna today" and "best library
// design" name the best recommended remedy of each level ("Pass the same seed ... (optuna-3.6/same:42):
// uncovered 0.89 -> 0, ..."), or say that no simulated change of that level does better. At an axis
// point, where no arm compared there does better, they name the best remedy of each level for the
// scenario as written, without its numbers ("not compared at this point; for the scenario as
// written: Pass the same seed ... (optuna-3.6/same:42)").
std::vector<SummaryRow> report_summary(const ReportData& data, const std::vector<ReportRemedies>& remedies);

// The remedies file for a scenario (same name and base digest), or nullptr.
const ReportRemedies* remedies_for(const ScenarioResult& scenario, const std::vector<ReportRemedies>& remedies);
// When no file matches: one for the same scenario name made from another digest (the scenario file
// changed since `run --format json` wrote it), or nullptr; the report says which digest it was for.
const ReportRemedies* stale_remedies_for(const ScenarioResult& scenario, const std::vector<ReportRemedies>& remedies);

// The arm a scenario variant's summary row calls "yours" (the Optuna arm that does worst), or nullptr.
const ArmResult* user_arm_of(const VariantResult& variant);

// Whose remedies a scenario's "What to change" section shows. A remedies file ranks the remedies of
// each Optuna arm of the scenario as written (`run SCENARIO --format json`). When the scenario as
// written is one of the report's points, that point's "your arm"; when the scenario was swept only
// at axis points, the arm that most points call "yours" (the first such point's on a tie), and
// `swept_keys` names the keys the points set, so the section can say the remedies were simulated
// on the scenario as written, not at each point. An empty `arm` when no point has an arm.
struct RemediesArm {
  std::string arm;                      // "optuna-3.6/none"
  bool as_written = false;              // the scenario as written is one of the points
  std::vector<std::string> swept_keys;  // "workers.processes", ... (empty when as_written)
};
RemediesArm remedies_arm_of(const ScenarioResult& scenario);
// For a scenario swept only at axis points: what the remedies were simulated on, in one sentence
// ("This sweep's points set workers.processes; the remedies below were simulated on the scenario as
// written, ..."). Plain text (renderers escape it).
std::string remedies_scope_note(const RemediesArm& arm);
// The arms a remedies file ranks: "optuna-3.6/none, optuna-3.6/same:42", or "no arm".
std::string ranked_arms(const ReportRemedies& file);

}  // namespace samplersim
