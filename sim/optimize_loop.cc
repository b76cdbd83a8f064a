#include "sim/optimize_loop.h"
#include "sim/invariant.h"

#include <cassert>
#include <fmt/format.h>

namespace samplersim {

namespace {

// Thrown inside a worker fiber when it crashes; caught at the top of the fiber.
struct WorkerCrashed {};
constexpr std::int64_t kMaxPolls = 10'000'000;
// `b` of the heartbeat thread's latency and cost streams (run seed, kStoreLatency / kStoreCost, worker, b);
// 0 is the worker's.
constexpr std::uint64_t kHeartbeatConnection = 1;

class OptimizeWorker {
 public:
  OptimizeWorker(RunShared& run, int process, int thread, WorkerId worker)
      : run_(run), proc_(run.processes[static_cast<std::size_t>(process)]), thread_(thread),
        worker_(worker),
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
    if (trial_heartbeat_ || proc_.sampler->wants_heartbeat()) {
      heartbeat_interval_us_ = f.heartbeat() ? f.heartbeat_interval_us : kDefaultLeaseHeartbeatUs;
    }
  }

  void run() {
    record(TraceKind::kWorkerStart, -1, proc_.index, thread_);
    if (!clock_.identity()) record(TraceKind::kFault, -1, trace_code(Fault::kClockSkew), clock_.offset_us);
    StopReason reason = StopReason::kCrashed;
    try {
      reason = loop();
    } catch (const WorkerCrashed&) {
      reason = StopReason::kCrashed;
    }
    record(TraceKind::kWorkerStop, -1, trials_run_, static_cast<std::int64_t>(reason));
    run_.out.store_ops += client_.ops() + heartbeat_client_.ops();
    client_.thread_exit();
  }

 private:
  StopReason loop() {
    for (;;) {
      if (run_.spec.threads > 1) {  // _optimize: every job reseeds (numpy: os.urandom, GIL released)
        client_.client_step(ClientStep::kJobStart);
        client_.client_step(ClientStep::kReseedNative);
        proc_.sampler->reseed_rng();
      }
      if (proc_.stop_flag) return StopReason::kStopFlag;
      if (run_.spec.n_trials && proc_.submitted >= *run_.spec.n_trials) return StopReason::kNTrials;
      touch(SharedObject::kTrialTable, 0, false);
      if (run_.store.n_trials() >= run_.spec.limits.max_trials_per_run) {
        throw SimulationLimitExceeded(fmt::format(
            "the study reached {} trials, the scenario's run.max_trials limit",
            run_.spec.limits.max_trials_per_run));
      }
      ++proc_.submitted;
      if (!run_trial()) return StopReason::kPolicyDone;
      ++trials_run_;
    }
  }

  // One trial; false if the policy said there is nothing left to do (no trial was run).
  bool run_trial() {
    if (trial_heartbeat_) fail_stale_trials();
    client_.client_step(ClientStep::kAsk);
    std::optional<WorkCheck> check = policy_check();
    if (!check) return false;

    // study.ask() (unless the policy already popped its trial)
    int number = -1;
    if (check->trial) {
      number = *check->trial;
    } else if (auto popped = client_.pop_waiting_trial()) {
      number = *popped;
    } else {
      number = client_.create_trial();
    }
    // Trial.__init__: read the trial once, then the sampler's grid step.
    TrialContext trial{client_, number, client_.get_trial_view(number)};
    client_.client_step(ClientStep::kTrialInit);
    proc_.sampler->before_trial(trial);

    // The objective: one suggest per dimension (file order), then its duration.
    TrialState state = objective(trial);

    // tell: after_trial sees the trial still RUNNING; the state write is in its `finally`.
    trial.snapshot = client_.get_trial_view(number);
    const bool stop = proc_.sampler->after_trial(trial, state);
    if (stop) set_stop_flag(StopCause::kSampler);
    state = proc_.sampler->on_tell(trial, state);
    SIM_ASSERT(is_finished(state));
    client_.set_trial_state(number, state);
    client_.client_step(ClientStep::kTell);
    if (eval_index_ >= 0) {
      Evaluation& e = run_.out.evaluation_log[static_cast<std::size_t>(eval_index_)];
      touch(SharedObject::kEvaluationLog, e.combination, true);
      e.state = state;
    }
    record(TraceKind::kObjectiveEnd, number, static_cast<std::int64_t>(state),
           eval_index_ >= 0 ? run_.out.evaluation_log[static_cast<std::size_t>(eval_index_)].combination : -1);

    // MaxTrialsCallback(n, states): counts the whole study, stops this process only.
    if (run_.spec.max_trials) {
      const StateMask states = run_.spec.max_trials_states;
      const std::int64_t n = client_.get_all_trials([states](const StudyStore& s) { return s.count(states); });
      if (n >= *run_.spec.max_trials) set_stop_flag(StopCause::kMaxTrialsCallback);
    }
    return true;
  }

  // The policy's before_ask hook, polling while it says wait. nullopt: nothing left to do.
  std::optional<WorkCheck> policy_check() {
    for (std::int64_t polls = 0; polls < kMaxPolls; ++polls) {
      WorkCheck check = proc_.sampler->before_ask(client_);
      if (check.kind == WorkCheck::Kind::kDone) return std::nullopt;
      if (check.kind == WorkCheck::Kind::kWork) return check;
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

  TrialState objective(TrialContext& trial) {
    eval_index_ = -1;
    const GridSpace& grid = run_.grid;
    std::vector<int> values(static_cast<std::size_t>(grid.param_count()), -1);
    // suggest in the order the objective lists the dimensions (file order)
    for (int f = 0; f < grid.param_count(); ++f) {
      const int p = sorted_index_of_file_position(f);
      const std::optional<int> v = proc_.sampler->suggest(trial, p);
      if (!v) return TrialState::kFail;  // the sampler raised: the trial fails
      SIM_ASSERT(*v >= 0 && *v < grid.params()[static_cast<std::size_t>(p)].value_count);
      client_.client_step(ClientStep::kSuggest);
      client_.set_trial_param(trial.number, p, *v);
      values[static_cast<std::size_t>(p)] = *v;
    }
    Evaluation e;
    e.trial = trial.number;
    e.worker = worker_;
    e.process = proc_.index;
    e.combination = grid.combination_of(values);
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
    if (faults_) {
      duration_us *= faults_->slow_factor();
      touch(SharedObject::kCrashBudget, 0, false);
      if (run_.faults->crash_budget > 0 && faults_->crash_now(client_.now_us())) {
        touch(SharedObject::kCrashBudget, 0, true);
        --run_.faults->crash_budget;
        dies_at_us = client_.now_us() + faults_->crash_after_us(duration_us);
      }
    }
    std::optional<StallWindow> stall;
    if (faults_) {
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
    if (faults_ && faults_->objective_fails(client_.now_us())) {
      record(TraceKind::kFault, trial.number, trace_code(Fault::kObjectiveFail), done.combination);
      done.state = TrialState::kFail;
      return TrialState::kFail;
    }
    done.state = TrialState::kComplete;
    return TrialState::kComplete;
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

  int sorted_index_of_file_position(int f) const {
    const auto& params = run_.grid.params();
    for (int p = 0; p < static_cast<int>(params.size()); ++p) {
      if (params[static_cast<std::size_t>(p)].file_position == f) return p;
    }
    SIM_ASSERT(false && "file position without a parameter");
    return 0;
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
  int thread_;
  WorkerId worker_;
  StoreClient client_;
  StoreClient heartbeat_client_;  // the heartbeat thread's connection
  RandomStream objective_stream_;
  std::optional<WorkerFaults> faults_;
  ProcessClock clock_;  // this process's clock (clock-skew fault); identity without
  bool trial_heartbeat_ = false;           // scenario heartbeat on: run fail_stale_trials
  VirtualTime heartbeat_interval_us_ = 0;  // 0: this worker does not heart-beat
  std::int64_t trials_run_ = 0;
  std::int64_t eval_index_ = -1;
};

}  // namespace

void run_optimize_worker(RunShared& run, int process, int thread, WorkerId worker) {
  OptimizeWorker(run, process, thread, worker).run();
}

}  // namespace samplersim
