// RankShare (app/check_explore.h): a random search shared by K cooperating processes gives rank 0
// the counterexample a single process finds (same schedule, run seed, shrunk choices and left-out
// processes) and every rank the same verdict, for K = 1, 2, 3 and 5 and several start seeds, with
// and without a violation. The K ranks are threads here, their collectives a barrier; under mpirun
// they are MPI ranks (app/mpi_world.h, tests/cli/mpi_test.cc). Deterministic: fixed seeds, every
// failure names K and the start seed.
#include <gtest/gtest.h>

#include <algorithm>
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
  explicit ThreadCollective(int ranks) : barrier_(ranks, Completion{this}) {}
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
                            [&](std::vector<std::uint64_t>& v) { collective.reduce(v, true); }};
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

}  // namespace
}  // namespace samplersim
