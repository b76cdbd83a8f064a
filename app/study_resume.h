// Resuming a real study: `samplersim run SCENARIO --from-db FILE` starts the scenario from the trials
// of an Optuna SQLite study (read by app/study_db.h), as `[[initial_trials]]` tables (issue 11).
//
// Contract:
// - Each stored trial becomes one [[initial_trials]] table: its state; its params mapped onto the
//   scenario's [grid] values (a name missing or a value off the grid is left out: a trial cut
//   short); WAITING trials with `fixed_params` take those as params; `sampler = "grid"` with the
//   stored `grid_id` when the trial's stored `search_space` equals [grid] (names, and values in
//   order with NaN equal to NaN, as Optuna 3.0+ compares them), else `sampler = "none"`.
// - The tables are appended to the scenario's text, which is then loaded again: the result is an
//   ordinary scenario (its digest, replay files and traces embed the trials), validated by the
//   loader. A scenario that has [[initial_trials]] of its own, or a study with more trials than
//   ScenarioSpec::kMaxInitialTrials, is refused (BadInput, exit 2).
// Pure: no I/O besides what read_study does.
#pragma once

#include <cstdint>
#include <string>

#include "app/study_db.h"
#include "sim/scenario_spec.h"

namespace samplersim {

// `[[initial_trials]]` TOML tables for the trials of `study` over `spec`'s grid.
std::string initial_trials_toml(const StoredStudy& study, const ScenarioSpec& spec);

// Trials of `study` that a GridSampler made (they carry `grid_id` and `search_space`) over another
// search space than `spec`'s [grid]: the scenario's GridSampler ignores them (3.0+), so a user
// who resumes with the wrong grid file sees every point run again. Worth a warning.
std::int64_t foreign_grid_trials(const StoredStudy& study, const ScenarioSpec& spec);

// A resumed scenario and what the user should be told about it.
struct ResumedSpec {
  ScenarioSpec spec;
  std::string study_name;                // the study read
  std::int64_t foreign_grid_trials = 0;  // see foreign_grid_trials()
};

// `spec` with the trials of the study in `db_path` (`study_name`: "" = the only one) as initial
// trials, reloaded from its text.
ResumedSpec resume_from_db(const ScenarioSpec& spec, const std::string& db_path, const std::string& study_name);

}  // namespace samplersim
