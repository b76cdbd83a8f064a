// AtomicClaimSampler (samplers/atomic_claim.h) with enqueued trials: an enqueued trial claims the
// combination its fixed params name, so the coordination fixes keep covering the whole grid when
// users enqueue favourites first (before this, each enqueued trial claimed a *random* open
// combination and evaluated its own params, so the claimed combinations were never evaluated).
#include <gtest/gtest.h>

#include <cstdint>
#include <string>

#include "sim/scenario_spec.h"
#include "sim/seed_policy.h"
#include "sim/simulation.h"
#include "sim/strategy.h"

namespace samplersim {
namespace {

GridValue iv(std::int64_t v) {
  GridValue g;
  g.kind = GridValue::Kind::kInt;
  g.int_value = v;
  return g;
}

// 3x3 grid, 4 processes; every process enqueues (0, 1) and (2, 2) before its loop (#2925's
// pattern), then optimizes; an atomic WAITING -> RUNNING claim (the default store).
ScenarioSpec enqueue_spec(bool partial) {
  ScenarioSpec spec;
  spec.name = "atomic-claim-enqueue";
  spec.grid = {GridParam{"a", {iv(0), iv(1), iv(2)}}, GridParam{"b", {iv(0), iv(1), iv(2)}}};
  spec.processes = 4;
  spec.objective_duration = DurationDist::uniform(1000, 9000);
  spec.request_latency = DurationDist::uniform(100, 900);
  spec.response_latency = DurationDist::uniform(100, 900);
  for (const std::vector<int>& params : {std::vector<int>{0, 1}, std::vector<int>{2, partial ? -1 : 2}}) {
    EnqueueSpec e;
    e.params = params;
    e.by = EnqueueSpec::By::kEachProcess;
    spec.enqueued.push_back(e);
  }
  return spec;
}

RunOutcome run(const ScenarioSpec& spec, const std::string& policy, std::uint64_t seed) {
  RandomStrategy strategy(seed);
  return simulate(RunRequest{&spec, PolicyRegistry::find(policy), *parse_seed_policy("none"), seed, &strategy});
}

// Deterministic per seed: every seed must cover the grid (no statistics involved).
TEST(AtomicClaimSampler, EnqueuedTrialsClaimTheirOwnCombination) {
  const ScenarioSpec spec = enqueue_spec(false);
  for (const char* policy : {"atomic-claim", "leased-claim", "fenced-leased-claim"}) {
    for (std::uint64_t seed = 1; seed <= 50; ++seed) {
      const RunOutcome o = run(spec, policy, seed);
      ASSERT_EQ(o.uncovered, 0) << policy << " run seed " << seed;
      ASSERT_EQ(o.never_evaluated, 0) << policy << " run seed " << seed;
      // 8 enqueued trials (4 per combination) evaluate both favourites 4 times: 6 repeats. The grid
      // adds at most one evaluation to each (a grid claim of a favourite made before a later process
      // enqueued it), never a repeat elsewhere: at most 8.
      EXPECT_GE(o.repeats, 6) << policy << " run seed " << seed;
      EXPECT_LE(o.repeats, 8) << policy << " run seed " << seed;
    }
  }
}

// A partly fixed enqueued trial names no combination: it runs unclaimed, its unfixed suggest fails
// it, and the grid is still covered by the claims.
TEST(AtomicClaimSampler, PartlyFixedEnqueuedTrialsLeaveTheGridToTheClaims) {
  const ScenarioSpec spec = enqueue_spec(true);
  for (std::uint64_t seed = 1; seed <= 50; ++seed) {
    const RunOutcome o = run(spec, "atomic-claim", seed);
    ASSERT_EQ(o.uncovered, 0) << "run seed " << seed;
  }
}

}  // namespace
}  // namespace samplersim
