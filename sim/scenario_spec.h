// ScenarioSpec: the validated, plain-data description of one distributed grid search.
//
// Produced only by the scenario loader (scenarios/scenario_loader.h), which guarantees every
// invariant documented on a field below; the engine asserts them again rather than re-validate.
// Holds no behaviour. Field names carry their units.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sim/duration_dist.h"
#include "sim/faults.h"
#include "sim/machine_spec.h"
#include "sim/seed_policy.h"
#include "sim/store_kind.h"
#include "sim/store_op.h"
#include "sim/trial_state.h"

namespace samplersim {

// One value of a grid dimension, as the user wrote it in TOML. Python's `None` and a float NaN,
// which TOML cannot write, are spelled `{ python = "None" }` and `{ python = "nan" }` (kNone; a
// kFloat whose float_value is NaN).
struct GridValue {
  enum class Kind { kInt, kFloat, kString, kBool, kNone };
  Kind kind = Kind::kInt;
  std::int64_t int_value = 0;
  double float_value = 0.0;
  std::string string_value;
  bool bool_value = false;

  // Python repr of the value ("3", "0.5", "'adam'", "True", "None", "nan"), used in traces and
  // reports.
  std::string repr() const;
  bool is_nan() const;
  // Equal as GridSampler's search-space check compares values (3.0+ `_grid_value_equal`): Python's
  // == (1 == 1.0 == True), and NaN equals NaN.
  bool grid_equal(const GridValue& other) const;
  friend bool operator==(const GridValue&, const GridValue&) = default;
};

struct GridParam {
  std::string name;               // non-empty, unique within the grid
  std::vector<GridValue> values;  // non-empty, in the user's order
};

// How a worker runs its trials (issue 11): Optuna's `study.optimize`, or a loop of `ask`/`tell`.
enum class LoopKind : std::uint8_t {
  kOptimize,  // study.optimize(objective, n_trials, n_jobs=threads, catch, callbacks)
  kAskTell,   // for each batch: ask `batch` trials, run each objective in turn, tell each
  kHydra,     // Hydra's Optuna sweeper: kAskTell with n_trials capped at the grid size and the
              // stop error swallowed
};

// What an ask-and-tell loop does when `tell` raises study.stop()'s RuntimeError (the trial is
// already written).
enum class StopErrorHandling : std::uint8_t {
  kRaise,    // the error ends the process (a plain script)
  kSwallow,  // caught and ignored; the loop carries on until its n_trials
  kBreak,    // caught; the loop ends (after telling the rest of its batch)
};

struct LoopSpec {
  LoopKind kind = LoopKind::kOptimize;
  int batch = 1;                                        // asks per batch (ask-tell, hydra)
  StopErrorHandling on_stop_error = StopErrorHandling::kRaise;  // ask-tell only (hydra: swallow)
  bool catch_all = false;  // optimize(catch=(Exception,)): objective errors FAIL the trial, the loop
                           // carries on; false: optimize re-raises them (the process ends)
  // threads > 1: optimize's main thread submits the first n_jobs trial jobs this far apart, and
  // checks the stop flag before each (ThreadPoolExecutor starts one thread per submission).
  VirtualTime submit_interval_us = 0;
};

// A seed a group passes to its samplers instead of the compared seed policy's.
struct GroupSeed {
  std::optional<std::uint64_t> seed;  // nullopt: seed=None
};

// A worker group (`[[group]]`): processes that share settings. Process indices are global, in
// group order; worker ids follow (group, process, thread).
struct WorkerGroup {
  std::string name;           // unique; "" for the single group of a [workers] scenario
  int processes = 1;          // >= 1
  int threads = 1;            // >= 1 (n_jobs)
  VirtualTime start_us = 0;   // the group's processes start this late (+ stagger + jitter)
  VirtualTime start_stagger_us = 0;
  DurationDist start_jitter;
  std::optional<int> n_trials;
  std::optional<int> max_trials;
  StateMask max_trials_states = StateMask::only(TrialState::kComplete);
  LoopSpec loop;
  std::optional<GroupSeed> seed;  // nullopt: the compared seed policy
  // The group's GridSampler search space: each dimension of [grid] (same names, file order) with
  // the values it lists (a subset, in its own order). Empty: [grid] itself.
  std::vector<GridParam> grid;
};

// A trial enqueued with `study.enqueue_trial(params)` (issue 11): a WAITING trial carrying
// `fixed_params`, popped by the next ask in number order.
struct EnqueueSpec {
  // Value index per [grid] dimension in file order; -1: the name is not fixed (the sampler
  // suggests it). All -1 is refused by the loader.
  std::vector<int> params;
  enum class By : std::uint8_t {
    kBefore,       // by the scenario before any process starts (numbers follow the initial trials)
    kEachProcess,  // by every process when it starts, before its loop (the #2925 pattern)
    kProcess,      // by process `process`, `at_us` after its start (from a separate thread)
  };
  By by = By::kBefore;
  int process = 0;
  VirtualTime at_us = 0;
};

// A trial already in the study when the run starts (a resumed study; issue 11).
struct InitialTrial {
  std::vector<int> params;  // value index per [grid] dimension in file order; -1: not set
  TrialState state = TrialState::kComplete;
  // grid_id as stored; nullopt with `sampler_wrote`: the id a GridSampler of the scenario's first
  // policy would have written (an earlier process of the same scenario).
  std::optional<std::int64_t> grid_id;
  bool sampler_wrote = true;     // carries `search_space` of [grid] (and a grid_id)
  // A WAITING initial trial is an enqueued one: its params are its fixed_params.
};

// An objective call that raises (the `fail` list of [objective]) or a process killed in one
// (`crash_at` of [faults]): the `call`-th objective call (1-based) of process `process`.
struct ScheduledEvent {
  int process = 0;
  int call = 1;
  VirtualTime after_us = 0;  // crash_at: how long into the call the process dies
};

// What the objective does besides taking its duration (issue 11).
struct ObjectiveSpec {
  // Names it suggests, in order. Empty: every [grid] dimension in file order. A name outside the
  // grid makes GridSampler raise ValueError; a subset leaves the other dimensions unsuggested.
  std::vector<std::string> params;
  int prune_every = 0;                  // every k-th call of each process raises TrialPruned
  std::vector<ScheduledEvent> fail;     // these calls raise RuntimeError after their duration
};

// Limits that keep a run finite and its memory bounded (TigerBeetle style: every loop has one).
struct RunLimits {
  std::int64_t max_trials_per_run = 1'000'000;   // total trials in the study, all workers
  VirtualTime max_virtual_time_us = 24LL * 3600 * kMicrosPerSecond;
  // What the samplers of one run may hold, in MiB, as their policy estimates it before any run
  // starts (PolicyInfo::sampler_bytes; e.g. one shuffled grid copy per process): a run that would
  // need more is refused as bad input instead of exhausting the machine's memory.
  std::int64_t max_sampler_memory_mib = 8192;
};

struct ScenarioSpec {
  std::string name;         // file stem or `name` key; [A-Za-z0-9._-]+
  std::string description;  // free text
  std::string source_path;  // file it came from ("" for built in code)
  std::string source_text;  // the exact TOML text, so a replay file is self-contained

  // Grid dimensions in file order. 1 <= total combinations <= kMaxCombinations.
  std::vector<GridParam> grid;

  // Workers of a [workers] scenario (one group): processes × threads fibers. A process owns one sampler; its threads share it
  // (Optuna's n_jobs). 1 <= processes, 1 <= threads, processes*threads <= kMaxWorkers.
  int processes = 1;
  int threads = 1;
  VirtualTime start_stagger_us = 0;   // process i starts at i × start_stagger_us (+ jitter)
  DurationDist start_jitter;          // extra per-process start offset

  DurationDist objective_duration;    // virtual time an objective takes

  // Stop rules (study.optimize arguments and callbacks), all per process.
  std::optional<int> n_trials;            // optimize(n_trials=...): submissions per process
  std::optional<int> max_trials;          // MaxTrialsCallback(n, states)
  StateMask max_trials_states = StateMask::only(TrialState::kComplete);  // states=None → all
  LoopSpec loop;                          // the loop of a [workers] scenario

  // [[group]] tables. Empty: one group made of the fields above (worker_groups()). Otherwise
  // processes is their total and threads their largest thread count (for display only).
  std::vector<WorkerGroup> groups;

  ObjectiveSpec objective;
  std::vector<EnqueueSpec> enqueued;
  std::vector<InitialTrial> initial_trials;
  std::vector<ScheduledEvent> crash_at;  // deterministic crashes ([faults] crash_at)

  // Store model: every operation waits request latency, applies atomically, waits response.
  DurationDist request_latency;
  DurationDist response_latency;
  // Per-operation request latency replacing `request_latency` (e.g. a slow create_trial).
  std::array<std::optional<DurationDist>, kStoreOpCount> request_latency_by_op{};
  // Time each write holds the store's single write lock (writes queue for it); 0 = no queueing.
  DurationDist write_service;

  // Store preset ([store] kind, sim/store_preset.h): kLegacy uses the latencies above; a preset
  // replaces them by its calibrated costs on `machine`, which is then present.
  StoreKind store_kind = StoreKind::kLegacy;
  MachineSpec machine;

  // What to compare. Policies are names in the policy registry; validated by the loader.
  std::vector<std::string> policies;
  std::vector<SeedPolicy> seed_policies;

  // Fault injection ([faults] table); default: none. See sim/faults.h for each fault's meaning.
  FaultSpec faults;

  int reps = 100;             // default repetitions for `samplersim run`
  std::uint64_t seed = 1;     // base run seed; rep r uses run_seed_for_rep(seed, r)
  RunLimits limits;

  // Product of the value counts.
  std::int64_t combinations() const;
  int workers() const;  // Σ processes × threads over worker_groups()

  static constexpr std::int64_t kMaxCombinations = 1'000'000;
  static constexpr int kMaxWorkers = 4096;
  static constexpr int kMaxReps = 100'000'000;
  static constexpr int kMaxGroups = 64;
  static constexpr int kMaxEnqueued = 100'000;
  static constexpr int kMaxInitialTrials = 1'000'000;
};

// The worker groups of a scenario: `groups`, or the one group of its [workers]/[optimize] fields.
std::vector<WorkerGroup> worker_groups(const ScenarioSpec& spec);

// The workers in words, for headers: "4 processes x 1 thread", or with [[group]] tables each
// group's: "2 groups: a 4 processes x 1 thread, b 1 process x 2 threads". Plain ASCII.
std::string describe_workers(const ScenarioSpec& spec);

}  // namespace samplersim
