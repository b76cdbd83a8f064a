// leased-claim re-examined under the stall and clock-skew faults (issue 14, item 2), with
// `samplersim check`'s own exploration (app/check_explore.h) on the two-by-two scenario:
//  - fenced-leased-claim keeps coverage and no-stale-results on EVERY schedule (exhaustive search,
//    source-DPOR: one run per Mazurkiewicz class, sound) with a stall and with clock skew, and on
//    1,000 random schedules (each its own run seed, so its own fault draws);
//  - unfenced leased-claim: check finds a stale result (a live holder whose lease was taken over
//    still completes, first), shrinks it, and the shrunk replay reproduces it bit for bit.
// The guarantees matrix (tests/fixes/guarantees_matrix_test.cc) checks the same on 1,000
// generated cases of the small fixcheck shapes.
#include <gtest/gtest.h>

#include <iostream>

#include "app/check_explore.h"
#include "app/scenario_files.h"
#include "sim/simulation.h"
#include "sim/strategy.h"

namespace samplersim {
namespace {

// tests/data/scenarios/two-by-two-{stall,skew}.toml: the two-by-two scenario (2 processes, a
// 2-point grid, constant 1 ms latencies, uniform 0.5-1.5 s objectives) without its n_trials = 1 cap,
// under which each process stops after one trial and no lease is ever taken over; the lease is
// leased-claim's default (1 s beats, grace 2 s). The files say why their fault settings.
ScenarioSpec two_by_two(Fault fault) {
  return load_scenario(std::string(SAMPLERSIM_SOURCE_DIR) + "/tests/data/scenarios/two-by-two-" +
                       (fault == Fault::kStall ? "stall" : "skew") + ".toml");
}

CheckRequest request(const ScenarioSpec& spec, const std::string& policy, StrategyKind kind, std::uint64_t budget) {
  CheckRequest r;
  r.spec = &spec;
  r.arm = Arm{PolicyRegistry::find(policy), *parse_seed_policy("none")};
  r.properties = {Property::kCoverage, Property::kNoStaleResults};
  r.strategy = StrategyChoice{kind, 3};
  r.reduction = Reduction::kSourceDpor;
  r.budget = budget;
  r.start_seed = spec.seed;
  return r;
}

// An evaluation that ended without a COMPLETE: under fencing, a refused (taken-over) holder.
bool has_lost_evaluation(const RunOutcome& o) {
  for (const Evaluation& e : o.evaluation_log) {
    if (e.state != TrialState::kComplete) return true;
  }
  return false;
}
// Two evaluations of one combination: a lease was taken over from a live holder.
bool has_duplicate_work(const RunOutcome& o) {
  for (std::int64_t n : o.evaluations) {
    if (n > 1) return true;
  }
  return false;
}

class StallFencing : public testing::TestWithParam<Fault> {};

TEST_P(StallFencing, FencedHoldsOnEveryScheduleOfTwoByTwo) {
  const ScenarioSpec spec = two_by_two(GetParam());
  CheckRequest req = request(spec, "fenced-leased-claim", StrategyKind::kExhaustive, 1'000'000);
  std::uint64_t duplicate = 0, lost = 0;
  req.on_run = [&](const ExploredRun& run) {
    duplicate += has_duplicate_work(*run.outcome);
    lost += has_lost_evaluation(*run.outcome);
  };
  const CheckResult r = run_check(req);
  ASSERT_FALSE(r.counterexample) << r.counterexample->violation.detail;
  EXPECT_TRUE(r.exhausted);
  // The walk really went through take-overs: the scenario's run seed stalls (or skews) a holder
  // past its lease, the combination is evaluated twice and the stale holder is refused.
  EXPECT_GT(duplicate, 0u);
  EXPECT_GT(lost, 0u);
  std::cout << "  fenced-leased-claim, " << to_string(GetParam()) << ": " << r.schedules << " schedules, " << r.classes
            << " classes, " << r.sleep_blocked << " sleep-set-blocked; " << duplicate << " with duplicate work\n";
}

TEST_P(StallFencing, FencedHoldsOnAThousandRandomSchedules) {
  const ScenarioSpec spec = two_by_two(GetParam());
  CheckRequest req = request(spec, "fenced-leased-claim", StrategyKind::kRandom, 1'000);
  std::uint64_t duplicate = 0;
  req.on_run = [&](const ExploredRun& run) { duplicate += has_duplicate_work(*run.outcome); };
  const CheckResult r = run_check(req);
  ASSERT_FALSE(r.counterexample) << r.counterexample->violation.detail;
  EXPECT_EQ(r.schedules, 1'000u);
  EXPECT_GT(duplicate, 0u) << "duplicate work is not prevented by fencing, only stale results";
}

TEST_P(StallFencing, UnfencedYieldsAShrunkStaleResultThatReplays) {
  const ScenarioSpec spec = two_by_two(GetParam());
  const CheckRequest req = request(spec, "leased-claim", StrategyKind::kRandom, 1'000);
  const CheckResult r = run_check(req);
  ASSERT_TRUE(r.counterexample) << "no stale result in " << r.schedules << " schedules";
  const Counterexample& cex = *r.counterexample;
  EXPECT_EQ(cex.violation.property, Property::kNoStaleResults);
  EXPECT_NE(cex.violation.detail.find("a stale result"), std::string::npos) << cex.violation.detail;
  EXPECT_LE(cex.choices.size(), cex.found_picks.size());
  // The shrunk replay reproduces the run bit for bit, and with it the violation.
  const Counterexample again = rerun_choices(req, cex.run_seed, cex.choices, cex.omitted_processes);
  EXPECT_EQ(again.outcome.trace_hash, cex.outcome.trace_hash);
  const auto v = check_properties(again.outcome, spec, {Property::kNoStaleResults});
  ASSERT_TRUE(v);
  EXPECT_EQ(v->detail, cex.violation.detail);
  // The same schedule under fencing has no stale result.
  const CheckRequest fenced = request(spec, "fenced-leased-claim", StrategyKind::kRandom, 1);
  const Counterexample f = rerun_choices(fenced, cex.run_seed, cex.choices, cex.omitted_processes);
  EXPECT_FALSE(check_properties(f.outcome, spec, {Property::kCoverage, Property::kNoStaleResults}));
  std::cout << "  leased-claim, " << to_string(GetParam()) << ": found at schedule " << cex.schedule_index << " (run seed "
            << cex.run_seed << "), " << cex.found_picks.size() << " picks shrunk to " << cex.choices.size() << " in "
            << cex.shrink_runs << " runs: " << cex.violation.detail << "\n";
}

INSTANTIATE_TEST_SUITE_P(TwoByTwo, StallFencing, testing::Values(Fault::kStall, Fault::kClockSkew),
                         [](const testing::TestParamInfo<Fault>& info) {
                           return info.param == Fault::kStall ? std::string("stall") : std::string("clock_skew");
                         });

}  // namespace
}  // namespace samplersim
