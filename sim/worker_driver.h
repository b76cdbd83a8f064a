// WorkerDriver: a policy that brings its own worker body instead of the engine's model of
// study.optimize (sim/optimize_loop.h), e.g. a real library run under the scheduler (real/).
//
// One driver is made per run, before any worker fiber starts, and lives until the engine has
// stopped every worker. run_worker() is the body of one worker fiber: like the optimize-loop model
// it may touch the study only through timed StoreClient operations and wait only on the engine's
// virtual clock, and it must record its own evaluations in RunShared::out.evaluation_log. sim/
// knows nothing else of what a driver runs (no Python, no sampler names here).
#pragma once

#include <cstddef>
#include <cstdint>

#include "sim/worker_id.h"

namespace samplersim {

struct RunShared;    // sim/optimize_loop.h
struct ScenarioSpec;  // sim/scenario_spec.h
struct SeedPolicy;    // sim/seed_policy.h
struct WorkerGroup;   // sim/scenario_spec.h

struct DriverSetup {
  const ScenarioSpec* spec = nullptr;
  const SeedPolicy* seed_policy = nullptr;
  std::uint64_t run_seed = 0;
};

class WorkerDriver {
 public:
  virtual ~WorkerDriver() = default;
  // Body of worker fiber `worker` (thread `thread` of process `process`; threads 0 .. group.threads
  // - 1, then extra_threads(group) more).
  virtual void run_worker(RunShared& run, int process, int thread, WorkerId worker) = 0;
  // Fibers each process of `group` needs beyond its `threads` (spawned right after them, same start
  // time, thread indices group.threads and up): e.g. the real library's optimize(n_jobs > 1), whose
  // main thread only submits jobs to `threads` pool threads. Default 0.
  virtual int extra_threads(const WorkerGroup& group) const;
  // Body of the fiber of `[[enqueue]]` entry `index` (by = "process": a thread of its process that
  // calls study.enqueue_trial). Default: the model's enqueuer (run_enqueuer, sim/optimize_loop.h).
  virtual void run_enqueuer(RunShared& run, std::size_t index, WorkerId worker);
};

}  // namespace samplersim
