#include "sim/store_client.h"

#include <algorithm>

#include "sim/invariant.h"

namespace samplersim {

std::optional<StoreOp> store_op_from_string(std::string_view name) {
  for (int i = 0; i < kStoreOpCount; ++i) {
    const auto op = static_cast<StoreOp>(i);
    if (to_string(op) == name) return op;
  }
  return std::nullopt;
}

std::string_view to_string(StoreOp op) {
  switch (op) {
    case StoreOp::kCreateTrial: return "create_trial";
    case StoreOp::kListWaiting: return "list_waiting";
    case StoreOp::kClaimWaiting: return "claim_waiting";
    case StoreOp::kGetTrial: return "get_trial";
    case StoreOp::kGetAllTrials: return "get_all_trials";
    case StoreOp::kSetTrialSystemAttr: return "set_system_attr";
    case StoreOp::kSetTrialParam: return "set_param";
    case StoreOp::kSetTrialState: return "set_state";
    case StoreOp::kGetStudyAttr: return "get_study_attr";
    case StoreOp::kStudyAttrInsertIfAbsent: return "study_attr_insert_if_absent";
    case StoreOp::kClaimCombination: return "claim_combination";
    case StoreOp::kReleaseClaim: return "release_claim";
    case StoreOp::kCompleteCombination: return "complete_combination";
    case StoreOp::kRecordHeartbeat: return "record_heartbeat";
    case StoreOp::kGetStaleTrials: return "get_stale_trials";
  }
  return "?";
}

void StoreClient::record(StoreOp op, int trial, std::int64_t arg, std::string_view key) {
  trace_.record({engine_.now_us(), worker_, TraceKind::kStoreOp, trial,
                 static_cast<std::int64_t>(op), arg, key});
  if (trace_.observer() != nullptr) report_footprint(op, trial, arg, key);
}

// The objects each operation reads or writes at its linearization instant (see StudyStore):
// rows by trial number, the trial table for creation and scans, study attributes by key, claims
// by combination (arg = combination * 2 + result), heartbeat rows by trial number for beats, and
// every heartbeat row for lease and staleness decisions.
void StoreClient::report_footprint(StoreOp op, int trial, std::int64_t arg, std::string_view key) {
  constexpr bool kRead = false;
  constexpr bool kWrite = true;
  switch (op) {
    case StoreOp::kCreateTrial: trace_.access(SharedObject::kTrialTable, 0, kWrite); return;
    case StoreOp::kListWaiting: trace_.access(SharedObject::kTrialTable, 0, kRead); return;
    case StoreOp::kClaimWaiting:
    case StoreOp::kSetTrialSystemAttr:
    case StoreOp::kSetTrialParam:
    case StoreOp::kSetTrialState: trace_.access(SharedObject::kTrialRow, trial, kWrite); return;
    case StoreOp::kGetTrial: trace_.access(SharedObject::kTrialRow, trial, kRead); return;
    case StoreOp::kGetAllTrials: trace_.access(SharedObject::kWholeStore, 0, kRead); return;
    case StoreOp::kGetStudyAttr: trace_.access(SharedObject::kStudyAttr, study_attr_id(key), kRead); return;
    case StoreOp::kStudyAttrInsertIfAbsent:
      trace_.access(SharedObject::kStudyAttr, study_attr_id(key), kWrite);
      return;
    case StoreOp::kClaimCombination:
      trace_.access(SharedObject::kClaim, arg / 2, kWrite);
      trace_.access(SharedObject::kLiveness, kEveryRow, kRead);  // a stale holder's lease may be taken over
      return;
    case StoreOp::kReleaseClaim:
    case StoreOp::kCompleteCombination: trace_.access(SharedObject::kClaim, arg / 2, kWrite); return;
    case StoreOp::kRecordHeartbeat: trace_.access(SharedObject::kLiveness, trial, kWrite); return;
    case StoreOp::kGetStaleTrials:
      trace_.access(SharedObject::kTrialTable, 0, kRead);
      trace_.access(SharedObject::kLiveness, kEveryRow, kRead);
      return;
  }
  trace_.access(SharedObject::kWholeStore, 0, kWrite);  // an operation without a table entry
}

int StoreClient::create_trial() {
  return apply(StoreOp::kCreateTrial, [&] {
    const int number = store_.create_trial(TrialState::kRunning, worker_, engine_.now_us());
    record(StoreOp::kCreateTrial, number, 0);
    return number;
  });
}

std::optional<int> StoreClient::pop_waiting_trial(bool* found_finished) {
  // 3.1 on RDB: the candidates come from the process cache (as of its refresh in this ask), and a
  // won claim reads the trial back into the cache (_CachedStorage.set_trial_state_values:
  // `self._backend.get_trial(trial_id)` after a RUNNING write that returned True).
  const bool from_cache = cached_own_reads_ && cached_waiting_.has_value();
  const std::vector<int> waiting = from_cache ? *cached_waiting_ : apply(StoreOp::kListWaiting, [&] {
    std::vector<int> numbers = store_.waiting_trial_numbers();
    record(StoreOp::kListWaiting, -1, static_cast<std::int64_t>(numbers.size()));
    return numbers;
  });
  if (from_cache) trace_.access(SharedObject::kTrialTable, 0, false);  // the list as the refresh read it
  const auto won = [&](int number) {
    if (from_cache) (void)get_trial_view(number);
    return number;
  };
  for (int number : waiting) {
    if (cost_ && !cost_->atomic_claims()) {
      const RacyClaim claim = claim_waiting_racy(number);
      if (claim == RacyClaim::kClaimed) return won(number);
      if (claim == RacyClaim::kFinished && found_finished != nullptr) {
        *found_finished = true;
        return std::nullopt;
      }
      continue;
    }
    const bool claimed = apply(StoreOp::kClaimWaiting, [&] {
      const bool ok = store_.claim_waiting(number, worker_, engine_.now_us());
      record(StoreOp::kClaimWaiting, number, ok ? 1 : 0);
      return ok;
    });
    if (claimed) return won(number);
  }
  return std::nullopt;
}

TrialView StoreClient::get_trial_view(int number) {
  return apply(StoreOp::kGetTrial, [&] {
    record(StoreOp::kGetTrial, number, 0);
    return TrialView(store_, number);
  });
}

TrialView StoreClient::own_trial_view(int number) {
  if (!cached_own_reads_) return get_trial_view(number);
  // The cached copy holds this process's own writes, and no other process writes a trial this one
  // owns (the double claim of SQLite's racy pop is handled by its callers): the row as it is now.
  trace_.access(SharedObject::kTrialRow, number, false);
  return TrialView(store_, number);
}

void StoreClient::read_back_told(int number) {
  if (rdb_preset_) (void)get_trial_view(number);
}

// SQLite (preset): set_trial_state_values(RUNNING) reads the trial's state with a SELECT that
// holds no lock (pysqlite opens the transaction at the first DML) and writes RUNNING at the commit;
// two workers that both read WAITING both own the trial (docs/optuna-facts.md section 10).
// A read that finds the trial finished raises in the real storage (check_trial_is_updatable comes
// before the WAITING test): kFinished, nothing written.
StoreClient::RacyClaim StoreClient::claim_waiting_racy(int number) {
  TrialState seen = TrialState::kWaiting;
  cost_->before(StoreOp::kClaimWaiting, [&] { seen = store_.trial(number).state; });
  ++ops_;
  const bool ok = seen == TrialState::kWaiting && store_.claim_waiting_after_read(number, worker_, engine_.now_us());
  record(StoreOp::kClaimWaiting, number, ok ? 1 : 0);
  cost_->after(StoreOp::kClaimWaiting);
  if (ok) return RacyClaim::kClaimed;
  return is_finished(seen) ? RacyClaim::kFinished : RacyClaim::kNotWaiting;
}

int StoreClient::enqueue_trial(const std::vector<int>& fixed_params) {
  return apply(StoreOp::kCreateTrial, [&] {
    TrialRecord t;
    t.state = TrialState::kWaiting;
    t.created_us = engine_.now_us();
    t.fixed_params = fixed_params;
    t.system_attrs.emplace_back("fixed_params", 1);
    const int number = store_.add_trial(t);
    record(StoreOp::kCreateTrial, number, 2);
    return number;
  });
}

TrialRecord StoreClient::get_trial(int number) {
  return apply(StoreOp::kGetTrial, [&] {
    record(StoreOp::kGetTrial, number, 0);
    return store_.trial(number);
  });
}

void StoreClient::set_trial_system_attr(int number, std::string_view key, std::int64_t value) {
  apply(StoreOp::kSetTrialSystemAttr, [&] {
    store_.set_system_attr(number, key, value);
    record(StoreOp::kSetTrialSystemAttr, number, value, key);
  });
}

StoreClient::ParamWrite StoreClient::set_trial_param(int number, int param, int value_index, bool insert) {
  return apply(StoreOp::kSetTrialParam, [&] {
    ParamWrite result = ParamWrite::kWritten;
    if (store_.claimed_twice(number)) {
      const TrialRecord& t = store_.trial(number);
      if (insert && t.params[static_cast<std::size_t>(param)] >= 0) {
        result = ParamWrite::kDuplicate;
      } else if (!insert && is_finished(t.state)) {
        result = ParamWrite::kTrialFinished;
      }
    }
    if (result == ParamWrite::kWritten) store_.set_param(number, param, value_index);
    record(StoreOp::kSetTrialParam, number, param * 1000003LL + value_index);
    return result;
  });
}

bool StoreClient::set_trial_state(int number, TrialState state) {
  return apply(StoreOp::kSetTrialState, [&] {
    const bool ok = store_.set_state(number, state, engine_.now_us());
    record(StoreOp::kSetTrialState, number, static_cast<std::int64_t>(state) * 2 + (ok ? 1 : 0));
    return ok;
  });
}

std::optional<std::int64_t> StoreClient::get_study_attr(std::string_view key) {
  return apply(StoreOp::kGetStudyAttr, [&] {
    auto v = store_.study_attr(key);
    record(StoreOp::kGetStudyAttr, -1, v.value_or(-1), key);
    return v;
  });
}

std::int64_t StoreClient::study_attr_insert_if_absent(std::string_view key, std::int64_t value) {
  return apply(StoreOp::kStudyAttrInsertIfAbsent, [&] {
    const std::int64_t stored = store_.study_attr_insert_if_absent(key, value);
    record(StoreOp::kStudyAttrInsertIfAbsent, -1, stored, key);
    return stored;
  });
}

}  // namespace samplersim

namespace samplersim {

void StoreClient::attach_preset(const PresetRuntime& runtime, int process, std::uint64_t connection) {
  cost_ = std::make_unique<StoreCost>(runtime.machine, runtime.locks, runtime.preset, runtime.profile, worker_, process,
                                      runtime.server_host,
                                      RandomStream::derive(runtime.run_seed, StreamPurpose::kStoreCost,
                                                           static_cast<std::uint64_t>(worker_), connection));
  rdb_preset_ = runtime.preset.kind == StoreKind::kSqlite || runtime.preset.kind == StoreKind::kPostgresql;
  cached_own_reads_ = rdb_preset_ && runtime.profile == ClientProfile::kOptuna31;
}

void StoreClient::wait_for_claims_change(std::uint64_t seen, VirtualTime until_us) {
  trace_.access(SharedObject::kWholeStore, 0, false);
  if (store_.claims_version() != seen || until_us <= engine_.now_us()) return;
  std::vector<StudyStore::Waiter>& waiters = store_.claim_waiters();
  SIM_ASSERT(std::none_of(waiters.begin(), waiters.end(), [&](const StudyStore::Waiter& w) { return w.worker == worker_; }));
  waiters.push_back({worker_, seen, until_us});
  sleep_until(until_us);
  // Woken by a change (the waker removed the entry) or at the deadline (the entry is still there).
  std::erase_if(waiters, [&](const StudyStore::Waiter& w) { return w.worker == worker_; });
}

void StoreClient::wake_claim_waiters_slow() {
  std::vector<StudyStore::Waiter>& waiters = store_.claim_waiters();
  const std::uint64_t version = store_.claims_version();
  const VirtualTime wake_us = engine_.now_us() + kChangeWakeUpUs;
  std::erase_if(waiters, [&](const StudyStore::Waiter& w) {
    if (w.seen == version) return false;
    SIM_ASSERT(w.worker != worker_ && engine_.is_waiting(w.worker));
    if (w.until_us > wake_us) engine_.reschedule(w.worker, wake_us);  // else its deadline comes first
    return true;
  });
}

StudyStore& StoreClient::read_view() {
  const VirtualTime now = engine_.now_us();
  if (faults_ == nullptr || !faults_->stale_read(now)) return store_;
  if (!cache_ || now - cache_at_us_ > faults_->max_staleness_us()) {
    cache_ = std::make_unique<StudyStore>(store_);
    cache_at_us_ = now;
  }
  note(TraceKind::kFault, -1, trace_code(Fault::kStaleRead), now - cache_at_us_);
  return *cache_;
}

int StoreClient::create_waiting_copy(const TrialRecord& from, std::string_view extra_key,
                                     std::int64_t extra_value) {
  return apply(StoreOp::kCreateTrial, [&] {
    const int number = store_.create_trial_copy(from, TrialState::kWaiting, engine_.now_us());
    if (!extra_key.empty()) store_.set_system_attr(number, extra_key, extra_value);
    record(StoreOp::kCreateTrial, number, 1);
    return number;
  });
}

bool StoreClient::claim_combination(std::int64_t combination, int trial, std::optional<VirtualTime> lease_grace_us,
                                    std::int64_t* epoch_out) {
  return apply(StoreOp::kClaimCombination, [&] {
    const bool ok =
        store_.claim_combination(combination, worker_, trial, clock_us(), lease_grace_us, epoch_out, engine_.now_us());
    record(StoreOp::kClaimCombination, trial, combination * 2 + (ok ? 1 : 0));
    return ok;
  });
}

bool StoreClient::release_claim(std::int64_t combination) {
  return apply(StoreOp::kReleaseClaim, [&] {
    const bool ok = store_.release_claim(combination, worker_);
    record(StoreOp::kReleaseClaim, -1, combination * 2 + (ok ? 1 : 0));
    return ok;
  });
}

bool StoreClient::complete_combination(std::int64_t combination, int trial) {
  return apply(StoreOp::kCompleteCombination, [&] {
    const bool ok = store_.complete_combination(combination, trial);
    record(StoreOp::kCompleteCombination, trial, combination * 2 + (ok ? 1 : 0));
    return ok;
  });
}

bool StoreClient::release_claim_fenced(std::int64_t combination, std::int64_t epoch) {
  return apply(StoreOp::kReleaseClaim, [&] {
    const bool ok = store_.release_claim_fenced(combination, epoch);
    record(StoreOp::kReleaseClaim, -1, combination * 2 + (ok ? 1 : 0));
    return ok;
  });
}

bool StoreClient::complete_combination_fenced(std::int64_t combination, int trial, std::int64_t epoch) {
  return apply(StoreOp::kCompleteCombination, [&] {
    const bool ok = store_.complete_combination_fenced(combination, trial, epoch);
    record(StoreOp::kCompleteCombination, trial, combination * 2 + (ok ? 1 : 0));
    return ok;
  });
}

std::vector<int> StoreClient::get_stale_trials(VirtualTime grace_us) {
  return apply(StoreOp::kGetStaleTrials, [&] {
    std::vector<int> stale = store_.stale_trial_numbers(clock_us(), grace_us);
    record(StoreOp::kGetStaleTrials, -1, static_cast<std::int64_t>(stale.size()));
    return stale;
  });
}

bool StoreClient::sleep_unless_dead(VirtualTime t_us, std::optional<VirtualTime> dies_at_us) {
  if (dies_at_us && t_us >= *dies_at_us) {
    engine_.sleep_until(std::max(*dies_at_us, engine_.now_us()));
    return false;
  }
  engine_.sleep_until(t_us);
  return true;
}

StoreClient::Beat StoreClient::record_heartbeat(int trial, std::optional<VirtualTime> dies_at_us) {
  constexpr StoreOp kOp = StoreOp::kRecordHeartbeat;
  const bool raises = faults_ != nullptr && faults_->heartbeat_store_error(engine_.now_us());
  if (cost_) return record_heartbeat_with_cost(trial, raises, dies_at_us);
  if (!sleep_unless_dead(engine_.now_us() + latency_.request_for(kOp).sample(stream_), dies_at_us)) return Beat::kDied;
  if (!raises && !(latency_.write_service.is_constant() && latency_.write_service.min_us == 0)) {
    trace_.access(SharedObject::kWriteLock, 0, true);
    const VirtualTime granted = store_.reserve_write_lock(engine_.now_us(), latency_.write_service.sample(stream_));
    if (!sleep_unless_dead(granted, dies_at_us)) return Beat::kDied;
  }
  const bool applied = !raises || faults_->heartbeat_error_was_applied();
  if (applied) {
    ++ops_;
    store_.record_heartbeat(trial, clock_us());
    record(kOp, trial, 1);
  }
  if (raises) note(TraceKind::kFault, trial, trace_code(Fault::kStoreError), static_cast<std::int64_t>(kOp) * 2 + applied);
  if (!sleep_unless_dead(engine_.now_us() + latency_.response.sample(stream_), dies_at_us)) return Beat::kDied;
  return raises ? Beat::kRaised : Beat::kOk;
}

// Under a preset: the call's costs on the Machine (sim/store_cost.h), cut by a crash only at its
// boundaries (see the header).
StoreClient::Beat StoreClient::record_heartbeat_with_cost(int trial, bool raises,
                                                         std::optional<VirtualTime> dies_at_us) {
  constexpr StoreOp kOp = StoreOp::kRecordHeartbeat;
  const auto dead = [&] { return dies_at_us && engine_.now_us() >= *dies_at_us; };
  cost_->before(kOp);
  const bool applied = !dead() && (!raises || faults_->heartbeat_error_was_applied());
  if (applied) {
    ++ops_;
    store_.record_heartbeat(trial, clock_us());
    record(kOp, trial, 1);
  }
  if (raises && !dead()) {
    note(TraceKind::kFault, trial, trace_code(Fault::kStoreError), static_cast<std::int64_t>(kOp) * 2 + applied);
  }
  cost_->after(kOp);
  if (dead()) return Beat::kDied;
  return raises ? Beat::kRaised : Beat::kOk;
}

}  // namespace samplersim
