// app/arms.h: scenario_key_line (where an error points) and check_can_simulate (a policy that cannot
// simulate a scenario is refused as bad input before any run).
#include "app/arms.h"

#include <gtest/gtest.h>

#include "sim/errors.h"

namespace samplersim {
namespace {

constexpr const char* kText =
    "name = \"k\"\n"            // 1
    "[grid]\n"                  // 2
    "x = [0, 1]\n"              // 3
    "[workers]\n"               // 4
    "processes = 2\n"           // 5
    "  threads=2 # n_jobs\n"    // 6
    "[[group]]\n"               // 7
    "threads = 3\n"             // 8
    "[faults]\n"                // 9
    "store_error_rate = 0.1\n"  // 10: a longer key that starts like store_error
    "store_error = 0.01\n"      // 11
    "faults.stall = 1\n";       // 12: under [faults], so not the top-level dotted key

TEST(ScenarioKeyLine, FindsTheKeyUnderItsTable) {
  EXPECT_EQ(scenario_key_line(kText, "workers.threads"), 6);
  EXPECT_EQ(scenario_key_line(kText, "workers.processes"), 5);
  EXPECT_EQ(scenario_key_line(kText, "group.threads"), 8);
  EXPECT_EQ(scenario_key_line(kText, "faults.store_error"), 11);
  EXPECT_EQ(scenario_key_line(kText, "grid.x"), 3);
  EXPECT_EQ(scenario_key_line(kText, "name"), 1);
}

TEST(ScenarioKeyLine, ZeroWhenTheTextDoesNotSpellIt) {
  EXPECT_EQ(scenario_key_line(kText, "faults.heartbeat_interval"), 0);
  EXPECT_EQ(scenario_key_line(kText, "optimize.n_trials"), 0);
  EXPECT_EQ(scenario_key_line("", "workers.threads"), 0);
  EXPECT_EQ(scenario_key_line("faults.store_error = 1\n", "faults.store_error"), 1);  // top-level dotted
}

TEST(CheckCanSimulate, RefusesWithFileLineAndKey) {
  ScenarioSpec spec;
  spec.name = "k";
  spec.source_path = "my/k.toml";
  spec.source_text = kText;
  PolicyInfo policy;
  policy.name = "picky";
  policy.cannot_simulate = [](const ScenarioSpec&) { return std::string("workers.threads > 1 (n_jobs)"); };
  try {
    check_can_simulate(policy, spec);
    FAIL() << "expected BadInput";
  } catch (const BadInput& e) {
    EXPECT_EQ(e.file(), "my/k.toml");
    EXPECT_EQ(e.line(), 6);
    EXPECT_EQ(e.key(), "workers.threads");
    EXPECT_NE(std::string(e.what()).find("picky does not simulate workers.threads > 1 (n_jobs) yet"), std::string::npos)
        << e.what();
  }
  policy.cannot_simulate = [](const ScenarioSpec&) { return std::string(); };
  EXPECT_NO_THROW(check_can_simulate(policy, spec));
  policy.cannot_simulate = {};
  EXPECT_NO_THROW(check_can_simulate(policy, spec));
}

}  // namespace
}  // namespace samplersim
