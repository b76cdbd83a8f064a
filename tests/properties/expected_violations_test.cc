// Properties a policy is expected to VIOLATE: each test asserts that RapidCheck finds a
// counterexample within a stated budget of generated cases and that shrinking reaches the minimal
// shape derived by hand (stated per test). The shrunk case is taken from RapidCheck's programmatic
// API: checkProperty returns a FailureResult; the last failing evaluation of the property is the
// final shrunk counterexample (RapidCheck accepts every failing shrink and stops when none fails),
// and the FailureResult's description must name that same case. Failure messages print the
// RapidCheck seed and the case (scenario, run seed, choice vector) that reproduces it.
#include <gtest/gtest.h>

#include <algorithm>

#include "small_scenario_gen.h"

namespace samplersim {
namespace {

using testing::Caps;
using testing::GenOptions;
using testing::SmallCase;

struct Found {
  SmallCase c;
  RunOutcome o;
  Violation v{Property::kNoRepeats, {}};
};

struct Shrunk {
  Found found;
  rc::detail::FailureResult failure;
};

constexpr int kBudget = 200;  // generated cases within which the counterexample must be found

// Runs the search and returns the shrunk counterexample; fails the test if none is found.
std::optional<Shrunk> shrink_violation(const std::string& policy, const SeedPolicy& seed, const GenOptions& gen,
                                       Property property, std::uint64_t rc_seed) {
  auto last = std::make_shared<std::optional<Found>>();
  const PolicyInfo* p = testing::policy(policy);
  const auto result = testing::check_with(
      policy + "/" + seed.to_string(),
      [last, p, seed, gen, property] {
        const SmallCase c = testing::draw_case(gen);
        const RunOutcome o = testing::run_case(c, p, seed);
        if (const auto v = check_properties(o, c.spec, {property})) {
          *last = Found{c, o, *v};
          RC_FAIL(fmt::format("{} violated: {}; reproduce: {}", to_string(v->property), v->detail, testing::describe(c)));
        }
      },
      kBudget, rc_seed);
  rc::detail::FailureResult failure;
  if (!result.match(failure) || !last->has_value()) {
    ADD_FAILURE() << policy << "/" << seed.to_string() << ": no counterexample of " << to_string(property)
                  << " within " << kBudget << " cases (RapidCheck seed " << rc_seed << "): " << testing::result_text(result);
    return std::nullopt;
  }
  EXPECT_NE(failure.description.find(testing::describe((*last)->c)), std::string::npos)
      << "the last failing evaluation is not the reported counterexample: " << failure.description;
  return Shrunk{**last, failure};
}

std::string context(const Shrunk& s, std::uint64_t rc_seed) {
  return fmt::format("shrunk case: {} ({}; RapidCheck seed {})", testing::describe(s.found.c), s.found.v.detail, rc_seed);
}

// optuna-3.6/none with every trial number below N (issue 5489): trial k takes grid id k, looked up
// in each process's own random permutation. Minimal shape: two processes (one process has one
// permutation), two combinations (processes <= N is required for the cap), one trial each
// (n_trials = 1); the two ids map to the same combination. No interleaving is needed: the choice
// vector shrinks to empty.
TEST(ExpectedViolations, Optuna36NoneRepeatsAcrossProcessPermutations) {
  const std::uint64_t rc_seed = 11;
  const auto s = shrink_violation("optuna-3.6", SeedPolicy{}, GenOptions{Caps::kBelowGrid, 1}, Property::kNoRepeats, rc_seed);
  ASSERT_TRUE(s);
  const auto& f = s->found;
  EXPECT_EQ(f.c.spec.processes, 2) << context(*s, rc_seed);
  EXPECT_EQ(f.c.spec.threads, 1) << context(*s, rc_seed);
  EXPECT_EQ(f.c.spec.combinations(), 2) << context(*s, rc_seed);
  EXPECT_EQ(f.c.spec.n_trials, 1) << context(*s, rc_seed);
  EXPECT_EQ(f.o.trials, 2) << context(*s, rc_seed);
  EXPECT_EQ(f.o.repeats, 1) << context(*s, rc_seed);
  EXPECT_EQ(f.o.never_evaluated, 1) << context(*s, rc_seed);
  EXPECT_TRUE(f.c.choices.empty()) << context(*s, rc_seed);
}

// The same policy without caps violates coverage: the two processes' trials 0 and 1 read ids 0 and
// 1 through different permutations; both ids are then finished, so both processes stop with one
// combination never evaluated. Minimal inputs: two processes x one thread (threads share one
// permutation), two combinations, empty choice vector. The trial count is an output, not a
// generated input: it is 2 when the trials overlap, or 3 when the first process finishes before
// the other's trial does and runs one more trial, which (both ids finished) takes the all-ids
// fallback and repeats its own id; shrinking the timing may stop at either.
TEST(ExpectedViolations, Optuna36NoneMissesACombinationWithoutCaps) {
  const std::uint64_t rc_seed = 12;
  const auto s = shrink_violation("optuna-3.6", SeedPolicy{}, GenOptions{Caps::kNone, 3}, Property::kCoverage, rc_seed);
  ASSERT_TRUE(s);
  const auto& f = s->found;
  EXPECT_EQ(f.c.spec.processes, 2) << context(*s, rc_seed);
  EXPECT_EQ(f.c.spec.threads, 1) << context(*s, rc_seed);
  EXPECT_EQ(f.c.spec.combinations(), 2) << context(*s, rc_seed);
  EXPECT_GE(f.o.trials, 2) << context(*s, rc_seed);
  EXPECT_LE(f.o.trials, 3) << context(*s, rc_seed);
  EXPECT_EQ(f.o.uncovered, 1) << context(*s, rc_seed);
  EXPECT_TRUE(f.c.choices.empty()) << context(*s, rc_seed);
}

// optuna-3.2/same:42 with every trial number below N: the only source of a repeat is the
// read-choose-write race between processes with identical RandomState streams. Minimal shape: two
// processes x one thread, two combinations, one trial each, both drawing the same id at the same
// stream position (their first draw, from the same two-element target list). No particular
// interleaving is needed: when both processes start together with equal latencies their reads
// apply before either grid_id write under the default picks (the workers advance in lockstep), so
// the choice vector shrinks to empty.
TEST(ExpectedViolations, Optuna32SameSeedRacesOnIdenticalStreams) {
  const std::uint64_t rc_seed = 13;
  const auto s = shrink_violation("optuna-3.2", SeedPolicy{SeedPolicy::Kind::kSame, 42}, GenOptions{Caps::kBelowGrid, 1},
                                  Property::kNoRepeats, rc_seed);
  ASSERT_TRUE(s);
  const auto& f = s->found;
  EXPECT_EQ(f.c.spec.processes, 2) << context(*s, rc_seed);
  EXPECT_EQ(f.c.spec.threads, 1) << context(*s, rc_seed);
  EXPECT_EQ(f.c.spec.combinations(), 2) << context(*s, rc_seed);
  EXPECT_EQ(f.o.trials, 2) << context(*s, rc_seed);
  EXPECT_EQ(f.o.repeats, 1) << context(*s, rc_seed);
  ASSERT_EQ(f.o.evaluation_log.size(), 2u) << context(*s, rc_seed);
  EXPECT_EQ(f.o.evaluation_log[0].grid_id, f.o.evaluation_log[1].grid_id) << context(*s, rc_seed);
  EXPECT_NE(f.o.evaluation_log[0].process, f.o.evaluation_log[1].process) << context(*s, rc_seed);
  // The race in the trace: both get_all_trials reads apply before the first grid_id write.
  Trace trace(true);
  testing::run_case(f.c, testing::policy("optuna-3.2"), SeedPolicy{SeedPolicy::Kind::kSame, 42}, &trace);
  const auto& ev = trace.events();
  auto index_of = [&ev](auto pred) { return std::find_if(ev.begin(), ev.end(), pred) - ev.begin(); };
  const auto first_write = index_of([](const TraceEvent& e) {
    return e.kind == TraceKind::kStoreOp && static_cast<StoreOp>(e.a) == StoreOp::kSetTrialSystemAttr && e.detail == "grid_id";
  });
  for (WorkerId w : {0, 1}) {
    const auto read = index_of([w](const TraceEvent& e) {
      return e.kind == TraceKind::kStoreOp && e.worker == w && static_cast<StoreOp>(e.a) == StoreOp::kGetAllTrials;
    });
    EXPECT_LT(read, first_write) << "worker " << w << " " << context(*s, rc_seed);
  }
  EXPECT_TRUE(f.c.choices.empty()) << context(*s, rc_seed);
}

// Every policy repeats at the end of the grid when there are more workers than combinations and no
// caps: the second worker finds every id visited or running and falls back to it. Minimal shape:
// two workers (as 2x1 or 1x2), one combination, two trials, empty choice vector.
TEST(ExpectedViolations, EveryPolicyRepeatsWithMoreWorkersThanCombinations) {
  std::uint64_t rc_seed = 20;
  for (const char* name : {"optuna-3.2", "optuna-3.6", "optuna-4"}) {
    ++rc_seed;
    const auto s = shrink_violation(name, SeedPolicy{}, GenOptions{Caps::kNone, 3}, Property::kNoRepeats, rc_seed);
    ASSERT_TRUE(s) << name;
    const auto& f = s->found;
    EXPECT_EQ(f.c.spec.workers(), 2) << name << " " << context(*s, rc_seed);
    EXPECT_EQ(f.c.spec.combinations(), 1) << name << " " << context(*s, rc_seed);
    EXPECT_EQ(f.o.trials, 2) << name << " " << context(*s, rc_seed);
    EXPECT_TRUE(f.c.choices.empty()) << name << " " << context(*s, rc_seed);
  }
}

}  // namespace
}  // namespace samplersim
