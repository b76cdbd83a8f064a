// Runs reps of several (scenario, arm) jobs on threads, delivering each run's metrics in a fixed
// order (job by job, rep by rep) whatever the thread count: what `run` uses for its arms and for
// the remedies it simulates (each remedy may change the scenario as well as the arm).
//
// Rep r of every job uses run seed run_seed_for_rep(job.spec->seed, r), so jobs on scenarios with
// the same seed are compared on the same timing draws (common random numbers), exactly as arms of
// one scenario are by app/rep_runner.h; a job's results do not depend on the other jobs.
// Cost: one simulate() per (job, rep); O(threads) summaries held at a time.
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include "app/arms.h"
#include "app/rep_runner.h"
#include "reports/arm_stats.h"

namespace samplersim {

struct ArmJob {
  const ScenarioSpec* spec = nullptr;  // must outlive the call
  Arm arm;
  // A run of this job that reaches one of its limits (RunLimitReached) is delivered as a summary
  // with `unfinished` set instead of failing the call: for remedies, where "this change never
  // finishes here" is an answer (e.g. a claim fix retrying a combination whose every trial FAILs).
  bool limits_end_run = false;
};

// `on_run(job_index, summary)` runs on the calling thread, in job order then rep order. A failing
// run: the runs before it are delivered, then its exception (RunFailure with its seed) is rethrown;
// except a limit reached in a job with limits_end_run (above).
void run_arm_jobs(const std::vector<ArmJob>& jobs, RepRange reps, int threads,
                  const std::function<void(std::size_t, const RunSummary&)>& on_run);

// Adds a delivered run to `stats`: its metrics, or, for a run that reached a limit in a job with
// limits_end_run, one unfinished run (ArmStats::add_unfinished).
void add_run(ArmStats& stats, const RunSummary& run);

}  // namespace samplersim
