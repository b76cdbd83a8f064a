// OptunaGridSampler: the model of Optuna's GridSampler, one class driven by a table of
// per-version behaviour (GridFamily) rather than branches per version.
//
// What each family row means is documented field by field below; the facts come from
// ../shared/reference/optuna-grid-behaviour.md (sections 1–4) and are summarised in the README's
// "Fidelity" section. The model draws only from numpy-exact MT19937 (NumpyRandomState) and turns
// the unvisited set into a list in CPython's set order, so given the same seed and interleaving
// it makes the same choices as the real library.
// Invariants: every grid_id written is in [0, N); the permutation is fixed after construction.
// Cost per trial: O(N) at the get_all_trials linearization point (building the target list).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "samplers/numpy_random.h"
#include "sim/sampler.h"

namespace samplersim {

struct GridFamily {
  std::string policy;              // registry name
  std::string versions;            // e.g. "Optuna 3.4–3.6"
  std::string summary;             // one line for `samplersim list`
  bool shuffle_at_construction;    // 3.4+: `_all_grids` shuffled with the sampler's RandomState
  bool trial_number_shortcut;      // 3.4+: trial k < N takes grid_id k without reading or drawing
  bool none_means_seed_zero;       // 4.0+: LazyRandomState(seed or 0)
  bool skip_if_grid_id_present;    // 3.0+: a retry copy / enqueued trial keeps its grid_id
  bool exclude_running;            // 2.9+: running ids excluded from the targets while others remain
};

class OptunaGridSampler final : public Sampler {
 public:
  OptunaGridSampler(const GridFamily& family, const SamplerSetup& setup);

  void reseed_rng() override;
  void before_trial(TrialContext& trial) override;
  std::optional<int> suggest(TrialContext& trial, int param) override;
  bool after_trial(TrialContext& trial, TrialState state) override;

  // The grid list as this instance holds it: combination id of each grid_id.
  const std::vector<std::int64_t>& permutation() const { return grid_; }
  const NumpyRandomState& rng() const { return rng_; }

 private:
  std::vector<int> target_list(StudyStore& store) const;

  const GridFamily& family_;
  const GridSpace& space_;
  int n_;
  RandomStream entropy_;  // this process's "OS entropy"
  NumpyRandomState rng_;
  std::vector<std::int64_t> grid_;  // `_all_grids`: grid_id → canonical combination
};

// Registers one family as a policy (used by the per-version .cc files).
bool register_grid_family(const GridFamily& family);

}  // namespace samplersim
