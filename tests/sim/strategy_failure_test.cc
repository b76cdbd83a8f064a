// A strategy that throws inside a run: through simulate() (the engine's public surface, whatever
// its internals), the exception reaches the caller, the run's workers are unwound (no
// std::terminate with joinable fibers), and the thread can simulate again with identical results.
// A replay whose picks do not fit the run is a ReplayDivergence naming the choice point.
#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "app/scenario_files.h"
#include "sim/sampler.h"
#include "sim/seed_policy.h"
#include "sim/simulation.h"

#ifndef SAMPLERSIM_SOURCE_DIR
#error "SAMPLERSIM_SOURCE_DIR must be defined"
#endif

namespace samplersim {
namespace {

ScenarioSpec two_by_two() {
  return load_scenario(std::string(SAMPLERSIM_SOURCE_DIR) + "/tests/data/golden/two-by-two.toml");
}

// Random picks, but throws at choice point `fail_at`.
class ThrowingStrategy final : public Strategy {
 public:
  ThrowingStrategy(std::uint64_t seed, std::uint64_t fail_at) : inner_(seed), fail_at_(fail_at) {}
  std::size_t pick(const ChoicePoint& cp) override {
    if (cp.index == fail_at_) throw std::runtime_error("strategy gave up at choice point " + std::to_string(cp.index));
    return inner_.pick(cp);
  }
  std::string name() const override { return "throwing"; }

 private:
  RandomStrategy inner_;
  std::uint64_t fail_at_;
};

RunOutcome run_with(const ScenarioSpec& spec, Strategy& strategy, std::uint64_t seed) {
  return simulate(RunRequest{&spec, PolicyRegistry::find("optuna-3.2"), *parse_seed_policy("same:42"), seed, &strategy});
}

TEST(StrategyFailure, AnExceptionFromPickUnwindsTheRunAndReachesTheCaller) {
  const ScenarioSpec spec = two_by_two();
  RandomStrategy reference_strategy(7);
  const RunOutcome reference = run_with(spec, reference_strategy, 7);
  ASSERT_GE(reference.choice_points, 4u) << "the scenario must tie at several instants";
  for (std::uint64_t k : {std::uint64_t{0}, std::uint64_t{1}, reference.choice_points - 1}) {
    ThrowingStrategy strategy(7, k);
    try {
      run_with(spec, strategy, 7);
      FAIL() << "simulate() must rethrow the strategy's exception (k=" << k << ")";
    } catch (const RunFailure& e) {
      EXPECT_NE(std::string(e.what()).find("strategy gave up at choice point " + std::to_string(k)), std::string::npos)
          << e.what();
      EXPECT_NE(std::string(e.what()).find("run seed 7"), std::string::npos) << e.what();
    }
    // Nothing of the failed run is left on this thread: the same run reproduces exactly.
    RandomStrategy again(7);
    EXPECT_EQ(run_with(spec, again, 7).trace_hash, reference.trace_hash) << "after a failure at k=" << k;
  }
}

TEST(StrategyFailure, FailuresOnOtherThreadsAreContainedToo) {
  const ScenarioSpec spec = two_by_two();
  std::vector<std::string> messages(4);
  std::vector<std::thread> threads;
  for (std::size_t i = 0; i < messages.size(); ++i) {
    threads.emplace_back([&, i] {
      ThrowingStrategy strategy(i, i);
      try {
        run_with(spec, strategy, i);
      } catch (const RunFailure& e) {
        messages[i] = e.what();
      }
    });
  }
  for (std::thread& t : threads) t.join();
  for (std::size_t i = 0; i < messages.size(); ++i) {
    EXPECT_NE(messages[i].find("strategy gave up at choice point " + std::to_string(i)), std::string::npos) << messages[i];
  }
}

struct BadReplay {
  const char* name;
  std::vector<std::uint32_t> picks;  // replacing the recorded ones from `at` on
  std::size_t at;
  const char* message;
};

TEST(StrategyFailure, AReplayThatDoesNotFitIsADivergenceAtItsChoicePoint) {
  const ScenarioSpec spec = two_by_two();
  RandomStrategy recorder(3);
  const RunOutcome recorded = run_with(spec, recorder, 3);
  ASSERT_GE(recorded.schedule.size(), 3u);
  const std::vector<BadReplay> cases = {
      {"no picks", {}, 0, "diverged at choice point 0: the schedule has only 0 picks"},
      {"too few picks", {}, 2, "diverged at choice point 2: the schedule has only 2 picks"},
      {"pick out of range", {99}, 1, "diverged at choice point 1: pick 99 is out of range"},
      {"largest pick", {4294967295u}, 0, "diverged at choice point 0: pick 4294967295 is out of range"},
  };
  for (const BadReplay& c : cases) {
    std::vector<std::uint32_t> picks(recorded.schedule.begin(), recorded.schedule.begin() + static_cast<long>(c.at));
    picks.insert(picks.end(), c.picks.begin(), c.picks.end());
    ReplayStrategy replay(picks);
    try {
      run_with(spec, replay, 3);
      FAIL() << c.name << ": the replay must diverge";
    } catch (const ReplayDivergence& e) {
      EXPECT_NE(std::string(e.what()).find(c.message), std::string::npos) << c.name << ": " << e.what();
    }
  }
  ReplayStrategy exact(recorded.schedule);
  EXPECT_EQ(run_with(spec, exact, 3).trace_hash, recorded.trace_hash);
}

}  // namespace
}  // namespace samplersim
