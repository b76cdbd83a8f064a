// Properties each policy is expected to SATISFY, over generated small scenarios and choice vectors
// (see small_scenario_gen.h). Each runs 1,000 generated cases with a fixed RapidCheck seed; a failure
// prints the shrunk case (scenario, run seed, choice vector) and the RapidCheck seed.
//
// Why they hold (reference: ../shared/reference/optuna-grid-behaviour.md):
//  - termination, every policy: a worker runs at most N + 1 trials (see termination_bounds_for).
//  - coverage without caps, optuna-3.2 (any seed), optuna-4 (none, same:S), optuna-3.6/same:S:
//    a process stops only when every other grid id is finished and its own is written, and all
//    processes map ids to the same combinations (3.2 does not shuffle; 4.x None means seed 0;
//    same:S gives one permutation), so every combination gets a COMPLETE trial.
//  - no-repeats with processes * n_trials <= N, optuna-4 (none, same:S) and optuna-3.6/same:S:
//    every trial number is below N, so trial k takes grid id k (unique) through one shared
//    permutation; no read-choose-write window exists.
//  - replay, every policy: the recorded picks reproduce the trace hash.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include "small_scenario_gen.h"

namespace samplersim {
namespace {

using testing::Caps;
using testing::GenOptions;
using testing::SmallCase;

struct PolicyArm {
  const char* policy;
  const char* seed;  // "same" draws S in [0, 100)
};

SeedPolicy draw_seed_policy(const char* kind) {
  if (std::string(kind) == "none") return SeedPolicy{};
  return SeedPolicy{SeedPolicy::Kind::kSame, *rc::gen::inRange<std::uint64_t>(0, 100)};
}

// Draws an arm from `arms`, a case, runs it and fails with a reproducible message on a violation.
template <std::size_t K>
void holds_for(const std::array<PolicyArm, K>& arms, const GenOptions& gen, const std::vector<Property>& properties) {
  const PolicyArm arm = *rc::gen::elementOf(arms);
  const SeedPolicy seed = draw_seed_policy(arm.seed);
  const SmallCase c = testing::draw_case(gen);
  const RunOutcome o = testing::run_case(c, testing::policy(arm.policy), seed);
  if (const auto v = check_properties(o, c.spec, properties)) {
    RC_FAIL(fmt::format("{}/{}: {} violated: {}; reproduce: {}", arm.policy, seed.to_string(),
                        to_string(v->property), v->detail, testing::describe(c)));
  }
}

constexpr int kCases = 1000;

TEST(PolicyProperties, TerminationHoldsForEveryPolicy) {
  const std::array<PolicyArm, 6> arms{{{"optuna-3.2", "none"}, {"optuna-3.2", "same"}, {"optuna-3.6", "none"},
                                 {"optuna-3.6", "same"}, {"optuna-4", "none"}, {"optuna-4", "same"}}};
  testing::expect_holds("termination", [arms] { holds_for(arms, GenOptions{}, {Property::kTermination}); }, kCases, 1);
}

TEST(PolicyProperties, CoverageHoldsWithoutCapsForConsistentPermutations) {
  const std::array<PolicyArm, 5> arms{{{"optuna-3.2", "none"}, {"optuna-3.2", "same"}, {"optuna-3.6", "same"},
                                 {"optuna-4", "none"}, {"optuna-4", "same"}}};
  testing::expect_holds("coverage",
                        [arms] { holds_for(arms, GenOptions{Caps::kNone, 3}, {Property::kCoverage}); }, kCases, 2);
}

TEST(PolicyProperties, NoRepeatsHoldsWhenEveryTrialNumberIsBelowTheGridSize) {
  const std::array<PolicyArm, 3> arms{{{"optuna-3.6", "same"}, {"optuna-4", "none"}, {"optuna-4", "same"}}};
  testing::expect_holds("no-repeats",
                        [arms] { holds_for(arms, GenOptions{Caps::kBelowGrid, 3}, {Property::kNoRepeats}); },
                        kCases, 3);
}

TEST(PolicyProperties, RecordedScheduleReproducesTheTraceHash) {
  testing::expect_holds(
      "replay",
      [] {
        const std::array<const char*, 3> policies{"optuna-3.2", "optuna-3.6", "optuna-4"};
        const char* name = *rc::gen::elementOf(policies);
        const SeedPolicy seed = draw_seed_policy(*rc::gen::elementOf(std::vector<const char*>{"none", "same"}));
        const SmallCase c = testing::draw_case(GenOptions{});
        const RunOutcome recorded = testing::run_case(c, testing::policy(name), seed);
        ReplayStrategy replay(recorded.schedule);
        const RunOutcome replayed =
            simulate(RunRequest{&c.spec, testing::policy(name), seed, c.run_seed, &replay});
        RC_ASSERT(replay.fully_consumed());
        if (const auto v = check_replay(recorded, replayed)) {
          RC_FAIL(fmt::format("{}/{}: {}; reproduce: {}", name, seed.to_string(), v->detail, testing::describe(c)));
        }
      },
      kCases, 4);
}

// The same replay property through the RC_GTEST_PROP front end (RapidCheck's default case count,
// configurable with RC_PARAMS), with the choice vector as the generated argument.
RC_GTEST_PROP(PolicyPropertiesGtest, ChoiceVectorRunsAreDeterministic, (std::vector<std::uint32_t> choices)) {
  SmallCase c;
  c.spec.name = "rc-fixed";
  GridParam x{"x", {}};
  for (int v = 0; v < 3; ++v) x.values.push_back(GridValue{GridValue::Kind::kInt, v, 0.0, "", false});
  c.spec.grid = {x};
  c.spec.processes = 3;
  c.spec.request_latency = DurationDist::constant(kMicrosPerMilli);
  c.spec.response_latency = DurationDist::constant(kMicrosPerMilli);
  c.spec.objective_duration = DurationDist::constant(kMicrosPerSecond);
  c.choices = choices;
  const RunOutcome a = testing::run_case(c, testing::policy("optuna-3.2"), SeedPolicy{SeedPolicy::Kind::kSame, 42});
  const RunOutcome b = testing::run_case(c, testing::policy("optuna-3.2"), SeedPolicy{SeedPolicy::Kind::kSame, 42});
  RC_ASSERT(a.trace_hash == b.trace_hash);
}

}  // namespace
}  // namespace samplersim
