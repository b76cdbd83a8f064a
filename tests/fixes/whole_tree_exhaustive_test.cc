// The fault-free guarantees of the three claiming fixes, checked on EVERY schedule (with the
// checking work's stateless DFS, app/check_explore.h) of the small scenarios:
//   two-by-two   (2 processes, 2 combinations, n_trials=1, constant latencies): the whole tree;
//   three-by-three (3 processes, 3 combinations): every schedule with at most 3 non-default picks
//   (delay bounding) — the whole tree exceeds 2,000,000 schedules without a partial-order
//   reduction, which the explorer does not have.
// Complements exhaustive_test.cc, which covers the first choice points of deeper scenarios.
#include <gtest/gtest.h>

#include "app/check_explore.h"
#include "app/scenario_files.h"

namespace samplersim {
namespace {

CheckResult explore(const std::string& file, const std::string& policy, std::optional<int> bound) {
  const ScenarioSpec spec = load_scenario(std::string(SAMPLERSIM_SOURCE_DIR) + "/tests/data/" + file);
  CheckRequest req;
  req.spec = &spec;
  req.arm = Arm{PolicyRegistry::find(policy), SeedPolicy{}};
  req.properties = {Property::kCoverage, Property::kNoRepeats, Property::kTermination};
  req.strategy.kind = StrategyKind::kExhaustive;
  req.preemption_bound = bound;
  req.budget = 200000;
  req.start_seed = spec.seed;
  return run_check(req);
}

TEST(WholeTree, TwoByTwoEverySchedule) {
  for (const char* policy : {"atomic-claim", "enqueue-all", "leased-claim"}) {
    const CheckResult r = explore("golden/two-by-two.toml", policy, std::nullopt);
    EXPECT_TRUE(r.exhausted) << policy << ": " << r.schedules << " schedules, budget ran out";
    EXPECT_FALSE(r.counterexample) << policy << ": " << r.counterexample->violation.detail;
    EXPECT_GT(r.schedules, 1000u) << policy;  // the tree really branches
  }
}

TEST(WholeTree, ThreeByThreeEveryScheduleWithinThreePreemptions) {
  for (const char* policy : {"atomic-claim", "enqueue-all", "leased-claim"}) {
    const CheckResult r = explore("scenarios/three-by-three.toml", policy, 3);
    EXPECT_TRUE(r.exhausted) << policy << ": " << r.schedules << " schedules, budget ran out";
    EXPECT_FALSE(r.counterexample) << policy << ": " << r.counterexample->violation.detail;
    EXPECT_GT(r.schedules, 400u) << policy;
  }
}

// The same whole-tree search does find the race in a policy that has it (the check can fail).
TEST(WholeTree, TwoByTwoFindsTheOptuna32SameSeedRace) {
  const ScenarioSpec spec = load_scenario(std::string(SAMPLERSIM_SOURCE_DIR) + "/tests/data/golden/two-by-two.toml");
  CheckRequest req;
  req.spec = &spec;
  req.arm = Arm{PolicyRegistry::find("optuna-3.2"), *parse_seed_policy("same:42")};
  req.properties = {Property::kNoRepeats};
  req.strategy.kind = StrategyKind::kExhaustive;
  req.budget = 200000;
  req.start_seed = spec.seed;
  EXPECT_TRUE(run_check(req).counterexample);
}

}  // namespace
}  // namespace samplersim
