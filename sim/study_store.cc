#include "sim/study_store.h"
#include "sim/invariant.h"

#include <cassert>
#include <type_traits>

namespace samplersim {

static_assert(std::is_nothrow_move_constructible_v<TrialRecord>, "std::vector<TrialRecord> must move, not copy, when it grows");

std::optional<std::int64_t> TrialRecord::system_attr(std::string_view key) const {
  for (const auto& [k, v] : system_attrs) {
    if (k == key) return v;
  }
  return std::nullopt;
}

std::optional<std::int64_t> TrialRecord::system_attr_after(std::string_view key, std::uint32_t writes) const {
  std::uint32_t slot = 0;
  while (slot < system_attrs.size() && system_attrs[slot].first != key) ++slot;
  if (slot == system_attrs.size()) return std::nullopt;
  // Its first write is the slot-th write that was not an overwrite (overwrites are in write order).
  std::uint32_t first_write = slot;
  for (const AttrOverwrite& o : attr_overwrites) {
    if (o.at > first_write) break;
    ++first_write;
  }
  if (first_write >= writes) return std::nullopt;
  for (const AttrOverwrite& o : attr_overwrites) {  // the first overwrite after the read holds its value
    if (o.slot == slot && o.at >= writes) return o.previous;
  }
  return system_attrs[slot].second;
}

TrialView::TrialView(const StudyStore& store, int number_in) : store_(&store) {
  const TrialRecord& t = store.trial(number_in);
  number = t.number;
  state = t.state;
  worker = t.worker;
  created_us = t.created_us;
  finished_us = t.finished_us;
  fixed_params = t.fixed_params;
  params = t.params;
  attr_writes_ = t.attr_writes;
}

std::optional<std::int64_t> TrialView::system_attr(std::string_view key) const {
  if (store_ == nullptr) return std::nullopt;
  return store_->trial(number).system_attr_after(key, attr_writes_);
}

int AttrIndex::count(std::int64_t value, TrialState s) const {
  if (value < 0 || value >= size()) return 0;
  return counts_[static_cast<std::size_t>(value)][static_cast<std::size_t>(s)];
}

bool AttrIndex::has_finished(std::int64_t value) const {
  return count(value, TrialState::kComplete) + count(value, TrialState::kPruned) +
             count(value, TrialState::kFail) > 0;
}

bool AttrIndex::has_running(std::int64_t value) const { return count(value, TrialState::kRunning) > 0; }

void AttrIndex::ensure_size(std::int64_t n) {
  SIM_ASSERT(n <= kMaxValue);
  if (n <= size()) return;
  counts_.resize(static_cast<std::size_t>(n), {});
  finished_flags_.resize(static_cast<std::size_t>(n), 0);
  running_flags_.resize(static_cast<std::size_t>(n), 0);
  unfinished_ids_.resize(n, true);
  free_ids_.resize(n, true);
}

void AttrIndex::refresh_flags(std::int64_t value) {
  const bool finished = has_finished(value);
  const bool running = has_running(value);
  finished_flags_[static_cast<std::size_t>(value)] = finished ? 1 : 0;
  running_flags_[static_cast<std::size_t>(value)] = running ? 1 : 0;
  unfinished_ids_.set(value, !finished);
  free_ids_.set(value, !finished && !running);
  if (consumer_.state) consumer_.changed.push_back(value);
}

void AttrIndex::add(std::int64_t value, TrialState s) {
  if (value < 0 || value >= kMaxValue) return;
  ensure_size(value + 1);
  const bool was = has_finished(value);
  const bool was_running = has_running(value);
  const bool was_touched = touched(value);
  ++counts_[static_cast<std::size_t>(value)][static_cast<std::size_t>(s)];
  if (!was && has_finished(value)) ++values_with_finished_;
  if (!was_running && has_running(value)) ++values_with_running_;
  if (!was_touched && touched(value)) ++values_touched_;
  refresh_flags(value);
}

void AttrIndex::remove(std::int64_t value, TrialState s) {
  if (value < 0 || value >= size()) return;
  const bool was = has_finished(value);
  const bool was_running = has_running(value);
  const bool was_touched = touched(value);
  int& c = counts_[static_cast<std::size_t>(value)][static_cast<std::size_t>(s)];
  SIM_ASSERT(c > 0);
  --c;
  if (was && !has_finished(value)) --values_with_finished_;
  if (was_running && !has_running(value)) --values_with_running_;
  if (was_touched && !touched(value)) --values_touched_;
  refresh_flags(value);
}

int StudyStore::create_trial(TrialState state, WorkerId worker, VirtualTime now_us) {
  TrialRecord t;
  t.number = static_cast<int>(trials_.size());
  t.state = state;
  t.worker = worker;
  t.created_us = now_us;
  t.params.assign(static_cast<std::size_t>(param_count_), -1);
  trials_.push_back(std::move(t));
  ++by_state_[static_cast<std::size_t>(state)];
  ++version_;
  const int number = trials_.back().number;
  if (state == TrialState::kWaiting) waiting_.insert(number);  // a new trial has no heartbeat row
  return number;
}

std::vector<int> StudyStore::waiting_trial_numbers() const {
  SIM_ASSERT(static_cast<std::int64_t>(waiting_.size()) == by_state_[static_cast<std::size_t>(TrialState::kWaiting)]);
  return std::vector<int>(waiting_.begin(), waiting_.end());
}

bool StudyStore::claim_waiting(int number, WorkerId worker, VirtualTime now_us) {
  TrialRecord& t = mutable_trial(number);
  if (t.state != TrialState::kWaiting) return false;
  index_state_change(t, TrialState::kWaiting, TrialState::kRunning);
  index_liveness(number, TrialState::kWaiting, TrialState::kRunning);
  --by_state_[static_cast<std::size_t>(TrialState::kWaiting)];
  ++by_state_[static_cast<std::size_t>(TrialState::kRunning)];
  t.state = TrialState::kRunning;
  t.worker = worker;
  t.created_us = now_us;
  ++version_;
  return true;
}

bool StudyStore::claim_waiting_after_read(int number, WorkerId worker, VirtualTime now_us) {
  TrialRecord& t = mutable_trial(number);
  if (t.state == TrialState::kWaiting) return claim_waiting(number, worker, now_us);
  if (t.state != TrialState::kRunning) return false;
  ++double_claims_;
  const auto at = std::lower_bound(claimed_twice_.begin(), claimed_twice_.end(), number);
  if (at == claimed_twice_.end() || *at != number) claimed_twice_.insert(at, number);
  ++version_;
  return true;
}

int StudyStore::add_trial(const TrialRecord& from) {
  const int number = create_trial(from.state, from.worker, from.created_us);
  TrialRecord& t = mutable_trial(number);
  SIM_ASSERT(from.params.empty() || static_cast<int>(from.params.size()) == param_count_);
  if (!from.params.empty()) t.params = from.params;
  t.fixed_params = from.fixed_params;
  t.finished_us = from.finished_us;
  for (const auto& [key, value] : from.system_attrs) set_system_attr(number, key, value);
  return number;
}

const TrialRecord& StudyStore::trial(int number) const {
  SIM_ASSERT(number >= 0 && number < static_cast<int>(trials_.size()));
  return trials_[static_cast<std::size_t>(number)];
}

TrialRecord& StudyStore::mutable_trial(int number) {
  SIM_ASSERT(number >= 0 && number < static_cast<int>(trials_.size()));
  return trials_[static_cast<std::size_t>(number)];
}

std::int64_t StudyStore::count(StateMask states) const {
  std::int64_t n = 0;
  for (TrialState s : kAllTrialStates) {
    if (states.contains(s)) n += by_state_[static_cast<std::size_t>(s)];
  }
  return n;
}

void StudyStore::set_system_attr(int number, std::string_view key, std::int64_t value) {
  TrialRecord& t = mutable_trial(number);
  auto it = indexes_.find(key);
  for (std::uint32_t slot = 0; slot < t.system_attrs.size(); ++slot) {
    auto& [k, v] = t.system_attrs[slot];
    if (k == key) {
      if (it != indexes_.end()) {
        it->second.remove(v, t.state);
        it->second.add(value, t.state);
      }
      t.attr_overwrites.push_back({slot, t.attr_writes, v});
      ++t.attr_writes;
      v = value;
      ++version_;
      return;
    }
  }
  t.system_attrs.emplace_back(std::string(key), value);
  ++t.attr_writes;
  if (it != indexes_.end()) it->second.add(value, t.state);
  ++version_;
}

void StudyStore::set_param(int number, int param, int value_index) {
  TrialRecord& t = mutable_trial(number);
  SIM_ASSERT(param >= 0 && param < param_count_);
  t.params[static_cast<std::size_t>(param)] = value_index;
  ++version_;
}

bool StudyStore::set_state(int number, TrialState state, VirtualTime now_us) {
  TrialRecord& t = mutable_trial(number);
  if (is_finished(t.state)) return false;
  index_state_change(t, t.state, state);
  index_liveness(number, t.state, state);
  --by_state_[static_cast<std::size_t>(t.state)];
  ++by_state_[static_cast<std::size_t>(state)];
  t.state = state;
  if (is_finished(state)) t.finished_us = now_us;
  ++version_;
  return true;
}

void StudyStore::index_state_change(const TrialRecord& t, TrialState from, TrialState to) {
  for (auto& [key, index] : indexes_) {
    if (auto v = t.system_attr(key)) {
      index.remove(*v, from);
      index.add(*v, to);
    }
  }
}

void StudyStore::index_liveness(int number, TrialState from, TrialState to) {
  if (from == to) return;
  if (from == TrialState::kWaiting) waiting_.erase(number);
  if (to == TrialState::kWaiting) waiting_.insert(number);
  const std::optional<VirtualTime> stamp = heartbeat_at_us(number);
  if (!stamp) return;
  if (from == TrialState::kRunning) running_beats_.erase({*stamp, number});
  if (to == TrialState::kRunning) running_beats_.insert({*stamp, number});
}

std::optional<std::int64_t> StudyStore::study_attr(std::string_view key) const {
  auto it = study_attrs_.find(key);
  if (it == study_attrs_.end()) return std::nullopt;
  return it->second;
}

std::int64_t StudyStore::study_attr_insert_if_absent(std::string_view key, std::int64_t value) {
  auto [it, inserted] = study_attrs_.try_emplace(std::string(key), value);
  if (inserted) ++version_;
  return it->second;
}

const AttrIndex& StudyStore::attr_index(std::string_view key, std::int64_t min_size) {
  auto it = indexes_.find(key);
  if (it != indexes_.end()) {
    it->second.ensure_size(min_size);
    return it->second;
  }
  AttrIndex index;
  index.ensure_size(min_size);
  for (const TrialRecord& t : trials_) {
    if (auto v = t.system_attr(key)) index.add(*v, t.state);
  }
  return indexes_.emplace(std::string(key), std::move(index)).first->second;
}

}  // namespace samplersim

namespace samplersim {

int StudyStore::create_trial_copy(const TrialRecord& from, TrialState state, VirtualTime now_us) {
  const int number = create_trial(state, -1, now_us);
  TrialRecord& t = mutable_trial(number);
  t.params = from.params;
  t.fixed_params = from.fixed_params;
  for (const auto& [key, value] : from.system_attrs) set_system_attr(number, key, value);
  return number;
}

void StudyStore::record_heartbeat(int number, VirtualTime stamp_us) {
  SIM_ASSERT(number >= 0 && number < static_cast<int>(trials_.size()));
  if (static_cast<std::size_t>(number) >= heartbeat_at_us_.size()) {
    heartbeat_at_us_.resize(static_cast<std::size_t>(number) + 1, kNoHeartbeat);
  }
  VirtualTime& row = heartbeat_at_us_[static_cast<std::size_t>(number)];
  if (trials_[static_cast<std::size_t>(number)].state == TrialState::kRunning) {
    if (row != kNoHeartbeat) running_beats_.erase({row, number});
    running_beats_.insert({stamp_us, number});
  }
  row = stamp_us;
  ++version_;
}

std::optional<VirtualTime> StudyStore::heartbeat_at_us(int number) const {
  if (number < 0 || static_cast<std::size_t>(number) >= heartbeat_at_us_.size()) return std::nullopt;
  const VirtualTime at = heartbeat_at_us_[static_cast<std::size_t>(number)];
  if (at == kNoHeartbeat) return std::nullopt;
  return at;
}

bool StudyStore::is_stale_trial(int number, VirtualTime now_us, VirtualTime grace_us) const {
  const std::optional<VirtualTime> at = heartbeat_at_us(number);
  return at && now_us - *at > grace_us;
}

std::vector<int> StudyStore::stale_trial_numbers(VirtualTime now_us, VirtualTime grace_us) const {
  // Stale: now_us - stamp > grace_us, i.e. stamp < now_us - grace_us (the smallest stamps first).
  std::vector<int> out;
  for (const auto& [stamp, number] : running_beats_) {
    if (now_us - stamp <= grace_us) break;
    SIM_ASSERT(trials_[static_cast<std::size_t>(number)].state == TrialState::kRunning);
    out.push_back(number);
  }
  std::sort(out.begin(), out.end());
  return out;
}

VirtualTime StudyStore::renewed_stamp(const Claim& c, VirtualTime true_now_us) const {
  VirtualTime renewed = std::max(c.claimed_us, heartbeat_at_us(c.holder_trial).value_or(c.claimed_us));
  if (const std::optional<VirtualTime> beat = last_beat_us(c.holder_trial, true_now_us)) {
    renewed = std::max(renewed, beat_schedule(c.holder_trial)->clock.read(*beat));
  }
  return renewed;
}

bool StudyStore::is_stale_claim(const Claim& c, VirtualTime now_us, VirtualTime grace_us,
                                std::optional<VirtualTime> true_now_us) const {
  return now_us - renewed_stamp(c, true_now_us.value_or(now_us)) > grace_us;
}

void StudyStore::set_beat_schedule(int number, const BeatSchedule& schedule) {
  SIM_ASSERT(number >= 0 && number < static_cast<int>(trials_.size()));
  SIM_ASSERT(schedule.interval_us > 0 && schedule.start_us <= schedule.stop_us);
  SIM_ASSERT(schedule.stall_at_us < 0 ||
             (schedule.stall_at_us >= schedule.start_us && schedule.resume_us >= schedule.stall_at_us));
  if (static_cast<std::size_t>(number) >= beat_schedules_.size()) {
    beat_schedules_.resize(static_cast<std::size_t>(number) + 1);
  }
  BeatSchedule& slot = beat_schedules_[static_cast<std::size_t>(number)];
  SIM_ASSERT(slot.interval_us == 0 && "one beat schedule per trial");
  slot = schedule;
  ++version_;
}

const StudyStore::BeatSchedule* StudyStore::beat_schedule(int number) const {
  if (number < 0 || static_cast<std::size_t>(number) >= beat_schedules_.size()) return nullptr;
  const BeatSchedule& s = beat_schedules_[static_cast<std::size_t>(number)];
  return s.interval_us > 0 ? &s : nullptr;
}

namespace {

using Schedule = StudyStore::BeatSchedule;

// A schedule's beats are two arithmetic runs: [start, end1) and, after a stall, [resume, stop).
VirtualTime first_phase_end(const Schedule& s) { return s.stall_at_us >= 0 ? s.stall_at_us : s.stop_us; }

// The first beat after the stall: the first one due at or after its start, postponed to its end.
VirtualTime resume_beat(const Schedule& s) {
  const VirtualTime due = s.stall_at_us <= s.start_us
                              ? s.start_us
                              : s.start_us + (s.stall_at_us - s.start_us + s.interval_us - 1) / s.interval_us * s.interval_us;
  return std::max(due, s.resume_us);
}

// The last beat of the run [first, end) at or before t; nullopt if none.
std::optional<VirtualTime> last_in_run(VirtualTime first, VirtualTime end, VirtualTime interval, VirtualTime t) {
  if (t < first || first >= end) return std::nullopt;
  return first + (std::min(t, end - 1) - first) / interval * interval;
}

// The first beat of the run [first, end) strictly after t; nullopt if none.
std::optional<VirtualTime> next_in_run(VirtualTime first, VirtualTime end, VirtualTime interval, VirtualTime t) {
  const VirtualTime b = t < first ? first : first + ((t - first) / interval + 1) * interval;
  if (b >= end) return std::nullopt;
  return b;
}

std::optional<VirtualTime> next_beat_after(const Schedule& s, VirtualTime t) {
  if (auto b = next_in_run(s.start_us, first_phase_end(s), s.interval_us, t)) return b;
  if (s.stall_at_us < 0) return std::nullopt;
  return next_in_run(resume_beat(s), s.stop_us, s.interval_us, t);
}

// The last beat of the run that the beat at `b` belongs to.
VirtualTime last_of_run(const Schedule& s, VirtualTime b) {
  if (b < first_phase_end(s)) return *last_in_run(s.start_us, first_phase_end(s), s.interval_us, first_phase_end(s) - 1);
  return *last_in_run(resume_beat(s), s.stop_us, s.interval_us, s.stop_us);
}

// The smallest u >= lo with clock.read(u) > value (clock.read never decreases); kNeverUs if none
// within 2^40 us (12.7 days: beyond every run's time limit).
VirtualTime first_reading_above(const ProcessClock& clock, VirtualTime value, VirtualTime lo) {
  constexpr VirtualTime kHorizon = VirtualTime{1} << 40;
  if (clock.read(lo) > value) return lo;
  if (clock.drift_ppm == 0) return std::min(std::max(lo, value - clock.offset_us + 1), kNeverUs);
  VirtualTime below = lo;  // read(below) <= value
  VirtualTime step = 1;
  for (;;) {  // bounded: step doubles up to the horizon
    if (step > kHorizon) return kNeverUs;
    if (clock.read(lo + step) > value) break;
    below = lo + step;
    step *= 2;
  }
  VirtualTime above = lo + step;  // read(above) > value
  while (above - below > 1) {  // bounded: halves a range below 2^41
    const VirtualTime mid = below + (above - below) / 2;
    (clock.read(mid) > value ? above : below) = mid;
  }
  return above;
}

// An upper bound of checker.read(b + interval - 1) - holder.read(b), the largest staleness gap a
// checker can see in the beat interval that starts at beat b (both clocks are linear; the two
// truncations of ProcessClock::read add at most 2 us).
VirtualTime gap_bound(const ProcessClock& checker, const ProcessClock& holder, VirtualTime interval, VirtualTime b) {
  const VirtualTime end = b + interval - 1;
  return (end - b) + (checker.offset_us - holder.offset_us) + (end * checker.drift_ppm - b * holder.drift_ppm) / 1'000'000 + 2;
}

}  // namespace

std::optional<VirtualTime> StudyStore::last_beat_us(int number, VirtualTime t_us) const {
  const BeatSchedule* s = beat_schedule(number);
  if (s == nullptr) return std::nullopt;
  if (s->stall_at_us >= 0) {
    if (auto b = last_in_run(resume_beat(*s), s->stop_us, s->interval_us, t_us)) return b;
  }
  return last_in_run(s->start_us, first_phase_end(*s), s->interval_us, t_us);
}

VirtualTime StudyStore::claim_expiry_us(const Claim& c, const ProcessClock& checker, VirtualTime grace_us,
                                        VirtualTime from_us) const {
  const BeatSchedule* s = beat_schedule(c.holder_trial);
  VirtualTime t = from_us;
  for (int interval = 0; interval < kMaxExpiryScan; ++interval) {
    // From t to the next beat the newest renewal is constant.
    const VirtualTime renewed = renewed_stamp(c, t);
    const VirtualTime u = first_reading_above(checker, renewed + grace_us, t);
    const std::optional<VirtualTime> next = s != nullptr ? next_beat_after(*s, t) : std::nullopt;
    if (!next || u < *next) return u;
    t = *next;
    // Regular intervals [b, b + interval) of t's run that no checker reading can see expire are
    // skipped: the gap bound is linear in b, so its ends bound it.
    const VirtualTime last = last_of_run(*s, t);
    if (last - t >= 2 * s->interval_us &&
        std::max(gap_bound(checker, s->clock, s->interval_us, t),
                 gap_bound(checker, s->clock, s->interval_us, last - s->interval_us)) <= grace_us) {
      t = last;
    }
  }
  return t;  // scan budget spent: an early wake-up at a beat, never a late one
}

bool StudyStore::claim_combination(std::int64_t combination, WorkerId worker, int trial, VirtualTime now_us,
                                   std::optional<VirtualTime> lease_grace_us, std::int64_t* epoch_out,
                                   std::optional<VirtualTime> true_now_us) {
  auto [it, inserted] = claims_.try_emplace(combination, Claim{worker, trial, -1, now_us, 0});
  Claim& c = it->second;
  if (inserted) {
    c.epoch = ++claim_epochs_[combination];
    ++version_;
    ++claims_version_;
    if (epoch_out) *epoch_out = c.epoch;
    return true;
  }
  if (c.done_by_trial >= 0) return false;
  if (c.holder == worker && c.holder_trial == trial) {  // a retried request
    if (epoch_out) *epoch_out = c.epoch;
    return true;
  }
  if (lease_grace_us && is_stale_claim(c, now_us, *lease_grace_us, true_now_us)) {
    c.holder = worker;  // the lease expired: take it over
    c.holder_trial = trial;
    c.claimed_us = now_us;
    c.epoch = ++claim_epochs_[combination];
    ++version_;
    ++claims_version_;
    if (epoch_out) *epoch_out = c.epoch;
    return true;
  }
  return false;
}

bool StudyStore::release_claim_fenced(std::int64_t combination, std::int64_t epoch) {
  auto it = claims_.find(combination);
  if (it == claims_.end() || it->second.epoch != epoch || it->second.done_by_trial >= 0) return false;
  claims_.erase(it);
  ++version_;
  ++claims_version_;
  return true;
}

bool StudyStore::complete_combination_fenced(std::int64_t combination, int trial, std::int64_t epoch) {
  auto it = claims_.find(combination);
  if (it == claims_.end() || it->second.epoch != epoch) return false;
  Claim& c = it->second;
  if (c.done_by_trial >= 0) return c.done_by_trial == trial;
  c.done_by_trial = trial;
  ++version_;
  ++claims_version_;
  return true;
}

bool StudyStore::release_claim(std::int64_t combination, WorkerId worker) {
  auto it = claims_.find(combination);
  if (it == claims_.end() || it->second.holder != worker || it->second.done_by_trial >= 0) return false;
  claims_.erase(it);
  ++version_;
  ++claims_version_;
  return true;
}

bool StudyStore::complete_combination(std::int64_t combination, int trial) {
  Claim& c = claims_[combination];
  if (c.done_by_trial >= 0) return c.done_by_trial == trial;
  c.done_by_trial = trial;
  ++version_;
  ++claims_version_;
  return true;
}

}  // namespace samplersim
