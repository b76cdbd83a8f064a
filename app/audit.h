// Audit of a real Optuna GridSampler study (as read by app/study_db.h): the same outcome metrics
// the simulator computes for a run, and the scenario a simulation of that study would use.
//
// Contract:
// - The grid is the stored `search_space` system attribute (names sorted, values in the stored
//   order; that order defines the canonical combination ids as in GridSpace). A study without one
//   is refused (BadInput: it was not run with GridSampler).
// - A trial is an evaluation of combination g when it has a param for every grid name and each
//   value is in that name's grid values; its start time orders repeats (the first evaluation of a
//   combination is not a repeat). Trials with missing or foreign params are counted in
//   `incomplete_params` and are no evaluation.
// - Metrics: trials by state; evaluations per combination; repeats = Σ max(0, evals − 1);
//   never_evaluated; uncovered (no COMPLETE trial); wasted time (objective time of repeats);
//   makespan (first start → last completion); concurrency from datetime_start/complete
//   (a trial with no completion time counts as running until the last timestamp).
// Pure functions: no I/O here.
#pragma once

#include <nlohmann/json.hpp>

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "app/study_db.h"
#include "sim/run_outcome.h"
#include "sim/scenario_spec.h"

namespace samplersim {

// One trial of the study that evaluated a full grid combination (as stored).
struct AuditedTrial {
  int number = -1;
  TrialState state = TrialState::kRunning;
  std::optional<std::int64_t> start_us, complete_us;  // µs since the Unix epoch
  std::int64_t combination = -1;                      // canonical id (sim/grid_space.h)
  std::optional<std::int64_t> grid_id;                // the `grid_id` system attribute, if stored
  std::optional<int> retry_of;                        // `failed_trial`: it is a RetryFailedTrialCallback copy
  bool enqueued = false;                              // it has `fixed_params`: study.enqueue_trial made it
};

struct AuditResult {
  std::string db;     // where the study was read from (path or URL)
  std::string study;
  std::string library_version;
  StoreKind store_kind = StoreKind::kSqlite;  // the storage read: `--simulate` uses its preset
  std::vector<GridParam> grid;  // sorted names, stored value order
  RunMetrics metrics;  // trials (by state), grid size, repeats, never-evaluated, uncovered, times
  std::int64_t evaluated_trials = 0;
  std::int64_t incomplete_params = 0;  // trials without a full, known combination
  std::vector<std::int64_t> evaluations;  // per canonical combination
  std::vector<AuditedTrial> evaluated;    // every evaluation, by start time then number
  std::optional<std::int64_t> first_start_us;  // earliest timestamp of the study
  int peak_running = 0;                   // most trials RUNNING at one instant
  std::vector<double> time_at_running_s;  // [k] = seconds with exactly k trials running
  std::optional<std::int64_t> min_duration_us, max_duration_us;  // of COMPLETE trials
};

AuditResult audit_study(const StoredStudy& study);

// A value of a stored categorical distribution (JSON) as the scenario loader would produce it;
// throws BadInput naming search_space.<name> for anything but int, float, str or bool.
GridValue grid_value_of_json(const std::string& name, const nlohmann::json& v);

// The evaluated value of a stored param (a categorical's choice, else the stored number); nullopt
// for a categorical index outside its choices.
std::optional<GridValue> stored_param_value(const StoredParam& p);

// The policy modelling the library version that wrote the study ("" if unknown): 2.9–2.10 →
// optuna-2, 3.0–3.1 → optuna-3.1, 3.2–3.3 → optuna-3.2, 3.4–3.6 → optuna-3.6, 4.x → optuna-4.
std::string policy_for_library_version(const std::string& version);

// The scenario a simulation of the audited study runs: its grid; `workers` processes (1 thread)
// started together; objective durations uniform between the shortest and longest COMPLETE trial
// (1 s if none); the `sqlite` store preset (the storage it was read from: calibrated client CPU,
// single writer, busy handler) with one core per process, since the real host is unknown;
// no n_trials (the sampler stops each process). Policies/seed policies are left to the caller.
// Its source_text names the database, the study and every inferred value, so two audited studies
// get distinct scenario digests.
// `editable` (optional) is set when the scenario is TOML text that scenario edits (remedies) can
// change; a study whose names a scenario file cannot hold gives the same scenario built in code.
ScenarioSpec scenario_of_audit(const AuditResult& audit, int workers, bool* editable = nullptr);

// Multi-line human-readable summary (states, evaluations, concurrency timeline).
std::string format_audit_summary(const AuditResult& audit);

}  // namespace samplersim
