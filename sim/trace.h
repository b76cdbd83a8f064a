// Trace: the ordered record of what happened in one run, and its 64-bit hash.
//
// Every event goes through record(); the hash (a multiply-xorshift fold over the fields' values,
// FNV-1a over text, sim/fnv1a.h) is always computed, the event list is kept only when asked for
// (text traces, diagrams). The hash is the determinism witness: same scenario, run seed and
// schedule ⇒ same hash on every compiler, optimisation level and thread layout.
// Cost: O(1) per event; O(events) memory when kept. The event vocabulary (TraceKind, StopReason,
// StopCause, StoreOp, TrialState, Fault codes) is data that reports/ reads; this header includes
// only other data-type headers of sim/.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "sim/fnv1a.h"
#include "sim/step_observer.h"
#include "sim/virtual_time.h"
#include "sim/worker_id.h"

namespace samplersim {

enum class TraceKind : std::uint8_t {
  kWorkerStart = 0,    // a = process, b = thread
  kWorkerStop = 1,     // a = trials this worker ran, b = stop reason (StopReason)
  kPick = 2,           // a = chosen index, b = number runnable (a choice point)
  kStoreOp = 3,        // a = StoreOp, b = op result/argument; trial = trial number or -1
  kObjectiveStart = 4, // a = combination, b = grid id
  kObjectiveEnd = 5,   // a = TrialState written, b = combination
  kStopFlag = 6,       // a = StopCause (sampler/after_trial, MaxTrialsCallback)
  kSamplerDraw = 7,    // a = grid id chosen, b = target list size
  kFault = 8,          // a = trace_code(Fault) (sim/faults.h), b = its detail
  // Appended for issue 11; the values above are unchanged.
  kProcessError = 9,   // a = PyError that ends the process's loop (or was swallowed), b = 1 if swallowed
};

// Why a worker left its optimize loop (b of kWorkerStop).
enum class StopReason : std::uint8_t {
  kNTrials = 0,
  kStopFlag = 1,
  kPolicyDone = 2,
  kCrashed = 3,
  kRaised = 4,  // its process's loop ended with a Python exception (kProcessError says which)
};
// Who set a process's stop flag (a of kStopFlag).
enum class StopCause : std::uint8_t { kSampler = 0, kMaxTrialsCallback = 1 };

struct TraceEvent {
  VirtualTime t_us = 0;
  WorkerId worker = -1;
  TraceKind kind = TraceKind::kWorkerStart;
  std::int32_t trial = -1;
  std::int64_t a = 0;
  std::int64_t b = 0;
  std::string_view detail;  // static text only (e.g. an attribute key); hashed too
};

class Trace {
 public:
  explicit Trace(bool keep_events) : keep_events_(keep_events) {}

  void record(const TraceEvent& e);

  std::uint64_t hash() const { return hash_; }
  std::uint64_t size() const { return count_; }
  bool keeps_events() const { return keep_events_; }
  const std::vector<TraceEvent>& events() const { return events_; }

  // Partial-order reduction hooks (sim/step_observer.h): null by default, then each is one test.
  // The observer never changes the hash or the events.
  void set_observer(StepObserver* observer) { observer_ = observer; }
  StepObserver* observer() const { return observer_; }
  void step(WorkerId worker, VirtualTime now_us) {
    if (observer_ != nullptr) observer_->on_step(worker, now_us);
  }
  void access(SharedObject object, std::int64_t id, bool write) {
    if (observer_ != nullptr) observer_->on_access({object, id, write});
  }

 private:
  void mix_u64(std::uint64_t v);

  bool keep_events_;
  std::uint64_t hash_ = kFnv1aOffsetBasis;
  std::uint64_t count_ = 0;
  std::vector<TraceEvent> events_;
  StepObserver* observer_ = nullptr;
};

std::string_view to_string(TraceKind k);

// Formats a 64-bit hash as 16 lower-case hex digits.
std::string format_hash(std::uint64_t h);

}  // namespace samplersim
