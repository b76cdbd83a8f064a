// Scale run (figures, not pass/fail): the issue-5489 sweep (scenarios/sweeps/issue-5489.toml,
// 6 arms x 10,000 reps = 60,000 runs) through the real sweep path — simulate, JSON line, ordered
// append to a results file — on one core and on all cores. Prints runs per second of wall time.
// Usage: sweep_bench [SPEC.toml]   (default: the issue-5489 sweep)
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <thread>

#include "app/sweep_runner.h"
#include "app/sweep_spec.h"

namespace {

double runs_per_second(const samplersim::SweepPlan& plan, int jobs) {
  const std::string out = (std::filesystem::temp_directory_path() /
                           ("samplersim-sweep-bench-" + std::to_string(::getpid()) + ".jsonl")).string();
  std::filesystem::remove(out);
  const auto start = std::chrono::steady_clock::now();
  const samplersim::SweepCounts counts = samplersim::run_sweep(plan, {out, jobs, false, {}, {}}, nullptr);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::filesystem::remove(out);
  std::printf("  jobs %-3d %8lld runs in %6.2f s  = %9.0f runs/s\n", jobs, static_cast<long long>(counts.ran), seconds,
              static_cast<double>(counts.ran) / seconds);
  return static_cast<double>(counts.ran) / seconds;
}

}  // namespace

int main(int argc, char** argv) {
  const std::string spec = argc > 1 ? argv[1] : std::string(SAMPLERSIM_SOURCE_DIR) + "/scenarios/sweeps/issue-5489.toml";
  const samplersim::SweepPlan plan = samplersim::load_sweep_plan(spec);
  const int cores = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  std::printf("sweep %s: %lld runs, %d hardware threads\n", plan.name.c_str(), static_cast<long long>(plan.total_runs), cores);
  const double one = runs_per_second(plan, 1);
  const double all = runs_per_second(plan, cores);
  std::printf("speed-up on %d cores: %.2fx\n", cores, all / one);
  return 0;
}
