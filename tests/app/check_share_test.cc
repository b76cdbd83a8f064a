// RankShare (app/check_explore.h): a random or pct search, or an exhaustive search without
// reduction, shared by K cooperating processes gives rank 0 the counterexample a single process
// finds (same schedule, run seed, shrunk choices and left-out processes) and every rank the same
// verdict and counts (schedules; classes and exhausted for exhaustive search), for K = 1, 2, 3 and 5
// and several start seeds, with and without a violation, under a budget and a preemption bound. The K ranks are threads here, their collectives a barrier; under mpirun
// they are MPI ranks (app/mpi_world.h, tests/cli/mpi_test.cc). Deterministic: fixed seeds, every
// failure names K and the start seed.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <barrier>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "app/check_explore.h"
#include "app/scenario_files.h"

namespace samplersim {
namespace {

// Elementwise min/sum over K threads: each adds its values, all wait, all read, all wait; the
// second wait's completion (run while every thread is blocked) clears the sum for the next call.
class ThreadCollective {
 public:
  explicit ThreadCollective(int ranks)
      : barrier_(ranks, Completion{this}), gather_barrier_(ranks), parts_(static_cast<std::size_t>(ranks)) {}
  // Rank 0 gets every rank's bytes in rank order, the others "".
  std::string gather(int rank, const std::string& bytes) {
    parts_[static_cast<std::size_t>(rank)] = bytes;
    gather_barrier_.arrive_and_wait();
    std::string out;
    if (rank == 0) {
      for (const std::string& p : parts_) out += p;
    }
    gather_barrier_.arrive_and_wait();
    return out;
  }
  void reduce(std::vector<std::uint64_t>& values, bool sum) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (!started_) {
        acc_ = values;
        started_ = true;
      } else {
        for (std::size_t i = 0; i < values.size(); ++i) acc_[i] = sum ? acc_[i] + values[i] : std::min(acc_[i], values[i]);
      }
    }
    barrier_.arrive_and_wait();
    values = acc_;
    barrier_.arrive_and_wait();
  }

 private:
  struct Completion {
    ThreadCollective* self;
    void operator()() noexcept {
      if (++self->phase_ % 2 == 0) self->started_ = false;
    }
  };
  std::barrier<Completion> barrier_;
  std::barrier<> gather_barrier_;
  std::vector<std::string> parts_;
  std::mutex mutex_;
  bool started_ = false;
  std::uint64_t phase_ = 0;
  std::vector<std::uint64_t> acc_;
};

CheckRequest request(const ScenarioSpec& spec, const std::string& policy, std::uint64_t start_seed, std::uint64_t budget) {
  CheckRequest req;
  req.spec = &spec;
  req.arm = Arm{PolicyRegistry::find(policy), SeedPolicy{}};
  req.properties = {Property::kNoRepeats};
  req.strategy = StrategyChoice{StrategyKind::kRandom, 3};
  req.budget = budget;
  req.start_seed = start_seed;
  return req;
}

std::vector<CheckResult> run_shared(const CheckRequest& base, int ranks) {
  ThreadCollective collective(ranks);
  std::vector<CheckResult> results(static_cast<std::size_t>(ranks));
  std::vector<std::thread> threads;
  for (int r = 0; r < ranks; ++r) {
    threads.emplace_back([&, r] {
      CheckRequest req = base;
      req.share = RankShare{r, ranks, [&](std::vector<std::uint64_t>& v) { collective.reduce(v, false); },
                            [&](std::vector<std::uint64_t>& v) { collective.reduce(v, true); },
                            [&, r](const std::string& bytes) { return collective.gather(r, bytes); }};
      results[static_cast<std::size_t>(r)] = run_check(req);
    });
  }
  for (std::thread& t : threads) t.join();
  return results;
}

TEST(CheckShare, RankZeroGetsTheSingleProcessCounterexampleForEveryRankCount) {
  const ScenarioSpec spec = load_scenario(std::string(SAMPLERSIM_SOURCE_DIR) + "/tests/data/scenarios/grid-3x3-w3.toml");
  for (std::uint64_t seed : {1u, 4u, 7u, 10u, 11u, 12u}) {
    const CheckRequest req = request(spec, "optuna-3.6", seed, 200);
    const CheckResult single = run_check(req);
    ASSERT_TRUE(single.counterexample) << "start seed " << seed;
    const Counterexample& want = *single.counterexample;
    for (int ranks : {1, 2, 3, 5}) {
      const std::vector<CheckResult> shared = run_shared(req, ranks);
      const std::string where = "K=" + std::to_string(ranks) + " start seed " + std::to_string(seed);
      ASSERT_TRUE(shared[0].counterexample) << where;
      const Counterexample& got = *shared[0].counterexample;
      EXPECT_EQ(got.schedule_index, want.schedule_index) << where;
      EXPECT_EQ(got.run_seed, want.run_seed) << where;
      EXPECT_EQ(got.found_picks, want.found_picks) << where;
      EXPECT_EQ(got.choices, want.choices) << where;
      EXPECT_EQ(got.omitted_processes, want.omitted_processes) << where;
      EXPECT_EQ(got.violation.detail, want.violation.detail) << where;
      for (const CheckResult& r : shared) {
        EXPECT_TRUE(r.violated) << where;
        EXPECT_EQ(r.schedules, single.schedules) << where;
      }
      for (std::size_t r = 1; r < shared.size(); ++r) EXPECT_FALSE(shared[r].counterexample) << where << " rank " << r;
    }
  }
}

TEST(CheckShare, WithoutAViolationEveryRankCountsTheWholeBudget) {
  const ScenarioSpec spec = load_scenario("issue-5489");
  const CheckRequest req = request(spec, "optuna-4", 1, 50);
  ASSERT_FALSE(run_check(req).violated);
  for (int ranks : {1, 3, 7}) {
    for (const CheckResult& r : run_shared(req, ranks)) {
      EXPECT_FALSE(r.violated) << "K=" << ranks;
      EXPECT_FALSE(r.counterexample) << "K=" << ranks;
      EXPECT_EQ(r.schedules, 50u) << "K=" << ranks;
      EXPECT_FALSE(r.stopped) << "K=" << ranks;
    }
  }
}


// Rank 0's counterexample and every rank's counts equal the single process's.
void expect_same_as_single(const CheckRequest& req, const std::string& what) {
  const CheckResult single = run_check(req);
  for (int ranks : {1, 2, 3, 5}) {
    const std::vector<CheckResult> shared = run_shared(req, ranks);
    const std::string where = what + " K=" + std::to_string(ranks);
    for (std::size_t r = 0; r < shared.size(); ++r) {
      EXPECT_EQ(shared[r].violated, single.violated) << where << " rank " << r;
      EXPECT_EQ(shared[r].schedules, single.schedules) << where << " rank " << r;
      EXPECT_EQ(shared[r].classes, single.classes) << where << " rank " << r;
      EXPECT_EQ(shared[r].exhausted, single.exhausted) << where << " rank " << r;
      EXPECT_EQ(shared[r].stopped, single.stopped) << where << " rank " << r;
      if (r > 0) {
        EXPECT_FALSE(shared[r].counterexample) << where << " rank " << r;
      }
    }
    ASSERT_EQ(shared[0].counterexample.has_value(), single.counterexample.has_value()) << where;
    if (!single.counterexample) continue;
    const Counterexample& want = *single.counterexample;
    const Counterexample& got = *shared[0].counterexample;
    EXPECT_EQ(got.schedule_index, want.schedule_index) << where;
    EXPECT_EQ(got.run_seed, want.run_seed) << where;
    EXPECT_EQ(got.found_picks, want.found_picks) << where;
    EXPECT_EQ(got.choices, want.choices) << where;
    EXPECT_EQ(got.omitted_processes, want.omitted_processes) << where;
    EXPECT_EQ(got.violation.detail, want.violation.detail) << where;
  }
}

// pct:3 on issue-5489 under optuna-3.6 without seeds finds the repeat within a few schedules; the
// estimate k grows from the probe run's length as longer runs appear, so some rounds are voided
// past an overflowing run (counted below: without that path the ranks would use a stale k and
// differ from the single process).
TEST(CheckShare, PctSharedGivesTheSingleProcessCounterexampleAndCounts) {
  const ScenarioSpec spec = load_scenario("issue-5489");
  for (std::uint64_t seed : {1u, 2u, 3u, 4u, 5u}) {
    CheckRequest req = request(spec, "optuna-3.6", seed, 200);
    req.strategy = StrategyChoice{StrategyKind::kPct, 3};
    expect_same_as_single(req, "pct:3 violation, start seed " + std::to_string(seed));
  }
  CheckRequest clean = request(spec, "optuna-4", 1, 60);
  clean.strategy = StrategyChoice{StrategyKind::kPct, 3};
  ASSERT_FALSE(run_check(clean).violated);
  expect_same_as_single(clean, "pct:3 without violation");
}

// three-by-three under atomic-claim (checked for termination only): pct's probe run is not the
// longest, so with 3 ranks a run in an early round is longer than the estimate, the runs past it
// are voided and run again (more runs than schedules), and the answer is still the single
// process's.
TEST(CheckShare, PctSharedRerunsTheSchedulesPastALongerRun) {
  const ScenarioSpec spec = load_scenario(std::string(SAMPLERSIM_SOURCE_DIR) + "/tests/data/scenarios/three-by-three.toml");
  CheckRequest req = request(spec, "atomic-claim", 1, 60);
  req.strategy = StrategyChoice{StrategyKind::kPct, 3};
  req.properties = {Property::kTermination};
  expect_same_as_single(req, "pct:3 three-by-three atomic-claim");
  std::atomic<std::uint64_t> runs{0};
  req.on_run = [&runs](const ExploredRun&) { ++runs; };
  const std::vector<CheckResult> shared = run_shared(req, 3);
  EXPECT_EQ(shared[0].schedules, 60u);
  EXPECT_GT(runs.load(), 60u) << "no run was longer than the estimate: the void-and-rerun path went untested";
}

CheckRequest exhaustive(const ScenarioSpec& spec, const std::string& policy, const std::string& seed_policy) {
  CheckRequest req;
  req.spec = &spec;
  req.arm = Arm{PolicyRegistry::find(policy), *parse_seed_policy(seed_policy)};
  req.properties = {Property::kCoverage, Property::kNoRepeats, Property::kTermination};
  req.strategy = StrategyChoice{StrategyKind::kExhaustive, 3};
  req.reduction = Reduction::kNone;
  req.budget = 1'000'000;
  req.start_seed = spec.seed;
  return req;
}

// two-by-two under optuna-4/none: 15 binary choice points whatever the picks; with a preemption
// bound of 2 the tree has 1 + 15 + 105 = 121 schedules, 2 classes, no violation.
TEST(CheckShare, ExhaustiveSharedExploresTheSingleProcessTree) {
  const ScenarioSpec spec = load_scenario(std::string(SAMPLERSIM_SOURCE_DIR) + "/tests/data/golden/two-by-two.toml");
  CheckRequest req = exhaustive(spec, "optuna-4", "none");
  for (int bound : {0, 1, 2}) {
    req.preemption_bound = bound;
    expect_same_as_single(req, "bound " + std::to_string(bound));
  }
  req.preemption_bound = 2;
  ASSERT_TRUE(run_check(req).exhausted);
  for (std::uint64_t budget : {1u, 2u, 17u, 50u, 120u, 121u, 122u}) {
    req.budget = budget;
    expect_same_as_single(req, "bound 2, budget " + std::to_string(budget));
  }
  // The unbounded tree (2^15 schedules) under budgets that are a small corner of it: the split
  // depth moves down so that the budget's schedules spread over the ranks.
  req.preemption_bound.reset();
  for (std::uint64_t budget : {300u, 5000u}) {
    req.budget = budget;
    expect_same_as_single(req, "unbounded, budget " + std::to_string(budget));
  }
}

// A time limit on some rank ends the shared search on every rank after the round: all ranks report
// it stopped, with the schedules every rank ran.
TEST(CheckShare, ExhaustiveSharedStopsEveryRankWhenOneStops) {
  const ScenarioSpec spec = load_scenario(std::string(SAMPLERSIM_SOURCE_DIR) + "/tests/data/golden/two-by-two.toml");
  CheckRequest req = exhaustive(spec, "optuna-4", "none");
  std::atomic<std::uint64_t> polls{0};
  req.should_stop = [&polls] { return ++polls > 40; };
  for (const CheckResult& r : run_shared(req, 3)) {
    EXPECT_TRUE(r.stopped);
    EXPECT_FALSE(r.exhausted);
    EXPECT_GE(r.schedules, 1u);
    EXPECT_LE(r.schedules, 40u);
  }
}

// optuna-3.2 with one seed in every process (same:42) repeats on two-by-two when a worker reads the
// study before the other's grid_id is written: the first violating schedule, its shrunk choices and
// the counts are the single process's, also when the search goes on past it.
TEST(CheckShare, ExhaustiveSharedFindsTheSingleProcessFirstViolation) {
  const ScenarioSpec spec = load_scenario(std::string(SAMPLERSIM_SOURCE_DIR) + "/tests/data/golden/two-by-two.toml");
  CheckRequest req = exhaustive(spec, "optuna-3.2", "same:42");
  req.properties = {Property::kNoRepeats};
  req.preemption_bound = 2;
  ASSERT_TRUE(run_check(req).violated) << "the test needs a violation within the bound";
  expect_same_as_single(req, "3.2 same:42 bound 2");
  req.stop_at_violation = false;
  req.shrink = false;
  expect_same_as_single(req, "3.2 same:42 bound 2, exploring on");
}

}  // namespace
}  // namespace samplersim
