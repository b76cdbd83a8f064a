// scenario_of_audit (app/audit.h): the scenario `audit --simulate` runs for a study read from its
// database must be able to run that study: its virtual-time limit grows with long trials.
#include <gtest/gtest.h>

#include <string>
#include <utility>

#include "app/audit.h"
#include "tests/model/model_test_util.h"

namespace samplersim {
namespace {

constexpr VirtualTime kHourUs = 3600 * kMicrosPerSecond;

// A study of a 4x3 grid whose COMPLETE trials took `min_us` to `max_us`.
AuditResult study_of(VirtualTime min_us, VirtualTime max_us) {
  AuditResult audit;
  audit.study = "long-trials";
  for (const auto& [name, count] : {std::pair<const char*, int>{"x", 4}, {"y", 3}}) {
    GridParam param{name, {}};
    for (int v = 0; v < count; ++v) param.values.push_back(GridValue{GridValue::Kind::kInt, v, 0.0, "", false});
    audit.grid.push_back(param);
  }
  audit.metrics.grid_size = 12;
  audit.min_duration_us = min_us;
  audit.max_duration_us = max_us;
  return audit;
}

// 4-12 h trials on 6 processes: a real study of about 26 h. The default 24 h limit stopped every
// simulated run ("passed [run] max_virtual_time"); the limit is now 4 x (12 + 6) x 12 h, and runs
// finish.
TEST(AuditScenario, LongTrialsGetAVirtualTimeLimitThatFitsThem) {
  const ScenarioSpec spec = scenario_of_audit(study_of(4 * kHourUs, 12 * kHourUs), 6);
  EXPECT_EQ(spec.limits.max_virtual_time_us, 4 * 18 * 12 * kHourUs);
  const std::vector<RunSummary> runs = testing::run_arm(spec, testing::arm("optuna-3.6", "none"), 20);
  ASSERT_EQ(runs.size(), 20u);
  for (const RunSummary& r : runs) EXPECT_GT(r.trials, 0) << "run seed " << r.run_seed;
}

// Short trials keep the default (the inferred scenario text is unchanged for them).
TEST(AuditScenario, ShortTrialsKeepTheDefaultLimit) {
  const ScenarioSpec spec = scenario_of_audit(study_of(93'000, 330'000), 4);
  EXPECT_EQ(spec.limits.max_virtual_time_us, 24 * kHourUs);
  EXPECT_EQ(spec.source_text.find("max_virtual_time"), std::string::npos);
}

}  // namespace
}  // namespace samplersim
