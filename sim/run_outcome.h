// RunMetrics and RunOutcome: what one simulated run produced, counted per parameter combination.
//
// RunMetrics is the one per-run metrics record: the engine fills it, the rep runner keeps it per
// rep (RunSummary), result lines write it, the report and the audit aggregate it (ArmStats). Times
// are integer virtual microseconds; seconds appear only when a result line or a table is written.
// RunOutcome adds what only a single kept run needs (per-combination counts, the schedule, the
// evaluation log). Metrics follow the design's table. Evaluations are counted per canonical
// combination id (see GridSpace), never per grid_id. Pure data; computed once at the end of a run
// by compute_outcome(), which asserts its own invariants (e.g. sum of evaluations == evaluated
// trials). This header includes only other data-type headers of sim/ (reports/ reads it).
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "sim/python_error.h"
#include "sim/trial_state.h"
#include "sim/virtual_time.h"
#include "sim/worker_id.h"

namespace samplersim {

class StudyStore;

// One objective evaluation: a trial whose objective received a full combination.
struct Evaluation {
  int trial = -1;
  WorkerId worker = -1;
  int process = -1;
  std::int64_t combination = -1;
  std::int64_t grid_id = -1;
  VirtualTime start_us = 0;
  VirtualTime end_us = -1;  // -1 if it never ended (crash)
  TrialState state = TrialState::kRunning;
  std::int64_t claim_epoch = -1;  // the trial's claim epoch (claiming policies), else -1
};

struct RunMetrics {
  std::array<std::int64_t, kTrialStateCount> trials_by_state{};  // by TrialState index
  std::int64_t trials = 0;            // trials in the study at the end
  std::int64_t grid_size = 0;
  std::int64_t repeats = 0;           // Σ max(0, evaluations(g) − 1)
  std::int64_t never_evaluated = 0;   // combinations with zero evaluations
  std::int64_t uncovered = 0;         // combinations with no COMPLETE trial
  std::int64_t completed_twice = 0;   // Σ max(0, completes(g) − 1)
  VirtualTime objective_time_us = 0;  // all objective time
  VirtualTime wasted_time_us = 0;     // objective time of evaluations beyond a combination's first
  VirtualTime makespan_us = 0;        // until the last worker stopped
  std::uint64_t store_ops = 0;
  std::uint64_t choice_points = 0;
  std::uint64_t trace_hash = 0;
  std::uint64_t trace_events = 0;
  // Issue 11: how processes ended and what the study held before the run.
  std::array<std::int32_t, kPyErrorCount> process_errors{};  // processes that ended with each error
  std::int64_t stop_errors_swallowed = 0;  // study.stop() RuntimeErrors an ask-and-tell loop swallowed
  std::int64_t initial_trials = 0;         // trials in the study before the run (a resumed study)

  bool coverage_complete() const { return uncovered == 0; }
  bool no_repeats() const { return repeats == 0; }
  std::int64_t state_count(TrialState s) const { return trials_by_state[static_cast<std::size_t>(s)]; }
  std::int64_t process_error_count(PyError e) const { return process_errors[static_cast<std::size_t>(e)]; }
  std::int64_t processes_raised() const;  // Σ process_errors
};

struct RunOutcome : RunMetrics {
  std::vector<std::int32_t> evaluations;   // per canonical combination
  std::vector<std::uint32_t> schedule;     // strategy picks, for replay
  std::vector<Evaluation> evaluation_log;  // in start order
};

// Fills the per-combination metrics of `out` from the evaluation log and the final store.
void compute_outcome(const StudyStore& store, std::int64_t grid_size, RunOutcome& out);

}  // namespace samplersim
