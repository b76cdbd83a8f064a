// GridRng: the random source of one Optuna GridSampler instance, of the kind its GridFamily row
// names: numpy's legacy RandomState (3.0+) or CPython's global `random` (2.x), seeded as the real
// library seeds it (reference shared/reference/optuna-grid-behaviour.md sections 1.5, 1.6, 6).
//
// Seeds: an explicit seed S gives RandomState(S) (S < 2^32, asserted) or random.seed(S). seed=None
// gives SeedWhenNone's rule: kZero → seed 0; kEntropy → a seed from this process's "OS entropy"
// stream (derived from the run seed and the process index: arbitrary but reproducible).
// reseed_rng (optimize with n_jobs > 1, before every trial job) reseeds numpy from the next entropy
// draw; CPython's global random is never reseeded (BaseSampler's no-op).
// Invariant: every draw comes from the bit-exact models in numpy_random.h / python_random.h.
// Cost: construction ~2.5 KB state init; choice_index < 2 raw draws on average.
#pragma once

#include <cstddef>
#include <cstdint>
#include <variant>
#include <vector>

#include "samplers/grid_family.h"
#include "samplers/numpy_random.h"
#include "samplers/python_random.h"
#include "sim/sampler.h"

namespace samplersim {

class GridRng {
 public:
  GridRng(const GridFamily& family, const SamplerSetup& setup);

  // BaseSampler.reseed_rng() as the family implements it.
  void reseed_rng();
  // Index k such that choice(L) returns L[k] for a list of n items (n ≥ 1): numpy draws nothing
  // for n == 1, Python draws at least once.
  std::size_t choice_index(std::size_t n);
  // The index the next choice_index(n) returns, without drawing (the state is unchanged). Cost:
  // as choice_index for numpy (NumpyRandomState::peek_choice_index); a 2.5 KB copy that draws for
  // CPython's random.
  std::size_t peek_choice_index(std::size_t n) const;
  // RandomState.shuffle of `_all_grids`. Only numpy families shuffle (a static_assert on the table).
  void shuffle(std::vector<std::int32_t>& grid);

  // The seed the RNG got at construction (the user's, 0, or the entropy draw): with the family's
  // RNG kind it determines every draw until the first reseed_rng.
  std::uint64_t construction_seed() const { return construction_seed_; }
  // The numpy RandomState (numpy families only), to save its state after a shuffle and to put a
  // saved one back: a sampler that takes a shared shuffled grid instead of shuffling restores the
  // state its own shuffle would have left (same seed, same N: same state).
  const NumpyRandomState& numpy() const;
  void restore_numpy(const NumpyRandomState& state);

 private:
  RandomStream entropy_;  // this process's "OS entropy"
  std::uint64_t construction_seed_ = 0;
  std::variant<NumpyRandomState, PythonRandom> rng_;
};

}  // namespace samplersim
