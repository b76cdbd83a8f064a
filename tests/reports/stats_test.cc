// Interval quantiles (reports/stats.h) come from Boost.Math. Checked against published values
// (NIST/SEMATECH e-Handbook, table of t critical values, and the standard normal), and against
// the hand table the project used before: that table was rounded to 3 decimals (2 for dof 1 at
// 0.995), so Boost must agree with it to within half a unit of its last digit.
#include "reports/stats.h"

#include "reports/arm_stats.h"
#include "reports/report_model.h"

#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <stdexcept>
#include <string>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace samplersim {
namespace {

TEST(Quantiles, MatchPublishedValues) {
  const double pi = std::acos(-1.0);
  EXPECT_NEAR(z_quantile(0.95), 1.959963984540054, 1e-12);
  EXPECT_NEAR(z_quantile(0.99), 2.5758293035489, 1e-12);
  EXPECT_NEAR(z_quantile(0.995), 2.807033768343811, 1e-12);
  // Closed forms: dof 1 is the Cauchy distribution, t = tan(pi (p - 1/2)); dof 2 has
  // t = (2p - 1) / sqrt(2 p (1 - p)). p is the upper quantile: (1 + confidence) / 2.
  EXPECT_NEAR(t_quantile(0.95, 1), std::tan(pi * 0.475), 1e-9);
  EXPECT_NEAR(t_quantile(0.995, 1), std::tan(pi * 0.4975), 1e-7);
  EXPECT_NEAR(t_quantile(0.95, 2), 0.95 / std::sqrt(2 * 0.975 * 0.025), 1e-12);
  // Published 7-digit values (t tables, e.g. NIST/SEMATECH e-Handbook 1.3.6.7.2).
  EXPECT_NEAR(t_quantile(0.95, 10), 2.228139, 1e-6);
  EXPECT_NEAR(t_quantile(0.95, 30), 2.042272, 1e-6);
  EXPECT_NEAR(t_quantile(0.95, 120), 1.979930, 1e-6);
  EXPECT_NEAR(t_quantile(0.95, 1'000'000), z_quantile(0.95), 1e-5);
}

TEST(Quantiles, AgreeWithTheOldHandTableWithinItsRounding) {
  const std::array<double, 30> t95 = {12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
                                      2.201,  2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086,
                                      2.080,  2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042};
  const std::array<double, 30> t995 = {127.32, 14.089, 7.453, 5.598, 4.773, 4.317, 4.029, 3.833, 3.690, 3.581,
                                       3.497,  3.428,  3.372, 3.326, 3.286, 3.252, 3.222, 3.197, 3.174, 3.153,
                                       3.135,  3.119,  3.104, 3.091, 3.078, 3.067, 3.057, 3.047, 3.038, 3.030};
  for (std::int64_t dof = 1; dof <= 30; ++dof) {
    const auto i = static_cast<std::size_t>(dof - 1);
    EXPECT_NEAR(t_quantile(0.95, dof), t95[i], 0.0005) << "dof " << dof;
    EXPECT_NEAR(t_quantile(0.995, dof), t995[i], dof == 1 ? 0.005 : 0.0005) << "dof " << dof;
  }
}

TEST(Quantiles, TIsAboveNormalAndFallsWithDof) {
  double previous = t_quantile(0.95, 1);
  for (std::int64_t dof = 2; dof <= 2000; dof += 7) {
    const double t = t_quantile(0.95, dof);
    EXPECT_LT(t, previous) << dof;
    EXPECT_GT(t, z_quantile(0.95)) << dof;
    previous = t;
  }
}

TEST(Quantiles, OutOfDomainArgumentsAreProgrammingErrors) {
  EXPECT_THROW(t_quantile(0.95, 0), std::domain_error);
  EXPECT_THROW(z_quantile(1.0), std::domain_error);
  EXPECT_THROW(z_quantile(0.0), std::domain_error);
  EXPECT_THROW(wilson_interval(1, 0, 0.95), std::domain_error);
  EXPECT_THROW(wilson_interval(3, 2, 0.95), std::domain_error);
}

TEST(Intervals, MeanIntervalUsesStudentT) {
  MeanAccumulator m;
  for (double x : {1.0, 2.0, 3.0, 4.0}) m.add(x);
  const Interval i = m.interval(0.95);
  // mean 2.5, s = sqrt(5/3), half = t(0.975, 3) * s / 2 = 3.182446 * 0.645497
  EXPECT_DOUBLE_EQ(i.estimate, 2.5);
  EXPECT_NEAR(i.high - i.estimate, 3.182446305284263 * 0.6454972243679028, 1e-9);
  const Interval w = wilson_interval(0, 10, 0.95);
  EXPECT_EQ(w.low, 0.0);
  EXPECT_NEAR(w.high, 0.2775327998628899, 1e-9);
}

// A count's interval is clamped at 0 (reports/stats.h): one run of 200 with 5 repeats has mean
// 0.025 and a t interval reaching to about -0.024, which the tables, charts and JSON must not show.
TEST(Intervals, ACountsIntervalIsClampedAtZeroWhereverItIsShown) {
  ArmStats a;
  a.label = "optuna-3.6/none";
  a.runs = 200;
  a.runs_with_repeats = 1;
  for (int i = 0; i < 200; ++i) {
    const double x = i == 0 ? 5.0 : 0.0;
    for (MeanAccumulator* m : {&a.repeats, &a.never_evaluated, &a.uncovered, &a.trials, &a.wasted_time_s, &a.makespan_s,
                               &a.wasted_share}) {
      m->add(x);
    }
  }
  const Interval t = a.repeats.interval(0.95);
  ASSERT_LT(t.low, 0.0) << "the t interval itself reaches below 0";
  EXPECT_NEAR(t.estimate, 0.025, 1e-12);

  EXPECT_EQ(format_mean_ci(a.repeats, 3), "0.025 [0.000, " + fmt::format("{:.3f}", t.high) + "]");
  EXPECT_EQ(format_percent_mean_ci(a.wasted_share).find("-"), std::string::npos) << format_percent_mean_ci(a.wasted_share);
  const std::string table = format_arm_table({a}, 0.95);
  EXPECT_EQ(table.find("-0."), std::string::npos) << table;
  EXPECT_NE(table.find("0.025 [0.000, "), std::string::npos) << table;
  const nlohmann::json j = arm_stats_json(a, 0.95);
  for (const char* key : {"repeats", "never_evaluated", "uncovered", "trials", "wasted_time_s", "makespan_s"}) {
    EXPECT_EQ(j.at(key).at("low").get<double>(), 0.0) << key;
  }
}

// 0 of n printed its low end as 5.55e-17 for some n (floating-point cancellation): exact ends.
TEST(Intervals, WilsonEndsAreExactAtZeroAndAllOfN) {
  for (std::int64_t n = 1; n <= 2000; ++n) {
    EXPECT_EQ(wilson_interval(0, n, 0.95).low, 0.0) << n;
    EXPECT_EQ(wilson_interval(n, n, 0.95).high, 1.0) << n;
  }
}

// --reps 1 printed "1.000 [1.000, 1.000]"; two equal runs a zero-width interval. Say why there is
// no interval instead; from 30 equal runs on, the interval is shown (rule of three: under 10%).
TEST(Intervals, TooFewRunsOrNoVarianceSayNaInsteadOfAZeroWidthInterval) {
  ArmStats one;
  one.label = "optuna-3.6/none";
  RunMetrics m;
  m.repeats = 1;
  m.trials = 20;
  one.add(m);
  EXPECT_EQ(interval_unavailable(one.repeats), "n/a (1 rep)");
  const std::string table = format_arm_table({one}, 0.95);
  EXPECT_NE(table.find("1.000 n/a (1 rep)"), std::string::npos) << table;
  EXPECT_EQ(table.find("1.000 [1.000, 1.000]"), std::string::npos) << table;
  EXPECT_EQ(format_mean_ci(one.repeats, 3), "1.000 n/a (1 rep)");
  ArmStats two = one;
  two.add(m);
  EXPECT_EQ(format_mean_ci(two.repeats, 3), "1.000 n/a (all 2 runs equal)");
  MeanAccumulator thirty;
  for (int i = 0; i < 30; ++i) thirty.add(0.0);
  EXPECT_EQ(format_mean_ci(thirty, 3), "0.000 [0.000, 0.000]");
  EXPECT_FALSE(can_compare(two.repeats, two.repeats));
  EXPECT_TRUE(can_compare(thirty, thirty));
}

// A 7-digit mean widens its column: every line of the table keeps the same layout.
TEST(ArmTable, AWideMeanWidensItsColumnInsteadOfShiftingTheRow) {
  std::vector<ArmStats> arms(2);
  arms[0].label = "optuna-4/none";
  arms[1].label = "optuna-3.6/none";
  for (int i = 0; i < 40; ++i) {
    RunMetrics a;
    a.trials = 1'234'567 + i;
    a.repeats = i % 3;
    arms[0].add(a);
    RunMetrics b;
    b.trials = 20;
    b.repeats = i % 2;
    arms[1].add(b);
  }
  const std::string table = format_arm_table(arms, 0.95);
  std::vector<std::size_t> lengths;
  for (std::size_t start = 0; start < table.size();) {
    const std::size_t end = table.find('\n', start);
    lengths.push_back(end - start);
    start = end + 1;
  }
  ASSERT_EQ(lengths.size(), 3u) << table;
  EXPECT_EQ(lengths[0], lengths[1]) << table;
  EXPECT_EQ(lengths[0], lengths[2]) << table;
  EXPECT_NE(table.find("1234586.50"), std::string::npos) << table;
}

}  // namespace
}  // namespace samplersim
