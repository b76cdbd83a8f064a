// Depth-bounded exhaustive schedules on small scenarios: with constant timings every store
// operation of two workers ties, so the schedule is a binary tree far too deep to enumerate whole
// (depth 16 already exceeds 20,000 runs). We enumerate EVERY pick vector over the first D choice
// points (the rest pick worker 0) and require both properties on each: D = 12 for two workers
// (4,096 schedules), D = 8 for two processes of two threads (6,912 schedules).
#include <gtest/gtest.h>

#include "tests/fixes/fix_check.h"
#include "tests/param_names.h"

namespace samplersim {
namespace {

using fixcheck::Cell;
using fixcheck::Shape;

struct Exhaustive {
  const char* policy;
  Fault faults;
  Shape shape;
  std::size_t depth;
};

void PrintTo(const Exhaustive& e, std::ostream* os) {
  *os << e.policy << " with " << to_string(e.faults) << ", " << e.shape.to_string() << ", depth " << e.depth;
}

class ExhaustiveTest : public testing::TestWithParam<Exhaustive> {};

TEST_P(ExhaustiveTest, EverySchedulePrefixKeepsBothProperties) {
  const Exhaustive& e = GetParam();
  const Cell cell{e.policy, "none", e.faults, Property::kCoverage};
  // Fault-free: run seeds 1 and 2. With faults: the first two run seeds whose default schedule
  // shows a fault, so the walk really explores schedules around one.
  std::vector<std::uint64_t> seeds = {1, 2};
  if (e.faults != Fault::kNone) seeds = fixcheck::seeds_with_faults(cell, e.shape, 2);
  ASSERT_EQ(seeds.size(), 2u);
  for (std::uint64_t run_seed : seeds) {
    const fixcheck::DfsResult r = fixcheck::exhaustive(cell, e.shape, run_seed, e.depth, 10'000);
    ASSERT_FALSE(r.violation) << e.policy << " run seed " << run_seed << ": " << *r.violation;
    EXPECT_TRUE(r.complete) << "stopped after " << r.runs << " runs";
  }
}

// The checker can fail: the same walk finds optuna-4's end-of-grid repeat at once.
TEST(ExhaustiveTest, FindsTheOptuna4Repeat) {
  const Cell cell{"optuna-4", "none", Fault::kNone, Property::kNoRepeats};
  const fixcheck::DfsResult r = fixcheck::exhaustive(cell, Shape{2, 2, 2, 1}, 1, 12, 10'000);
  EXPECT_TRUE(r.violation);
}

// And it finds unfenced leased-claim's stale result under a stall on the same walks.
TEST(ExhaustiveTest, FindsTheUnfencedStaleResult) {
  const Cell cell{"leased-claim", "none", Fault::kStall, Property::kNoRepeats};
  bool found = false;
  for (std::uint64_t run_seed : fixcheck::seeds_with_faults(cell, Shape{2, 2, 2, 1}, 5)) {
    found = found || fixcheck::exhaustive(cell, Shape{2, 2, 2, 1}, run_seed, 12, 10'000).violation.has_value();
  }
  EXPECT_TRUE(found);
}

INSTANTIATE_TEST_SUITE_P(
    Fixes, ExhaustiveTest,
    testing::Values(Exhaustive{"atomic-claim", Fault::kNone, {2, 2, 2, 1}, 12},
                    Exhaustive{"enqueue-all", Fault::kNone, {2, 2, 2, 1}, 12},
                    Exhaustive{"leased-claim", Fault::kNone, {2, 2, 2, 1}, 12},
                    Exhaustive{"atomic-claim", Fault::kNone, {3, 3, 2, 1}, 12},
                    Exhaustive{"enqueue-all", Fault::kNone, {3, 3, 2, 1}, 12},
                    Exhaustive{"leased-claim", Fault::kNone, {3, 3, 2, 1}, 12},
                    Exhaustive{"atomic-claim", Fault::kNone, {2, 2, 2, 2}, 8},
                    Exhaustive{"enqueue-all", Fault::kNone, {2, 2, 2, 2}, 8},
                    Exhaustive{"leased-claim", Fault::kNone, {2, 2, 2, 2}, 8},
                    // Crashes: the fault draws are fixed by the run seed; schedules vary.
                    Exhaustive{"leased-claim", Fault::kCrash, {2, 2, 2, 1}, 12},
                    Exhaustive{"leased-claim", Fault::kCrash, {3, 3, 2, 1}, 12},
                    // Stalls and clock skew: fencing keeps one result per combination, never a
                    // taken-over holder's (the columns' rule, RepeatRule::kNoStaleResult).
                    Exhaustive{"fenced-leased-claim", Fault::kStall, {2, 2, 2, 1}, 12},
                    Exhaustive{"fenced-leased-claim", Fault::kClockSkew, {2, 2, 2, 1}, 12}),
    [](const testing::TestParamInfo<Exhaustive>& info) {
      return samplersim::param_name(fmt::format("{}_{}_{}x{}_{}x{}", info.param.policy, to_string(info.param.faults),
                                                         info.param.shape.dim_x, info.param.shape.dim_y,
                                                         info.param.shape.processes, info.param.shape.threads));
    });

}  // namespace
}  // namespace samplersim
