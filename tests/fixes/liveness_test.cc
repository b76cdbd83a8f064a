// Liveness: once faults stop, every combination completes within a stated bound.
//
// Faults (crashes with heartbeat 20ms / grace 40ms, and objective failures with p = 0.2) act only
// before U = 300ms (faults.until). Claim: under leased-claim every combination has a COMPLETE
// trial by U + grace + N × (50ms + 20 × 10ms): after U at most N combinations remain; a crashed
// holder's lease is reclaimable after the grace period; each remaining combination then needs at
// most one trial of a surviving worker (objective <= 50ms, and fewer than 20 store operations of
// <= 10ms each including polling), and at least one worker survives (max_crashes = workers - 1).
// Checked on 1,000 generated cases; atomic-claim, which cannot reclaim, is shown to miss the bound.
#include <gtest/gtest.h>

#include <algorithm>

#include "tests/fixes/fix_check.h"

namespace samplersim {
namespace {

constexpr VirtualTime kMs = 1'000;
constexpr VirtualTime kUntilUs = 300 * kMs;
constexpr VirtualTime kGraceUs = 40 * kMs;

FaultSpec windowed_faults() {
  FaultSpec f = fault_spec_for(Fault::kCrash);
  f.objective_fail_ppm = 200'000;
  f.until_us = kUntilUs;
  return f;
}

// Virtual time by which every combination had a COMPLETE evaluation; nullopt if one never did.
std::optional<VirtualTime> all_complete_at_us(const RunOutcome& o) {
  std::vector<VirtualTime> first(static_cast<std::size_t>(o.grid_size), -1);
  for (const Evaluation& e : o.evaluation_log) {
    if (e.state != TrialState::kComplete) continue;
    VirtualTime& f = first[static_cast<std::size_t>(e.combination)];
    if (f < 0 || e.end_us < f) f = e.end_us;
  }
  VirtualTime last = 0;
  for (VirtualTime f : first) {
    if (f < 0) return std::nullopt;
    last = std::max(last, f);
  }
  return last;
}

struct Result {
  std::uint64_t within = 0;
  std::uint64_t failures = 0;
  std::string first_failure;
};

Result check_policy(const std::string& policy, std::uint64_t cases) {
  Result r;
  for (std::uint64_t i = 0; i < cases; ++i) {
    const fixcheck::Case c = fixcheck::generate_case(777, i);
    const ScenarioSpec spec = fixcheck::make_spec(c.shape, windowed_faults());
    ChoicesStrategy strategy(c.picks);
    RunRequest req{&spec, PolicyRegistry::find(policy), *parse_seed_policy("none"), c.run_seed, &strategy};
    const RunOutcome o = simulate(req);
    const VirtualTime bound = kUntilUs + kGraceUs + o.grid_size * (50 * kMs + 20 * 10 * kMs);
    const std::optional<VirtualTime> done = all_complete_at_us(o);
    if (done && *done <= bound) {
      ++r.within;
    } else if (r.failures++ == 0) {
      r.first_failure = fmt::format("case {} ({}): {}", i, fixcheck::describe_case(c),
                                    done ? fmt::format("complete at {} us > bound {} us", *done, bound)
                                         : std::string("a combination never completed"));
    }
  }
  return r;
}

TEST(Liveness, LeasedClaimCompletesEveryCombinationWithinTheBoundAfterFaultsStop) {
  const Result r = check_policy("leased-claim", 1'000);
  EXPECT_EQ(r.failures, 0u) << r.first_failure;
}

TEST(Liveness, AtomicClaimDoesNotRecoverAfterFaultsStop) {
  const Result r = check_policy("atomic-claim", 200);
  EXPECT_GT(r.failures, 0u) << "expected a combination lost to a crash or a failure";
}

}  // namespace
}  // namespace samplersim
