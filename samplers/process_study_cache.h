// ProcessStudyCache: one process's cached view of the study, as Optuna 2.x–3.1's `_CachedStorage`
// over RDB storage keeps it (reference shared/reference/optuna-grid-behaviour.md sections 2, 9.8;
// docs/fidelity.md: 3.0–3.1 RDB cache staleness). Used by GridFamily rows with
// StudyView::kProcessCache.
//
// The view is the study as of the last refresh (one get_all_trials store operation) plus every
// write of this process since (all its threads: one instance per process, as the real cache). Own
// writes are final (a grid_id written by the grid step, a trial's final state), so re-applying
// them after each refresh is idempotent. Reading the view is no store operation: other processes'
// progress since the refresh is invisible, which is what lets a 3.1 worker miss a stop.
// Only trials carrying `search_space` count (same-space trials, reference 1.4).
// Cost: refresh O(T + own writes) for T trials; progress O(T + N). Not thread-safe (fibers only).
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

#include "sim/store_client.h"

namespace samplersim {

// Per grid id: has a finished trial (visited) / has a RUNNING trial (running), 0 or 1.
struct GridProgress {
  std::vector<std::uint8_t> visited;
  std::vector<std::uint8_t> running;
};

class ProcessStudyCache {
 public:
  // Counts the trials whose `search_space` attr is `search_space_token`, by their `grid_id_key` attr.
  ProcessStudyCache(const char* grid_id_key, std::int64_t search_space_token)
      : grid_id_key_(grid_id_key), search_space_token_(search_space_token) {}

  void refresh(StoreClient& store);
  void record_own_grid_id(int number, std::int64_t grid_id);
  void record_own_state(int number, TrialState state);
  // Visited / running flags over grid ids [0, n) in the view.
  GridProgress progress(int n) const;
  // Trials in the view (the grid sampler's walk covers each).
  std::int64_t trials() const { return static_cast<std::int64_t>(view_.size()); }

 private:
  struct CachedTrial {
    std::int64_t grid_id = -1;  // -1: no grid_id (yet), or not a same-space trial
    TrialState state = TrialState::kRunning;
  };
  CachedTrial& entry(int number);

  const char* grid_id_key_;
  std::int64_t search_space_token_;
  std::vector<CachedTrial> view_;  // by trial number
  std::vector<std::pair<int, std::int64_t>> own_grid_ids_;
  std::vector<std::pair<int, TrialState>> own_states_;
};

}  // namespace samplersim
