// Closed form for optuna-3.6/none: W processes that each take exactly N/W of the first N trial
// numbers evaluate, for trial number k of process p, combination perm_p[k] with perm_p an
// independent uniform permutation. A combination c is missed iff, for every p, perm_p^{-1}(c)
// falls outside p's N/W numbers: probability (1 − 1/W)^W. So E[coverage fraction] = 1 − (1 − 1/W)^W.
#include <gtest/gtest.h>

#include <cmath>

#include "model_test_util.h"
#include "sim/simulation.h"

namespace samplersim {
namespace {

ScenarioSpec closed_form_spec(int w, int per_process) {
  ScenarioSpec spec;
  spec.name = "closed-form";
  GridParam x;
  x.name = "x";
  for (int v = 0; v < w * per_process; ++v) {
    GridValue gv;
    gv.int_value = v;
    x.values.push_back(gv);
  }
  spec.grid = {x};
  spec.processes = w;
  // Processes start 1 s apart and each trial takes 10 ms, so every process runs its n_trials
  // back to back before the next starts: process p takes trial numbers [p·N/W, (p+1)·N/W).
  spec.start_stagger_us = kMicrosPerSecond;
  spec.objective_duration = DurationDist::constant(10 * kMicrosPerMilli);
  spec.request_latency = DurationDist::uniform(100, 900);
  spec.response_latency = DurationDist::uniform(100, 900);
  spec.n_trials = per_process;
  spec.policies = {"optuna-3.6"};
  spec.seed_policies = {SeedPolicy{}};
  spec.seed = 20261128;
  return spec;
}

// Confidence: each run's covered fraction lies in [0, 1]; by Hoeffding, the mean of R = 20,000
// independent runs is within 0.02 of its expectation except with probability
// 2·exp(−2·R·0.02²) = 2·exp(−16) < 3e-7.
void check_closed_form(int w, int per_process) {
  const ScenarioSpec spec = closed_form_spec(w, per_process);
  const int n = w * per_process;
  const auto runs = testing::run_arm(spec, testing::arm("optuna-3.6", "none"), 20000);
  double covered = 0;
  for (const RunSummary& r : runs) {
    ASSERT_EQ(r.trials, n) << "run seed " << r.run_seed;
    covered += static_cast<double>(n - r.never_evaluated) / n;
  }
  const double mean = covered / static_cast<double>(runs.size());
  const double expected = 1.0 - std::pow(1.0 - 1.0 / w, w);
  EXPECT_NEAR(mean, expected, 0.02) << "W=" << w << " N=" << n;
}

TEST(ClosedForm, TwoProcessesCoverThreeQuarters) { check_closed_form(2, 6); }
TEST(ClosedForm, FourProcessesCoverOneMinusThreeQuartersToTheFourth) { check_closed_form(4, 3); }

}  // namespace
}  // namespace samplersim
