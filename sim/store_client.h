// StoreClient: one worker's connection to the StudyStore, with latency.
//
// Every operation is a yield point pair: the worker waits its request latency, the operation is
// applied atomically at that instant (its linearization point, recorded in the trace), then the
// worker waits its response latency and gets the result. Reads therefore return the state as of
// the linearization instant, and other workers may act in between: this opens exactly the race
// windows that matter (read the unvisited set → choose → write grid_id).
//
// Latencies come from the worker's own stream (run seed, kStoreLatency, worker), so changing the
// schedule never changes a latency. A StoreClient belongs to one worker fiber; not thread-safe.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "sim/duration_dist.h"
#include "sim/store_op.h"
#include "sim/engine.h"
#include "sim/fault_draws.h"
#include "sim/random_stream.h"
#include "sim/store_cost.h"
#include "sim/study_store.h"
#include "sim/trace.h"

namespace samplersim {

// What a run shares with every StoreClient under a store preset ([store] kind; null without one).
struct PresetRuntime {
  Machine& machine;
  StoreLocks& locks;
  const StorePreset& preset;
  ClientProfile profile;
  int server_host;
  std::uint64_t run_seed;
};

class StoreClient {
 public:
  StoreClient(Engine& engine, StudyStore& store, Trace& trace, WorkerId worker, StoreLatency latency,
              RandomStream latency_stream)
      : engine_(engine), store_(store), trace_(trace), worker_(worker), latency_(latency),
        stream_(latency_stream) {}

  int create_trial();
  // Optuna's ask(): pop the first WAITING trial whose WAITING→RUNNING claim succeeds. The claim is
  // an atomic compare-and-set, except under the SQLite store preset (claim_waiting_racy).
  // Under the SQLite preset a candidate whose state read shows it already finished (popped and
  // finished by others since the list was read) makes the real claim raise (check_trial_is_updatable
  // before the WAITING test): with `found_finished` set, the pop stops there, sets it and returns
  // nullopt; without, the candidate is skipped.
  std::optional<int> pop_waiting_trial(bool* found_finished = nullptr);
  // Optuna's get_trial: the trial as of the linearization instant. The view costs no copy (see
  // TrialView: scalar fields and system attributes); get_trial copies the whole record, for callers
  // that need its params or a template to copy. Both are the same store operation.
  TrialView get_trial_view(int number);
  // The worker's read of the trial it runs (Trial.__init__, each suggest's get_trial_system_attrs,
  // tell's get_trial, after_trial's get_trial_system_attrs). Under an RDB preset (SQLite,
  // PostgreSQL) with Optuna 3.1's client, `_CachedStorage.get_trial` answers a trial the process
  // created or popped from its cache (optuna 3.1.0 optuna/storages/_cached_storage.py get_trial /
  // _get_cached_trial: owned_or_finished_trial_ids): no store operation, no linearization instant,
  // and its CPU is part of the client steps (calibration/fit/fit_presets.py model_calls). Anywhere
  // else it is get_trial_view (3.2.0–4.9.0 cache only finished trials: a database read).
  TrialView own_trial_view(int number);
  // The read that follows a trial's final state write under an RDB preset: 3.1.0's
  // `_CachedStorage.set_trial_state_values` calls `backend.get_trial` to copy datetime_complete;
  // 3.2.0–4.9.0's `_tell_with_warning` (optuna/study/_tell.py) ends with `storage.get_trial`, which
  // the cache answers only for trials it has read as finished, so it reaches the database. One
  // get_trial store operation. Nothing without a preset or under InMemory / journal presets.
  void read_back_told(int number);
  // after_trial's get_trial_system_attrs of the trial being told (one grid id left): under an RDB
  // preset, own_trial_view (3.1: the cache; 3.2+: a get_trial store operation); nothing otherwise.
  void read_own_attrs(int number) {
    if (rdb_preset_) (void)own_trial_view(number);
  }
  // Under an RDB preset, whether reads of the worker's own trial and the WAITING list are answered
  // by Optuna 3.1's process cache (see own_trial_view).
  bool cached_own_reads() const { return cached_own_reads_; }
  // The WAITING trials of the process cache's last refresh (samplers/process_study_cache.h calls
  // this at each refresh): with cached_own_reads(), pop_waiting_trial takes its candidates from it,
  // as 3.1.0's `_pop_waiting_trial_id` does (`get_all_trials(states=(WAITING,))` from the cache,
  // optuna/study/study.py), instead of a list_waiting store operation.
  void set_cached_waiting(std::vector<int> numbers) { cached_waiting_ = std::move(numbers); }
  // study.enqueue_trial(params): one create_trial operation adding a WAITING trial that carries
  // `fixed_params` (value index per sorted parameter, -1 = not fixed).
  int enqueue_trial(const std::vector<int>& fixed_params);
  TrialRecord get_trial(int number);
  void set_trial_system_attr(int number, std::string_view key, std::int64_t value);
  // What a param write did. On a trial claimed twice (SQLite's racy claim) the storage refuses it
  // when the other worker already finished the trial (check_trial_is_updatable raises), or, for
  // `insert` (Optuna 3.1's first write of a name in a process: a plain INSERT, no such check), when
  // the other claimant already wrote that param (UNIQUE constraint). A refused write writes nothing.
  enum class ParamWrite : std::uint8_t { kWritten, kTrialFinished, kDuplicate };
  [[nodiscard]] ParamWrite set_trial_param(int number, int param, int value_index, bool insert = false);
  bool set_trial_state(int number, TrialState state);
  std::optional<std::int64_t> get_study_attr(std::string_view key);
  std::int64_t study_attr_insert_if_absent(std::string_view key, std::int64_t value);

  // ---- coordination fixes and fault models (issue 4) ----
  // A WAITING copy of `number` (RetryFailedTrialCallback; enqueue_trial with a template): the real
  // library's create_new_trial with a template trial, so it is a create_trial operation.
  int create_waiting_copy(const TrialRecord& from, std::string_view extra_key, std::int64_t extra_value);
  // The claim's stamp and its lease check read this client's clock (clock_us). `epoch_out`: the
  // holding's epoch on success (fencing).
  // Lazily renewed leases (StudyStore::BeatSchedule) are judged at the true instant of the check.
  bool claim_combination(std::int64_t combination, int trial, std::optional<VirtualTime> lease_grace_us,
                         std::int64_t* epoch_out = nullptr);
  bool release_claim(std::int64_t combination);
  bool complete_combination(std::int64_t combination, int trial);
  // Fenced writes (StudyStore::*_fenced): the same operations, refused unless `epoch` is current.
  bool release_claim_fenced(std::int64_t combination, std::int64_t epoch);
  bool complete_combination_fenced(std::int64_t combination, int trial, std::int64_t epoch);
  std::vector<int> get_stale_trials(VirtualTime grace_us);
  // One heartbeat write of `trial` by its heartbeat thread (a client of its own: its own latency
  // stream): request latency, the write lock, the upsert stamped at its linearization instant,
  // response latency. The process dies at `dies_at_us` (if set): what of the write would come at
  // or after it never happens, and the fiber is left at that instant (kDied). A store error
  // (faults; the thread's own stream) is one attempt, applied or not, that raises out of Optuna's
  // heartbeat loop and ends the thread (kRaised): it never retries.
  // Under a store preset the write costs what the preset's record_heartbeat costs, with the
  // storage's lock (SQLite's writer, the journal's lock file, the process lock), on the process's
  // Machine thread of the worker (the heartbeat thread's CPU takes the GIL like any thread's; the
  // worker's own thread only sleeps in the objective meanwhile, so they never overlap). A call in
  // flight at `dies_at_us` is not cut short there (the machine model has no interruptible waits):
  // its write applies only if it linearized before the crash instant, and the fiber is left at
  // the end of the call (kDied), at most one call's cost after the crash instant.
  enum class Beat : std::uint8_t { kOk, kRaised, kDied };
  Beat record_heartbeat(int trial, std::optional<VirtualTime> dies_at_us);

  // An idle worker's wait (event-driven, no polling timer): until the claims table changes from
  // `seen` (StudyStore::claims_version() as the read that decided to wait saw it) or until true
  // time `until_us` (kNeverUs: no deadline), whichever comes first. Returns at once if it changed
  // already. The wait is a plain sleep_until that the operation changing the table cuts short
  // (Engine::reschedule to kChangeWakeUpUs after its linearization instant), so wake-ups stay
  // choice points ordered by (wake time, worker id). The 1 us is the notification's delivery: a
  // worker woken by a change never becomes due at the instant of the step that woke it, so every
  // worker due at an instant was due before that instant's first step, which the partial-order
  // reduction relies on (app/dpor.h: racing workers are all due at one choice point). It reads
  // the store's change counter: a whole-store read for the partial-order reduction.
  // Cost: O(waiters) per wait; nothing per beat or per unit of time.
  static constexpr VirtualTime kChangeWakeUpUs = 1;
  void wait_for_claims_change(std::uint64_t seen, VirtualTime until_us);

  // Fault injection for this client (store errors, stale reads); null: none. Not owned.
  void set_faults(WorkerFaults* faults) { faults_ = faults; }
  // The clock of this client's process (clock-skew fault); the identity clock by default. It is
  // read for heartbeat stamps, fail_stale_trials' "now" and the lease stamps and checks.
  void set_clock(ProcessClock clock) { clock_ = clock; }
  VirtualTime clock_us() const { return clock_.read(engine_.now_us()); }
  const ProcessClock& clock() const { return clock_; }

  // ---- store presets and the machine model (issue 12); without a preset these cost nothing ----
  // Puts this client under `runtime`'s preset: its calls then cost what the preset says on the
  // Machine (sim/store_cost.h) instead of the [store] latencies.
  // `connection` tells a process's second connection (its heartbeat thread's: 1) from the worker's
  // own (0): its cost stream is (run seed, kStoreCost, worker, connection).
  void attach_preset(const PresetRuntime& runtime, int process, std::uint64_t connection = 0);
  bool has_preset() const { return cost_ != nullptr; }
  // Client work outside store calls (CPU-time points of the optimize loop and the samplers).
  void client_step(ClientStep step) {
    if (cost_) cost_->step(step);
  }
  // One walk of the grid sampler over `trials` trials of a grid with `grid_values` values in all.
  void walk_trials(std::int64_t trials, std::int64_t grid_values) {
    if (cost_) cost_->walk(trials, grid_values);
  }
  // A wait that runs no Python (the objective's sleep, a poll): under a preset it releases the GIL.
  void sleep_for(VirtualTime duration_us) {
    if (cost_) {
      cost_->sleep_for(duration_us);
    } else {
      engine_.sleep_for(duration_us);
    }
  }
  // The same, until `wake_us` (>= now).
  void sleep_until(VirtualTime wake_us) {
    if (cost_) {
      cost_->machine().block_until(worker_, wake_us);
    } else {
      engine_.sleep_until(wake_us);
    }
  }
  // The worker's thread ends (releases the GIL it may hold).
  void thread_exit() {
    if (cost_) cost_->thread_exit();
  }

  // get_all_trials: `project(store)` runs at the linearization instant and must capture
  // everything the caller needs from the snapshot (it may use the store's indexes, which give
  // the same answer as scanning the trials). Its result is returned after the response latency.
  template <class Project>
  auto get_all_trials(Project&& project) {
    return apply(StoreOp::kGetAllTrials, [&] {
      StudyStore& view = read_view();
      auto result = project(view);
      record(StoreOp::kGetAllTrials, -1, static_cast<std::int64_t>(view.n_trials()));
      return result;
    });
  }

  // Records a sampler-side event (no store access, no latency), e.g. a draw.
  void note(TraceKind kind, int trial, std::int64_t a, std::int64_t b) {
    trace_.record({engine_.now_us(), worker_, kind, trial, a, b, {}});
  }

  // An operation applied by `fn(StudyStore&)` at the linearization instant, for a worker body
  // that keeps its own copy of the study (a real library's storage adapter: real/). `fn` must not
  // wait on the engine; it mirrors the effect into the StudyStore it gets and calls record_op().
  template <class Apply>
  auto perform(StoreOp op, Apply&& fn) {
    return apply(op, [&] { return fn(store_); });
  }
  // Records one operation in the trace (and its footprint), as the typed operations do.
  // `key` must outlive the trace.
  void record_op(StoreOp op, int trial, std::int64_t arg, std::string_view key = {}) {
    record(op, trial, arg, key);
  }

  std::uint64_t ops() const { return ops_; }
  VirtualTime now_us() const { return engine_.now_us(); }
  WorkerId worker() const { return worker_; }

 private:
  // Waits the request latency, runs `fn` (which applies the operation to the store and records
  // it in the trace) at that instant, waits the response latency, returns fn's result.
  template <class Apply>
  auto apply(StoreOp op, Apply&& fn) {
    if (cost_) return apply_with_cost(op, fn);
    if (faults_ != nullptr) fail_transiently(op, fn);
    engine_.sleep_for(latency_.request_for(op).sample(stream_));
    if (is_write(op) && !(latency_.write_service.is_constant() && latency_.write_service.min_us == 0)) {
      trace_.access(SharedObject::kWriteLock, 0, true);
      engine_.sleep_until(store_.reserve_write_lock(engine_.now_us(), latency_.write_service.sample(stream_)));
    }
    ++ops_;
    if constexpr (std::is_void_v<decltype(fn())>) {
      fn();
      wake_claim_waiters();
      engine_.sleep_for(latency_.response.sample(stream_));
    } else {
      auto result = fn();
      wake_claim_waiters();
      engine_.sleep_for(latency_.response.sample(stream_));
      return result;
    }
  }
  // The same under a preset: the call's costs before and after its linearization instant; a
  // transient error costs a whole call (applied or not) plus the backoff.
  template <class Apply>
  auto apply_with_cost(StoreOp op, Apply& fn) {
    if (faults_ != nullptr) {
      for (int attempt = 0; attempt < faults_->max_store_retries(); ++attempt) {
        if (!faults_->store_error(engine_.now_us())) break;
        cost_->before(op);
        const bool applied = faults_->store_error_was_applied();
        if (applied) {
          ++ops_;
          (void)fn();
          wake_claim_waiters();
        }
        note(TraceKind::kFault, -1, trace_code(Fault::kStoreError), static_cast<std::int64_t>(op) * 2 + (applied ? 1 : 0));
        cost_->after(op);
        cost_->sleep_for(faults_->store_retry_backoff_us());
      }
    }
    cost_->before(op);
    ++ops_;
    if constexpr (std::is_void_v<decltype(fn())>) {
      fn();
      wake_claim_waiters();
      cost_->after(op);
    } else {
      auto result = fn();
      wake_claim_waiters();
      cost_->after(op);
      return result;
    }
  }
  // Transient store errors: each failed attempt waits its request latency, is applied or not
  // (a lost response), waits its response latency and the backoff. Bounded by store_max_retries.
  template <class Apply>
  void fail_transiently(StoreOp op, Apply& fn) {
    for (int attempt = 0; attempt < faults_->max_store_retries(); ++attempt) {
      if (!faults_->store_error(engine_.now_us())) return;
      engine_.sleep_for(latency_.request_for(op).sample(stream_));
      const bool applied = faults_->store_error_was_applied();
      if (applied) {
        ++ops_;
        (void)fn();
        wake_claim_waiters();
      }
      note(TraceKind::kFault, -1, trace_code(Fault::kStoreError), static_cast<std::int64_t>(op) * 2 + (applied ? 1 : 0));
      engine_.sleep_for(latency_.response.sample(stream_) + faults_->store_retry_backoff_us());
    }
  }
  // Wakes (at this instant) every worker waiting in wait_for_claims_change whose view of the
  // claims table is out of date. O(1) without waiters.
  void wake_claim_waiters() {
    if (!store_.claim_waiters().empty()) wake_claim_waiters_slow();
  }
  void wake_claim_waiters_slow();
  // The store as this read sees it: the primary, or (stale-read fault) the cached view.
  StudyStore& read_view();
  enum class RacyClaim : std::uint8_t { kClaimed, kNotWaiting, kFinished };
  RacyClaim claim_waiting_racy(int number);
  // Sleeps until `t_us`, or only until `dies_at_us` and false if that comes first (or at once).
  bool sleep_unless_dead(VirtualTime t_us, std::optional<VirtualTime> dies_at_us);
  Beat record_heartbeat_with_cost(int trial, bool raises, std::optional<VirtualTime> dies_at_us);

  // `key` must outlive the trace (attribute keys are string literals of the samplers).
  void record(StoreOp op, int trial, std::int64_t arg, std::string_view key = {});
  // Reports the shared objects `op` touched to the trace's step observer (sim/step_observer.h).
  void report_footprint(StoreOp op, int trial, std::int64_t arg, std::string_view key);

  Engine& engine_;
  StudyStore& store_;
  Trace& trace_;
  WorkerId worker_;
  StoreLatency latency_;
  RandomStream stream_;
  std::uint64_t ops_ = 0;
  WorkerFaults* faults_ = nullptr;
  ProcessClock clock_;
  std::unique_ptr<StudyStore> cache_;  // stale-read view
  VirtualTime cache_at_us_ = 0;
  std::unique_ptr<StoreCost> cost_;    // under a store preset
  bool rdb_preset_ = false;            // under the sqlite or postgresql preset (_CachedStorage)
  bool cached_own_reads_ = false;      // ... with Optuna 3.1's client (ClientProfile::kOptuna31)
  std::optional<std::vector<int>> cached_waiting_;  // the process cache's WAITING list (3.1)
};

}  // namespace samplersim
