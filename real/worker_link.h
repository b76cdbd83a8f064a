// WorkerLink: one simulated worker of real-library mode — a real OS thread that runs the real
// library's optimize loop in Python, and the engine fiber that serves it.
//
// Why one real thread per worker (and not greenlet): CPython keeps a thread state per OS thread
// (frame stack, exception state, threading.local, the GIL's owner). Each worker getting its own OS
// thread gives each simulated process exactly the per-thread state it has in reality (Optuna's
// Study._thread_local, its `in_optimize_loop` flag), with nothing swapped by hand; greenlet would
// switch Python frames on the engine's own stack, which Boost.Context also switches, and does
// not separate threading.local. Determinism comes from the Baton: the thread runs only while the
// engine fiber waits for it, and returns control at every yield point (a store operation, a
// sleep, the objective); it releases the GIL while parked, so no other Python thread ever waits for
// the GIL and CPython's periodic GIL hand-off never fires.
//
// Protocol (the thread asks, the fiber does, on virtual time):
//   sleep_us(d)           fiber: engine.sleep_for(d)
//   begin(op) ... end()   fiber: StoreClient::perform(op): request latency; at the instant the
//                         thread applies the operation to the Python study and calls end(), which
//                         the fiber mirrors into the StudyStore and traces; then response latency
//   objective_call()      (no hand-over) counts the process's objective call, before the suggests
//   objective(trial)      fiber: the scenario's objective (duration with heartbeats and stalls;
//                         failure, pruning, crash, crash_at), an ObjectiveOutcome
//   get_stale_trials()    fiber: StoreClient::get_stale_trials (fail_stale_trials' read)
//   park()                fiber: waits until another worker of the run wakes it (no time passes
//                         for the waker; a worker nobody wakes ends the run at its time limit)
//   wake(w)               fiber: worker w, parked, becomes due now (a choice point like any other)
//   done                  the thread's Python body returned; the fiber joins it
// If the fiber is cancelled (another worker failed) it aborts the thread: every later call raises
// samplersim_native.RunAborted (a BaseException) until the Python body has unwound.
// Invariants: exactly one of {fiber, thread} runs; `current()` is set only on the worker's thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <pybind11/pytypes.h>

#include "real/baton.h"
#include "sim/fault_draws.h"
#include "sim/optimize_loop.h"
#include "sim/python_error.h"
#include "sim/random_stream.h"
#include "sim/store_client.h"

namespace samplersim::real {

// Raised into Python (as samplersim_native.WorkerCrashed / RunAborted, both BaseExceptions).
struct WorkerCrash {
  const char* what() const noexcept { return "the simulated process crashed"; }
};
struct RunAborted {
  const char* what() const noexcept { return "the run was aborted (another worker failed)"; }
};

// What the scenario's objective did, as the bridge's objective acts on it (optuna_bridge.py).
enum class ObjectiveOutcome : int {
  kComplete = 0,      // returns 0.0
  kInjectedFail = 1,  // [faults] objective_failure_probability: raises ObjectiveFailed (always caught)
  kCrash = 2,         // never returned: the process died (WorkerCrash)
  kScheduledFail = 3, // [objective] fail: raises RuntimeError("evicted (the objective raised)")
  kPruned = 4,        // [objective] prune_every: raises optuna.TrialPruned
};

class WorkerLink {
 public:
  // `body` is the Python callable the thread runs (returns "n_trials", "stop_flag", "crashed" or
  // "raised:<the exception's last traceback line>");
  // `entropy` is the process's OS-entropy stream. Construct and destroy with the GIL NOT held;
  // `body` is released by the thread itself.
  WorkerLink(RunShared& run, int process, int thread, WorkerId worker, pybind11::object body,
             RandomStream* entropy);
  ~WorkerLink();
  WorkerLink(const WorkerLink&) = delete;
  WorkerLink& operator=(const WorkerLink&) = delete;

  // The engine fiber's body: runs the worker to its end. Rethrows a Python error as
  // std::runtime_error (with the traceback's last line).
  void run();

  // ---- on the worker's own thread, GIL held (samplersim_native) ----
  static WorkerLink* current();
  VirtualTime now_us() const { return run_.engine.now_us(); }
  std::uint64_t entropy_u64() { return entropy_->next_u64(); }
  void sleep_us(VirtualTime duration_us);
  void store_begin(int op);
  void store_end(int op, int trial, std::int64_t a, std::int64_t b, const std::string& key, bool ok);
  // The objective was entered: counts the process's objective calls (the model's
  // ProcessState::objective_calls, which [objective] fail / prune_every and [faults] crash_at name),
  // before its suggests, as the model counts a call whose suggest raises too. No time passes.
  void objective_call();
  // The scenario's objective after the suggests (duration and outcome), as an ObjectiveOutcome.
  // A crash raises WorkerCrash.
  int objective(int trial);
  // An ask-and-tell loop swallowed study.stop()'s RuntimeError from `trial`'s tell (counted and
  // traced as the model's loop does; no time passes).
  void stop_error_swallowed(int trial);
  // Optuna's fail_stale_trials asks the storage for its stale trials (_get_stale_trial_ids): one
  // timed get_stale_trials of the model's StoreClient, with this process's clock and the grace.
  std::vector<int> get_stale_trials();
  // A simulated process's threads waiting on each other (optimize(n_jobs > 1)'s pool threads for a
  // job, its main thread for a finished one; optuna_bridge.py _SimThreadPool): park() until a wake.
  // wake(w) requires w to be parked and not yet woken (std::logic_error otherwise).
  WorkerId worker() const { return worker_; }
  void park();
  void wake(WorkerId w);

 private:
  enum class Call : std::uint8_t {
    kNone, kSleep, kStoreBegin, kStoreEnd, kObjective, kStopErrorSwallowed, kGetStaleTrials, kPark, kWake, kDone
  };
  // A stall inside the objective: [at_us, at_us + for_us), as the model's StallWindow.
  struct StallWindow {
    VirtualTime at_us = 0;
    VirtualTime for_us = 0;
  };
  struct Request {
    Call call = Call::kNone;
    int op = 0;
    int trial = -1;
    std::int64_t a = 0;
    std::int64_t b = 0;
    std::string key = {};
    bool ok = true;
  };

  void thread_main();
  void call_engine(Request request);  // worker side: hand over, wait for the reply
  Request exchange();                 // engine side: hand to the worker, get its next request
  void serve();
  void serve_store_op(StoreOp op);
  void mirror(StudyStore& store, StoreOp op, const Request& end);
  int run_objective(int trial);
  void objective_time(int trial, VirtualTime end_us, std::optional<VirtualTime> dies_at_us,
                      std::optional<StallWindow> stall);
  void on_state_written(int trial, TrialState state);
  void abort_and_join();
  void record(TraceKind kind, int trial, std::int64_t a, std::int64_t b);
  void touch(SharedObject object, std::int64_t id, bool write) { run_.trace.access(object, id, write); }

  RunShared& run_;
  int process_;
  int thread_index_;
  WorkerId worker_;
  pybind11::object body_;
  RandomStream* entropy_;
  StoreClient client_;
  StoreClient heartbeat_client_;  // the trial's heartbeat thread's connection (heartbeat on)
  VirtualTime heartbeat_interval_us_ = 0;  // 0: no heartbeat
  RandomStream objective_stream_;
  std::optional<WorkerFaults> faults_;
  Baton baton_;
  std::thread thread_;
  Request request_;       // written by the party handing the baton to the engine
  int reply_ = 0;         // objective outcome for the worker
  std::vector<int> stale_reply_;  // get_stale_trials' answer for the worker
  bool aborted_ = false;  // set by the engine before it hands the baton over
  bool crashed_ = false;
  bool done_ = false;
  std::string result_;    // the body's return value
  std::string error_;     // a Python error that ended the body (a failed run)
  PyError raised_ = PyError::kNone;  // an exception optimize re-raised that the model knows
  std::int64_t trials_run_ = 0;
  int call_ = 0;          // the process's objective call being run (1-based; 0: none yet)
  // Evaluations this worker started and has not told yet, as (trial, evaluation-log index): one in
  // optimize, up to `batch` in an ask-and-tell loop (all objectives of a batch run before its tells).
  std::vector<std::pair<int, std::int64_t>> untold_;
};

}  // namespace samplersim::real
