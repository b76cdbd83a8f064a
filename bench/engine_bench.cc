// Engine cost (figures, not pass/fail): nanoseconds per wait of the virtual-time engine, and
// simulated trials per CPU-second of the grid-4x5-w4 scenario through the rep runner.
//
// Printed first (CPU time of this process, one thread):
//  - "wait": W workers each wait K times for a duration drawn from their own SplitMix64 stream
//    (uniform 1..1000 us, so same-instant ties are rare and most waits hand over to another
//    worker); ns per wait = CPU time / (W x K). Targets (issue 15): <= 100 ns at 4 workers,
//    <= 200 ns at 1,024.
//  - "tie": every wait is 5 us for every worker, so every wake-up is a choice point the Strategy
//    resolves (the cost of a recorded pick).
//  - grid-4x5-w4: every arm of the built-in scenario (3 policies x 3 seed policies), 2,000 reps
//    each, one job; simulated trials per CPU-second. Target (issue 15): >= 500,000.
// Then the same loops as Google Benchmarks (BM_EngineWait/W, BM_EngineTie/W, BM_Grid4x5W4; the
// rates there are per CPU-second too).
// Usage: engine_bench [--no-figures] [--benchmark_filter=...]   (Google Benchmark flags)
#include <benchmark/benchmark.h>

#include <cstdio>
#include <ctime>
#include <string_view>
#include <vector>

#include "app/arms.h"
#include "app/rep_runner.h"
#include "app/scenario_files.h"
#include "sim/engine.h"
#include "sim/random_stream.h"

namespace samplersim {
namespace {

double cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

// One engine run: `workers` workers, `waits` waits each; constant waits of 5 us if `ties`.
// Returns the number of waits made.
std::uint64_t run_waits(int workers, int waits, bool ties, std::uint64_t seed) {
  RandomStrategy strategy(seed);
  Trace trace(false);
  Engine engine(strategy, trace, EngineLimits{});
  for (int w = 0; w < workers; ++w) {
    engine.spawn(
        [&engine, waits, ties, seed, w] {
          RandomStream stream = RandomStream::derive(seed, StreamPurpose::kObjectiveTime, static_cast<std::uint64_t>(w));
          for (int i = 0; i < waits; ++i) {
            engine.sleep_for(ties ? 5 : 1 + static_cast<VirtualTime>(stream.next_u64() % 1000));
          }
        },
        0);
  }
  engine.run();
  benchmark::DoNotOptimize(engine.now_us());
  return static_cast<std::uint64_t>(workers) * static_cast<std::uint64_t>(waits);
}

void print_wait_figure(const char* what, int workers, bool ties) {
  const int waits = 2'000'000 / workers;
  run_waits(workers, waits / 10, ties, 7);  // warm-up (stacks, allocator)
  const double t0 = cpu_seconds();
  const std::uint64_t n = run_waits(workers, waits, ties, 1);
  const double seconds = cpu_seconds() - t0;
  std::printf("  %-4s %5d workers: %7.1f ns per wait (%llu waits, %.3f CPU-s)\n", what, workers,
              seconds * 1e9 / static_cast<double>(n), static_cast<unsigned long long>(n), seconds);
}

void print_grid_figure(int reps) {
  const ScenarioSpec spec = load_scenario("grid-4x5-w4");
  const std::vector<Arm> arms = arms_of(spec, {}, {});
  std::int64_t trials = 0;
  const double t0 = cpu_seconds();
  run_reps(spec, arms, RepRange{0, reps}, 1, [&](std::size_t, const std::vector<RunSummary>& runs) {
    for (const RunSummary& r : runs) trials += r.trials;
  });
  const double seconds = cpu_seconds() - t0;
  std::printf("  grid-4x5-w4: %zu arms x %d reps, %lld trials in %.3f CPU-s = %.0f simulated trials per CPU-second\n",
              arms.size(), reps, static_cast<long long>(trials), seconds, static_cast<double>(trials) / seconds);
}

void BM_EngineWait(benchmark::State& state) {
  const auto workers = static_cast<int>(state.range(0));
  const int waits = 2'000'000 / workers;
  std::uint64_t n = 0;
  for (auto _ : state) n += run_waits(workers, waits, false, 1);
  state.counters["ns_per_wait"] =
      benchmark::Counter(static_cast<double>(n), benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}
BENCHMARK(BM_EngineWait)->Arg(4)->Arg(64)->Arg(1024)->Unit(benchmark::kMillisecond);

void BM_EngineTie(benchmark::State& state) {
  const auto workers = static_cast<int>(state.range(0));
  const int waits = 2'000'000 / workers;
  std::uint64_t n = 0;
  for (auto _ : state) n += run_waits(workers, waits, true, 1);
  state.counters["ns_per_wait"] =
      benchmark::Counter(static_cast<double>(n), benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}
BENCHMARK(BM_EngineTie)->Arg(4)->Arg(64)->Unit(benchmark::kMillisecond);

void BM_Grid4x5W4(benchmark::State& state) {
  const ScenarioSpec spec = load_scenario("grid-4x5-w4");
  const std::vector<Arm> arms = arms_of(spec, {}, {});
  std::int64_t trials = 0;
  for (auto _ : state) {
    run_reps(spec, arms, RepRange{0, 200}, 1, [&](std::size_t, const std::vector<RunSummary>& runs) {
      for (const RunSummary& r : runs) trials += r.trials;
    });
  }
  state.counters["trials_per_s"] = benchmark::Counter(static_cast<double>(trials), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_Grid4x5W4)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace samplersim

int main(int argc, char** argv) {
  bool figures = true;
  if (argc > 1 && std::string_view(argv[1]) == "--no-figures") {
    figures = false;
    argv[1] = argv[0];
    --argc;
    ++argv;
  }
  if (figures) {
    std::printf("engine cost (CPU time, one thread)\n");
    samplersim::print_wait_figure("wait", 4, false);
    samplersim::print_wait_figure("wait", 64, false);
    samplersim::print_wait_figure("wait", 1024, false);
    samplersim::print_wait_figure("tie", 4, true);
    samplersim::print_wait_figure("tie", 64, true);
    samplersim::print_grid_figure(2000);
    std::printf("\n");
  }
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  return 0;
}
