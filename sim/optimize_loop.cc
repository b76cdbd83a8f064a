#include "sim/optimize_loop.h"
#include "sim/invariant.h"
#include "sim/worker_driver.h"

#include <algorithm>
#include <cassert>
#include <limits>
#include <fmt/format.h>

namespace samplersim {

namespace {

// Thrown inside a worker fiber when it crashes; caught at the top of the fiber.
struct WorkerCrashed {};
// Thrown inside a worker fiber when its process's loop ends with a Python exception.
struct ProcessRaised {
  PyError error;
};
constexpr std::int64_t kMaxPolls = 10'000'000;
// `b` of the heartbeat thread's latency and cost streams (run seed, kStoreLatency / kStoreCost, worker, b);
// 0 is the worker's.
constexpr std::uint64_t kHeartbeatConnection = 1;
// How often a thread > 0 looks whether thread 0 finished its process's setup (enqueues).
constexpr VirtualTime kSetupPollUs = 100;

// One asked trial of a worker: its context and the state its objective left.
struct AskedTrial {
  TrialContext ctx;
  TrialState state = TrialState::kRunning;
  PyError objective_error = PyError::kNone;
  std::int64_t eval_index = -1;  // its entry in the evaluation log; -1: its objective got no point
};

class WorkerLoop {
 public:
  WorkerLoop(RunShared& run, int process, int thread, WorkerId worker)
      : run_(run), proc_(run.processes[static_cast<std::size_t>(process)]),
        group_(run.groups[static_cast<std::size_t>(proc_.group)]), thread_(thread), worker_(worker),
        client_(run.engine, run.store, run.trace, worker,
                StoreLatency{run.spec.request_latency, run.spec.response_latency,
                             run.spec.request_latency_by_op, run.spec.write_service},
                RandomStream::derive(run.run_seed, StreamPurpose::kStoreLatency,
                                     static_cast<std::uint64_t>(worker))),
        heartbeat_client_(run.engine, run.store, run.trace, worker,
                          StoreLatency{run.spec.request_latency, run.spec.response_latency,
                                       run.spec.request_latency_by_op, run.spec.write_service},
                          RandomStream::derive(run.run_seed, StreamPurpose::kStoreLatency,
                                               static_cast<std::uint64_t>(worker), kHeartbeatConnection)),
        objective_stream_(RandomStream::derive(run.run_seed, StreamPurpose::kObjectiveTime,
                                               static_cast<std::uint64_t>(worker))) {
    if (run.faults != nullptr) {
      faults_.emplace(*run.faults, run.run_seed, worker);
      client_.set_faults(&*faults_);
      heartbeat_client_.set_faults(&*faults_);  // it draws only the heartbeat thread's errors
    }
    if (run.faults != nullptr) {
      clock_ = process_clock(*run.faults, run.run_seed, process);
      client_.set_clock(clock_);
      heartbeat_client_.set_clock(clock_);
    }
    if (run.preset != nullptr) {
      client_.attach_preset(*run.preset, process);
      heartbeat_client_.attach_preset(*run.preset, process, kHeartbeatConnection);
    }
    const FaultSpec& f = run.spec.faults;
    trial_heartbeat_ = f.heartbeat();
    if (trial_heartbeat_ || (proc_.sampler && proc_.sampler->wants_heartbeat())) {
      heartbeat_interval_us_ = f.heartbeat() ? f.heartbeat_interval_us : kDefaultLeaseHeartbeatUs;
    }
    // The lease's own heartbeat is lazy (one schedule per trial, no store write per beat) unless a
    // renewal must be a real write: the scenario's heartbeat (Optuna's heartbeat rows, which
    // fail_stale_trials reads), a store preset (a write's CPU, lock and GIL cost), the write lock,
    // a latency of its own for record_heartbeat (slow renewals are the point), store errors (the
    // heartbeat thread's own error stream ends it) or stale reads (a cached view holds the rows as
    // they were). Lazy beats are the eager loop's with zero write latency.
    const ScenarioSpec& spec = run.spec;
    lazy_lease_ = heartbeat_interval_us_ > 0 && !trial_heartbeat_ && run.preset == nullptr && f.store_error_ppm == 0 &&
                  f.stale_read_ppm == 0 && spec.write_service.is_constant() && spec.write_service.min_us == 0 &&
                  !spec.request_latency_by_op[static_cast<std::size_t>(StoreOp::kRecordHeartbeat)];
  }

  void run() {
    record(TraceKind::kWorkerStart, -1, proc_.index, thread_);
    if (!clock_.identity()) record(TraceKind::kFault, -1, trace_code(Fault::kClockSkew), clock_.offset_us);
    StopReason reason = StopReason::kCrashed;
    try {
      reason = body();
    } catch (const WorkerCrashed&) {
      reason = StopReason::kCrashed;
    } catch (const ProcessRaised& e) {
      raise_in_process(e.error);
      reason = StopReason::kRaised;
    }
    record(TraceKind::kWorkerStop, -1, trials_run_, static_cast<std::int64_t>(reason));
    run_.out.store_ops += client_.ops() + heartbeat_client_.ops();
    client_.thread_exit();
  }

 private:
  StopReason body() {
    check_library_features();
    if (enqueues_at_start()) {  // thread 0 enqueues; the process's other threads start after it
      if (thread_ == 0) {
        enqueue_at_start();
      } else {
        wait_for_setup();
      }
    }
    if (proc_.error != PyError::kNone) return StopReason::kRaised;
    if (group_.loop.kind == LoopKind::kOptimize) return optimize();
    return ask_and_tell();
  }

  // ---- process setup: the API the script uses, then (thread 0) its enqueue_trial calls ----

  // A part of the API the policy's library version lacks raises AttributeError before any trial
  // (every thread checks; no store operation, so no thread waits for another).
  void check_library_features() const {
    if (!proc_.sampler) return;
    const LibraryFeatures& have = run_.features;
    PyError missing = PyError::kNone;
    if (group_.loop.kind != LoopKind::kOptimize && !have.ask_tell) missing = PyError::kNoAskTell;
    if (group_.max_trials && !have.max_trials_callback) missing = PyError::kNoMaxTrialsCallback;
    if (run_.spec.faults.retry_failed && !have.retry_callback) missing = PyError::kNoRetryCallback;
    if (missing != PyError::kNone) throw ProcessRaised{missing};
  }

  bool enqueues_at_start() const {
    return proc_.sampler && std::any_of(run_.spec.enqueued.begin(), run_.spec.enqueued.end(), [](const EnqueueSpec& e) {
             return e.by == EnqueueSpec::By::kEachProcess;
           });
  }

  void enqueue_at_start() {
    for (const EnqueueSpec& e : run_.spec.enqueued) {
      if (e.by == EnqueueSpec::By::kEachProcess) client_.enqueue_trial(sorted_params(run_.grid, e.params));
    }
    proc_.setup_done = true;
  }

  void wait_for_setup() {
    for (std::int64_t polls = 0; !proc_.setup_done; ++polls) {
      if (polls >= kMaxPolls) throw SimulationLimitExceeded("a thread waited too long for its process's setup");
      client_.sleep_for(kSetupPollUs);
    }
  }

  // ---- study.optimize ----

  StopReason optimize() {
    if (thread_ > 0 && group_.loop.submit_interval_us > 0) client_.sleep_for(thread_ * group_.loop.submit_interval_us);
    for (;;) {
      if (group_.threads > 1) {  // _optimize: every job reseeds (numpy: os.urandom, GIL released)
        client_.client_step(ClientStep::kJobStart);
        client_.client_step(ClientStep::kReseedNative);
        proc_.sampler->reseed_rng();
      }
      if (proc_.stop_flag) return StopReason::kStopFlag;
      if (proc_.error != PyError::kNone) return StopReason::kRaised;  // optimize re-raises: no new job
      if (group_.n_trials && proc_.submitted >= *group_.n_trials) return StopReason::kNTrials;
      check_trial_limit();
      ++proc_.submitted;
      if (!optimize_trial()) return StopReason::kPolicyDone;
      ++trials_run_;
    }
  }

  // One trial of optimize; false if the policy said there is nothing left to do (no trial was run).
  bool optimize_trial() {
    std::optional<AskedTrial> asked = ask();
    if (!asked) return false;
    run_objective(*asked);
    const PyError tell_error = tell(*asked, true);
    if (tell_error != PyError::kNone) throw ProcessRaised{tell_error};
    // _run_trial re-raises an uncaught objective error before the callbacks run.
    if (asked->objective_error != PyError::kNone && !group_.loop.catch_all) throw ProcessRaised{asked->objective_error};
    // MaxTrialsCallback(n, states): counts the whole study, stops this process only.
    if (group_.max_trials) {
      const StateMask states = group_.max_trials_states;
      const std::int64_t n = client_.get_all_trials([states](const StudyStore& s) { return s.count(states); });
      if (n >= *group_.max_trials) set_stop_flag(StopCause::kMaxTrialsCallback);
    }
    return true;
  }

  // ---- ask-and-tell loops (plain, batched, Hydra's sweeper) ----

  StopReason ask_and_tell() {
    std::int64_t budget = group_.n_trials ? *group_.n_trials : std::numeric_limits<std::int64_t>::max();
    // Hydra: n_trials = min(n_trials, grid size) with a GridSampler (hydra_optuna_sweeper _impl.py).
    if (group_.loop.kind == LoopKind::kHydra) budget = std::min<std::int64_t>(budget, run_.group_grid_sizes[static_cast<std::size_t>(proc_.group)]);
    const StopErrorHandling on_stop =
        group_.loop.kind == LoopKind::kHydra ? StopErrorHandling::kSwallow : group_.loop.on_stop_error;
    while (budget > 0) {
      check_trial_limit();
      const std::int64_t k = std::min<std::int64_t>(group_.loop.batch, budget);
      std::vector<AskedTrial> batch;
      for (std::int64_t i = 0; i < k; ++i) {
        std::optional<AskedTrial> asked = ask();
        if (!asked) break;
        batch.push_back(std::move(*asked));
      }
      if (batch.empty()) return StopReason::kPolicyDone;
      for (AskedTrial& t : batch) run_objective(t);  // a failing objective is told FAIL (the loop goes on)
      bool stopped = false;
      for (AskedTrial& t : batch) {
        const PyError e = tell(t, false);
        ++trials_run_;
        if (e == PyError::kNone) continue;
        if (e != PyError::kStopOutsideOptimize || on_stop == StopErrorHandling::kRaise) throw ProcessRaised{e};
        ++run_.out.stop_errors_swallowed;
        record(TraceKind::kProcessError, t.ctx.number, static_cast<std::int64_t>(e), 1);
        stopped = stopped || on_stop == StopErrorHandling::kBreak;
      }
      if (stopped) return StopReason::kStopFlag;
      budget -= static_cast<std::int64_t>(batch.size());
    }
    return StopReason::kNTrials;
  }

  // ---- the parts of a trial ----

  // study.ask() (heartbeat: fail_stale_trials first) and Trial.__init__ with the sampler's grid
  // step. nullopt: the policy said there is nothing left to do.
  std::optional<AskedTrial> ask() {
    if (trial_heartbeat_) fail_stale_trials();
    client_.client_step(ClientStep::kAsk);
    std::optional<WorkCheck> check = policy_check();
    if (!check) return std::nullopt;
    int number = -1;
    if (check->trial) {
      number = *check->trial;
    } else {
      bool found_finished = false;  // SQLite: a WAITING candidate finished by others raises the claim
      if (auto popped = client_.pop_waiting_trial(&found_finished)) {
        number = *popped;
        proc_.popped.push_back(number);
      } else if (found_finished) {
        throw ProcessRaised{PyError::kTrialAlreadyFinished};  // ask is outside _run_trial's try
      } else {
        number = client_.create_trial();
      }
    }
    // Trial.__init__: read the trial once, then the sampler's grid step.
    AskedTrial asked{TrialContext{client_, number, client_.own_trial_view(number)}, TrialState::kRunning, PyError::kNone, -1};
    client_.client_step(ClientStep::kTrialInit);
    proc_.sampler->before_trial(asked.ctx);
    if (asked.ctx.stop_requested) set_stop_flag(StopCause::kSampler);  // 2.0–2.3 decide the stop in ask
    return asked;
  }

  void run_objective(AskedTrial& t) {
    t.ctx.raised = PyError::kNone;
    t.state = objective(t.ctx);
    t.objective_error = t.ctx.raised;
    t.eval_index = eval_index_;
  }

  // tell: after_trial sees the trial still RUNNING; the state write is in its `finally`. Returns the
  // exception tell raises (after the write), kNone if none. `in_optimize`: study.stop() sets the
  // flag; outside optimize it raises RuntimeError.
  PyError tell(AskedTrial& t, bool in_optimize) {
    TrialContext& trial = t.ctx;
    const int number = trial.number;
    trial.snapshot = client_.own_trial_view(number);
    // A trial two workers claimed (SQLite's racy claim, docs/optuna-facts.md section 10): the one
    // telling second raises and its process's optimize ends. 3.2+ (and 3.1 when a thread of this
    // process finished it: they share _CachedStorage) see the final state: ValueError before
    // after_trial. 3.1 across processes reads its own cached RUNNING copy, runs after_trial, and
    // the refused state write ends in AssertionError (see finish_refused).
    // Not modelled: the same after a stale-trial false positive (the real raises `Cannot tell a
    // FAIL trial`); the model runs after_trial and its state write is refused.
    const bool claimed_twice = run_.store.claimed_twice(number);
    if (claimed_twice && is_finished(trial.snapshot.state)) {
      if (!reads_cached_copy(number)) return PyError::kCannotTellFinished;
      trial.snapshot.state = TrialState::kRunning;  // the process's cached copy
    }
    trial.raised = PyError::kNone;
    const bool stop = proc_.sampler->after_trial(trial, t.state);
    PyError raised = trial.raised;
    if (stop && raised == PyError::kNone) {
      if (in_optimize) {
        set_stop_flag(StopCause::kSampler);
      } else {
        raised = PyError::kStopOutsideOptimize;
      }
    }
    TrialState state = proc_.sampler->on_tell(trial, t.state);
    SIM_ASSERT(is_finished(state));
    const bool written = client_.set_trial_state(number, state);
    if (claimed_twice && !written) {
      return reads_cached_copy(number) ? PyError::kShouldNotReach : PyError::kTrialAlreadyFinished;
    }
    client_.read_back_told(number);
    client_.client_step(ClientStep::kTell);
    if (t.eval_index >= 0) {
      Evaluation& e = run_.out.evaluation_log[static_cast<std::size_t>(t.eval_index)];
      touch(SharedObject::kEvaluationLog, e.combination, true);
      e.state = state;
    }
    record(TraceKind::kObjectiveEnd, number, static_cast<std::int64_t>(state),
           t.eval_index >= 0 ? run_.out.evaluation_log[static_cast<std::size_t>(t.eval_index)].combination : -1);
    return raised;
  }

  // Optuna 3.1's _CachedStorage.get_trial answers a trial this process owns from its cache: a
  // trial claimed twice reads RUNNING there unless the other claimant is a thread of this process
  // (one cache, which takes its state write; the model reads the store). 3.2+ read unfinished
  // trials from the backend. Only a store preset claims racily, so such a trial always has one.
  bool reads_cached_copy(int number) const {
    SIM_ASSERT(run_.preset != nullptr);
    if (run_.preset->profile != ClientProfile::kOptuna31 || !caches_reads(run_.spec.store_kind)) return false;
    return std::count(proc_.popped.begin(), proc_.popped.end(), number) < 2;
  }

  // Optuna 3.1's _CachedStorage (RDB presets) INSERTs a name's first param row of the process.
  bool inserts_first_param_write() const {
    return run_.preset != nullptr && run_.preset->profile == ClientProfile::kOptuna31 &&
           caches_reads(run_.spec.store_kind);
  }

  // The policy's before_ask hook, waiting while it says wait: for the store change or deadline it
  // names (event-driven), else for its polling interval. nullopt: nothing left to do.
  std::optional<WorkCheck> policy_check() {
    for (std::int64_t polls = 0; polls < kMaxPolls; ++polls) {
      WorkCheck check = proc_.sampler->before_ask(client_);
      if (check.kind == WorkCheck::Kind::kDone) return std::nullopt;
      if (check.kind == WorkCheck::Kind::kWork) return check;
      if (check.on_claims_change) {
        client_.wait_for_claims_change(check.on_claims_change->seen, check.on_claims_change->until_us);
        continue;
      }
      SIM_ASSERT(check.wait_us > 0);
      client_.sleep_for(check.wait_us);
    }
    throw SimulationLimitExceeded(fmt::format("a worker polled {} times for work", kMaxPolls));
  }

  // Optuna's fail_stale_trials (heartbeat on), then RetryFailedTrialCallback for each failed trial.
  void fail_stale_trials() {
    const std::vector<int> stale = client_.get_stale_trials(run_.spec.faults.effective_grace_us());
    for (int number : stale) {
      if (!client_.set_trial_state(number, TrialState::kFail)) continue;  // another worker did
      record(TraceKind::kFault, number, trace_code(Fault::kStaleTrialFailed), number);
      for (auto it = run_.out.evaluation_log.rbegin(); it != run_.out.evaluation_log.rend(); ++it) {
        if (it->trial == number) {
          touch(SharedObject::kEvaluationLog, it->combination, true);
          it->state = TrialState::kFail;
          break;
        }
      }
      if (run_.spec.faults.retry_failed) {
        const TrialRecord failed = client_.get_trial(number);
        client_.create_waiting_copy(failed, "failed_trial", number);
      }
    }
  }

  // The objective's time, from now until `end_us`, with the trial's heartbeat thread beside it
  // (Optuna's `_record_heartbeat`: write, then wait `interval` on the stop event; sim/faults.h).
  // The objective is a timer, so one fiber runs both: the thread's writes in order, the objective's
  // end as the stop event. It returns at `end_us` if the thread was waiting then, after the
  // in-flight write's response if one was under way (the join), or at `dies_at_us` if the process
  // dies first. The thread starts here, at the evaluation start, after the objective's suggests
  // (Optuna starts it just before the objective function, whose suggests then run beside it).
  //
  // A stall (sim/faults.h) is the window [at_us, at_us + for_us) inside the objective, whose end
  // `end_us` already includes it: nothing of the worker runs in it. A beat due in it is written at
  // its end (a beat in flight when it starts completes: the model has no interruptible waits).
  struct StallWindow {
    VirtualTime at_us = 0;
    VirtualTime for_us = 0;
  };
  void objective_time(int number, VirtualTime end_us, std::optional<VirtualTime> dies_at_us,
                      std::optional<StallWindow> stall = std::nullopt) {
    const VirtualTime stop_us = dies_at_us ? std::min(*dies_at_us, end_us) : end_us;
    // The stall's start, once (it is traced at its instant); false once noted or if never reached.
    bool stall_pending = stall && stall->at_us < stop_us;
    const auto note_stall = [&] {
      client_.sleep_until(std::max(stall->at_us, client_.now_us()));
      record(TraceKind::kFault, number, trace_code(Fault::kStall), stall->for_us);
      stall_pending = false;
    };
    if (heartbeat_interval_us_ <= 0) {
      if (stall_pending) note_stall();
      client_.sleep_until(stop_us);
      return;
    }
    if (lazy_lease_) {  // the beats as a schedule the store evaluates when a lease is read
      StudyStore::BeatSchedule beats;
      beats.start_us = client_.now_us();
      beats.interval_us = heartbeat_interval_us_;
      beats.stop_us = stop_us;
      if (stall_pending) {
        beats.stall_at_us = stall->at_us;
        beats.resume_us = stall->at_us + stall->for_us;
      }
      beats.clock = clock_;
      run_.store.set_beat_schedule(number, beats);
      touch(SharedObject::kLiveness, number, true);
      if (stall_pending) note_stall();
      client_.sleep_until(stop_us);
      return;
    }
    VirtualTime next_beat_us = client_.now_us();
    for (std::int64_t beats = 0; beats < kMaxPolls; ++beats) {
      if (stall_pending && stall->at_us <= next_beat_us) {
        note_stall();
        const VirtualTime resume_us = stall->at_us + stall->for_us;
        if (next_beat_us < resume_us) next_beat_us = resume_us;  // the thread was paused too
      }
      if (next_beat_us >= stop_us) {
        client_.sleep_until(stop_us);  // dies, or the stop event wakes the waiting thread
        return;
      }
      client_.sleep_until(next_beat_us);
      switch (heartbeat_client_.record_heartbeat(number, dies_at_us)) {
        case StoreClient::Beat::kDied: return;
        case StoreClient::Beat::kRaised:  // the thread is gone; the objective runs on
          client_.sleep_until(std::max(stop_us, client_.now_us()));
          return;
        case StoreClient::Beat::kOk: break;
      }
      if (client_.now_us() >= end_us) return;  // joined after the in-flight write
      next_beat_us = client_.now_us() + heartbeat_interval_us_;
    }
    throw SimulationLimitExceeded(fmt::format("a heartbeat thread wrote {} times in one objective", kMaxPolls));
  }

  // The value the objective gets for sorted grid parameter `p`, as Trial._suggest decides it: a
  // fixed param (enqueued) without asking the sampler; otherwise the sampler's. A param the trial
  // already has (a retry copy's) wins over the sampler's value; the model still pays the sampler's
  // read and the write (the real reuses it without storage calls; timing approximation). nullopt:
  // the trial fails (ctx.raised says with what).
  std::optional<int> suggest(TrialContext& trial, int p) {
    const auto pi = static_cast<std::size_t>(p);
    std::optional<int> v;
    if (!trial.snapshot.fixed_params.empty() && trial.snapshot.fixed_params[pi] >= 0) {
      v = trial.snapshot.fixed_params[pi];
    } else {
      v = proc_.sampler->suggest(trial, p);
      // nullopt: the trial fails; ctx.raised names the exception (kNone: a coordination policy's
      // failure that its own code handles, which ends no process).
      if (!v) return std::nullopt;
      // Trial._suggest returns a param the trial already has (a retry copy's) without using the
      // sampler's value. Only for samplers that name their points (Optuna's GridSampler: label =
      // grid_id); the coordination fixes evaluate the point they claimed, as they always have.
      if (trial.label >= 0 && trial.snapshot.params.size() > pi && trial.snapshot.params[pi] >= 0) {
        v = trial.snapshot.params[pi];
      }
    }
    SIM_ASSERT(*v >= 0 && *v < run_.grid.params()[pi].value_count);
    client_.client_step(ClientStep::kSuggest);
    // A trial two workers claimed (SQLite): the storage refuses the param write inside the
    // objective, so the trial fails here. When the other claimant finished it (check_trial_is_updatable:
    // RuntimeError, 4.3+ UpdateFinishedTrialError) tell then raises (see tell). In 3.1 a name this
    // process has not written yet is INSERTed (_check_and_set_param_distribution, no such check):
    // IntegrityError if the other claimant's row is there, finished or not. Not modelled: the
    // refusal after a stale-trial false positive (heartbeat), where the real storage raises too;
    // the model writes on.
    if (proc_.params_written.empty()) proc_.params_written.assign(static_cast<std::size_t>(run_.grid.param_count()), 0);
    // The cache's lock covers the whole call, insert included: a thread of this process coming
    // after the first writer of a name finds it written (unless that insert failed).
    const bool insert = inserts_first_param_write() && proc_.params_written[pi] == 0;
    proc_.params_written[pi] = 1;
    switch (client_.set_trial_param(trial.number, p, *v, insert)) {
      case StoreClient::ParamWrite::kWritten: break;
      case StoreClient::ParamWrite::kTrialFinished: trial.raised = PyError::kTrialAlreadyFinished; return std::nullopt;
      case StoreClient::ParamWrite::kDuplicate:
        proc_.params_written[pi] = 0;
        trial.raised = PyError::kDuplicateParamInsert;
        return std::nullopt;
    }
    return v;
  }

  TrialState objective(TrialContext& trial) {
    eval_index_ = -1;
    const int call = ++proc_.objective_calls;
    const GridSpace& grid = run_.grid;
    std::vector<int> values(static_cast<std::size_t>(grid.param_count()), -1);
    for (int p : run_.objective.params) {
      if (p < 0) {  // a name outside the grid: GridSampler.sample_independent raises ValueError
        trial.raised = PyError::kParamNotInGrid;
        return TrialState::kFail;
      }
      const std::optional<int> v = suggest(trial, p);
      if (!v) return TrialState::kFail;  // the sampler (or the storage) raised: the trial fails
      values[static_cast<std::size_t>(p)] = *v;
    }
    Evaluation e;
    e.trial = trial.number;
    e.worker = worker_;
    e.process = proc_.index;
    e.combination = metrics_combination(values);
    touch(SharedObject::kTrialRow, trial.number, false);
    e.grid_id = trial.label;
    e.claim_epoch = trial.claim_epoch;
    e.start_us = client_.now_us();
    record(TraceKind::kObjectiveStart, trial.number, e.combination, e.grid_id);
    eval_index_ = static_cast<std::int64_t>(run_.out.evaluation_log.size());
    touch(SharedObject::kEvaluationLog, e.combination, true);  // its order decides the repeat
    run_.out.evaluation_log.push_back(e);

    VirtualTime duration_us = run_.spec.objective_duration.sample(objective_stream_);
    std::optional<VirtualTime> dies_at_us;
    const ScheduledEvent* kill = scheduled(run_.spec.crash_at, call);
    if (kill != nullptr) {
      // A deterministic kill `after` into the call, whatever the objective's duration would be; it
      // draws nothing from the fault streams (no slow factor, crash or stall).
      duration_us = kill->after_us;
      dies_at_us = client_.now_us() + kill->after_us;
    } else if (faults_) {
      duration_us *= faults_->slow_factor();
      touch(SharedObject::kCrashBudget, 0, false);
      if (run_.faults->crash_budget > 0 && faults_->crash_now(client_.now_us())) {
        touch(SharedObject::kCrashBudget, 0, true);
        --run_.faults->crash_budget;
        dies_at_us = client_.now_us() + faults_->crash_after_us(duration_us);
      }
    }
    std::optional<StallWindow> stall;
    if (faults_ && kill == nullptr) {
      if (auto st = faults_->stall_now(client_.now_us(), duration_us)) {
        stall = StallWindow{client_.now_us() + st->after_us, st->for_us};
        if (dies_at_us && *dies_at_us >= stall->at_us) *dies_at_us += st->for_us;  // dies after it resumes
        duration_us += st->for_us;
      }
    }
    objective_time(trial.number, client_.now_us() + duration_us, dies_at_us, stall);
    if (dies_at_us) crashed(trial.number, e.combination);

    Evaluation& done = run_.out.evaluation_log[static_cast<std::size_t>(eval_index_)];
    touch(SharedObject::kEvaluationLog, done.combination, true);
    done.end_us = client_.now_us();
    TrialState state = TrialState::kComplete;
    if (scheduled(run_.spec.objective.fail, call) != nullptr) {
      trial.raised = PyError::kObjectiveRaised;
      state = TrialState::kFail;
    } else if (faults_ && faults_->objective_fails(client_.now_us())) {
      record(TraceKind::kFault, trial.number, trace_code(Fault::kObjectiveFail), done.combination);
      state = TrialState::kFail;
    } else if (run_.spec.objective.prune_every > 0 && call % run_.spec.objective.prune_every == 0) {
      state = TrialState::kPruned;  // the objective raised TrialPruned
    }
    done.state = state;
    return state;
  }

  // Canonical combination of the suggested values in the objective's metrics space.
  std::int64_t metrics_combination(const std::vector<int>& grid_values) const {
    const ObjectivePlan& plan = run_.objective;
    std::vector<int> v(plan.grid_param_of.size());
    for (std::size_t q = 0; q < v.size(); ++q) {
      v[q] = grid_values[static_cast<std::size_t>(plan.grid_param_of[q])];
    }
    return plan.space.combination_of(v);
  }

  // The entry of `events` for this process's `call`-th objective call, if any.
  const ScheduledEvent* scheduled(const std::vector<ScheduledEvent>& events, int call) const {
    for (const ScheduledEvent& s : events) {
      if (s.process == proc_.index && s.call == call) return &s;
    }
    return nullptr;
  }

  // The process died partway through the objective (now): its trial stays RUNNING and its
  // heartbeat thread died with it, so the trial's heartbeat row ages from its last write. Nothing
  // tells the store: other workers judge it only by that row (sim/study_store.h).
  [[noreturn]] void crashed(int number, std::int64_t combination) {
    touch(SharedObject::kEvaluationLog, combination, true);
    run_.out.evaluation_log[static_cast<std::size_t>(eval_index_)].end_us = client_.now_us();
    record(TraceKind::kFault, number, trace_code(Fault::kCrash), combination);
    throw WorkerCrashed{};
  }

  void check_trial_limit() {
    touch(SharedObject::kTrialTable, 0, false);
    if (run_.store.n_trials() >= run_.spec.limits.max_trials_per_run) {
      throw SimulationLimitExceeded(fmt::format(
          "the study reached {} trials, the scenario's run.max_trials limit; raise it in the scenario's [run] table, "
          "e.g. max_trials = {}, if the study needs more trials (one that never stops reaches any limit)",
          run_.spec.limits.max_trials_per_run,
          2 * std::min(run_.spec.limits.max_trials_per_run, std::numeric_limits<std::int64_t>::max() / 2)));
    }
  }

  // The process's loop ends with `error` (counted once per process; its other threads stop before
  // their next trial, as optimize re-raises once its executor returns).
  void raise_in_process(PyError error) {
    if (proc_.error != PyError::kNone) return;
    proc_.error = error;
    ++run_.out.process_errors[static_cast<std::size_t>(error)];
    record(TraceKind::kProcessError, -1, static_cast<std::int64_t>(error), 0);
  }

  void set_stop_flag(StopCause cause) {
    proc_.stop_flag = true;
    record(TraceKind::kStopFlag, -1, static_cast<std::int64_t>(cause), proc_.index);
  }

  void record(TraceKind kind, int trial, std::int64_t a, std::int64_t b) {
    run_.trace.record({run_.engine.now_us(), worker_, kind, trial, a, b, {}});
  }

  // Reports an access to state shared with other workers (sim/step_observer.h).
  void touch(SharedObject object, std::int64_t id, bool write) { run_.trace.access(object, id, write); }

  RunShared& run_;
  ProcessState& proc_;
  const WorkerGroup& group_;
  int thread_;
  WorkerId worker_;
  StoreClient client_;
  StoreClient heartbeat_client_;  // the heartbeat thread's connection
  RandomStream objective_stream_;
  std::optional<WorkerFaults> faults_;
  ProcessClock clock_;  // this process's clock (clock-skew fault); identity without
  bool trial_heartbeat_ = false;           // scenario heartbeat on: run fail_stale_trials
  VirtualTime heartbeat_interval_us_ = 0;  // 0: this worker does not heart-beat
  bool lazy_lease_ = false;                // its beats are a StudyStore::BeatSchedule, not writes
  std::int64_t trials_run_ = 0;
  std::int64_t eval_index_ = -1;
};

}  // namespace

std::vector<int> sorted_params(const GridSpace& grid, const std::vector<int>& file_order) {
  std::vector<int> sorted(static_cast<std::size_t>(grid.param_count()), -1);
  for (int p = 0; p < grid.param_count(); ++p) {
    const auto f = static_cast<std::size_t>(grid.params()[static_cast<std::size_t>(p)].file_position);
    if (f < file_order.size()) sorted[static_cast<std::size_t>(p)] = file_order[f];
  }
  return sorted;
}

ObjectivePlan objective_plan(const ScenarioSpec& spec, const GridSpace& grid) {
  std::vector<std::string> names = spec.objective.params;
  if (names.empty()) {
    for (const GridParam& p : spec.grid) names.push_back(p.name);
  }
  ObjectivePlan plan;
  const auto grid_index = [&grid](const std::string& name) {
    for (int p = 0; p < grid.param_count(); ++p) {
      if (grid.params()[static_cast<std::size_t>(p)].name == name) return p;
    }
    return -1;
  };
  for (const std::string& name : names) plan.params.push_back(grid_index(name));
  plan.space = objective_space_of(spec);
  for (const GridSpace::Param& q : plan.space.params()) plan.grid_param_of.push_back(grid_index(q.name));
  return plan;
}

void run_optimize_worker(RunShared& run, int process, int thread, WorkerId worker) {
  WorkerLoop(run, process, thread, worker).run();
}

void run_enqueuer(RunShared& run, std::size_t index, WorkerId worker) {
  const EnqueueSpec& e = run.spec.enqueued[index];
  StoreClient client(run.engine, run.store, run.trace, worker,
                     StoreLatency{run.spec.request_latency, run.spec.response_latency, run.spec.request_latency_by_op,
                                  run.spec.write_service},
                     RandomStream::derive(run.run_seed, StreamPurpose::kStoreLatency, static_cast<std::uint64_t>(worker)));
  if (run.preset != nullptr) client.attach_preset(*run.preset, e.process);
  client.enqueue_trial(sorted_params(run.grid, e.params));
  run.out.store_ops += client.ops();
  client.thread_exit();
}

void WorkerDriver::run_enqueuer(RunShared& run, std::size_t index, WorkerId worker) { samplersim::run_enqueuer(run, index, worker); }
int WorkerDriver::extra_threads(const WorkerGroup& /*group*/) const { return 0; }

}  // namespace samplersim
