// StepObserver: what a worker step touches, for partial-order reduction (app/dpor.h).
//
// A step is one resumption of a worker by the engine: from the instant it is resumed until it
// waits again (or returns). The engine announces each step (Trace::step); while it runs, every
// access to state shared between workers is announced as a SharedAccess (Trace::access): the
// StoreClient reports its operation at the linearization instant and its write-lock reservation,
// the optimize loop its direct store accesses, the evaluation log and the crash budget. State
// shared by the threads of one process (sampler, stop flag, submitted count) is not reported:
// a consumer must treat all steps of workers of the same process as dependent.
//
// A data-type header (README "Layers"): it includes only sim/'s other data types.
// Invariant: with an observer attached, a run reports every access by which one worker's step can
// influence another worker's later step or the run's outcome. Nothing here changes a run: with
// no observer (the default) the hooks are a pointer test.
#pragma once

#include <cstdint>
#include <string_view>

#include "sim/fnv1a.h"
#include "sim/virtual_time.h"
#include "sim/worker_id.h"

namespace samplersim {

struct TraceEvent;

// Objects of the shared state. Store objects: a trial row, the trial table (trial-number
// counter, the set of rows and their states: what list_waiting, count and scans read), a study
// system attribute, a combination claim, a trial's heartbeat row (or every one of them) and the
// whole store (get_all_trials projections may read any of it). Outside the store: the single
// write lock's queue, the run's crash budget, and the outcome's evaluation entries of one
// combination (their order decides which evaluation is the repeat).
enum class SharedObject : std::uint8_t {
  kTrialRow = 0,        // id = trial number
  kTrialTable = 1,      // id = 0
  kStudyAttr = 2,       // id = FNV-1a of the key
  kClaim = 3,           // id = combination
  kLiveness = 4,        // id = trial number of a heartbeat row, or kEveryRow
  kWholeStore = 5,      // id = 0
  kWriteLock = 6,       // id = 0
  kCrashBudget = 7,     // id = 0
  kEvaluationLog = 8,   // id = combination
};

// The id of an access to every row of a table (kLiveness: what staleness checks read).
inline constexpr std::int64_t kEveryRow = -1;

struct SharedAccess {
  SharedObject object = SharedObject::kWholeStore;
  std::int64_t id = 0;
  bool write = true;
};

// The SharedObject::kStudyAttr id of a study-attribute key.
constexpr std::int64_t study_attr_id(std::string_view key) { return static_cast<std::int64_t>(fnv1a_64(key) >> 1); }

class StepObserver {
 public:
  virtual ~StepObserver() = default;
  // The engine resumes `worker` at `now_us`; every access and event until the next call is its.
  virtual void on_step(WorkerId worker, VirtualTime now_us) = 0;
  virtual void on_access(const SharedAccess& access) = 0;
  // Every recorded trace event (also kPick, which the engine records outside any step).
  virtual void on_event(const TraceEvent& event) = 0;
};

}  // namespace samplersim
