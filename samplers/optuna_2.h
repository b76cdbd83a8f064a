// Optuna2GridSampler: the model of Optuna 2.9–2.10's GridSampler (policy `optuna-2`).
//
// What differs from the 3.x models (reference shared/reference/optuna-grid-behaviour.md, sections
// 0, 1.2, 1.5, 2.4, 4, 6.5):
//  - each dimension's values are sorted ascending before the product (`_all_grids`), so grid_id g
//    means the g-th combination of the sorted-value product; metrics still count the canonical
//    combination id (GridSpace), so `grid_` maps grid_id → canonical id;
//  - the id is drawn with the process's global Python `random` (random.choice: _randbelow(len),
//    which draws even for a one-element list); seed=None → an entropy-derived seed per process,
//    seed S → random.seed(S);
//  - no skip when the trial already carries grid_id / fixed_params (2.x always picks and
//    overwrites);
//  - reseed_rng is BaseSampler's no-op (the global random is never reseeded by optimize);
//  - running ids are excluded while other unvisited ids remain (2.9+, PR #2783), then the
//    "not finished" fallback, then the "all ids" fallback in the grid step; after_trial stops when
//    every id other than this trial's own is finished.
// Python's sorted() raises TypeError on a dimension mixing strings with numbers, and NaN makes its
// order ill-defined: the constructor throws std::invalid_argument naming the dimension instead.
// Invariants: every grid_id written is in [0, N); grid_ is a permutation of [0, N).
// Cost per trial: O(N) at the get_all_trials linearization point; construction O(N + Σ k log k).
#pragma once

#include <cstdint>
#include <vector>

#include "samplers/python_random.h"
#include "sim/sampler.h"

namespace samplersim {

struct GridParam;

// Indices of `param`'s values in the order Python's sorted() puts them (stable: equal values keep
// the user's order; bool is an int; int and float compare exactly by value; str by code point).
// Throws std::invalid_argument if the values mix str with numbers/bools, or a float is NaN.
std::vector<int> python_sorted_value_order(const GridParam& param);

class Optuna2GridSampler final : public Sampler {
 public:
  // Requires setup.values (the scenario's dimensions with their values).
  explicit Optuna2GridSampler(const SamplerSetup& setup);

  void reseed_rng() override {}
  void before_trial(TrialContext& trial) override;
  std::optional<int> suggest(TrialContext& trial, int param) override;
  bool after_trial(TrialContext& trial, TrialState state) override;

  // grid_id → canonical combination id (the sorted-value product in canonical numbering).
  const std::vector<std::int64_t>& grid_order() const { return grid_; }
  const PythonRandom& rng() const { return rng_; }

 private:
  const GridSpace& space_;
  int n_;
  PythonRandom rng_;
  std::vector<std::int64_t> grid_;
};

}  // namespace samplersim
