#include "real/worker_link.h"

#include <algorithm>
#include <mutex>
#include <set>
#include <string_view>
#include <utility>

#include <fmt/format.h>
#include <pybind11/embed.h>

#include "sim/invariant.h"

namespace py = pybind11;

namespace samplersim::real {

namespace {

thread_local WorkerLink* tl_current = nullptr;
// A parked worker's wake-up time: never, unless another worker wakes it (past any run's time limit,
// so a worker nobody wakes ends the run with SimulationLimitExceeded rather than a hang).
constexpr VirtualTime kParkedUntilUs = kNeverUs;
// Calls one worker may make into the engine before the run is declared runaway (each call is a
// yield point, so the engine's own step limit normally stops a runaway first).
constexpr std::int64_t kMaxCalls = 100'000'000;

// `message` as Python printed it is `pattern` (a sim/python_error.h message) with each `<...>`
// placeholder standing for one non-empty piece of text (e.g. "ValueError: The parameter name,
// <name>, is not found in the given grid.").
bool message_matches(std::string_view pattern, std::string_view message) {
  const std::size_t open = pattern.find('<');
  const std::size_t close = open == std::string_view::npos ? open : pattern.find('>', open);
  if (close == std::string_view::npos) return pattern == message;
  const std::string_view head = pattern.substr(0, open);
  const std::string_view rest = pattern.substr(close + 1);
  if (message.substr(0, head.size()) != head) return false;
  // The placeholder takes at least one character; try each split (messages are short).
  for (std::size_t at = head.size() + 1; at <= message.size(); ++at) {
    if (message_matches(rest, message.substr(at))) return true;
  }
  return false;
}

}  // namespace

WorkerLink::WorkerLink(RunShared& run, int process, int thread, WorkerId worker, py::object body,
                       RandomStream* entropy)
    : run_(run), process_(process), thread_index_(thread), worker_(worker), body_(std::move(body)),
      entropy_(entropy),
      client_(run.engine, run.store, run.trace, worker,
              StoreLatency{run.spec.request_latency, run.spec.response_latency,
                           run.spec.request_latency_by_op, run.spec.write_service},
              RandomStream::derive(run.run_seed, StreamPurpose::kStoreLatency, static_cast<std::uint64_t>(worker))),
      // The model's heartbeat connection: its own latency stream (b = 1, sim/optimize_loop.cc).
      heartbeat_client_(run.engine, run.store, run.trace, worker,
                        StoreLatency{run.spec.request_latency, run.spec.response_latency,
                                     run.spec.request_latency_by_op, run.spec.write_service},
                        RandomStream::derive(run.run_seed, StreamPurpose::kStoreLatency,
                                             static_cast<std::uint64_t>(worker), 1)),
      objective_stream_(RandomStream::derive(run.run_seed, StreamPurpose::kObjectiveTime,
                                             static_cast<std::uint64_t>(worker))) {
  if (run.faults != nullptr) {
    faults_.emplace(*run.faults, run.run_seed, worker);
    heartbeat_client_.set_faults(&*faults_);  // it draws only the heartbeat thread's errors
    // The process's clock stamps heartbeats and judges staleness (sim/faults.h clock skew).
    const ProcessClock clock = process_clock(*run.faults, run.run_seed, process);
    client_.set_clock(clock);
    heartbeat_client_.set_clock(clock);
  }
  // Optuna 3.1 beats only inside study.optimize (_run_trial's get_heartbeat_thread); an
  // ask-and-tell script gets no heartbeat thread (the driver refuses that combination).
  const WorkerGroup& group = run.groups[static_cast<std::size_t>(run.processes[static_cast<std::size_t>(process)].group)];
  if (group.loop.kind == LoopKind::kOptimize) heartbeat_interval_us_ = run.spec.faults.heartbeat_interval_us;
}

WorkerLink::~WorkerLink() {
  if (thread_.joinable()) abort_and_join();
  if (body_) {
    py::gil_scoped_acquire gil;
    body_ = py::object();
  }
}

WorkerLink* WorkerLink::current() { return tl_current; }

void WorkerLink::record(TraceKind kind, int trial, std::int64_t a, std::int64_t b) {
  run_.trace.record({run_.engine.now_us(), worker_, kind, trial, a, b, {}});
}

// ---------------------------------------------------------------- the engine fiber's side

void WorkerLink::run() {
  record(TraceKind::kWorkerStart, -1, process_, thread_index_);
  thread_ = std::thread([this] { thread_main(); });
  try {
    serve();
  } catch (...) {
    abort_and_join();
    throw;
  }
  thread_.join();
  constexpr std::string_view kRaisedPrefix = "raised:";
  if (error_.empty() && result_.rfind(kRaisedPrefix, 0) == 0) {
    // An exception escaped optimize: the process dies with it, as in the model, if it is one the
    // model knows (sim/python_error.h, by its exact message); any other is a failed run.
    const std::string_view message = std::string_view(result_).substr(kRaisedPrefix.size());
    for (const PyErrorInfo& info : kPyErrors) {
      if (info.error != PyError::kNone && message_matches(info.message, message)) raised_ = info.error;
    }
    if (raised_ == PyError::kNone) error_ = std::string(message);
  }
  if (!error_.empty()) throw std::runtime_error(fmt::format("real:optuna worker {}: {}", worker_, error_));
  StopReason reason = StopReason::kNTrials;
  if (raised_ != PyError::kNone) {
    ProcessState& proc = run_.processes[static_cast<std::size_t>(process_)];
    if (proc.error == PyError::kNone) {  // counted once per process, as the model's raise_in_process does
      proc.error = raised_;
      ++run_.out.process_errors[static_cast<std::size_t>(raised_)];
      record(TraceKind::kProcessError, -1, static_cast<std::int64_t>(raised_), 0);
    }
    reason = StopReason::kRaised;
  } else if (result_ == "crashed") {
    reason = StopReason::kCrashed;
  } else if (result_ == "stop_flag") {
    reason = StopReason::kStopFlag;
  }
  record(TraceKind::kWorkerStop, -1, trials_run_, static_cast<std::int64_t>(reason));
  run_.out.store_ops += client_.ops();
}

WorkerLink::Request WorkerLink::exchange() {
  baton_.to_worker_and_wait();
  return request_;
}

void WorkerLink::serve() {
  Request r = exchange();
  for (std::int64_t calls = 0; r.call != Call::kDone; ++calls) {
    if (calls >= kMaxCalls) {
      throw SimulationLimitExceeded(fmt::format("a real:optuna worker made {} calls", kMaxCalls));
    }
    switch (r.call) {
      case Call::kSleep: run_.engine.sleep_for(r.a); break;
      case Call::kStoreBegin: serve_store_op(static_cast<StoreOp>(r.op)); break;
      case Call::kObjective: reply_ = run_objective(r.trial); break;
      case Call::kGetStaleTrials:
        stale_reply_ = client_.get_stale_trials(run_.spec.faults.effective_grace_us());
        break;
      case Call::kPark: run_.engine.sleep_until(kParkedUntilUs); break;
      case Call::kWake: {
        const auto w = static_cast<WorkerId>(r.a);
        if (w == worker_ || w < 0 || static_cast<std::size_t>(w) >= run_.engine.worker_count() || !run_.engine.is_waiting(w)) {
          throw std::logic_error("real:optuna: a worker woke a worker that does not wait");
        }
        run_.engine.reschedule(w, run_.engine.now_us());
        break;
      }
      case Call::kStopErrorSwallowed:
        ++run_.out.stop_errors_swallowed;
        record(TraceKind::kProcessError, r.trial, static_cast<std::int64_t>(PyError::kStopOutsideOptimize), 1);
        break;
      default: throw std::logic_error("real:optuna: a worker broke the bridge protocol");
    }
    r = exchange();
  }
  done_ = true;
}

void WorkerLink::serve_store_op(StoreOp op) {
  client_.perform(op, [&](StudyStore& store) {
    const Request end = exchange();  // the thread applies the operation now, then calls end()
    if (end.call != Call::kStoreEnd || end.op != static_cast<int>(op)) {
      throw std::logic_error("real:optuna: a store operation did not end where it began");
    }
    mirror(store, op, end);
  });
}

namespace {

// Keys of attributes the real library wrote, kept for the life of the process: the trace holds
// string_views of them (StoreClient::record_op). Bounded: past the bound, keys are traced as "…".
std::string_view interned_key(const std::string& key) {
  static std::mutex mutex;
  static std::set<std::string, std::less<>> keys;
  constexpr std::size_t kMaxKeys = 4096;
  std::lock_guard<std::mutex> lock(mutex);
  auto it = keys.find(key);
  if (it != keys.end()) return *it;
  if (keys.size() >= kMaxKeys) return "…";
  return *keys.insert(key).first;
}

// The store's record of a trial the real library enqueued: `key` is "fixed_params=i,j,..." (a value
// index per grid parameter in sorted-name order, -1 = not fixed), as StoreClient::enqueue_trial
// writes it.
TrialRecord enqueued_trial(const std::string& key, VirtualTime now) {
  constexpr std::string_view kPrefix = "fixed_params=";
  if (key.rfind(kPrefix, 0) != 0) throw std::logic_error("real:optuna: an enqueued trial without fixed params");
  TrialRecord t;
  t.state = TrialState::kWaiting;
  t.created_us = now;
  std::size_t at = kPrefix.size();
  while (at <= key.size()) {
    const std::size_t comma = std::min(key.find(',', at), key.size());
    t.fixed_params.push_back(std::stoi(key.substr(at, comma - at)));
    at = comma + 1;
  }
  t.system_attrs.emplace_back("fixed_params", 1);
  return t;
}

}  // namespace

// The operation's effect on samplersim's StudyStore (for metrics and checks) and its trace line.
void WorkerLink::mirror(StudyStore& store, StoreOp op, const Request& end) {
  const VirtualTime now = run_.engine.now_us();
  if (!end.ok) {  // the real storage raised: nothing changed
    client_.record_op(op, end.trial, -1);
    return;
  }
  switch (op) {
    case StoreOp::kCreateTrial: {
      if (end.b == 3) {  // RetryFailedTrialCallback: "failed_trial=<original>,<the trial that just failed>"
        constexpr std::string_view kPrefix = "failed_trial=";
        const std::size_t comma = end.key.find(',');
        if (end.key.rfind(kPrefix, 0) != 0 || comma == std::string::npos) {
          throw std::logic_error("real:optuna: a retry copy without its failed trial");
        }
        const int original = std::stoi(end.key.substr(kPrefix.size(), comma - kPrefix.size()));
        const TrialRecord from = store.trial(std::stoi(end.key.substr(comma + 1)));  // a copy: creating moves records
        const int number = store.create_trial_copy(from, TrialState::kWaiting, now);
        SIM_ASSERT(number == end.a);
        store.set_system_attr(number, "failed_trial", original);
        client_.record_op(op, number, 1);  // as the model's StoreClient::create_waiting_copy traces it
        return;
      }
      if (end.b == 2) {  // enqueue_trial: a WAITING trial with its fixed params (optuna_bridge.py)
        const int number = store.add_trial(enqueued_trial(end.key, now));
        SIM_ASSERT(number == end.a);
        client_.record_op(op, number, 2);  // as the model's StoreClient::enqueue_trial traces it
        return;
      }
      const int number = store.create_trial(TrialState::kRunning, worker_, now);
      SIM_ASSERT(number == end.a);
      ++trials_run_;
      client_.record_op(op, number, 0);
      return;
    }
    case StoreOp::kClaimWaiting: {
      const bool claimed = end.a == 1 && store.claim_waiting(end.trial, worker_, now);
      SIM_ASSERT(claimed == (end.a == 1));
      if (claimed) ++trials_run_;
      client_.record_op(op, end.trial, claimed ? 1 : 0);
      return;
    }
    case StoreOp::kSetTrialSystemAttr: {
      const std::string_view key = interned_key(end.key);
      if (end.a == 1) store.set_system_attr(end.trial, key, end.b);
      client_.record_op(op, end.trial, end.b, key);
      return;
    }
    case StoreOp::kSetTrialParam:
      store.set_param(end.trial, static_cast<int>(end.a), static_cast<int>(end.b));
      client_.record_op(op, end.trial, end.a * 1000003LL + end.b);
      return;
    case StoreOp::kSetTrialState: {
      const auto state = static_cast<TrialState>(end.b);
      const bool written = end.a == 1 && store.set_state(end.trial, state, now);
      SIM_ASSERT(written == (end.a == 1));
      client_.record_op(op, end.trial, end.b * 2 + (written ? 1 : 0));
      if (written) on_state_written(end.trial, state);
      return;
    }
    case StoreOp::kGetStudyAttr:
    case StoreOp::kStudyAttrInsertIfAbsent:
      client_.record_op(op, -1, 0, interned_key(end.key));
      return;
    default:  // reads: get_trial, get_all_trials, the WAITING list
      client_.record_op(op, end.trial, end.a);
      return;
  }
}

// tell's state write ends the evaluation this worker started for `trial` (as the model's loops do).
void WorkerLink::on_state_written(int trial, TrialState state) {
  const auto it = std::find_if(untold_.begin(), untold_.end(), [trial](const auto& u) { return u.first == trial; });
  if (it == untold_.end()) {
    // Another worker's trial: fail_stale_trials failed it (its heartbeat row went stale), as the
    // model's WorkerLoop::fail_stale_trials records it.
    if (run_.store.trial(trial).worker == worker_ || state != TrialState::kFail) return;
    record(TraceKind::kFault, trial, trace_code(Fault::kStaleTrialFailed), trial);
    for (auto e = run_.out.evaluation_log.rbegin(); e != run_.out.evaluation_log.rend(); ++e) {
      if (e->trial == trial) {
        touch(SharedObject::kEvaluationLog, e->combination, true);
        e->state = TrialState::kFail;
        break;
      }
    }
    return;
  }
  Evaluation& e = run_.out.evaluation_log[static_cast<std::size_t>(it->second)];
  untold_.erase(it);
  touch(SharedObject::kEvaluationLog, e.combination, true);
  e.state = state;
  record(TraceKind::kObjectiveEnd, trial, static_cast<std::int64_t>(state), e.combination);
}

// The scenario's objective for `trial`, whose parameters the real library has just written: the
// same timing, crash, stall, failure and pruning decisions as the model's objective
// (sim/optimize_loop.cc WorkerLoop::objective), from the same streams and the same per-process call
// number: a [faults] crash_at kill first (it draws nothing from the fault streams), else the slow
// factor, the crash and the stall draws; after the duration a scheduled [objective] fail (no
// objective-failure draw then), else the injected failure draw, else prune_every. Stalls: without
// heartbeats (refused in this mode) a stall only lengthens the objective, traced at its start.
int WorkerLink::run_objective(int trial) {
  const TrialRecord& record_now = run_.store.trial(trial);
  // The evaluated point in the objective's metrics space (the suggested dimensions, ObjectivePlan).
  const ObjectivePlan& plan = run_.objective;
  std::vector<int> values(plan.grid_param_of.size());
  for (std::size_t q = 0; q < values.size(); ++q) {
    const int v = record_now.params[static_cast<std::size_t>(plan.grid_param_of[q])];
    if (v < 0) throw std::logic_error("real:optuna: the objective ran before every suggested parameter was set");
    values[q] = v;
  }
  Evaluation e;
  e.trial = trial;
  e.worker = worker_;
  e.process = process_;
  e.combination = plan.space.combination_of(values);
  touch(SharedObject::kTrialRow, trial, false);
  e.grid_id = record_now.system_attr("grid_id").value_or(-1);
  e.start_us = run_.engine.now_us();
  record(TraceKind::kObjectiveStart, trial, e.combination, e.grid_id);
  const auto eval_index = static_cast<std::int64_t>(run_.out.evaluation_log.size());
  untold_.emplace_back(trial, eval_index);
  touch(SharedObject::kEvaluationLog, e.combination, true);
  run_.out.evaluation_log.push_back(e);

  const auto scheduled = [this](const std::vector<ScheduledEvent>& events) -> const ScheduledEvent* {
    for (const ScheduledEvent& s : events) {
      if (s.process == process_ && s.call == call_) return &s;
    }
    return nullptr;
  };
  VirtualTime duration_us = run_.spec.objective_duration.sample(objective_stream_);
  std::optional<VirtualTime> dies_at_us;
  const ScheduledEvent* kill = scheduled(run_.spec.crash_at);
  if (kill != nullptr) {
    duration_us = kill->after_us;
    dies_at_us = run_.engine.now_us() + kill->after_us;
  } else if (faults_) {
    duration_us *= faults_->slow_factor();
    touch(SharedObject::kCrashBudget, 0, false);
    if (run_.faults->crash_budget > 0 && faults_->crash_now(run_.engine.now_us())) {
      touch(SharedObject::kCrashBudget, 0, true);
      --run_.faults->crash_budget;
      dies_at_us = run_.engine.now_us() + faults_->crash_after_us(duration_us);
    }
  }
  std::optional<StallWindow> stall;
  if (faults_ && kill == nullptr) {
    if (auto st = faults_->stall_now(run_.engine.now_us(), duration_us)) {
      stall = StallWindow{run_.engine.now_us() + st->after_us, st->for_us};
      if (dies_at_us && *dies_at_us >= stall->at_us) *dies_at_us += st->for_us;  // dies after it resumes
      duration_us += st->for_us;
    }
  }
  objective_time(trial, e.start_us + duration_us, dies_at_us, stall);
  if (dies_at_us) {
    Evaluation& crashed = run_.out.evaluation_log[static_cast<std::size_t>(eval_index)];
    touch(SharedObject::kEvaluationLog, crashed.combination, true);
    crashed.end_us = run_.engine.now_us();
    // Nothing tells the store: its trial stays RUNNING (with heartbeats, until another worker's
    // fail_stale_trials fails it).
    record(TraceKind::kFault, trial, trace_code(Fault::kCrash), crashed.combination);
    return static_cast<int>(ObjectiveOutcome::kCrash);
  }
  Evaluation& done = run_.out.evaluation_log[static_cast<std::size_t>(eval_index)];
  touch(SharedObject::kEvaluationLog, done.combination, true);
  done.end_us = run_.engine.now_us();
  if (scheduled(run_.spec.objective.fail) != nullptr) return static_cast<int>(ObjectiveOutcome::kScheduledFail);
  if (faults_ && faults_->objective_fails(run_.engine.now_us())) {
    record(TraceKind::kFault, trial, trace_code(Fault::kObjectiveFail), done.combination);
    return static_cast<int>(ObjectiveOutcome::kInjectedFail);
  }
  const int prune_every = run_.spec.objective.prune_every;
  if (prune_every > 0 && call_ % prune_every == 0) return static_cast<int>(ObjectiveOutcome::kPruned);
  return static_cast<int>(ObjectiveOutcome::kComplete);
}

// The objective's time until `end_us` (or `dies_at_us`), with the trial's heartbeat beside it when
// the scenario has one: sim/optimize_loop.cc WorkerLoop::objective_time, line for line (Optuna's
// HeartbeatThread writes record_heartbeat, then waits `interval` on its stop event; the bridge
// replaces that Python thread by these timed writes on the heartbeat connection, so that it runs
// under the scheduler). A stall's start is traced at its instant; a beat due in it is written at
// its end.
void WorkerLink::objective_time(int trial, VirtualTime end_us, std::optional<VirtualTime> dies_at_us,
                                std::optional<StallWindow> stall) {
  const VirtualTime stop_us = dies_at_us ? std::min(*dies_at_us, end_us) : end_us;
  bool stall_pending = stall && stall->at_us < stop_us;
  const auto sleep_until = [this](VirtualTime t) { run_.engine.sleep_for(t - run_.engine.now_us()); };
  const auto note_stall = [&] {
    sleep_until(std::max(stall->at_us, run_.engine.now_us()));
    record(TraceKind::kFault, trial, trace_code(Fault::kStall), stall->for_us);
    stall_pending = false;
  };
  if (heartbeat_interval_us_ <= 0) {
    if (stall_pending) note_stall();
    sleep_until(stop_us);
    return;
  }
  VirtualTime next_beat_us = run_.engine.now_us();
  for (std::int64_t beats = 0; beats < kMaxCalls; ++beats) {
    if (stall_pending && stall->at_us <= next_beat_us) {
      note_stall();
      const VirtualTime resume_us = stall->at_us + stall->for_us;
      if (next_beat_us < resume_us) next_beat_us = resume_us;  // the thread was paused too
    }
    if (next_beat_us >= stop_us) {
      sleep_until(stop_us);  // dies, or the stop event wakes the waiting thread
      return;
    }
    sleep_until(next_beat_us);
    switch (heartbeat_client_.record_heartbeat(trial, dies_at_us)) {
      case StoreClient::Beat::kDied: return;
      case StoreClient::Beat::kRaised:  // the thread is gone; the objective runs on
        sleep_until(std::max(stop_us, run_.engine.now_us()));
        return;
      case StoreClient::Beat::kOk: break;
    }
    if (run_.engine.now_us() >= end_us) return;  // joined after the in-flight write
    next_beat_us = run_.engine.now_us() + heartbeat_interval_us_;
  }
  throw SimulationLimitExceeded(fmt::format("a real:optuna heartbeat wrote {} times in one objective", kMaxCalls));
}

void WorkerLink::abort_and_join() {
  aborted_ = true;
  if (!done_) {
    baton_.to_worker_and_wait();  // the thread raises RunAborted and unwinds to its end
    done_ = true;
  }
  thread_.join();
}

// ---------------------------------------------------------------- the worker thread's side

void WorkerLink::thread_main() {
  baton_.wait_for_worker_turn();
  {
    py::gil_scoped_acquire gil;
    tl_current = this;
    try {
      if (!aborted_) result_ = body_().cast<std::string>();
    } catch (py::error_already_set& e) {
      if (!aborted_) error_ = e.what();
    } catch (const std::exception& e) {
      if (!aborted_) error_ = e.what();
    }
    tl_current = nullptr;
    body_ = py::object();
  }
  request_ = Request{.call = Call::kDone};
  baton_.to_engine_final();
}

void WorkerLink::call_engine(Request request) {
  if (aborted_) throw RunAborted{};
  if (crashed_) throw WorkerCrash{};
  request_ = std::move(request);
  {
    py::gil_scoped_release nogil;
    baton_.to_engine_and_wait();
  }
  if (aborted_) throw RunAborted{};
}

void WorkerLink::sleep_us(VirtualTime duration_us) {
  SIM_ASSERT(duration_us >= 0);
  call_engine(Request{.call = Call::kSleep, .a = duration_us});
}

void WorkerLink::store_begin(int op) {
  if (op < 0 || op >= kStoreOpCount) throw std::invalid_argument("samplersim: unknown store operation");
  call_engine(Request{.call = Call::kStoreBegin, .op = op});
}

void WorkerLink::store_end(int op, int trial, std::int64_t a, std::int64_t b, const std::string& key, bool ok) {
  call_engine(Request{.call = Call::kStoreEnd, .op = op, .trial = trial, .a = a, .b = b, .key = key, .ok = ok});
}

std::vector<int> WorkerLink::get_stale_trials() {
  call_engine(Request{.call = Call::kGetStaleTrials});
  return stale_reply_;
}

void WorkerLink::park() { call_engine(Request{.call = Call::kPark}); }

void WorkerLink::wake(WorkerId w) { call_engine(Request{.call = Call::kWake, .a = w}); }

void WorkerLink::stop_error_swallowed(int trial) {
  call_engine(Request{.call = Call::kStopErrorSwallowed, .trial = trial});
}

void WorkerLink::objective_call() {
  if (aborted_) throw RunAborted{};
  call_ = ++run_.processes[static_cast<std::size_t>(process_)].objective_calls;
}

int WorkerLink::objective(int trial) {
  call_engine(Request{.call = Call::kObjective, .trial = trial});
  if (reply_ == static_cast<int>(ObjectiveOutcome::kCrash)) {
    crashed_ = true;
    throw WorkerCrash{};
  }
  return reply_;
}

}  // namespace samplersim::real
