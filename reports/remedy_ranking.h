// Ranking the remedies for one arm: which simulated changes do better than what the user runs now.
//
// A remedy option is a change (a seed, a setting, an upgrade, a library design) already simulated
// on the same scenario (app/remedies.h makes and runs them); here it is only compared, on three
// per-run metrics in this order of importance: uncovered combinations (no COMPLETE trial: the
// grid search's answer is incomplete), repeats (evaluations beyond a combination's first) and
// wasted objective time.
//
// Rule (documented in the README and the report), at confidence c (0.95):
//   better on m  <=> the Welch interval at c of mean_remedy(m) - mean_arm(m) lies below 0;
//   worse on m   <=> it lies above 0 (with zero variance on both sides: the means differ).
//   recommended  <=> better on at least one metric and worse on none;
//   trade-off    <=> better on one, worse on another (shown as such, never recommended);
//   not better   <=> better on none (an option identical to the arm lands here).
//   not compared <=> on some metric the means differ but the runs cannot be compared
//                    (can_compare() in reports/stats.h: one rep, or a few equal runs a side),
//                    and it is worse on none that can: never recommended.
// Recommended options are ranked by group (same Optuna version first, then after an upgrade, then
// library designs), then by mean uncovered, mean repeats, mean wasted time, then catalogue order
// (simpler changes first). So a
// recommendation is never the arm itself or something significantly worse on any metric.
// Pure functions; the text and JSON forms are for `run`, `audit` and the report.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "reports/arm_stats.h"

namespace samplersim {

enum class RemedyGroup : std::uint8_t {
  kSameVersion = 0,  // in your Optuna today, without upgrading
  kUpgrade = 1,      // in your Optuna today, after upgrading to 4.x
  kMaintainers = 2,  // for library maintainers: designs Optuna does not have
};
// "in your Optuna today" for kSameVersion and kUpgrade; "for library maintainers" for kMaintainers.
std::string_view remedy_level_name(RemedyGroup group);
std::string_view remedy_group_name(RemedyGroup group);

struct RemedyOption {
  std::string id;      // "same-seed", "upgrade-4+max-trials-none"
  RemedyGroup group = RemedyGroup::kSameVersion;
  std::string title;   // one line in plain words
  std::string target;  // what was simulated: "optuna-3.6/same:42", "optuna-4/none with optimize.max_trials=48"
  std::string code;    // the exact Python (or shell) to write; lines separated by '\n'
  std::string note;    // caveat or guarantee status; may be ""
  int order = 0;       // catalogue position: among equal numbers the simpler change comes first
  ArmStats stats;      // its simulated runs
};

// kUnfinished: some of its runs reached a simulation limit (the change never finishes the study
// here, e.g. a claim fix that retries a combination whose every trial FAILs); never compared.
// kNotCompared: too few reps to tell the change from noise on a metric where the means differ
// (one rep a side, or fewer than kMinEqualRunsForInterval equal runs on both: reports/stats.h);
// no statistical statement is made about it.
enum class RemedyVerdict : std::uint8_t {
  kRecommended = 0,
  kTradeOff = 1,
  kNotBetter = 2,
  kWorse = 3,
  kUnfinished = 4,
  kNotCompared = 5,
};
std::string_view to_string(RemedyVerdict v);

struct RankedRemedy {
  RemedyOption option;
  RemedyVerdict verdict = RemedyVerdict::kNotBetter;
  std::string change;  // "uncovered 0.89 -> 0, repeats 0.89 -> 0, wasted 1.78 s -> 0 s"
};

struct RemedyRanking {
  std::string arm_label;  // "optuna-3.6/none"
  std::string family;     // "Optuna 3.4–3.6"
  ArmStats arm;
  std::vector<RankedRemedy> remedies;  // recommended in rank order, then trade-offs, not better, worse

  // The best recommended remedy of a level (kSameVersion also covers kUpgrade), if any.
  const RankedRemedy* best_for_user() const;
  const RankedRemedy* best_for_maintainers() const;
};

RemedyRanking rank_remedies(std::string arm_label, std::string family, const ArmStats& arm,
                            std::vector<RemedyOption> options, double confidence = 0.95);

// Terminal text: the arm's numbers, then each recommended remedy (with the code of the best one of
// each level), then one line naming the trade-offs and the options that were not better.
std::string format_remedy_ranking(const RemedyRanking& ranking);
// "What to change (...)" and every ranking, as `run` and `audit --simulate` print them; "" when
// `rankings` is empty. `reps`: the reps each remedy was simulated with.
std::string format_remedies_section(const std::vector<RemedyRanking>& rankings, int reps);
nlohmann::json remedy_ranking_json(const RemedyRanking& ranking, double confidence = 0.95);

// One sentence about a remedy's effect: "0.89 -> 0 repeats, 0.89 -> 0 uncovered, 1.78 s -> 0 s wasted per run".
std::string remedy_change_text(const ArmStats& arm, const ArmStats& remedy);

}  // namespace samplersim
