#include "samplers/process_study_cache.h"

#include "samplers/optuna_attrs.h"

#include <utility>

namespace samplersim {

void ProcessStudyCache::refresh(StoreClient& store) {
  std::vector<int> waiting;
  view_ = store.get_all_trials([this, &waiting](StudyStore& s) {
    std::vector<CachedTrial> view(static_cast<std::size_t>(s.n_trials()));
    for (const TrialRecord& t : s.trials()) {
      const bool counted = t.system_attr(kSearchSpaceAttr) == search_space_token_;
      view[static_cast<std::size_t>(t.number)] = {counted ? t.system_attr(grid_id_key_).value_or(-1) : -1, t.state};
      if (t.state == TrialState::kWaiting) waiting.push_back(t.number);
    }
    return view;
  });
  // The ask's pop reads its WAITING candidates from this refresh (3.1.0 Study._pop_waiting_trial_id:
  // get_all_trials(states=(WAITING,)) from the cache); the client uses them under an RDB preset.
  store.set_cached_waiting(std::move(waiting));
  for (const auto& [number, grid_id] : own_grid_ids_) entry(number).grid_id = grid_id;
  for (const auto& [number, state] : own_states_) entry(number).state = state;
}

ProcessStudyCache::CachedTrial& ProcessStudyCache::entry(int number) {
  if (static_cast<std::size_t>(number) >= view_.size()) view_.resize(static_cast<std::size_t>(number) + 1);
  return view_[static_cast<std::size_t>(number)];
}

void ProcessStudyCache::record_own_grid_id(int number, std::int64_t grid_id) {
  own_grid_ids_.emplace_back(number, grid_id);
  entry(number).grid_id = grid_id;
}

void ProcessStudyCache::record_own_state(int number, TrialState state) {
  own_states_.emplace_back(number, state);
  entry(number).state = state;
}

GridProgress ProcessStudyCache::progress(int n) const {
  GridProgress p{std::vector<std::uint8_t>(static_cast<std::size_t>(n), 0),
                 std::vector<std::uint8_t>(static_cast<std::size_t>(n), 0)};
  for (const CachedTrial& t : view_) {
    if (t.grid_id < 0 || t.grid_id >= n) continue;
    if (is_finished(t.state)) p.visited[static_cast<std::size_t>(t.grid_id)] = 1;
    if (t.state == TrialState::kRunning) p.running[static_cast<std::size_t>(t.grid_id)] = 1;
  }
  return p;
}

}  // namespace samplersim
