// Soundness of the partial-order reduction (app/dpor.h): on scenarios small enough to run every
// schedule, exhaustive search with `source-dpor` must find exactly the outcomes and the class
// fingerprints that the full depth-first search (`none`) finds, with far fewer runs.
//
// Compared per scenario: the set of class fingerprints (each worker's own event sequence, which
// swapping independent steps cannot change) and the set of outcome keys (evaluations per
// combination, trials by state, repeats, never-evaluated, uncovered, completed-twice, objective and
// wasted time, makespan, store operations, and the first violated property). A missing dependency
// in the relation shows up as a fingerprint or outcome the full search has and the reduced one
// lacks. Scenarios: two-by-two (the race of optuna-3.2/same:42, the capped optuna-4 run, the three
// claiming fixes), the 3x3 grid with 2 processes (2^19 schedules in the full tree), and generated
// small cases with faults (RapidCheck, fixed seed; a case whose full tree exceeds the budget is
// discarded, and at least 150 are compared). Where the full tree is out of reach (three workers
// with zero latencies, where sleep sets block some runs; the 3x3 grid with three workers), 2,000
// random schedules must each fall in a class the reduced search found. Several Mazurkiewicz classes may share one
// fingerprint (a reordered read that changes nothing a worker records), never the reverse.
#include <gtest/gtest.h>
#include <rapidcheck.h>

#include <algorithm>
#include <set>
#include <string>

#include <fmt/format.h>

#include "app/check_explore.h"
#include "app/dpor.h"
#include "app/scenario_files.h"
#include "sim/random_stream.h"
#include "sim/simulation.h"
#include "small_scenario_gen.h"

namespace samplersim {
namespace {

struct Space {
  std::set<std::uint64_t> fingerprints;
  std::set<std::string> outcomes;
  std::uint64_t schedules = 0;
  std::uint64_t classes = 0;
  bool exhausted = false;
};

std::string outcome_key(const RunOutcome& o, const std::optional<Violation>& v) {
  return fmt::format("eval [{}] states [{}] rep {} never {} unc {} twice {} obj {} wasted {} makespan {} ops {} {}",
                     fmt::join(o.evaluations, ","), fmt::join(o.trials_by_state, ","), o.repeats, o.never_evaluated,
                     o.uncovered, o.completed_twice, o.objective_time_us, o.wasted_time_us, o.makespan_us, o.store_ops,
                     v ? to_string(v->property) : "ok");
}

Space explore_all(const ScenarioSpec& spec, const std::string& policy, const std::string& seed, std::uint64_t run_seed,
                  Reduction reduction, std::uint64_t budget) {
  CheckRequest req;
  req.spec = &spec;
  req.arm = Arm{PolicyRegistry::find(policy), *parse_seed_policy(seed)};
  req.properties = {Property::kCoverage, Property::kNoRepeats, Property::kTermination};
  req.strategy.kind = StrategyKind::kExhaustive;
  req.reduction = reduction;
  req.budget = budget;
  req.start_seed = run_seed;
  req.shrink = false;
  req.stop_at_violation = false;
  Space s;
  req.on_run = [&s](const ExploredRun& r) {
    s.fingerprints.insert(r.class_fingerprint);
    s.outcomes.insert(outcome_key(*r.outcome, r.violation));
  };
  const CheckResult result = run_check(req);
  s.schedules = result.schedules;
  s.classes = result.classes;
  s.exhausted = result.exhausted;
  return s;
}

ScenarioSpec load(const std::string& relative) {
  return load_scenario(std::string(SAMPLERSIM_SOURCE_DIR) + "/tests/data/" + relative);
}

// Full search vs reduced search on one arm; returns the reduced space for further checks.
Space expect_same_space(const ScenarioSpec& spec, const std::string& policy, const std::string& seed,
                        std::uint64_t full_budget) {
  const std::string what = fmt::format("{} {}/{} run seed {}", spec.name, policy, seed, spec.seed);
  const Space full = explore_all(spec, policy, seed, spec.seed, Reduction::kNone, full_budget);
  const Space reduced = explore_all(spec, policy, seed, spec.seed, Reduction::kSourceDpor, full_budget);
  EXPECT_TRUE(full.exhausted) << what << ": the full search needs more than " << full_budget << " schedules";
  EXPECT_TRUE(reduced.exhausted) << what;
  EXPECT_EQ(reduced.fingerprints, full.fingerprints) << what;
  EXPECT_EQ(reduced.outcomes, full.outcomes) << what;
  EXPECT_LT(reduced.schedules, full.schedules) << what;
  EXPECT_GE(reduced.classes, reduced.fingerprints.size()) << what;
  return reduced;
}

TEST(DporSoundness, TwoByTwoRacyAndCappedPolicies) {
  const ScenarioSpec spec = load("golden/two-by-two.toml");
  const Space capped = expect_same_space(spec, "optuna-4", "none", 100'000);
  EXPECT_EQ(capped.classes, 2u);  // which worker creates trial 0
  EXPECT_LE(capped.schedules, 100u);
  const Space racy = expect_same_space(spec, "optuna-3.2", "same:42", 200'000);
  EXPECT_LE(racy.schedules, 100u);
}

TEST(DporSoundness, TwoByTwoClaimingFixes) {
  const ScenarioSpec spec = load("golden/two-by-two.toml");
  for (const char* policy : {"atomic-claim", "enqueue-all", "leased-claim"}) expect_same_space(spec, policy, "none", 200'000);
}

// The 3x3 grid with two processes: 2^19 schedules in the full tree (its racy arm, 2^21, is
// compared in bench/check_bench.cc, too slow for the suite).
TEST(DporSoundness, Grid3x3TwoWorkers) {
  ScenarioSpec spec = load("scenarios/grid-3x3-w3.toml");
  spec.processes = 2;
  const Space capped = expect_same_space(spec, "optuna-4", "none", 1'000'000);
  EXPECT_EQ(capped.classes, 2u);
  EXPECT_LE(capped.schedules, 100u);
}

// The 3x3 grid with three processes: only the reduced search can finish; it must find the 3! ways
// the workers can take the trial numbers under optuna-4, and the race under optuna-3.2/same:42.
TEST(DporSoundness, Grid3x3ThreeWorkersIsExhausted) {
  const ScenarioSpec spec = load("scenarios/grid-3x3-w3.toml");
  const Space capped = explore_all(spec, "optuna-4", "none", spec.seed, Reduction::kSourceDpor, 10'000);
  EXPECT_TRUE(capped.exhausted);
  EXPECT_EQ(capped.classes, 6u);
  EXPECT_EQ(capped.outcomes.size(), 1u);  // every class evaluates three distinct combinations
  const Space racy = explore_all(spec, "optuna-3.2", "same:42", spec.seed, Reduction::kSourceDpor, 10'000);
  EXPECT_TRUE(racy.exhausted);
  EXPECT_TRUE(std::any_of(racy.outcomes.begin(), racy.outcomes.end(),
                          [](const std::string& o) { return o.find(" rep 0 ") == std::string::npos; }));
}

// Random schedules of a scenario whose full tree is out of reach: each run's fingerprint and
// outcome must be among those the reduced search found. Picks come from a fixed-seed generator
// (the run seed, hence every timing, stays the same).
void expect_random_schedules_covered(const ScenarioSpec& spec, const std::string& policy, const std::string& seed,
                                     std::uint64_t budget) {
  const std::string what = fmt::format("{} {}/{} run seed {}", spec.name, policy, seed, spec.seed);
  const Space reduced = explore_all(spec, policy, seed, spec.seed, Reduction::kSourceDpor, budget);
  ASSERT_TRUE(reduced.exhausted) << what;
  const Arm arm{PolicyRegistry::find(policy), *parse_seed_policy(seed)};
  RandomStream picks = RandomStream::derive(20261130, StreamPurpose::kUser);
  for (int i = 0; i < 2000; ++i) {
    std::vector<std::uint32_t> choices(200);
    for (std::uint32_t& c : choices) c = static_cast<std::uint32_t>(picks.uniform_inclusive(5));
    ChoicesStrategy strategy(choices);
    ClassFingerprint fingerprint(nullptr);
    Trace trace(false);
    trace.set_observer(&fingerprint);
    const RunOutcome o = simulate(
        RunRequest{&spec, arm.policy, arm.seed_policy, run_seed_for_rep(spec.seed, 0), &strategy}, &trace);
    const auto v = check_properties(o, spec, {Property::kCoverage, Property::kNoRepeats, Property::kTermination});
    ASSERT_TRUE(reduced.fingerprints.count(fingerprint.value()))
        << what << ": random schedule " << i << " (choices " << ::testing::PrintToString(choices)
        << ") is in no class the reduced search ran";
    ASSERT_TRUE(reduced.outcomes.count(outcome_key(o, v))) << what << ": random schedule " << i;
  }
}

// Three workers with zero latencies: every step at one instant, sleep sets block some runs.
TEST(DporSoundness, RandomSchedulesFallInExploredClasses) {
  ScenarioSpec zero = load("scenarios/three-by-three.toml");
  zero.grid[0].values.resize(1);
  zero.request_latency = DurationDist::constant(0);
  zero.response_latency = DurationDist::constant(0);
  expect_random_schedules_covered(zero, "enqueue-all", "none", 20'000);
  expect_random_schedules_covered(load("scenarios/grid-3x3-w3.toml"), "optuna-4", "none", 1'000);
  expect_random_schedules_covered(load("scenarios/grid-3x3-w3.toml"), "optuna-3.2", "same:42", 1'000);
  ScenarioSpec two_zero = load("golden/two-by-two.toml");
  two_zero.request_latency = DurationDist::constant(0);
  two_zero.response_latency = DurationDist::constant(0);
  expect_random_schedules_covered(two_zero, "optuna-3.2", "same:42", 20'000);
}

// A generated small case: 2-3 processes of 1-2 threads, 2-4 combinations, n_trials 1-2 or none,
// tied or random latencies (constant 0 puts every step at one instant), starts staggered by a few
// latencies (so one worker's reads tie with another's writes), an optional write lock,
// and faults (crashes with heartbeats and retries, sometimes sure crashes with a budget of one,
// objective failures, store errors, stale reads) that exercise the liveness, crash-budget and
// evaluation-log objects.
struct GeneratedArm {
  ScenarioSpec spec;
  std::string policy;
  std::string seed;
};

GeneratedArm draw_arm() {
  constexpr VirtualTime ms = kMicrosPerMilli;
  GeneratedArm g;
  ScenarioSpec& s = g.spec;
  s.name = "rc-dpor";
  const int values = *rc::gen::inRange(2, 5);
  GridParam x;
  x.name = "x";
  for (int v = 0; v < values; ++v) {
    GridValue gv;
    gv.int_value = v;
    x.values.push_back(gv);
  }
  s.grid.push_back(x);
  s.processes = *rc::gen::inRange(2, 4);
  s.threads = *rc::gen::inRange(1, 3);
  RC_PRE(s.workers() <= 4);
  const DurationDist latency = *rc::gen::elementOf(std::vector<DurationDist>{
      DurationDist::constant(1 * ms), DurationDist::constant(1 * ms), DurationDist::uniform(1 * ms, 3 * ms),
      DurationDist::constant(0)});
  s.request_latency = latency;
  s.response_latency = latency;
  s.write_service = *rc::gen::elementOf(std::vector<DurationDist>{
      DurationDist::constant(0), DurationDist::constant(1 * ms), DurationDist::uniform(1 * ms, 2 * ms)});
  s.objective_duration = *rc::gen::elementOf(std::vector<DurationDist>{
      DurationDist::constant(1000 * ms), DurationDist::uniform(500 * ms, 1500 * ms)});
  s.start_jitter = DurationDist::constant(0);
  // A stagger of whole operations (2 ms each) puts one worker's reads at another's writes.
  s.start_stagger_us = *rc::gen::elementOf(std::vector<VirtualTime>{0, 2 * ms, 4 * ms, 6 * ms, 8 * ms});
  const int cap = *rc::gen::inRange(0, 3);
  if (cap > 0) s.n_trials = cap;
  FaultSpec& f = s.faults;
  switch (*rc::gen::inRange(0, 5)) {
    case 0: break;
    case 1:
      // Sure crashes with a budget of one: workers that start objectives together race for it.
      f.crash_ppm = *rc::gen::elementOf(std::vector<std::uint32_t>{400'000, 1'000'000});
      if (*rc::gen::inRange(0, 2) == 1) f.max_crashes = 1;
      f.heartbeat_interval_us = 100 * ms;
      f.retry_failed = true;
      break;
    case 2: f.objective_fail_ppm = 300'000; break;
    case 3:
      f.store_error_ppm = 200'000;
      f.store_max_retries = 2;
      f.store_retry_backoff_us = 1 * ms;
      break;
    case 4:
      f.stale_read_ppm = 500'000;
      f.max_staleness_us = 5 * ms;
      break;
  }
  f.present = !f.fault_free() || f.heartbeat();
  const auto arm = *rc::gen::elementOf(std::vector<std::pair<std::string, std::string>>{
      {"optuna-3.2", "same:42"}, {"optuna-3.6", "none"}, {"optuna-4", "none"}, {"optuna-3.1", "none"},
      {"optuna-2", "same:7"}, {"atomic-claim", "none"}, {"enqueue-all", "none"}, {"leased-claim", "none"}});
  g.policy = arm.first;
  g.seed = arm.second;
  return g;
}

TEST(DporSoundness, GeneratedSmallCases) {
  constexpr std::uint64_t kFullBudget = 5'000;
  int compared = 0;
  const auto property = [&] {
    GeneratedArm g = draw_arm();
    const std::uint64_t run_seed = *rc::gen::inRange<std::uint64_t>(1, 1'000'000);
    const Space full = explore_all(g.spec, g.policy, g.seed, run_seed, Reduction::kNone, kFullBudget);
    RC_PRE(full.exhausted);
    const Space reduced = explore_all(g.spec, g.policy, g.seed, run_seed, Reduction::kSourceDpor, kFullBudget);
    const std::string what = fmt::format("{}/{} on {} processes x {} threads, {} combinations, latency {}, write "
                                         "service {}, stagger {}, n_trials {}, faults crash {} fail {} store {} stale {}; start seed {}",
                                         g.policy, g.seed, g.spec.processes, g.spec.threads, g.spec.combinations(),
                                         g.spec.request_latency.to_string(), g.spec.write_service.to_string(), format_duration(g.spec.start_stagger_us),
                                         g.spec.n_trials.value_or(0), g.spec.faults.crash_ppm,
                                         g.spec.faults.objective_fail_ppm, g.spec.faults.store_error_ppm,
                                         g.spec.faults.stale_read_ppm, run_seed);
    if (!reduced.exhausted) RC_FAIL(what + ": the reduced search did not finish");
    if (reduced.fingerprints != full.fingerprints || reduced.outcomes != full.outcomes) {
      RC_FAIL(fmt::format("{}: full search {} schedules, {} fingerprints, {} outcomes; reduced {} schedules, {} "
                          "fingerprints, {} outcomes",
                          what, full.schedules, full.fingerprints.size(), full.outcomes.size(), reduced.schedules,
                          reduced.fingerprints.size(), reduced.outcomes.size()));
    }
    RC_ASSERT(reduced.schedules <= full.schedules);
    ++compared;
  };
  testing::expect_holds("dpor-soundness", property, 150, 14);
  EXPECT_GE(compared, 150);
}

}  // namespace
}  // namespace samplersim
