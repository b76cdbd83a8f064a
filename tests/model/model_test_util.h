// Helpers for model tests: load a built-in scenario, run an arm for many reps, collect numbers.
#pragma once

#include <string>
#include <vector>

#include "app/arms.h"
#include "app/rep_runner.h"
#include "app/scenario_files.h"
#include "sim/seed_policy.h"

#ifndef SAMPLERSIM_SOURCE_DIR
#error "SAMPLERSIM_SOURCE_DIR must be defined"
#endif

namespace samplersim::testing {

inline ScenarioSpec builtin(const std::string& name) {
  return load_scenario(std::string(SAMPLERSIM_SOURCE_DIR) + "/scenarios/" + name + ".toml");
}

inline Arm arm(const std::string& policy, const std::string& seed_policy) {
  return Arm{PolicyRegistry::find(policy), *parse_seed_policy(seed_policy)};
}

inline std::vector<RunSummary> run_arm(const ScenarioSpec& spec, const Arm& a, int reps, int jobs = 2) {
  std::vector<RunSummary> out;
  run_reps(spec, {a}, RepRange{0, reps}, jobs,
           [&](std::size_t, const std::vector<RunSummary>& runs) { out = runs; });
  return out;
}

}  // namespace samplersim::testing
