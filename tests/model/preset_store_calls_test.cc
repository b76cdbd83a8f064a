// Issue 12: under the RDB store presets (sqlite, postgresql) the model makes, per trial, the
// storage calls that reach the database in the real runs, no more and no fewer.
//
// Real side: every `_CachedStorage` method call of the real runs is recorded per run in the data
// files' `ops` (calibration/measure/mp_grid.py `instrument`, which wraps the instance's methods, so
// a get_trial made inside get_trial_system_attrs is counted as a get_trial too). Calls per trial that
// reach the database, per run (the values below are n, mean and sample sd over each file's 20 runs):
//  - 3.1.0: read_trials_from_remote_storage + create_new_trial + set_trial_system_attr +
//    set_trial_param + 2 x set_trial_state_values (its backend.get_trial read-back; optuna 3.1.0
//    optuna/storages/_cached_storage.py). get_all_trials, get_trial and get_trial_system_attrs are
//    answered from the cache (the owned trial, the study as of the refresh): exactly 8 in every run.
//  - 3.2.0, 3.6.1, 4.9.0: get_all_trials + create_new_trial + get_trial + set_trial_system_attr +
//    set_trial_param + set_trial_state_values: the 3.2+ cache holds only trials it read finished
//    (optuna/storages/_cached_storage.py at v3.2.0, v3.6.1, v4.9.0), so every call reaches it.
// Model side: RunMetrics::store_ops / trials of each run (every store operation of the run; no
// heartbeats, enqueues or faults in these scenarios).
//
// Statistic: Welch's t between the simulated and the real per-run means, |t| <= 8.4 (as
// storage_presets_reality_test.cc: above Student's t_19 two-sided 1e-6 / 10 comparisons, so a model
// whose mean equals the real one fails any row with probability < 1e-6 in all). The 3.1.0 rows have
// no spread on either side: every simulated run must make exactly 8 calls per trial. Before this
// count was modelled the model made 12 (3.1.0), 13 (3.2.0) and 12.2–12.3 (3.6.1, 4.9.0) per trial.
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
  std::string scenario, data, policy;
  Sample calls_per_trial;
};

const std::vector<RealRow>& real_rows() {
  static const std::vector<RealRow> rows{
      {"sqlite-w8-4x5", "oversubscribed/w8-4x5-3.1.0-none", "optuna-3.1", {20, 8.0, 0.0}},
      {"sqlite-w8-4x5", "oversubscribed/w8-4x5-3.2.0-none", "optuna-3.2", {20, 14.112053, 0.071021}},
      {"sqlite-w8-4x5", "oversubscribed/w8-4x5-3.6.1-none", "optuna-3.6", {20, 13.360311, 0.057090}},
      {"sqlite-w8-4x5", "oversubscribed/w8-4x5-4.9.0-none", "optuna-4", {20, 13.399438, 0.104765}},
      {"sqlite-w8-5x8", "oversubscribed/w8-5x8-3.1.0-none", "optuna-3.1", {20, 8.0, 0.0}},
      {"sqlite-w8-5x8", "oversubscribed/w8-5x8-3.2.0-none", "optuna-3.2", {20, 14.056107, 0.043657}},
      {"sqlite-w8-5x8", "oversubscribed/w8-5x8-3.6.1-none", "optuna-3.6", {20, 13.236823, 0.041779}},
      {"sqlite-w8-5x8", "oversubscribed/w8-5x8-4.9.0-none", "optuna-4", {20, 13.234599, 0.043111}},
      {"postgresql-w4-4x5", "storages/postgresql-w4-4x5-3.1.0-none", "optuna-3.1", {20, 8.0, 0.0}},
      {"postgresql-w4-4x5", "storages/postgresql-w4-4x5-4.9.0-none", "optuna-4", {20, 13.240163, 0.050631}},
  };
  return rows;
}

constexpr int kReps = 300;
constexpr double kTCritical = 8.4;

TEST(PresetStoreCalls, DatabaseCallsPerTrialMatchTheRealRuns) {
  for (const RealRow& row : real_rows()) {
    SCOPED_TRACE(row.data + " (" + row.policy + ")");
    const ScenarioSpec spec = testing::builtin("calibration/" + row.scenario);
    const std::vector<RunSummary> runs = testing::run_arm(spec, testing::arm(row.policy, "none"), kReps);
    ASSERT_EQ(runs.size(), static_cast<std::size_t>(kReps));
    const Sample sim = sample_of(runs, [](const RunSummary& r) {
      return static_cast<double>(r.store_ops) / static_cast<double>(r.trials);
    });
    if (row.calls_per_trial.sd == 0) {
      const auto per_trial = static_cast<std::uint64_t>(row.calls_per_trial.mean);
      int off = 0;
      for (const RunSummary& r : runs) {
        if (r.store_ops == per_trial * static_cast<std::uint64_t>(r.trials)) continue;
        if (off++ == 0) {
          ADD_FAILURE() << "rep " << r.rep << " (run seed " << r.run_seed << "): " << r.store_ops
                        << " store operations for " << r.trials << " trials, expected " << per_trial << " per trial";
        }
      }
      EXPECT_EQ(off, 0) << "runs not making exactly " << per_trial << " calls per trial";
      continue;
    }
    const Sample& real = row.calls_per_trial;
    const double se = std::sqrt(sim.sd * sim.sd / sim.n + real.sd * real.sd / real.n);
    const double t = (sim.mean - real.mean) / se;
    EXPECT_LE(std::abs(t), kTCritical) << "calls per trial: simulated " << sim.mean << " (sd " << sim.sd << "), real "
                                       << real.mean << " (sd " << real.sd << "), Welch t = " << t;
  }
}

}  // namespace
}  // namespace samplersim
