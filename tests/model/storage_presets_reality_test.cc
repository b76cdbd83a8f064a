// Issue 12(c): the `journal-file` and `postgresql` store presets against the real runs — 4
// processes on this 2-core machine sweep a 4x5 grid, objective U(0.05, 0.25) s, seed None, Optuna
// 3.1.0 and 4.9.0, 20 runs per row (calibration/data/storages/{journal,postgresql}-w4-4x5-*.jsonl.gz,
// calibration/README.md "Issue 12(c)"); scenarios/calibration/{journal,postgresql}-w4-4x5.toml.
//
// Statistic: Welch's t between the simulated runs (kReps on the scenario's fixed run seed) and the
// recorded real sample (its n, mean and sample standard deviation, copied below from the data
// files). The threshold 8.4 is above the two-sided 1e-6/12 quantile of Student's t with 19
// degrees of freedom (8.38); Welch's degrees of freedom here are at least n_real - 1 = 19, so a
// model whose means equal the real ones fails any of the 12 comparisons with probability < 1e-6
// in all (Bonferroni; normal approximation of the means).
//
// Asserted on all four rows: repeats, trials and makespan (last trial's end). The PostgreSQL
// makespans are outside the real 99.5% intervals (simulated 2.01 s against 2.13 [2.02, 2.24] for
// 3.1.0, 2.44 s against 2.19 [2.03, 2.36] for 4.9.0; |t| about 3 and 4.3) but well inside the 1e-6
// threshold; README "Store presets and the machine model" lists them. Both scenarios use the
// cpu_share fitted on the issue 12(b) SQLite rows, nothing fitted on these rows.
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "model_test_util.h"

namespace samplersim {
namespace {

using testing::Sample;
using testing::sample_of;

struct RealRow {
  std::string scenario, version, policy;
  Sample repeats, trials, makespan_s;
};

// n, mean, sample sd of `repeats`, `total_trials` and `makespan_s` over the 20 runs of each file.
const std::vector<RealRow>& real_rows() {
  static const std::vector<RealRow> rows{
      {"journal-w4-4x5", "3.1.0", "optuna-3.1", {20, 3.5, 0.688247}, {20, 23.5, 0.688247}, {20, 0.96688, 0.0615531}},
      {"journal-w4-4x5", "4.9.0", "optuna-4", {20, 3.15, 0.366348}, {20, 23.15, 0.366348}, {20, 0.96534, 0.116192}},
      {"postgresql-w4-4x5", "3.1.0", "optuna-3.1", {20, 6.65, 0.988087}, {20, 26.65, 0.988087}, {20, 2.12603, 0.174141}},
      {"postgresql-w4-4x5", "4.9.0", "optuna-4", {20, 3.35, 0.587143}, {20, 23.35, 0.587143}, {20, 2.19277, 0.258641}},
  };
  return rows;
}

constexpr int kReps = 1000;
constexpr double kTCritical = 8.4;  // t_{19}, two-sided 1e-6 / 12 comparisons

double welch_t(const Sample& sim, const Sample& real) {
  const double se = std::sqrt(sim.sd * sim.sd / sim.n + real.sd * real.sd / real.n);
  if (se == 0) return sim.mean == real.mean ? 0.0 : INFINITY;
  return (sim.mean - real.mean) / se;
}

struct Simulated {
  Sample repeats, trials, makespan_s;
};

Simulated simulate(const RealRow& row) {
  const ScenarioSpec spec = testing::builtin("calibration/" + row.scenario);
  const std::vector<RunSummary> runs = testing::run_arm(spec, testing::arm(row.policy, "none"), kReps);
  EXPECT_EQ(runs.size(), static_cast<std::size_t>(kReps));
  return {sample_of(runs, [](const RunSummary& r) { return static_cast<double>(r.repeats); }),
          sample_of(runs, [](const RunSummary& r) { return static_cast<double>(r.trials); }),
          sample_of(runs, [](const RunSummary& r) { return static_cast<double>(r.makespan_us) / 1e6; })};
}

std::string describe(const char* what, const Sample& sim, const Sample& real) {
  return std::string(what) + ": simulated " + std::to_string(sim.mean) + " (sd " + std::to_string(sim.sd) +
         "), real " + std::to_string(real.mean) + " (sd " + std::to_string(real.sd) +
         "), Welch t = " + std::to_string(welch_t(sim, real));
}

TEST(StoragePresetsReality, RepeatsTrialsAndMakespanMatchTheRealRuns) {
  std::vector<double> makespan_mean;
  for (const RealRow& row : real_rows()) {
    SCOPED_TRACE(row.scenario + " " + row.policy + " (" + row.version + ")");
    const Simulated sim = simulate(row);
    EXPECT_LE(std::fabs(welch_t(sim.repeats, row.repeats)), kTCritical) << describe("repeats", sim.repeats, row.repeats);
    EXPECT_LE(std::fabs(welch_t(sim.trials, row.trials)), kTCritical) << describe("trials", sim.trials, row.trials);
    EXPECT_LE(std::fabs(welch_t(sim.makespan_s, row.makespan_s)), kTCritical)
        << describe("makespan s", sim.makespan_s, row.makespan_s);
    makespan_mean.push_back(sim.makespan_s.mean);
  }
  // PostgreSQL's round trips and server work make a study slower than on the journal file, for
  // the same version (real: 2.13 s against 0.97 s, 2.19 s against 0.97 s).
  ASSERT_EQ(makespan_mean.size(), 4u);
  EXPECT_GT(makespan_mean[2], makespan_mean[0]);
  EXPECT_GT(makespan_mean[3], makespan_mean[1]);
}

}  // namespace
}  // namespace samplersim
