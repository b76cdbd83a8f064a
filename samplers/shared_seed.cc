#include "samplers/shared_seed.h"
#include "sim/invariant.h"

#include <cassert>

namespace samplersim {

namespace {
constexpr const char* kSeedAttr = "grid_sampler_seed";
}  // namespace

SharedSeedSampler::SharedSeedSampler(const SamplerSetup& setup)
    : setup_(setup),
      // A stream of its own, so the inner sampler's entropy stream is the one 4.x would use.
      entropy_(RandomStream::derive(setup.run_seed, StreamPurpose::kUser,
                                    static_cast<std::uint64_t>(setup.process), 2)) {}

void SharedSeedSampler::reseed_rng() {
  if (grid_) grid_->reseed_rng();
}

void SharedSeedSampler::before_trial(TrialContext& trial) {
  if (!grid_) {
    const std::int64_t mine = setup_.seed ? static_cast<std::int64_t>(*setup_.seed) : entropy_.next_u32();
    const std::int64_t agreed = trial.store.study_attr_insert_if_absent(kSeedAttr, mine);
    if (!grid_) {  // another thread of this process may have built it meanwhile
      SamplerSetup s = setup_;
      s.seed = static_cast<std::uint64_t>(agreed);
      // The optuna-4 row; the seed is always explicit here (the agreed one).
      grid_ = std::make_unique<OptunaGridSampler>(*find_grid_family("optuna-4"), s);
    }
  }
  grid_->before_trial(trial);
}

std::optional<int> SharedSeedSampler::suggest(TrialContext& trial, int param) {
  SIM_ASSERT(grid_);
  return grid_->suggest(trial, param);
}

bool SharedSeedSampler::after_trial(TrialContext& trial, TrialState state) {
  SIM_ASSERT(grid_);
  return grid_->after_trial(trial, state);
}

namespace {
[[maybe_unused]] const bool kRegistered = PolicyRegistry::add(PolicyInfo{
    "shared-seed", "coordination fix",
    "fix: 4.x GridSampler whose permutation seed is agreed via a study attr insert-if-absent",
    [](const SamplerSetup& setup) -> std::unique_ptr<Sampler> {
      return std::make_unique<SharedSeedSampler>(setup);
    }});
}  // namespace

}  // namespace samplersim
