// Every row of the real runs' summary table (tests/data/real-runs/summary-table.md, the project's
// copy of the measurements of Optuna 3.2.0, 3.6.1 and 4.9.0 on SQLite) is reproduced: for the same
// scenario, model and seed policy, the simulated means of repeats, never-evaluated and trials, and
// the simulated P(repeats > 0), lie inside the real runs' 99.5% intervals. The store latencies in
// the built-in scenarios were calibrated once for all rows (docs/fidelity.md "Fidelity"); nothing per row.
//
// The simulated side uses 1,000 runs (grid-4x5-w4) or 4,000 runs (issue-5489) on the scenario's
// fixed seed, so its own sampling error (sd of mean repeats about 0.03) is small next to the real
// intervals' half-widths (0.3–0.9).
#include <gtest/gtest.h>

#include "app/real_runs_table.h"
#include "model_test_util.h"

namespace samplersim {
namespace {

std::vector<RealRunsRow> rows() {
  return read_real_runs_table(std::string(SAMPLERSIM_SOURCE_DIR) + "/tests/data/real-runs/summary-table.md");
}

TEST(RealRuns, TableHasAllFifteenRows) { EXPECT_EQ(rows().size(), 15u); }

TEST(RealRuns, EveryRowIsReproduced) {
  for (const RealRunsRow& row : rows()) {
    SCOPED_TRACE(row.scenario + " " + row.model + " " + row.seed_policy);
    const ScenarioSpec spec = testing::builtin(row.scenario);
    const int reps = row.scenario == "issue-5489" ? 4000 : 1000;
    const SimulatedRow sim = simulated_row(testing::run_arm(spec, testing::arm(row.model, row.seed_policy), reps));
    // A degenerate real interval ([0, 0] or [3, 3]) is matched within 0.005 of its point.
    constexpr double slack = 0.005;
    EXPECT_TRUE(row.repeats.contains(sim.repeats, slack)) << "repeats " << sim.repeats;
    EXPECT_TRUE(row.never_evaluated.contains(sim.never_evaluated, slack)) << "never " << sim.never_evaluated;
    EXPECT_TRUE(row.trials.contains(sim.trials, slack)) << "trials " << sim.trials;
    EXPECT_GE(sim.p_repeats, row.p_repeats_low);
    EXPECT_LE(sim.p_repeats, row.p_repeats_high);
  }
}

}  // namespace
}  // namespace samplersim
