// PyError: the Python exceptions that end a simulated Optuna process, as data (issue 11).
//
// A real user's script dies when `optimize` (or a bare `tell`) raises; the model shows that as the
// run's outcome (RunMetrics::process_errors) rather than hiding it. Each row names the exception as
// Python prints it and the stage where the real library raises it, which decides what catches it:
//   kObjective  inside the objective (a `suggest_*` or the objective itself): the trial is FAIL, and
//               `optimize(catch=...)` may catch it; ask-and-tell loops tell FAIL and carry on.
//   kTell       inside `tell`, after the trial's state was written (`_tell_with_warning`'s `finally`):
//               never caught by `catch`; the process ends unless its loop swallows it.
//   kSetup      before the first trial (building the sampler, calling an API the version lacks).
// Sources (Optuna tags, paths in the optuna/optuna repository) are on each row and in
// docs/optuna-facts.md. This header includes no other project header (reports/ reads it).
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

namespace samplersim {

enum class PyError : std::uint8_t {
  kNone = 0,
  kKeyErrorGridId,       // GridSampler.after_trial reads grid_id of an enqueued trial (3.0+)
  kStopOutsideOptimize,  // study.stop() from after_trial inside a bare tell
  kParamNotInGrid,       // GridSampler.sample_independent: a name outside the grid
  kEnqueueMissingParam,  // GridSampler.sample_independent: a trial without grid_id (3.0+)
  kObjectiveRaised,      // the objective itself raised (a scheduled failure)
  kUnsortableGrid,       // 2.x GridSampler.__init__ sorts each value list
  kNoAskTell,            // Study.ask before 2.5
  kNoMaxTrialsCallback,  // optuna.study.MaxTrialsCallback before 2.8
  kNoRetryCallback,      // optuna.storages.RetryFailedTrialCallback before 2.8
  kBruteForceMismatch,   // BruteForceSampler.sample_independent: the tree's root became a leaf (3.2–3.3)
  kBruteForceMismatchInTell,  // BruteForceSampler.after_trial: a finished path ends at an expanded node
  // A trial two workers claimed (SQLite's racy WAITING->RUNNING claim), written by the one that did
  // not finish it first (docs/optuna-facts.md section 10):
  kCannotTellFinished,   // tell's get_trial shows the other worker's final state
  kTrialAlreadyFinished, // the storage refuses the state write or the claim (check_trial_is_updatable)
  kShouldNotReach,       // 3.1: _run_trial's finally sees the cached RUNNING copy after that refusal
  kDuplicateParamInsert, // 3.1: a process's first write of a name inserts; the other claimant's row is there
};
inline constexpr int kPyErrorCount = 16;

enum class PyErrorStage : std::uint8_t { kNone, kObjective, kTell, kSetup };

struct PyErrorInfo {
  PyError error;
  std::string_view key;      // short name for result lines and tables ("KeyError(grid_id)")
  std::string_view message;  // as Python prints the exception
  PyErrorStage stage;
  std::string_view source;   // where the real library raises it
};

inline constexpr std::array<PyErrorInfo, kPyErrorCount> kPyErrors = {{
    {PyError::kNone, "none", "", PyErrorStage::kNone, ""},
    {PyError::kKeyErrorGridId, "KeyError(grid_id)", "KeyError: 'grid_id'", PyErrorStage::kTell,
     "optuna/samplers/_grid.py after_trial, 3.0.0-4.9.0 and master"},
    {PyError::kStopOutsideOptimize, "RuntimeError(stop)",
     "RuntimeError: `Study.stop` is supposed to be invoked inside an objective function or a callback.",
     PyErrorStage::kTell, "optuna/study/study.py Study.stop, 2.5.0-4.9.0"},
    {PyError::kParamNotInGrid, "ValueError(not in grid)",
     "ValueError: The parameter name, <name>, is not found in the given grid.", PyErrorStage::kObjective,
     "optuna/samplers/_grid.py sample_independent, 2.0.0-4.9.0"},
    {PyError::kEnqueueMissingParam, "ValueError(enqueue)",
     "ValueError: All parameters must be specified when using GridSampler with enqueue_trial.",
     PyErrorStage::kObjective, "optuna/samplers/_grid.py sample_independent, 3.0.0-4.9.0"},
    {PyError::kObjectiveRaised, "RuntimeError(objective)", "RuntimeError: evicted (the objective raised)",
     PyErrorStage::kObjective, "the user's objective"},
    {PyError::kUnsortableGrid, "TypeError(sorted)",
     "TypeError: '<' not supported between instances of ... (GridSampler sorts each dimension's values)",
     PyErrorStage::kSetup, "optuna/samplers/_grid.py GridSampler.__init__, 2.0.0-2.10.1"},
    {PyError::kNoAskTell, "AttributeError(ask)", "AttributeError: 'Study' object has no attribute 'ask'",
     PyErrorStage::kSetup, "optuna/study.py: Study.ask appears in 2.5.0"},
    {PyError::kNoMaxTrialsCallback, "AttributeError(MaxTrialsCallback)",
     "AttributeError: module 'optuna.study' has no attribute 'MaxTrialsCallback'", PyErrorStage::kSetup,
     "optuna/_callbacks.py appears in 2.8.0"},
    {PyError::kNoRetryCallback, "AttributeError(RetryFailedTrialCallback)",
     "AttributeError: module 'optuna.storages' has no attribute 'RetryFailedTrialCallback'", PyErrorStage::kSetup,
     "optuna/_callbacks.py appears in 2.8.0"},
    {PyError::kBruteForceMismatch, "ValueError(param_name mismatch)", "ValueError: param_name mismatch: None != <name>",
     PyErrorStage::kObjective,
     "optuna/samplers/_brute_force.py _TreeNode.expand from sample_independent, 3.2.0-3.3.0 (#4948; PR #5022 in 3.4.0)"},
    {PyError::kBruteForceMismatchInTell, "ValueError(param_name mismatch, after_trial)",
     "ValueError: param_name mismatch: <name> != None", PyErrorStage::kTell,
     "optuna/samplers/_brute_force.py _TreeNode.set_leaf from after_trial, 3.2.0-4.9.0"},
    {PyError::kCannotTellFinished, "ValueError(Cannot tell a finished trial)",
     "ValueError: Cannot tell a COMPLETE trial. (the state the other claimant wrote: COMPLETE, PRUNED or FAIL)",
     PyErrorStage::kTell,
     "optuna/study/_tell.py _tell_with_warning, 3.0.0-4.9.0 (3.1: only when a thread of the same process finished "
     "it; _CachedStorage serves the owned trial's cached copy)"},
    {PyError::kTrialAlreadyFinished, "RuntimeError(Trial already finished)",
     "RuntimeError: Trial#<n> has already finished and can not be updated. (4.3.0+: "
     "optuna.exceptions.UpdateFinishedTrialError, a RuntimeError subclass)",
     PyErrorStage::kTell,
     "optuna/storages/_base.py check_trial_is_updatable from RDBStorage.set_trial_state_values (tell's state "
     "write, or ask's WAITING->RUNNING claim of a trial already finished), 3.1.0-4.9.0"},
    {PyError::kShouldNotReach, "AssertionError(Should not reach)", "AssertionError: Should not reach.",
     PyErrorStage::kTell,
     "optuna/study/_optimize.py _run_trial's finally, 3.1.0: after the refused state write, get_trial returns "
     "_CachedStorage's RUNNING copy of the owned trial (3.2.0+ read finished trials from the backend)"},
    {PyError::kDuplicateParamInsert, "IntegrityError(UNIQUE trial_params)",
     "sqlalchemy.exc.IntegrityError: (sqlite3.IntegrityError) UNIQUE constraint failed: trial_params.trial_id, "
     "trial_params.param_name",
     PyErrorStage::kObjective,
     "optuna/storages/_rdb/storage.py _check_and_set_param_distribution (an INSERT, no updatable check), called by "
     "_CachedStorage.set_trial_param for a name the process has not written yet, 3.1.0 (3.2.0+ upsert)"},
}};

constexpr bool py_errors_in_enum_order() {
  for (std::size_t i = 0; i < kPyErrors.size(); ++i) {
    if (static_cast<std::size_t>(kPyErrors[i].error) != i) return false;
  }
  return true;
}
static_assert(py_errors_in_enum_order());

constexpr const PyErrorInfo& py_error_info(PyError e) { return kPyErrors[static_cast<std::size_t>(e)]; }
constexpr std::string_view to_string(PyError e) { return py_error_info(e).key; }

}  // namespace samplersim
