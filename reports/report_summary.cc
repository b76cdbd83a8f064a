#include "reports/report_summary.h"

#include <algorithm>
#include <set>
#include <tuple>
#include <utility>

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

const ReportRemedies* stale_remedies_for(const ScenarioResult& scenario, const std::vector<ReportRemedies>& remedies) {
  for (const ReportRemedies& r : remedies) {
    if (r.scenario == scenario.name && r.digest != scenario.base_digest) return &r;
  }
  return nullptr;
}

const ArmResult* user_arm_of(const VariantResult& v) {
  const ArmResult* worst = worst_of(v, true);
  return worst != nullptr ? worst : worst_of(v, false);
}

RemediesArm remedies_arm_of(const ScenarioResult& sc) {
  RemediesArm out;
  for (const VariantResult& v : sc.variants) {
    const ArmResult* user = v.axes.empty() ? user_arm_of(v) : nullptr;
    if (user != nullptr) {
      out.arm = user->label();
      out.as_written = true;
      return out;
    }
  }
  std::vector<std::pair<std::string, int>> votes;  // in the order of the points
  std::set<std::string> keys;
  for (const VariantResult& v : sc.variants) {
    for (const auto& [key, value] : v.axes.items()) keys.insert(key);
    const ArmResult* user = user_arm_of(v);
    if (user == nullptr) continue;
    auto it = std::find_if(votes.begin(), votes.end(), [&](const auto& x) { return x.first == user->label(); });
    if (it == votes.end()) {
      votes.emplace_back(user->label(), 1);
    } else {
      ++it->second;
    }
  }
  int most = 0;
  for (const auto& [arm, count] : votes) {
    if (count > most) {
      most = count;
      out.arm = arm;
    }
  }
  out.swept_keys.assign(keys.begin(), keys.end());
  return out;
}

std::string remedies_scope_note(const RemediesArm& arm) {
  std::string keys;
  for (const std::string& k : arm.swept_keys) keys += (keys.empty() ? "" : ", ") + k;
  return fmt::format("This sweep's points set {}; the remedies below were simulated on the scenario as written, not at "
                     "each point, for {}, the arm that does worst at most points: their effects at a point can differ "
                     "(each point's table compares the policies and seed policies run there).",
                     keys, arm.arm);
}

std::string ranked_arms(const ReportRemedies& file) {
  std::string arms;
  for (const ReportRemedyRanking& r : file.rankings) arms += (arms.empty() ? "" : ", ") + r.arm;
  return arms.empty() ? "no arm" : arms;
}

std::vector<SummaryRow> report_summary(const ReportData& data, const std::vector<ReportRemedies>& remedies) {
  std::vector<SummaryRow> rows = report_summary(data);
  std::size_t row = 0;
  for (const ScenarioResult& sc : data.scenarios) {
    const ReportRemedies* file = remedies_for(sc, remedies);
    for (const VariantResult& v : sc.variants) {
      if (v.arms.empty()) continue;
      SummaryRow& r = rows[row++];
      if (file == nullptr || r.best_today == "nothing to fix") continue;
      if (!v.axes.empty()) {
        // A sweep point: its own arms answer; where none compared here does better, the remedy the
        // section ranks for the scenario as written (no numbers: they were not simulated here).
        const ReportRemedyRanking* ranking = file->for_arm(remedies_arm_of(sc).arm);
        if (ranking == nullptr) continue;
        const auto name = [](const ReportRemedy* x) {
          return fmt::format("not compared at this point; for the scenario as written: {} ({})", x->title, x->simulated);
        };
        if (r.best_today == "nothing better among the Optuna arms compared" && ranking->best(false) != nullptr) {
          r.best_today = name(ranking->best(false));
        }
        if (r.best_design.empty() && ranking->best(true) != nullptr) r.best_design = name(ranking->best(true));
        continue;
      }
      const ReportRemedyRanking* ranking = file->for_arm(r.user_arm);
      if (ranking == nullptr) continue;
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
