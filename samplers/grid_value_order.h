// The unshuffled `_all_grids` of an Optuna GridSampler as canonical combination ids: entry g is the
// canonical id (GridSpace numbering) of the combination grid_id g names before any shuffle.
//
// Names are sorted in both orders (GridSpace does it). With ValueOrder::kUser (3.0+) each dimension
// keeps the user's value order, so the list is the identity. With kPythonSorted (2.x) each
// dimension's values are sorted as Python's sorted() sorts them first (reference
// shared/reference/optuna-grid-behaviour.md sections 1.1–1.3), so grid_id g means the g-th
// combination of the sorted-value product; metrics still count canonical ids.
// Errors: std::invalid_argument naming the dimension where sorted() would raise TypeError (str
// mixed with numbers or bools) or order NaN ill-defined; and when kPythonSorted has no values.
// Invariant: the result is a permutation of [0, N). Cost: O(N·params + Σ k log k).
#pragma once

#include <cstdint>
#include <vector>

#include "samplers/grid_family.h"
#include "sim/grid_space.h"

namespace samplersim {

struct GridParam;  // sim/scenario_spec.h

// Indices of `param`'s values in the order Python's sorted() puts them (stable: equal values keep
// the user's order; bool is an int; int and float compare exactly by value; str by code point).
// Throws std::invalid_argument if the values mix str with numbers/bools, or a float is NaN.
std::vector<int> python_sorted_value_order(const GridParam& param);

// `values`: the scenario's dimensions in file order (SamplerSetup::values); read only for
// kPythonSorted.
std::vector<std::int64_t> value_ordered_grid(const GridSpace& space, ValueOrder order,
                                             const std::vector<GridParam>* values);

}  // namespace samplersim
