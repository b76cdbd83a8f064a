// Engine contract: virtual-time order, recorded choice points, replay, exceptions carried to the
// caller, limits, and no dependence on anything but the inputs.
#include "sim/engine.h"
#include "sim/invariant.h"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <vector>

namespace samplersim {
namespace {

struct Log {
  std::vector<std::pair<VirtualTime, WorkerId>> entries;
};

// Each worker logs (time, id) at every wake-up after sleeping the given durations.
std::uint64_t run_workers(Strategy& strategy, const std::vector<std::vector<VirtualTime>>& sleeps,
                          Log& log, std::vector<std::uint32_t>* schedule = nullptr) {
  Trace trace(false);
  Engine engine(strategy, trace, EngineLimits{});
  for (std::size_t w = 0; w < sleeps.size(); ++w) {
    engine.spawn(
        [&engine, &log, &sleeps, w] {
          log.entries.emplace_back(engine.now_us(), engine.current());
          for (VirtualTime d : sleeps[w]) {
            engine.sleep_for(d);
            log.entries.emplace_back(engine.now_us(), engine.current());
          }
        },
        0);
  }
  engine.run();
  if (schedule) *schedule = engine.schedule();
  return trace.hash();
}

TEST(Engine, WorkersWakeInVirtualTimeOrder) {
  RandomStrategy strategy(1);
  Log log;
  run_workers(strategy, {{30, 30}, {10, 100}, {45}}, log);
  // Ignoring the three starts at t=0, wake-ups must be sorted by time.
  std::vector<VirtualTime> times;
  for (std::size_t i = 3; i < log.entries.size(); ++i) times.push_back(log.entries[i].first);
  EXPECT_EQ(times, (std::vector<VirtualTime>{10, 30, 45, 60, 110}));
}

TEST(Engine, TiesAreChoicePointsAndReplayReproducesThem) {
  const std::vector<std::vector<VirtualTime>> sleeps = {{5, 5, 5}, {5, 5, 5}, {5, 5, 5}};
  RandomStrategy strategy(42);
  Log first;
  std::vector<std::uint32_t> picks;
  run_workers(strategy, sleeps, first, &picks);
  ASSERT_FALSE(picks.empty());  // three workers due together at 0, 5, 10, 15

  ReplayStrategy replay(picks);
  Log second;
  run_workers(replay, sleeps, second);
  EXPECT_EQ(first.entries, second.entries);
  EXPECT_TRUE(replay.fully_consumed());
}

TEST(Engine, DifferentPicksGiveDifferentOrders) {
  const std::vector<std::vector<VirtualTime>> sleeps = {{1}, {1}};
  ChoicesStrategy first_runnable({0, 0, 0});
  ChoicesStrategy second_runnable({1, 1, 1});
  Log a, b;
  run_workers(first_runnable, sleeps, a);
  run_workers(second_runnable, sleeps, b);
  EXPECT_NE(a.entries, b.entries);
  EXPECT_EQ(a.entries.front().second, 0);
  EXPECT_EQ(b.entries.front().second, 1);
}

TEST(Engine, ExceptionInAWorkerReachesTheCallerAndOthersUnwind) {
  RandomStrategy strategy(3);
  Trace trace(false);
  Engine engine(strategy, trace, EngineLimits{});
  int unwound = 0;
  struct Guard {
    int& n;
    ~Guard() { ++n; }
  };
  engine.spawn([&] {
    Guard g{unwound};
    engine.sleep_for(100);
    engine.sleep_for(100);
  }, 0);
  engine.spawn([&] {
    engine.sleep_for(50);
    throw std::runtime_error("boom in worker 1");
  }, 0);
  try {
    engine.run();
    FAIL() << "run() must rethrow";
  } catch (const std::runtime_error& e) {
    EXPECT_STREQ(e.what(), "boom in worker 1");
  }
  EXPECT_EQ(unwound, 1);
}

TEST(Engine, StepLimitStopsARunawayWorker) {
  RandomStrategy strategy(3);
  Trace trace(false);
  EngineLimits limits;
  limits.max_steps = 1000;
  Engine engine(strategy, trace, limits);
  engine.spawn([&] {
    for (;;) engine.sleep_for(1);
  }, 0);
  EXPECT_THROW(engine.run(), SimulationLimitExceeded);
}

TEST(Engine, VirtualTimeLimitStopsALongRun) {
  RandomStrategy strategy(3);
  Trace trace(false);
  EngineLimits limits;
  limits.max_time_us = 1000;
  Engine engine(strategy, trace, limits);
  engine.spawn([&] { engine.sleep_for(5000); }, 0);
  EXPECT_THROW(engine.run(), SimulationLimitExceeded);
}

TEST(Engine, ManySequentialEnginesOnOneThread) {
  // Each run installs a fresh scheduling algorithm; terminated fibers must be released.
  for (int i = 0; i < 2000; ++i) {
    RandomStrategy strategy(static_cast<std::uint64_t>(i));
    Log log;
    run_workers(strategy, {{1, 2}, {2, 1}, {3}}, log);
    ASSERT_EQ(log.entries.size(), 8u);
  }
}

}  // namespace
}  // namespace samplersim

namespace samplersim {
namespace {

// A failed invariant inside a fiber (here: waking up in the past) reaches the caller as an
// exception; the process is not aborted and the other workers are unwound.
TEST(Engine, FailedInvariantInAFiberIsCarriedToTheCaller) {
  RandomStrategy strategy(5);
  Trace trace(false);
  Engine engine(strategy, trace, EngineLimits{});
  engine.spawn([&] { engine.sleep_for(1000); }, 0);
  engine.spawn([&] {
    engine.sleep_for(500);
    engine.sleep_until(10);  // virtual time must not go backwards
  }, 0);
  try {
    engine.run();
    FAIL() << "run() must rethrow the violation";
  } catch (const InvariantViolation& e) {
    EXPECT_NE(std::string(e.what()).find("virtual time must not go backwards"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace samplersim
