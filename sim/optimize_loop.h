// The model of Optuna's study.optimize, as one worker fiber's sequential code.
//
// A worker is one thread of one process. Per trial it follows the real order of operations
// (reference section 2–3): reseed_rng (n_jobs > 1 only) → stop-flag and n_trials checks → ask
// (pop a WAITING trial, else create one) → Trial.__init__ (get_trial, the sampler's grid step) →
// objective (each suggest reads the trial and writes the param; then the objective's duration) →
// tell (get_trial, sampler.after_trial BEFORE the state write, then the state write) →
// MaxTrialsCallback (count trials in the given states; stop this process only).
// Every store access is a timed StoreClient operation. Never touches the wall clock.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "sim/scenario_spec.h"
#include "sim/engine.h"
#include "sim/fault_draws.h"
#include "sim/grid_space.h"
#include "sim/run_outcome.h"
#include "sim/sampler.h"
#include "sim/study_store.h"
#include "sim/trace.h"

namespace samplersim {

// State shared by the threads of one simulated process (one Study object, one sampler).
struct ProcessState {
  int index = 0;
  std::unique_ptr<Sampler> sampler;
  bool stop_flag = false;
  int submitted = 0;  // optimize(n_trials) counts submissions
};

// Everything a worker fiber needs; outlives the engine run.
struct RunShared {
  const ScenarioSpec& spec;
  const GridSpace& grid;
  Engine& engine;
  StudyStore& store;
  Trace& trace;
  RunOutcome& out;
  std::vector<ProcessState>& processes;
  std::uint64_t run_seed;
  RunFaults* faults = nullptr;  // null: the scenario has no faults (then nothing is drawn)
  const PresetRuntime* preset = nullptr;  // null: no store preset (the [store] latency model)
};

// Body of worker fiber `worker` (thread `thread` of process `process`).
void run_optimize_worker(RunShared& run, int process, int thread, WorkerId worker);

}  // namespace samplersim
