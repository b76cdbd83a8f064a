// Engine contract: virtual-time order, recorded choice points, replay, exceptions carried to the
// caller, limits, and no dependence on anything but the inputs.
#include "sim/engine.h"
#include "sim/invariant.h"

#include <gtest/gtest.h>

#include <memory>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "sim/random_stream.h"

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
  try {
    engine.run();
    FAIL() << "expected SimulationLimitExceeded";
  } catch (const SimulationLimitExceeded& e) {
    EXPECT_NE(std::string(e.what()).find("more than 1000 engine steps"), std::string::npos) << e.what();
  }
}

TEST(Engine, VirtualTimeLimitStopsALongRun) {
  RandomStrategy strategy(3);
  Trace trace(false);
  EngineLimits limits;
  limits.max_time_us = 1000;
  Engine engine(strategy, trace, limits);
  engine.spawn([&] { engine.sleep_for(5000); }, 0);
  // The message names the scenario key to raise (a new user's 1-3 h trials hit the 24 h default and
  // read "87329517768 us virtual time").
  try {
    engine.run();
    FAIL() << "expected SimulationLimitExceeded";
  } catch (const SimulationLimitExceeded& e) {
    EXPECT_NE(std::string(e.what()).find("the run passed [run] max_virtual_time"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("e.g. max_virtual_time = \"10h\""), std::string::npos) << e.what();
  }
}

TEST(Engine, ManySequentialEnginesOnOneThread) {
  // Each run allocates and frees its workers' stacks; nothing may leak or accumulate.
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

namespace samplersim {
namespace {

// The engine's specification without fibers: a worker is a script of sleep durations; the earliest
// (wake time, worker id) runs next; several due at one instant are a choice point for the strategy.
// The engine takes shortcuts (a worker that is still the earliest continues without a switch;
// workers hand over to each other directly); this is what they must add up to.
struct Script {
  std::vector<VirtualTime> starts;
  std::vector<std::vector<VirtualTime>> sleeps;
};

struct RunRecord {
  std::vector<std::pair<VirtualTime, WorkerId>> log;  // (time, worker) at every start and wake-up
  std::vector<std::uint32_t> schedule;
  std::uint64_t steps = 0;
  std::uint64_t trace_hash = 0;
  bool limit_exceeded = false;
};

RunRecord reference_run(Strategy& strategy, const Script& script, std::uint64_t max_steps, VirtualTime max_time_us) {
  std::set<std::pair<VirtualTime, WorkerId>> timers;
  for (std::size_t w = 0; w < script.starts.size(); ++w) timers.emplace(script.starts[w], static_cast<WorkerId>(w));
  std::vector<std::size_t> next(script.sleeps.size(), 0);
  std::vector<bool> started(script.sleeps.size(), false);
  RunRecord out;
  Trace trace(false);
  VirtualTime now = 0;
  while (!timers.empty()) {
    const VirtualTime t = timers.begin()->first;
    if (out.steps >= max_steps || t > max_time_us) {
      out.limit_exceeded = true;
      // Waiting workers are unwound in (wake time, id) order; one that never started runs up to
      // its first wait (here: logs its start) at the current instant.
      for (const auto& [wake, w] : timers) {
        if (!started[static_cast<std::size_t>(w)]) out.log.emplace_back(now, w);
      }
      break;
    }
    std::vector<WorkerId> due;
    for (auto it = timers.begin(); it != timers.end() && it->first == t; ++it) due.push_back(it->second);
    std::size_t index = 0;
    if (due.size() > 1) {
      index = strategy.pick(ChoicePoint{out.schedule.size(), t, due});
      out.schedule.push_back(static_cast<std::uint32_t>(index));
      trace.record({t, due[index], TraceKind::kPick, -1, static_cast<std::int64_t>(index),
                    static_cast<std::int64_t>(due.size()), {}});
    }
    const WorkerId w = due[index];
    timers.erase({t, w});
    ++out.steps;
    now = t;
    started[static_cast<std::size_t>(w)] = true;
    out.log.emplace_back(t, w);
    const auto& mine = script.sleeps[static_cast<std::size_t>(w)];
    std::size_t& k = next[static_cast<std::size_t>(w)];
    if (k < mine.size()) timers.emplace(t + mine[k++], w);
  }
  out.trace_hash = trace.hash();
  return out;
}

RunRecord engine_run(Strategy& strategy, const Script& script, EngineLimits limits) {
  RunRecord out;
  Trace trace(false);
  Engine engine(strategy, trace, limits);
  for (std::size_t w = 0; w < script.starts.size(); ++w) {
    engine.spawn(
        [&engine, &out, &script, w] {
          out.log.emplace_back(engine.now_us(), engine.current());
          for (VirtualTime d : script.sleeps[w]) {
            engine.sleep_for(d);
            out.log.emplace_back(engine.now_us(), engine.current());
          }
        },
        script.starts[w]);
  }
  try {
    engine.run();
  } catch (const SimulationLimitExceeded&) {
    out.limit_exceeded = true;
  }
  out.schedule = engine.schedule();
  out.steps = engine.steps();
  out.trace_hash = trace.hash();
  return out;
}

Script random_script(RandomStream& rng) {
  static constexpr VirtualTime kDurations[] = {0, 1, 1, 2, 3, 5, 10, 40};  // zero: wake at the same instant
  Script s;
  const int workers = 1 + static_cast<int>(rng.uniform_inclusive(11));
  for (int w = 0; w < workers; ++w) {
    s.starts.push_back(static_cast<VirtualTime>(rng.uniform_inclusive(3)));
    std::vector<VirtualTime> sleeps(rng.uniform_inclusive(20));
    for (VirtualTime& d : sleeps) d = kDurations[rng.uniform_inclusive(std::size(kDurations) - 1)];
    s.sleeps.push_back(std::move(sleeps));
  }
  return s;
}

// Every shortcut preserves the specification exactly: same order, same choice points offered in the
// same form (so the same picks), same step count and trace hash, on 400 random scripts with many
// same-instant ties and zero-length sleeps. Deterministic seeds; any failure names its seed.
TEST(Engine, ShortcutsGiveExactlyTheSpecifiedOrderAndChoicePoints) {
  for (std::uint64_t seed = 1; seed <= 400; ++seed) {
    RandomStream rng(seed);
    const Script script = random_script(rng);
    RandomStrategy reference_strategy(seed);
    RandomStrategy engine_strategy(seed);
    const RunRecord want = reference_run(reference_strategy, script, EngineLimits{}.max_steps, EngineLimits{}.max_time_us);
    const RunRecord got = engine_run(engine_strategy, script, EngineLimits{});
    ASSERT_EQ(got.log, want.log) << "seed " << seed;
    ASSERT_EQ(got.schedule, want.schedule) << "seed " << seed;
    ASSERT_EQ(got.steps, want.steps) << "seed " << seed;
    ASSERT_EQ(got.trace_hash, want.trace_hash) << "seed " << seed;
    ASSERT_FALSE(got.limit_exceeded) << "seed " << seed;
  }
}

// The limits stop the run at the same step and instant whichever path (continue at once, direct
// hand-over, engine loop) the next resumption would have taken.
TEST(Engine, LimitsStopAtTheSpecifiedStep) {
  for (std::uint64_t seed = 1; seed <= 300; ++seed) {
    RandomStream rng(seed);
    const Script script = random_script(rng);
    RandomStrategy unlimited_strategy(seed);
    const RunRecord full = reference_run(unlimited_strategy, script, EngineLimits{}.max_steps, EngineLimits{}.max_time_us);
    EngineLimits limits;
    if (rng.bernoulli(1, 2)) {
      limits.max_steps = 1 + rng.uniform_inclusive(full.steps);
    } else {
      limits.max_time_us = static_cast<VirtualTime>(rng.uniform_inclusive(static_cast<std::uint64_t>(full.log.back().first)));
    }
    RandomStrategy reference_strategy(seed);
    RandomStrategy engine_strategy(seed);
    const RunRecord want = reference_run(reference_strategy, script, limits.max_steps, limits.max_time_us);
    const RunRecord got = engine_run(engine_strategy, script, limits);
    ASSERT_EQ(got.limit_exceeded, want.limit_exceeded) << "seed " << seed;
    ASSERT_EQ(got.log, want.log) << "seed " << seed;
    ASSERT_EQ(got.schedule, want.schedule) << "seed " << seed;
  }
}

// Issue 9: an engine must not leave anything behind on its thread. Two engines run one after
// another on one thread (the second constructed before the first runs), then one more after both
// were destroyed; each gives the run it gives alone.
TEST(Engine, EnginesRunOneAfterAnotherAndAfterOneWasDestroyed) {
  const std::vector<std::vector<VirtualTime>> sleeps = {{5, 5, 1}, {5, 3, 3}, {2, 8}};
  Log alone;
  std::vector<std::uint32_t> alone_picks;
  {
    RandomStrategy strategy(11);
    run_workers(strategy, sleeps, alone, &alone_picks);
  }
  ASSERT_FALSE(alone_picks.empty());

  RandomStrategy s1(11);
  RandomStrategy s2(11);
  Trace t1(false);
  Trace t2(false);
  Log l1;
  Log l2;
  auto make = [&sleeps](Engine& engine, Log& log) {
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
  };
  {
    auto first = std::make_unique<Engine>(s1, t1, EngineLimits{});
    Engine second(s2, t2, EngineLimits{});
    make(*first, l1);
    make(second, l2);
    first->run();
    first.reset();  // destroyed before the second engine runs
    second.run();
    EXPECT_EQ(second.schedule(), alone_picks);
  }
  EXPECT_EQ(l1.entries, alone.entries);
  EXPECT_EQ(l2.entries, alone.entries);

  Log after;
  RandomStrategy s3(11);
  std::vector<std::uint32_t> after_picks;
  run_workers(s3, sleeps, after, &after_picks);
  EXPECT_EQ(after.entries, alone.entries);
  EXPECT_EQ(after_picks, alone_picks);
}

// Stronger still: an engine runs to completion inside a worker of another engine (nothing global to
// clobber), and both give the runs they give alone.
TEST(Engine, AnEngineRunsInsideAWorkerOfAnother) {
  const std::vector<std::vector<VirtualTime>> sleeps = {{5, 5, 1}, {5, 3, 3}, {2, 8}};
  Log alone;
  {
    RandomStrategy strategy(4);
    run_workers(strategy, sleeps, alone);
  }
  Log inner_log;
  Log outer_log;
  RandomStrategy outer_strategy(4);
  Trace trace(false);
  Engine outer(outer_strategy, trace, EngineLimits{});
  for (std::size_t w = 0; w < sleeps.size(); ++w) {
    outer.spawn(
        [&, w] {
          outer_log.entries.emplace_back(outer.now_us(), outer.current());
          for (VirtualTime d : sleeps[w]) {
            if (w == 1 && inner_log.entries.empty()) {
              RandomStrategy inner_strategy(4);
              run_workers(inner_strategy, sleeps, inner_log);
            }
            outer.sleep_for(d);
            outer_log.entries.emplace_back(outer.now_us(), outer.current());
          }
        },
        0);
  }
  outer.run();
  EXPECT_EQ(inner_log.entries, alone.entries);
  EXPECT_EQ(outer_log.entries, alone.entries);
}

// Engines on several threads at once give the same runs as on one.
TEST(Engine, EnginesOnSeveralThreadsGiveTheSameRuns) {
  const std::vector<std::vector<VirtualTime>> sleeps = {{5, 5, 1, 4}, {5, 3, 3, 1}, {2, 8, 1}, {1, 1, 1, 1}};
  std::vector<Log> serial(8);
  for (std::size_t i = 0; i < serial.size(); ++i) {
    RandomStrategy strategy(i);
    run_workers(strategy, sleeps, serial[i]);
  }
  std::vector<Log> parallel(8);
  std::vector<std::thread> threads;
  for (std::size_t i = 0; i < parallel.size(); ++i) {
    threads.emplace_back([&, i] {
      for (int repeat = 0; repeat < 50; ++repeat) {
        RandomStrategy strategy(i);
        Log log;
        run_workers(strategy, sleeps, log);
        if (repeat == 0) parallel[i] = log;
      }
    });
  }
  for (std::thread& t : threads) t.join();
  for (std::size_t i = 0; i < serial.size(); ++i) EXPECT_EQ(parallel[i].entries, serial[i].entries) << "seed " << i;
}

// A Strategy that throws (a replay that diverged) stops the run like a worker exception: the
// exception reaches the caller and every worker is unwound, whether the choice point is met by
// the engine loop (the first one, at the start) or by a worker handing over (the second).
TEST(Engine, StrategyExceptionsReachTheCallerAndWorkersUnwind) {
  for (std::size_t picks = 0; picks < 2; ++picks) {
    ReplayStrategy replay(std::vector<std::uint32_t>(picks, 0));
    Trace trace(false);
    Engine engine(replay, trace, EngineLimits{});
    int unwound = 0;
    struct Guard {
      int& n;
      ~Guard() { ++n; }
    };
    for (int w = 0; w < 3; ++w) {
      engine.spawn([&] {
        Guard g{unwound};
        engine.sleep_for(5);
        engine.sleep_for(5);
      }, 0);
    }
    EXPECT_THROW(engine.run(), ReplayDivergence) << picks << " picks";
    EXPECT_EQ(unwound, 3) << picks << " picks";
  }
}

}  // namespace
}  // namespace samplersim

namespace samplersim {
namespace {

// reschedule() against the specification: as reference_run, but before each of its sleeps a worker
// moves another worker's wake-up (if that one waits) to now + delta, erased and re-inserted in the
// ordered set. The engine keeps workers left over from a choice point apart (due_) and the rest in
// its heap; either way the order, the choice points and the trace must be the specification's.
struct Move {
  WorkerId target = 0;
  VirtualTime delta_us = 0;
};

struct MovingScript {
  Script script;
  std::vector<std::vector<Move>> moves;  // moves[w][k]: before worker w's k-th sleep
};

MovingScript random_moving_script(RandomStream& rng) {
  static constexpr VirtualTime kDeltas[] = {0, 0, 1, 2, 5, 40};  // zero: due at this very instant
  MovingScript m;
  m.script = random_script(rng);
  const std::size_t workers = m.script.starts.size();
  for (std::size_t w = 0; w < workers; ++w) {
    std::vector<Move> mine(m.script.sleeps[w].size());
    for (Move& move : mine) {
      move.target = static_cast<WorkerId>(rng.uniform_inclusive(workers - 1));
      move.delta_us = kDeltas[rng.uniform_inclusive(std::size(kDeltas) - 1)];
    }
    m.moves.push_back(std::move(mine));
  }
  return m;
}

RunRecord reference_moving_run(Strategy& strategy, const MovingScript& m) {
  const Script& script = m.script;
  std::set<std::pair<VirtualTime, WorkerId>> timers;
  std::vector<VirtualTime> wake(script.starts.size(), -1);  // -1: running or returned
  for (std::size_t w = 0; w < script.starts.size(); ++w) {
    timers.emplace(script.starts[w], static_cast<WorkerId>(w));
    wake[w] = script.starts[w];
  }
  std::vector<std::size_t> next(script.sleeps.size(), 0);
  RunRecord out;
  Trace trace(false);
  while (!timers.empty()) {
    const VirtualTime t = timers.begin()->first;
    std::vector<WorkerId> due;
    for (auto it = timers.begin(); it != timers.end() && it->first == t; ++it) due.push_back(it->second);
    std::size_t index = 0;
    if (due.size() > 1) {
      index = strategy.pick(ChoicePoint{out.schedule.size(), t, due});
      out.schedule.push_back(static_cast<std::uint32_t>(index));
      trace.record({t, due[index], TraceKind::kPick, -1, static_cast<std::int64_t>(index),
                    static_cast<std::int64_t>(due.size()), {}});
    }
    const WorkerId w = due[index];
    timers.erase({t, w});
    wake[static_cast<std::size_t>(w)] = -1;
    ++out.steps;
    out.log.emplace_back(t, w);
    const auto& mine = script.sleeps[static_cast<std::size_t>(w)];
    std::size_t& k = next[static_cast<std::size_t>(w)];
    if (k < mine.size()) {
      const Move move = m.moves[static_cast<std::size_t>(w)][k];
      VirtualTime& theirs = wake[static_cast<std::size_t>(move.target)];
      if (theirs >= 0) {
        timers.erase({theirs, move.target});
        theirs = t + move.delta_us;
        timers.emplace(theirs, move.target);
      }
      wake[static_cast<std::size_t>(w)] = t + mine[k];
      timers.emplace(t + mine[k++], w);
    }
  }
  out.trace_hash = trace.hash();
  return out;
}

RunRecord engine_moving_run(Strategy& strategy, const MovingScript& m) {
  RunRecord out;
  Trace trace(false);
  Engine engine(strategy, trace, EngineLimits{});
  for (std::size_t w = 0; w < m.script.starts.size(); ++w) {
    engine.spawn(
        [&engine, &out, &m, w] {
          out.log.emplace_back(engine.now_us(), engine.current());
          for (std::size_t k = 0; k < m.script.sleeps[w].size(); ++k) {
            const Move move = m.moves[w][k];
            if (engine.is_waiting(move.target)) engine.reschedule(move.target, engine.now_us() + move.delta_us);
            engine.sleep_for(m.script.sleeps[w][k]);
            out.log.emplace_back(engine.now_us(), engine.current());
          }
        },
        m.script.starts[w]);
  }
  engine.run();
  out.schedule = engine.schedule();
  out.steps = engine.steps();
  out.trace_hash = trace.hash();
  return out;
}

// 400 fixed seeds; any failure names its seed.
TEST(Engine, RescheduleGivesExactlyTheSpecifiedOrderAndChoicePoints) {
  std::size_t choice_points = 0;
  for (std::uint64_t seed = 1; seed <= 400; ++seed) {
    RandomStream rng(seed);
    const MovingScript m = random_moving_script(rng);
    RandomStrategy reference_strategy(seed);
    RandomStrategy engine_strategy(seed);
    const RunRecord want = reference_moving_run(reference_strategy, m);
    const RunRecord got = engine_moving_run(engine_strategy, m);
    ASSERT_EQ(got.log, want.log) << "seed " << seed;
    ASSERT_EQ(got.schedule, want.schedule) << "seed " << seed;
    ASSERT_EQ(got.steps, want.steps) << "seed " << seed;
    ASSERT_EQ(got.trace_hash, want.trace_hash) << "seed " << seed;
    choice_points += want.schedule.size();
  }
  EXPECT_GT(choice_points, 1000U);  // the scripts do exercise ties (and so workers left in due_)
}

TEST(Engine, RescheduleOfTheRunningOrAReturnedWorkerIsAnInvariantViolation) {
  for (const bool running : {true, false}) {
    RandomStrategy strategy(1);
    Trace trace(false);
    Engine engine(strategy, trace, EngineLimits{});
    engine.spawn([] {}, 0);  // returns at once
    engine.spawn([&engine, running] { engine.reschedule(running ? engine.current() : 0, engine.now_us() + 1); }, 1);
    EXPECT_THROW(engine.run(), InvariantViolation) << (running ? "running" : "returned");
  }
}

}  // namespace
}  // namespace samplersim
