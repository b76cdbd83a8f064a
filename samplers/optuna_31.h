// Optuna31GridSampler: the model of Optuna 3.0.1–3.1's GridSampler on RDB storage (policy
// `optuna-3.1`, the family Debian bookworm ships as python3-optuna 3.1.0).
//
// Choice logic as the 3.2 model (reference shared/reference/optuna-grid-behaviour.md sections 1–4):
// unshuffled user-order grid, numpy RandomState(seed) `choice` over the CPython-set-ordered target
// list (running ids excluded while others remain, then the not-finished fallback, then all ids),
// skip when the trial carries grid_id / fixed_params, reseed_rng from entropy (n_jobs > 1).
// The id is chosen in sample_relative (inside Trial.__init__, the same place in the model).
//
// What differs ("View freshness", 2.x–3.1 RDB): the process's _CachedStorage refreshes at every
// ask, and get_all_trials returns that cache plus the process's own writes (all its threads). The
// model keeps that cache inside the sampler (one instance per process, as the real cache):
//  - the refresh is the get_all_trials read the grid step makes (the real one happens a few store
//    operations earlier, at ask; the grid step's read then sees the same cache). Skipped trials
//    (retry copies, enqueued) still refresh;
//  - own writes (grid_id in the grid step, the final state right after after_trial) go into the
//    cache at once and are re-applied after every refresh (they are final, so this is idempotent);
//  - after_trial reads only the cache: no store operation, and other processes' progress since this
//    process's last ask is invisible, so a worker may miss a stop that 3.2+ would take.
// With one process (any storage) or InMemory storage the view is always fresh and the model equals
// `optuna-3.2`. Cost per trial: O(T + N) for T trials in the study (the refresh copies every
// trial's grid_id and state), so prefer optuna-3.2 for huge studies where staleness is irrelevant.
#pragma once

#include <cstdint>
#include <vector>

#include "samplers/numpy_random.h"
#include "sim/sampler.h"

namespace samplersim {

class Optuna31GridSampler final : public Sampler {
 public:
  // kCPythonSet is the real library. kAscending sorts the target list: a deliberately wrong model
  // that exists only so the reality tests can prove they detect a wrong set order (it is never
  // registered outside the test binary).
  enum class TargetOrder { kCPythonSet, kAscending };

  explicit Optuna31GridSampler(const SamplerSetup& setup, TargetOrder order = TargetOrder::kCPythonSet);

  void reseed_rng() override;
  void before_trial(TrialContext& trial) override;
  std::optional<int> suggest(TrialContext& trial, int param) override;
  bool after_trial(TrialContext& trial, TrialState state) override;

  const NumpyRandomState& rng() const { return rng_; }

 private:
  struct CachedTrial {
    std::int64_t grid_id = -1;  // -1: no grid_id (yet)
    TrialState state = TrialState::kRunning;
  };

  void refresh(StoreClient& store);
  void write_own_grid_id(int number, std::int64_t grid_id);
  void write_own_state(int number, TrialState state);
  // L from the cache: targets minus running, else the not-finished fallback (possibly empty).
  std::vector<int> cached_target_list() const;

  const GridSpace& space_;
  int n_;
  TargetOrder order_;
  RandomStream entropy_;
  NumpyRandomState rng_;
  std::vector<CachedTrial> cache_;  // by trial number
  std::vector<std::pair<int, std::int64_t>> own_grid_ids_;
  std::vector<std::pair<int, TrialState>> own_states_;
};

}  // namespace samplersim
