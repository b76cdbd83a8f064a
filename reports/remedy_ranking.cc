#include "reports/remedy_ranking.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <tuple>

#include <fmt/format.h>

#include "reports/human_units.h"
#include "sim/plural.h"

namespace samplersim {

namespace {

enum class Effect : std::uint8_t { kSame, kBetter, kWorse, kUnknown };

struct Metric {
  const char* name;
  const MeanAccumulator ArmStats::*field;
  bool is_time;
};

// In order of importance (the ranking's order).
constexpr std::array<Metric, 3> kMetrics = {{
    {"uncovered", &ArmStats::uncovered, false},
    {"repeats", &ArmStats::repeats, false},
    {"wasted", &ArmStats::wasted_time_s, true},
}};

Effect effect_on(const MeanAccumulator& arm, const MeanAccumulator& remedy, double z) {
  const double d = remedy.mean() - arm.mean();
  if (!can_compare(arm, remedy)) return d == 0 ? Effect::kSame : Effect::kUnknown;
  const auto var_of_mean = [](const MeanAccumulator& m) {
    return m.count() > 0 ? m.variance() / static_cast<double>(m.count()) : 0.0;
  };
  const double se = std::sqrt(var_of_mean(arm) + var_of_mean(remedy));
  if (d + z * se < 0) return Effect::kBetter;
  if (d - z * se > 0) return Effect::kWorse;
  return Effect::kSame;
}

std::string value_text(const Metric& m, double v) { return m.is_time ? format_duration_s(v) : format_count(v); }

// Two decimals, as the arm line always printed them, but never "0.00" for a mean that is not 0.
std::string two_decimals(double v) {
  const std::string s = fmt::format("{:.2f}", v);
  return v != 0 && (s == "0.00" || s == "-0.00") ? format_count(v) : s;
}

}  // namespace

std::string_view remedy_level_name(RemedyGroup group) {
  return group == RemedyGroup::kMaintainers ? "for library maintainers" : "in your Optuna today";
}

std::string_view remedy_group_name(RemedyGroup group) {
  switch (group) {
    case RemedyGroup::kSameVersion: return "in your Optuna version";
    case RemedyGroup::kUpgrade: return "after upgrading to Optuna 4.x";
    case RemedyGroup::kMaintainers: return "for library maintainers";
  }
  return "?";
}

std::string_view to_string(RemedyVerdict v) {
  switch (v) {
    case RemedyVerdict::kRecommended: return "recommended";
    case RemedyVerdict::kTradeOff: return "trade-off";
    case RemedyVerdict::kNotBetter: return "not better";
    case RemedyVerdict::kWorse: return "worse";
    case RemedyVerdict::kUnfinished: return "does not finish";
    case RemedyVerdict::kNotCompared: return "not compared";
  }
  return "?";
}

std::string remedy_change_text(const ArmStats& arm, const ArmStats& remedy) {
  std::string out;
  for (const Metric& m : kMetrics) {
    if (!out.empty()) out += ", ";
    out += fmt::format("{} {} -> {}", m.name, value_text(m, (arm.*m.field).mean()), value_text(m, (remedy.*m.field).mean()));
  }
  return out + " per run";
}

const RankedRemedy* RemedyRanking::best_for_user() const {
  for (const RankedRemedy& r : remedies) {
    if (r.verdict == RemedyVerdict::kRecommended && r.option.group != RemedyGroup::kMaintainers) return &r;
  }
  return nullptr;
}

const RankedRemedy* RemedyRanking::best_for_maintainers() const {
  for (const RankedRemedy& r : remedies) {
    if (r.verdict == RemedyVerdict::kRecommended && r.option.group == RemedyGroup::kMaintainers) return &r;
  }
  return nullptr;
}

RemedyRanking rank_remedies(std::string arm_label, std::string family, const ArmStats& arm,
                            std::vector<RemedyOption> options, double confidence) {
  const double z = z_quantile(confidence);
  RemedyRanking out;
  out.arm_label = std::move(arm_label);
  out.family = std::move(family);
  out.arm = arm;
  for (RemedyOption& o : options) {
    bool better = false, worse = false, unknown = false;
    for (const Metric& m : kMetrics) {
      const Effect e = effect_on(arm.*m.field, o.stats.*m.field, z);
      better = better || e == Effect::kBetter;
      worse = worse || e == Effect::kWorse;
      unknown = unknown || e == Effect::kUnknown;
    }
    RankedRemedy r;
    r.verdict = better ? (worse ? RemedyVerdict::kTradeOff : RemedyVerdict::kRecommended)
                       : (worse ? RemedyVerdict::kWorse : RemedyVerdict::kNotBetter);
    if (unknown && r.verdict != RemedyVerdict::kWorse && r.verdict != RemedyVerdict::kTradeOff) {
      r.verdict = RemedyVerdict::kNotCompared;
    }
    r.change = remedy_change_text(arm, o.stats);
    if (o.stats.runs_unfinished > 0) {
      r.verdict = RemedyVerdict::kUnfinished;
      r.change = fmt::format("{} of {} runs did not finish: {}", o.stats.runs_unfinished,
                             o.stats.runs_unfinished + o.stats.runs, o.stats.first_unfinished);
    }
    r.option = std::move(o);
    out.remedies.push_back(std::move(r));
  }
  const auto key = [](const RankedRemedy& r) {
    return std::make_tuple(r.verdict, r.option.group, r.option.stats.uncovered.mean(), r.option.stats.repeats.mean(),
                           r.option.stats.wasted_time_s.mean(), r.option.order);
  };
  std::stable_sort(out.remedies.begin(), out.remedies.end(),
                   [&](const RankedRemedy& a, const RankedRemedy& b) { return key(a) < key(b); });
  return out;
}

std::string format_remedy_ranking(const RemedyRanking& r) {
  std::string out = fmt::format("{} ({}): {} repeats, {} uncovered, {} wasted per run\n", r.arm_label, r.family,
                                two_decimals(r.arm.repeats.mean()), two_decimals(r.arm.uncovered.mean()),
                                format_duration_s(r.arm.wasted_time_s.mean()));
  if (r.arm.runs_with_repeats == 0 && r.arm.uncovered.mean() == 0.0) {
    return out + "  nothing to fix: no run repeated a combination or left one without a COMPLETE trial\n";
  }
  std::optional<RemedyGroup> group;
  int rank = 0;
  const RankedRemedy* best_user = r.best_for_user();
  const RankedRemedy* best_maint = r.best_for_maintainers();
  std::vector<std::string> trade_offs, not_better, unfinished, not_compared;
  for (const RankedRemedy& x : r.remedies) {
    if (x.verdict == RemedyVerdict::kNotCompared) {
      not_compared.push_back(x.option.id);
      continue;
    }
    if (x.verdict == RemedyVerdict::kUnfinished) {
      unfinished.push_back(fmt::format("    {} [{}]: {}\n", x.option.title, x.option.id, x.change));
      continue;
    }
    if (x.verdict == RemedyVerdict::kTradeOff) {
      trade_offs.push_back(fmt::format("    {} [{}]: {}\n", x.option.title, x.option.id, x.change));
      continue;
    }
    if (x.verdict != RemedyVerdict::kRecommended) {
      not_better.push_back(x.option.id);
      continue;
    }
    if (!group || *group != x.option.group) {
      group = x.option.group;
      rank = 0;
      out += fmt::format("  {}:\n", remedy_group_name(x.option.group));
    }
    out += fmt::format("    {}. {} [{}]: {}\n", ++rank, x.option.title, x.option.id, x.change);
    if (&x == best_user || &x == best_maint) {
      std::size_t start = 0;
      for (int guard = 0; guard < 200 && start < x.option.code.size(); ++guard) {
        const std::size_t end = x.option.code.find('\n', start);
        out += "         | " + x.option.code.substr(start, end - start) + "\n";
        if (end == std::string::npos) break;
        start = end + 1;
      }
    }
    if (!x.option.note.empty()) out += "       note: " + x.option.note + "\n";
  }
  const auto join = [](const std::vector<std::string>& v) {
    std::string s;
    for (const auto& e : v) s += (s.empty() ? "" : ", ") + e;
    return s;
  };
  if (!not_compared.empty()) {
    // One rep (or a few equal runs) says nothing about the noise: no statistical recommendation.
    out += fmt::format("  {}: with {} a change cannot be told from noise; run with --reps {} or more ({})\n",
                       best_user || best_maint ? "not compared" : "no recommendation", plural(r.arm.runs, "run"),
                       kMinEqualRunsForInterval, join(not_compared));
  } else if (!best_user && !best_maint) {
    out += "  no simulated change does better on one metric without doing worse on another\n";
  }
  if (!trade_offs.empty()) {
    out += "  trade-offs (better on one metric, worse on another; not recommended):\n";
    for (const std::string& t : trade_offs) out += t;
  }
  if (!not_better.empty()) out += "  not better here: " + join(not_better) + "\n";
  if (!unfinished.empty()) {
    out += "  does not finish here (a run reached a simulation limit; not compared):\n";
    for (const std::string& u : unfinished) out += u;
  }
  return out;
}

nlohmann::json remedy_ranking_json(const RemedyRanking& r, double confidence) {
  nlohmann::json remedies = nlohmann::json::array();
  for (const RankedRemedy& x : r.remedies) {
    remedies.push_back({
        {"id", x.option.id},
        {"verdict", std::string(to_string(x.verdict))},
        {"level", std::string(remedy_level_name(x.option.group))},
        {"group", std::string(remedy_group_name(x.option.group))},
        {"title", x.option.title},
        {"simulated", x.option.target},
        {"change", x.change},
        {"code", x.option.code},
        {"note", x.option.note},
        {"stats", arm_stats_json(x.option.stats, confidence)},
    });
  }
  return nlohmann::json{{"arm", r.arm_label}, {"family", r.family}, {"stats", arm_stats_json(r.arm, confidence)},
                        {"remedies", std::move(remedies)}};
}

std::string format_remedies_section(const std::vector<RemedyRanking>& rankings, int reps) {
  if (rankings.empty()) return "";
  std::string out = fmt::format(
      "\nWhat to change (each change simulated with the same {}; recommended = better on uncovered, "
      "repeats or wasted time and worse on none, 95% Welch intervals; ranked by uncovered, repeats, wasted):\n",
      plural(reps, "rep"));
  for (const RemedyRanking& r : rankings) out += "\n" + format_remedy_ranking(r);
  return out;
}

}  // namespace samplersim
