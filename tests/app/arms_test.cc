// app/arms.h: scenario_key_line (where an error points), check_can_simulate (a policy that cannot
// simulate a scenario is refused as bad input before any run) and check_sampler_memory (an arm whose
// samplers would not fit in [run] max_sampler_memory_mib is refused likewise, with the most
// processes that fit).
#include "app/arms.h"

#include <gtest/gtest.h>

#include "sim/errors.h"
#include "app/scenario_files.h"

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


// A 10^6-point grid searched by 4,096 processes (the most a scenario allows).
std::string big_grid_text(const std::string& run_table) {
  return "name = \"big\"\n"
         "[grid]\n"
         "a = { range = [0, 1000] }\n"
         "b = { range = [0, 1000] }\n"
         "[workers]\n"
         "processes = 4096\n"  // line 6
         "[objective]\n"
         "duration = \"1s\"\n"
         "[compare]\n"
         "policies = [\"optuna-3.2\", \"optuna-3.6\", \"optuna-4\"]\n"
         "seed_policies = [\"none\", \"same:42\", \"distinct:1\"]\n" +
         run_table;
}

Arm arm(const std::string& policy, const std::string& seed) {
  return Arm{PolicyRegistry::find(policy), *parse_seed_policy(seed)};
}

// optuna-3.6 shuffles `_all_grids` with each process's RNG: with seed=None or distinct seeds every
// process holds its own copy (about 20 bytes per point: 4,096 x 10^6 x 20 B = 76 GiB), which is
// refused; one seed for all (same:42), optuna-4 (seed=None means 0) and optuna-3.2 (no shuffle)
// hold one copy and run.
TEST(CheckSamplerMemory, RefusesOneShuffledCopyPerProcessBeyondTheLimit) {
  const ScenarioSpec spec = load_scenario_text(big_grid_text(""), "my/big.toml");
  for (const char* seed : {"none", "distinct:1"}) {
    try {
      check_sampler_memory(arm("optuna-3.6", seed), spec);
      FAIL() << "expected BadInput for optuna-3.6/" << seed;
    } catch (const BadInput& e) {
      EXPECT_EQ(e.file(), "my/big.toml");
      EXPECT_EQ(e.line(), 6);
      EXPECT_EQ(e.key(), "workers.processes");
      EXPECT_EQ(e.got(), "4096 processes");
      // 8,192 MiB / (10^6 points x 20 bytes) = 429.5 copies.
      EXPECT_NE(e.expected().find("at most 429 processes under optuna-3.6/"), std::string::npos) << e.what();
      EXPECT_NE(e.expected().find("76.3 GiB"), std::string::npos) << e.what();
    }
  }
  EXPECT_NO_THROW(check_sampler_memory(arm("optuna-3.6", "same:42"), spec));
  EXPECT_NO_THROW(check_sampler_memory(arm("optuna-4", "none"), spec));
  EXPECT_NO_THROW(check_sampler_memory(arm("optuna-3.2", "distinct:1"), spec));
}

TEST(CheckSamplerMemory, ALimitSetInTheFileIsTheKeyNamed) {
  const ScenarioSpec spec = load_scenario_text(big_grid_text("[run]\nmax_sampler_memory_mib = 10\n"), "my/big.toml");
  try {
    check_sampler_memory(arm("optuna-3.2", "none"), spec);  // one copy: 19 MiB > 10 MiB
    FAIL() << "expected BadInput";
  } catch (const BadInput& e) {
    EXPECT_EQ(e.key(), "run.max_sampler_memory_mib");
    EXPECT_EQ(e.line(), 13);
    EXPECT_NE(e.expected().find("fewer grid points"), std::string::npos) << e.what();
  }
}

TEST(CheckSamplerMemory, ArmsOfRefusesTheScenarioBeforeAnyRun) {
  const ScenarioSpec spec = load_scenario_text(big_grid_text(""), "my/big.toml");
  EXPECT_THROW(arms_of(spec, {}, {}), BadInput);
  EXPECT_NO_THROW(arms_of(spec, {"optuna-3.6"}, {*parse_seed_policy("same:42")}));
}

}  // namespace
}  // namespace samplersim
