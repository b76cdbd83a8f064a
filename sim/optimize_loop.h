// The model of one Optuna worker thread's loop: `study.optimize`, or a loop of `ask`/`tell` (plain,
// batched, or Hydra's sweeper), as one worker fiber's sequential code.
//
// A worker is one thread of one process of one worker group. Per trial it follows the real order of
// operations (reference sections 2–3; Optuna 3.1 `optuna/study/_optimize.py` `_run_trial`,
// `optuna/study/_tell.py` `_tell_with_warning`):
//   optimize: reseed_rng (n_jobs > 1) → stop-flag / n_trials / process-error checks → ask (pop a
//     WAITING trial, else create one; heartbeat: fail_stale_trials first) → Trial.__init__ (get_trial,
//     the sampler's grid step) → objective (each suggest: a param already set or fixed is reused,
//     otherwise the sampler's; then the duration; pruning and scheduled failures) → tell (get_trial,
//     sampler.after_trial BEFORE the state write, the write in its `finally`; an exception from
//     after_trial is raised after the write) → MaxTrialsCallback. An objective exception FAILs the
//     trial and, without `catch`, ends the process's optimize; so does any exception from tell.
//   ask-and-tell: per batch, ask k trials (Trial.__init__ each), run their objectives one after
//     another, tell each in order; study.stop() from after_trial raises RuntimeError outside optimize
//     (the trial is already written), which the loop raises, swallows or breaks on.
// Threads of a process share its Study (stop flag, error, objective call count) and its sampler.
// Every store access is a timed StoreClient operation. Never touches the wall clock.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "sim/engine.h"
#include "sim/fault_draws.h"
#include "sim/grid_space.h"
#include "sim/python_error.h"
#include "sim/run_outcome.h"
#include "sim/sampler.h"
#include "sim/scenario_spec.h"
#include "sim/study_store.h"
#include "sim/trace.h"

namespace samplersim {

// State shared by the threads of one simulated process (one Study object, one sampler).
struct ProcessState {
  int index = 0;
  int group = 0;  // index into RunShared::groups
  std::unique_ptr<Sampler> sampler;
  bool stop_flag = false;
  int submitted = 0;                 // optimize(n_trials) counts submissions
  PyError error = PyError::kNone;    // the exception that ended this process (kNone: none yet)
  bool setup_done = false;           // thread 0 finished the process's setup (its enqueues)
  int objective_calls = 0;           // objective calls so far, all threads (fail, prune_every, crash_at)
  std::vector<int> popped;            // WAITING trials its threads claimed, in claim order (twice: both did)
  std::vector<std::uint8_t> params_written;  // per sorted grid parameter: 1 once a param of it was written
};

// What the objective suggests, resolved against the grid (issue 11).
struct ObjectivePlan {
  // Per suggest, in order: the sorted grid parameter index, or -1 for a name outside the grid.
  std::vector<int> params;
  // The metrics space: the suggested grid dimensions (a subset of the grid, or all of it).
  GridSpace space{{}};
  // For each metrics-space parameter (sorted), the sorted grid parameter it is.
  std::vector<int> grid_param_of;
};

// Everything a worker fiber needs; outlives the engine run.
struct RunShared {
  const ScenarioSpec& spec;
  const GridSpace& grid;
  const ObjectivePlan& objective;
  const std::vector<WorkerGroup>& groups;
  Engine& engine;
  StudyStore& store;
  Trace& trace;
  RunOutcome& out;
  std::vector<ProcessState>& processes;
  std::uint64_t run_seed;
  RunFaults* faults = nullptr;  // null: the scenario has no faults (then nothing is drawn)
  LibraryFeatures features{};   // of the policy: a process using what it lacks raises at setup
  std::vector<std::int64_t> group_grid_sizes{};  // per group: its GridSampler grid's size
  const PresetRuntime* preset = nullptr;  // null: no store preset (the [store] latency model)
};

// The plan of `spec`'s objective over `grid` (names in file order when spec.objective.params is
// empty).
ObjectivePlan objective_plan(const ScenarioSpec& spec, const GridSpace& grid);

// Value index per sorted grid parameter from one per [grid] dimension in file order (-1 kept).
std::vector<int> sorted_params(const GridSpace& grid, const std::vector<int>& file_order);

// Body of worker fiber `worker` (thread `thread` of process `process`).
void run_optimize_worker(RunShared& run, int process, int thread, WorkerId worker);

// Body of the fiber that performs `spec.enqueued[index]` (by = process) at its time.
void run_enqueuer(RunShared& run, std::size_t index, WorkerId worker);

}  // namespace samplersim
