#include "app/rep_runner.h"

#include "app/ordered_pool.h"
#include "sim/simulation.h"

namespace samplersim {

namespace {
// Reps a worker may run ahead of the arm being delivered, per thread (bounds memory).
constexpr std::int64_t kRepWindowPerJob = 256;
}  // namespace

RunSummary summarize(int rep, std::uint64_t run_seed, const RunOutcome& outcome) {
  RunSummary s;
  static_cast<RunMetrics&>(s) = outcome;
  s.rep = rep;
  s.run_seed = run_seed;
  return s;
}

void for_each_rep(const ScenarioSpec& spec, const std::vector<Arm>& arms, RepRange reps, int jobs,
                  const std::function<void(std::size_t, const RunSummary&)>& on_run) {
  if (reps.count <= 0) return;
  // Task t is rep (t % count) of arm (t / count): arm-major, so arms complete in order.
  const std::int64_t count = reps.count;
  run_ordered<RunSummary>(
      count * static_cast<std::int64_t>(arms.size()), jobs, kRepWindowPerJob * effective_jobs(jobs),
      [&](std::int64_t t) {
        const Arm& arm = arms[static_cast<std::size_t>(t / count)];
        const int rep = reps.first + static_cast<int>(t % count);
        const std::uint64_t seed = run_seed_for_rep(spec.seed, static_cast<std::uint64_t>(rep));
        RandomStrategy strategy(seed);
        return summarize(rep, seed, simulate(RunRequest{&spec, arm.policy, arm.seed_policy, seed, &strategy}));
      },
      [&](std::int64_t first, std::vector<RunSummary>& batch) {
        for (std::size_t k = 0; k < batch.size(); ++k) {
          on_run(static_cast<std::size_t>((first + static_cast<std::int64_t>(k)) / count), batch[k]);
        }
      });
}

void run_reps(const ScenarioSpec& spec, const std::vector<Arm>& arms, RepRange reps, int jobs,
              const std::function<void(std::size_t, const std::vector<RunSummary>&)>& on_arm_done) {
  if (reps.count <= 0) {
    for (std::size_t a = 0; a < arms.size(); ++a) on_arm_done(a, {});
    return;
  }
  std::vector<RunSummary> arm_runs;
  arm_runs.reserve(static_cast<std::size_t>(reps.count));
  for_each_rep(spec, arms, reps, jobs, [&](std::size_t a, const RunSummary& run) {
    arm_runs.push_back(run);
    if (arm_runs.size() == static_cast<std::size_t>(reps.count)) {
      on_arm_done(a, arm_runs);
      arm_runs.clear();
    }
  });
}

}  // namespace samplersim
