#include "app/arm_jobs.h"

#include "app/ordered_pool.h"
#include "sim/random_stream.h"
#include "sim/simulation.h"

namespace samplersim {

namespace {
constexpr std::int64_t kRunsAheadPerThread = 256;  // bounds memory, as in app/rep_runner.cc
}  // namespace

void run_arm_jobs(const std::vector<ArmJob>& jobs, RepRange reps, int threads,
                  const std::function<void(std::size_t, const RunSummary&)>& on_run) {
  if (reps.count <= 0 || jobs.empty()) return;
  const std::int64_t count = reps.count;
  run_ordered<RunSummary>(
      count * static_cast<std::int64_t>(jobs.size()), threads, kRunsAheadPerThread * effective_jobs(threads),
      [&](std::int64_t t) {
        const ArmJob& job = jobs[static_cast<std::size_t>(t / count)];
        const int rep = reps.first + static_cast<int>(t % count);
        const std::uint64_t seed = run_seed_for_rep(job.spec->seed, static_cast<std::uint64_t>(rep));
        RandomStrategy strategy(seed);
        try {
          return summarize(rep, seed,
                           simulate(RunRequest{job.spec, job.arm.policy, job.arm.seed_policy, seed, &strategy}));
        } catch (const RunLimitReached& e) {
          if (!job.limits_end_run) throw;
          RunSummary unfinished;
          unfinished.rep = rep;
          unfinished.run_seed = seed;
          unfinished.unfinished = e.what();
          return unfinished;
        }
      },
      [&](std::int64_t first, std::vector<RunSummary>& batch) {
        for (std::size_t k = 0; k < batch.size(); ++k) {
          on_run(static_cast<std::size_t>((first + static_cast<std::int64_t>(k)) / count), batch[k]);
        }
      });
}

void add_run(ArmStats& stats, const RunSummary& run) {
  if (run.unfinished.empty()) {
    stats.add(run);
  } else {
    stats.add_unfinished(run.unfinished);
  }
}

}  // namespace samplersim
