// The machine model (issue 12): processor sharing of a host's cores (exact integer completion
// times) and the GIL (threads of one process compute one at a time; processes on separate cores
// run in parallel; a native call or a sleep releases the GIL).
#include "sim/machine.h"
#include "sim/processor_sharing.h"

#include <gtest/gtest.h>

#include <vector>

namespace samplersim {
namespace {

constexpr std::int64_t kMs = 1'000'000;  // core-ns in one core-ms

TEST(ProcessorSharing, OneComputationPerCoreRunsAtFullSpeed) {
  ProcessorSharing host(2, 0, 1000);
  host.start(0, kMs, 0);
  host.start(1, kMs, 0);
  EXPECT_EQ(host.finish_us(0), 1000);
  EXPECT_EQ(host.finish_us(1), 1000);
}

TEST(ProcessorSharing, MoreComputationsThanCoresShareThem) {
  ProcessorSharing host(1, 0, 1000);
  host.start(0, kMs, 0);
  host.start(1, kMs, 0);
  EXPECT_EQ(host.finish_us(0), 2000);
  // At 500 µs worker 1 stops: worker 0 has done 250 µs of work and now runs alone.
  EXPECT_EQ(host.stop(1, 500), 3 * kMs / 4);
  EXPECT_EQ(host.remaining_ns(0), 3 * kMs / 4);
  EXPECT_EQ(host.finish_us(0), 1250);
}

TEST(ProcessorSharing, BackgroundLoadShareAndSpeedScaleTheRate) {
  ProcessorSharing background(1, 1000, 1000);  // one other always-runnable consumer
  background.start(0, kMs, 0);
  EXPECT_EQ(background.finish_us(0), 2000);
  ProcessorSharing quota(2, 0, 1000, 250);  // a quarter of two cores: half a core
  quota.start(0, kMs, 0);
  EXPECT_EQ(quota.finish_us(0), 2000);
  ProcessorSharing fast(1, 0, 2000);  // twice the calibration machine's speed
  fast.start(0, kMs, 0);
  EXPECT_EQ(fast.finish_us(0), 500);
}

// Runs `bodies` as engine workers, worker w in process process_of[w], on `cores` cores of one
// host; returns each worker's end time.
std::vector<VirtualTime> run_on_machine(int processes, std::vector<int> process_of, int cores,
                                        const std::function<void(Machine&, WorkerId)>& body) {
  RandomStrategy strategy(7);
  Trace trace(false);
  Engine engine(strategy, trace, EngineLimits{});
  MachineSpec spec;
  spec.present = true;
  spec.cores = cores;
  Machine machine(engine, spec, processes, process_of, 1);
  std::vector<VirtualTime> ends(process_of.size(), -1);
  for (std::size_t w = 0; w < process_of.size(); ++w) {
    engine.spawn(
        [&, w] {
          body(machine, static_cast<WorkerId>(w));
          ends[w] = engine.now_us();
          machine.exit_thread(static_cast<WorkerId>(w));
        },
        0);
  }
  engine.run();
  return ends;
}

TEST(Machine, ThreadsOfOneProcessComputeOneAtATime) {
  // Two threads of one process, two cores: the GIL serialises their 3 ms of Python each, so the
  // last ends at >= 6 ms (plus at most a few wake-ups), never at 3 ms.
  const std::vector<VirtualTime> ends =
      run_on_machine(1, {0, 0}, 2, [](Machine& m, WorkerId w) { m.cpu(w, 3 * kMs); });
  const VirtualTime last = std::max(ends[0], ends[1]);
  EXPECT_GE(last, 6000);
  EXPECT_LE(last, 6000 + 1000);
}

TEST(Machine, ProcessesOnSeparateCoresRunInParallelAndShareFewerCores) {
  const auto body = [](Machine& m, WorkerId w) { m.cpu(w, 3 * kMs); };
  const std::vector<VirtualTime> two_cores = run_on_machine(2, {0, 1}, 2, body);
  EXPECT_EQ(two_cores[0], 3000);
  EXPECT_EQ(two_cores[1], 3000);
  const std::vector<VirtualTime> one_core = run_on_machine(2, {0, 1}, 1, body);
  EXPECT_EQ(one_core[0], 6000);
  EXPECT_EQ(one_core[1], 6000);
}

TEST(Machine, ASleepReleasesTheGil) {
  // Thread 0 sleeps 10 ms while thread 1 computes 3 ms: both overlap, thread 1 ends near 3 ms.
  const std::vector<VirtualTime> ends = run_on_machine(1, {0, 0}, 2, [](Machine& m, WorkerId w) {
    if (w == 0) {
      m.block_for(w, 10'000);
    } else {
      m.cpu(w, 3 * kMs);
    }
  });
  EXPECT_EQ(ends[0], 10'000);
  EXPECT_LE(ends[1], 3000 + 1000);
}

TEST(Machine, TheSwitchIntervalForcesTheHolderToDropTheGil) {
  // Thread 0 computes 20 ms; thread 1 (1 ms) waits at most about one switch interval (5 ms) for
  // the GIL, not 20 ms.
  const std::vector<VirtualTime> ends = run_on_machine(1, {0, 0}, 2, [](Machine& m, WorkerId w) {
    m.cpu(w, (w == 0 ? 20 : 1) * kMs);
  });
  EXPECT_LT(std::min(ends[0], ends[1]), 20'000);
  EXPECT_GE(std::max(ends[0], ends[1]), 21'000);
}

}  // namespace
}  // namespace samplersim
