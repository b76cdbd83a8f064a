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

// One value of a grid dimension, as the user wrote it in TOML.
struct GridValue {
  enum class Kind { kInt, kFloat, kString, kBool };
  Kind kind = Kind::kInt;
  std::int64_t int_value = 0;
  double float_value = 0.0;
  std::string string_value;
  bool bool_value = false;

  // Python repr of the value ("3", "0.5", "'adam'", "True"), used in traces and reports.
  std::string repr() const;
  friend bool operator==(const GridValue&, const GridValue&) = default;
};

struct GridParam {
  std::string name;               // non-empty, unique within the grid
  std::vector<GridValue> values;  // non-empty, in the user's order
};

// Limits that keep a run finite and its memory bounded (TigerBeetle style: every loop has one).
struct RunLimits {
  std::int64_t max_trials_per_run = 1'000'000;   // total trials in the study, all workers
  VirtualTime max_virtual_time_us = 24LL * 3600 * kMicrosPerSecond;
};

struct ScenarioSpec {
  std::string name;         // file stem or `name` key; [A-Za-z0-9._-]+
  std::string description;  // free text
  std::string source_path;  // file it came from ("" for built in code)
  std::string source_text;  // the exact TOML text, so a replay file is self-contained

  // Grid dimensions in file order. 1 <= total combinations <= kMaxCombinations.
  std::vector<GridParam> grid;

  // Workers: processes × threads fibers. A process owns one sampler; its threads share it
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
  int workers() const { return processes * threads; }

  static constexpr std::int64_t kMaxCombinations = 1'000'000;
  static constexpr int kMaxWorkers = 4096;
  static constexpr int kMaxReps = 100'000'000;
};

}  // namespace samplersim
