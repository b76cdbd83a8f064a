#include "reports/report_summary.h"

#include <tuple>

#include <fmt/format.h>

#include "reports/human_units.h"

namespace samplersim {

namespace {

bool models_optuna(const ArmResult& a) { return a.policy.rfind("optuna-", 0) == 0; }

// Smaller is better: uncovered, then repeats, then wasted share.
auto badness(const ArmResult& a) {
  return std::make_tuple(a.stats.uncovered.mean(), a.stats.repeats.mean(), a.stats.wasted_share.mean());
}

std::string result_text(const ArmResult& a) {
  const double share = a.stats.runs > 0 ? 100.0 * static_cast<double>(a.stats.runs_with_repeats) / static_cast<double>(a.stats.runs) : 0.0;
  return fmt::format("repeats {} per run ({:.0f}% of runs), {} uncovered", format_count(a.stats.repeats.mean()), share,
                     format_count(a.stats.uncovered.mean()));
}

std::string short_text(const ArmResult& a) {
  return fmt::format("{}: repeats {}, {} uncovered", a.label(), format_count(a.stats.repeats.mean()),
                     format_count(a.stats.uncovered.mean()));
}

// The best arm that models Optuna (or not); with `policy`, only arms of that policy.
const ArmResult* best_of(const VariantResult& v, bool optuna, const std::string& policy = "") {
  const ArmResult* best = nullptr;
  for (const ArmResult& a : v.arms) {
    if (models_optuna(a) != optuna || (!policy.empty() && a.policy != policy)) continue;
    if (!best || badness(a) < badness(*best)) best = &a;
  }
  return best;
}

const ArmResult* worst_of(const VariantResult& v, bool optuna) {
  const ArmResult* worst = nullptr;
  for (const ArmResult& a : v.arms) {
    if (models_optuna(a) != optuna) continue;
    if (!worst || badness(*worst) < badness(a)) worst = &a;
  }
  return worst;
}

}  // namespace

const ReportRemedies* remedies_for(const ScenarioResult& scenario, const std::vector<ReportRemedies>& remedies) {
  for (const ReportRemedies& r : remedies) {
    if (r.scenario == scenario.name && r.digest == scenario.base_digest) return &r;
  }
  return nullptr;
}

const ArmResult* user_arm_of(const VariantResult& v) {
  const ArmResult* worst = worst_of(v, true);
  return worst != nullptr ? worst : worst_of(v, false);
}

std::vector<SummaryRow> report_summary(const ReportData& data, const std::vector<ReportRemedies>& remedies) {
  std::vector<SummaryRow> rows = report_summary(data);
  std::size_t row = 0;
  for (const ScenarioResult& sc : data.scenarios) {
    const ReportRemedies* file = remedies_for(sc, remedies);
    for (const VariantResult& v : sc.variants) {
      if (v.arms.empty()) continue;
      SummaryRow& r = rows[row++];
      const ReportRemedyRanking* ranking = file != nullptr && v.axes.empty() ? file->for_arm(r.user_arm) : nullptr;
      if (ranking == nullptr || r.best_today == "nothing to fix") continue;
      const auto text = [](const ReportRemedy* x, const char* none) {
        return x == nullptr ? std::string(none) : fmt::format("{} ({}): {}", x->title, x->simulated, x->change);
      };
      r.best_today = text(ranking->best(false), "no simulated change in Optuna does better");
      r.best_design = text(ranking->best(true), "no simulated design does better");
    }
  }
  return rows;
}

std::vector<SummaryRow> report_summary(const ReportData& data) {
  std::vector<SummaryRow> rows;
  for (const ScenarioResult& sc : data.scenarios) {
    for (const VariantResult& v : sc.variants) {
      if (v.arms.empty()) continue;
      SummaryRow r;
      r.scenario = sc.name;
      r.point = v.describe();
      r.setup = v.setup();
      const bool has_optuna = worst_of(v, true) != nullptr;
      const ArmResult* user = has_optuna ? worst_of(v, true) : worst_of(v, false);
      r.user_arm = user->label();
      r.user_result = result_text(*user);
      const bool clean = user->stats.runs_with_repeats == 0 && user->stats.uncovered.mean() == 0.0;
      // Within the user's release first (another seed policy), then any Optuna arm compared.
      const ArmResult* today = has_optuna ? best_of(v, true, user->policy) : nullptr;
      if (today && !(badness(*today) < badness(*user))) today = best_of(v, true);
      if (clean) {
        r.best_today = "nothing to fix";
      } else if (today && badness(*today) < badness(*user)) {
        r.best_today = short_text(*today);
      } else {
        r.best_today = has_optuna ? "nothing better among the Optuna arms compared" : "";
      }
      const ArmResult* design = best_of(v, false);
      if (!clean && design && design != user && badness(*design) < badness(*user)) r.best_design = short_text(*design);
      rows.push_back(std::move(r));
    }
  }
  return rows;
}

}  // namespace samplersim
