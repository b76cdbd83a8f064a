// simulate(): one deterministic run of a scenario under one policy and seed policy.
//
// The whole public surface of the engine for callers: build a RunRequest, get a RunOutcome.
// Same (scenario, policy, seed policy, run seed, strategy picks) ⇒ same trace hash, always.
// A worker or strategy exception or a limit breach is rethrown as RunFailure carrying the run seed
// that reproduces it, except ReplayDivergence (a recorded schedule that does not fit the run: a
// finding), which passes through unchanged. Runs share nothing, so different threads may simulate different runs at once.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "sim/grid_space.h"
#include "sim/scenario_spec.h"
#include "sim/run_outcome.h"
#include "sim/sampler.h"
#include "sim/seed_policy.h"
#include "sim/strategy.h"
#include "sim/trace.h"

namespace samplersim {

struct RunRequest {
  const ScenarioSpec* spec = nullptr;
  const PolicyInfo* policy = nullptr;
  SeedPolicy seed_policy;
  std::uint64_t run_seed = 0;
  Strategy* strategy = nullptr;  // resolves choice points; not owned
};

// Raised when a run cannot complete; what() names the policy, seed policy and run seed.
class RunFailure : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A RunFailure whose cause is one of the run's limits (SimulationLimitExceeded: steps, virtual
// time, trials, polls): the scenario does not finish under this policy, rather than a defect.
class RunLimitReached : public RunFailure {
 public:
  using RunFailure::RunFailure;
};

// Runs once. If `trace` is given it receives every event (and keeps them if it was built to).
RunOutcome simulate(const RunRequest& request, Trace* trace = nullptr);

// As simulate(), with processes `omitted_processes` (ascending, each in [0, processes), not all;
// only for a policy without its own worker driver) left out: their workers are spawned at their usual start instant and return at once, so every
// other worker keeps its id, its random streams and its start. What shrinking a counterexample to
// fewer processes runs (app/check_explore.h). Empty: the same run as simulate().
RunOutcome simulate_without(const RunRequest& request, const std::vector<int>& omitted_processes,
                            Trace* trace = nullptr);

}  // namespace samplersim
