// reports/report_summary.h: which arm is "yours", which is the best in Optuna today and which the
// best library design, on hand-built results whose answer follows from the rule in the header.
#include "reports/report_summary.h"

#include <gtest/gtest.h>

namespace samplersim {
namespace {

ArmResult arm(const char* policy, const char* seed, std::vector<std::int64_t> repeats, std::int64_t uncovered) {
  ArmResult a;
  a.policy = policy;
  a.seed_policy = seed;
  for (std::size_t i = 0; i < 10; ++i) {
    RunMetrics m;
    m.repeats = repeats[i % repeats.size()];
    m.uncovered = uncovered;
    m.trials = 20;
    m.objective_time_us = 1'000'000;
    a.stats.add(m);
  }
  return a;
}

VariantResult variant(std::vector<ArmResult> arms) {
  VariantResult v;
  v.axes = nlohmann::json::object();
  v.processes = 4;
  v.threads = 1;
  v.grid_size = 20;
  v.arms = std::move(arms);
  return v;
}

TEST(ReportSummary, NamesTheWorstOptunaArmAndTheBestChanges) {
  ReportData d;
  d.scenarios.push_back({"grid", "abc",
                         {variant({arm("optuna-3.6", "none", {8}, 5), arm("optuna-3.6", "same:42", {3}, 0),
                                   arm("optuna-4", "none", {3, 4}, 0), arm("leased-claim", "none", {0}, 0),
                                   arm("atomic-claim", "none", {0}, 1)})}});
  const auto rows = report_summary(d);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].scenario, "grid");
  EXPECT_EQ(rows[0].user_arm, "optuna-3.6/none");
  EXPECT_EQ(rows[0].user_result, "repeats 8 per run (100% of runs), 5 uncovered");
  EXPECT_EQ(rows[0].best_today, "optuna-3.6/same:42: repeats 3, 0 uncovered");
  EXPECT_EQ(rows[0].best_design, "leased-claim/none: repeats 0, 0 uncovered");
  EXPECT_EQ(rows[0].setup, "4 processes × 1 thread, 20 combinations");
}

TEST(ReportSummary, PrefersTheUsersReleaseThenAnother) {
  ReportData d;
  // optuna-4/none is best overall, but optuna-3.6/same:42 is better than the user's arm: it comes first.
  d.scenarios.push_back({"g", "d", {variant({arm("optuna-3.6", "none", {8}, 5), arm("optuna-3.6", "same:42", {3}, 0),
                                             arm("optuna-4", "none", {2}, 0)})}});
  EXPECT_EQ(report_summary(d)[0].best_today, "optuna-3.6/same:42: repeats 3, 0 uncovered");
  // No better seed policy within 3.6: the other release.
  d.scenarios[0].variants[0].arms[1] = arm("optuna-3.6", "same:42", {8}, 5);
  EXPECT_EQ(report_summary(d)[0].best_today, "optuna-4/none: repeats 2, 0 uncovered");
}

TEST(ReportSummary, OneRowPerSweepPointAndNothingToFixWhenClean) {
  ReportData d;
  VariantResult a = variant({arm("optuna-4", "none", {0}, 0), arm("atomic-claim", "none", {0}, 0)});
  VariantResult b = variant({arm("optuna-4", "none", {2}, 0), arm("atomic-claim", "none", {0}, 0)});
  b.axes = {{"workers.processes", 8}};
  d.scenarios.push_back({"s", "d", {a, b}});
  const auto rows = report_summary(d);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].best_today, "nothing to fix");
  EXPECT_EQ(rows[0].best_design, "");
  EXPECT_EQ(rows[1].point, b.describe());
  EXPECT_EQ(rows[1].best_today, "nothing better among the Optuna arms compared");
  EXPECT_EQ(rows[1].best_design, "atomic-claim/none: repeats 0, 0 uncovered");
}

}  // namespace
}  // namespace samplersim
