// The fault-free guarantees of the three claiming fixes, checked on EVERY schedule of the small
// scenarios (exhaustive search, app/check_explore.h):
//   two-by-two   (2 processes, 2 combinations, n_trials=1, constant latencies): the whole tree,
//                by the full depth-first search (thousands of schedules) and with partial-order
//                reduction (one schedule per class; tests/properties/dpor_soundness_test.cc shows
//                both find the same outcomes);
//   three-by-three (3 processes, 3 combinations): the whole tree with partial-order reduction
//                (the full tree exceeds 2,000,000 schedules), and every schedule with at most 3
//                non-default picks by the full search (delay bounding).
// Complements exhaustive_test.cc, which covers the first choice points of deeper scenarios.
#include <gtest/gtest.h>

#include "app/check_explore.h"
#include "app/scenario_files.h"

namespace samplersim {
namespace {

CheckResult explore(const std::string& file, const std::string& policy, std::optional<int> bound,
                    Reduction reduction = Reduction::kNone) {
  const ScenarioSpec spec = load_scenario(std::string(SAMPLERSIM_SOURCE_DIR) + "/tests/data/" + file);
  CheckRequest req;
  req.spec = &spec;
  req.arm = Arm{PolicyRegistry::find(policy), SeedPolicy{}};
  req.properties = {Property::kCoverage, Property::kNoRepeats, Property::kTermination};
  req.strategy.kind = StrategyKind::kExhaustive;
  req.preemption_bound = bound;
  req.reduction = reduction;
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

TEST(WholeTree, TwoByTwoAndThreeByThreeEveryClass) {
  for (const char* file : {"golden/two-by-two.toml", "scenarios/three-by-three.toml"}) {
    for (const char* policy : {"atomic-claim", "enqueue-all", "leased-claim"}) {
      const CheckResult r = explore(file, policy, std::nullopt, Reduction::kSourceDpor);
      EXPECT_TRUE(r.exhausted) << file << " " << policy << ": " << r.schedules << " schedules, budget ran out";
      EXPECT_FALSE(r.counterexample) << file << " " << policy << ": " << r.counterexample->violation.detail;
      EXPECT_GT(r.classes, 1u) << file << " " << policy;  // the workers' orders really matter
    }
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
