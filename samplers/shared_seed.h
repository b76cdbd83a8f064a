// shared-seed: a coordination fix. Optuna 4.x's GridSampler, except that the permutation seed is
// agreed through the study: on its first trial each process stores its seed (the user's, else one
// from its own entropy) with an insert-if-absent on the study system attr "grid_sampler_seed" and
// builds its permutation from the value read back. So grid ids mean the same combination in every
// process without users fixing seeds, and a resumed study in a new process keeps the mapping.
// Otherwise it behaves exactly like the optuna-4 model (trial-number shortcut below N, draws from
// the target list beyond, stop rule in after_trial), so it keeps 4.x's end-of-grid repeats.
// Cost: one extra store operation per process.
#pragma once

#include <memory>

#include "samplers/optuna_grid.h"

namespace samplersim {

class SharedSeedSampler final : public Sampler {
 public:
  explicit SharedSeedSampler(const SamplerSetup& setup);

  void reseed_rng() override;
  void before_trial(TrialContext& trial) override;
  std::optional<int> suggest(TrialContext& trial, int param) override;
  bool after_trial(TrialContext& trial, TrialState state) override;

 private:
  SamplerSetup setup_;
  RandomStream entropy_;
  std::unique_ptr<OptunaGridSampler> grid_;  // built once the shared seed is known
};

}  // namespace samplersim
