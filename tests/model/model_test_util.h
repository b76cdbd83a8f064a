// Helpers for model tests: load a built-in scenario, run an arm for many reps, collect numbers.
#pragma once

#include <algorithm>
#include <cmath>
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

// A sample's size, mean and standard deviation (n − 1 in the denominator).
struct Sample {
  double n = 0, mean = 0, sd = 0;
  double standard_error() const { return n > 0 ? sd / std::sqrt(n) : 0.0; }
};

// The sample of `field(run)` over the runs. Cost: one pass.
template <class Field>
Sample sample_of(const std::vector<RunSummary>& runs, Field field) {
  double sum = 0, sum_sq = 0;
  for (const RunSummary& r : runs) {
    const double x = field(r);
    sum += x;
    sum_sq += x * x;
  }
  const double n = static_cast<double>(runs.size());
  const double mean = n > 0 ? sum / n : 0.0;
  return {n, mean, n > 1 ? std::sqrt(std::max(0.0, (sum_sq - n * mean * mean) / (n - 1))) : 0.0};
}

}  // namespace samplersim::testing
