#include "sim/study_store.h"

#include <cassert>

namespace samplersim {

std::optional<std::int64_t> TrialRecord::system_attr(std::string_view key) const {
  for (const auto& [k, v] : system_attrs) {
    if (k == key) return v;
  }
  return std::nullopt;
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
  assert(n <= kMaxValue);
  if (n <= size()) return;
  counts_.resize(static_cast<std::size_t>(n), {});
  finished_flags_.resize(static_cast<std::size_t>(n), 0);
  running_flags_.resize(static_cast<std::size_t>(n), 0);
}

void AttrIndex::refresh_flags(std::int64_t value) {
  finished_flags_[static_cast<std::size_t>(value)] = has_finished(value) ? 1 : 0;
  running_flags_[static_cast<std::size_t>(value)] = has_running(value) ? 1 : 0;
}

void AttrIndex::add(std::int64_t value, TrialState s) {
  if (value < 0 || value >= kMaxValue) return;
  ensure_size(value + 1);
  const bool was = has_finished(value);
  const bool was_touched = touched(value);
  ++counts_[static_cast<std::size_t>(value)][static_cast<std::size_t>(s)];
  if (!was && has_finished(value)) ++values_with_finished_;
  if (!was_touched && touched(value)) ++values_touched_;
  refresh_flags(value);
}

void AttrIndex::remove(std::int64_t value, TrialState s) {
  if (value < 0 || value >= size()) return;
  const bool was = has_finished(value);
  const bool was_touched = touched(value);
  int& c = counts_[static_cast<std::size_t>(value)][static_cast<std::size_t>(s)];
  assert(c > 0);
  --c;
  if (was && !has_finished(value)) --values_with_finished_;
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
  return trials_.back().number;
}

std::vector<int> StudyStore::waiting_trial_numbers() const {
  std::vector<int> out;
  if (by_state_[static_cast<std::size_t>(TrialState::kWaiting)] == 0) return out;
  for (const TrialRecord& t : trials_) {
    if (t.state == TrialState::kWaiting) out.push_back(t.number);
  }
  return out;
}

bool StudyStore::claim_waiting(int number, WorkerId worker, VirtualTime now_us) {
  TrialRecord& t = mutable_trial(number);
  if (t.state != TrialState::kWaiting) return false;
  index_state_change(t, TrialState::kWaiting, TrialState::kRunning);
  --by_state_[static_cast<std::size_t>(TrialState::kWaiting)];
  ++by_state_[static_cast<std::size_t>(TrialState::kRunning)];
  t.state = TrialState::kRunning;
  t.worker = worker;
  t.created_us = now_us;
  ++version_;
  return true;
}

const TrialRecord& StudyStore::trial(int number) const {
  assert(number >= 0 && number < static_cast<int>(trials_.size()));
  return trials_[static_cast<std::size_t>(number)];
}

TrialRecord& StudyStore::mutable_trial(int number) {
  assert(number >= 0 && number < static_cast<int>(trials_.size()));
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
  for (auto& [k, v] : t.system_attrs) {
    if (k == key) {
      if (it != indexes_.end()) {
        it->second.remove(v, t.state);
        it->second.add(value, t.state);
      }
      v = value;
      ++version_;
      return;
    }
  }
  t.system_attrs.emplace_back(std::string(key), value);
  if (it != indexes_.end()) it->second.add(value, t.state);
  ++version_;
}

void StudyStore::set_param(int number, int param, int value_index) {
  TrialRecord& t = mutable_trial(number);
  assert(param >= 0 && param < param_count_);
  t.params[static_cast<std::size_t>(param)] = value_index;
  ++version_;
}

bool StudyStore::set_state(int number, TrialState state, VirtualTime now_us) {
  TrialRecord& t = mutable_trial(number);
  if (is_finished(t.state)) return false;
  index_state_change(t, t.state, state);
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
