// Scale run (figures, not pass/fail): a 10,000-point grid searched by 64 single-threaded
// processes under optuna-3.2, run until the sampler stops every worker. Prints simulated store
// operations per second of wall time and the total wall time (target: <= 1 s on one core).
// Also a Google Benchmark of the same run and of the engine's cost per store operation.
#include <benchmark/benchmark.h>

#include <chrono>
#include <cstdio>

#include "bench/integer_grid.h"
#include "sim/simulation.h"

namespace samplersim {
namespace {

ScenarioSpec scale_spec(int side, int processes) {
  return bench::integer_grid_spec("scale", {{"a", side}, {"b", side}}, processes, "optuna-3.2");
}

RunOutcome run_once(const ScenarioSpec& spec, std::uint64_t seed) {
  RandomStrategy strategy(seed);
  return simulate(RunRequest{&spec, PolicyRegistry::find("optuna-3.2"), SeedPolicy{}, seed, &strategy});
}

void BM_Grid10kWorkers64(benchmark::State& state) {
  const ScenarioSpec spec = scale_spec(100, 64);
  std::uint64_t ops = 0;
  for (auto _ : state) {
    const RunOutcome o = run_once(spec, 1);
    ops += o.store_ops;
    benchmark::DoNotOptimize(o.trace_hash);
  }
  state.counters["store_ops_per_s"] = benchmark::Counter(static_cast<double>(ops), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_Grid10kWorkers64)->Unit(benchmark::kMillisecond)->Iterations(3);

void BM_SmallGridRun(benchmark::State& state) {
  const ScenarioSpec spec = scale_spec(4, 4);
  std::uint64_t seed = 0;
  for (auto _ : state) benchmark::DoNotOptimize(run_once(spec, ++seed).trace_hash);
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_SmallGridRun);

void print_scale_figures() {
  const ScenarioSpec spec = scale_spec(100, 64);
  const auto t0 = std::chrono::steady_clock::now();
  const RunOutcome o = run_once(spec, 1);
  const double wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::printf(
      "scale run: 10,000-point grid, 64 processes, optuna-3.2/none, run to completion\n"
      "  trials %lld, repeats %lld, never-evaluated %lld, store ops %llu, virtual makespan %.1f s\n"
      "  wall time %.3f s, simulated store ops per second %.0f (target: wall time <= 1 s)\n\n",
      static_cast<long long>(o.trials), static_cast<long long>(o.repeats),
      static_cast<long long>(o.never_evaluated), static_cast<unsigned long long>(o.store_ops),
      static_cast<double>(o.makespan_us) / kMicrosPerSecond, wall_s,
      static_cast<double>(o.store_ops) / wall_s);
}

}  // namespace
}  // namespace samplersim

int main(int argc, char** argv) {
  samplersim::print_scale_figures();
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
