// The unshuffled `_all_grids` of an Optuna GridSampler as canonical combination ids: entry g is the
// canonical id (GridSpace numbering) of the combination grid_id g names before any shuffle.
//
// Names are sorted in both orders (GridSpace does it). With ValueOrder::kUser (3.0+) each dimension
// keeps the user's value order, so the list is the identity. With kPythonSorted (2.x) each
// dimension's values are sorted as Python's sorted() sorts them first (reference
// shared/reference/optuna-grid-behaviour.md sections 1.1–1.3), so grid_id g means the g-th
// combination of the sorted-value product; metrics still count canonical ids.
// Errors: SamplerConstructionError(kUnsortableGrid) naming the dimension where sorted() raises
// TypeError (str mixed with numbers or bools, None mixed with anything): the real process dies
// before its first trial; std::invalid_argument where the model refuses what Python accepts with an
// ill-defined order (NaN among other values), and when kPythonSorted has no values.
// Invariant: the result is a permutation of [0, N). Cost: O(N·params + Σ k log k).
#pragma once

#include <cstdint>
#include <string>
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

// A GridSampler built over its own grid `own` (a worker group's: every dimension of `values`, in
// file order, each with a subset of its values in the group's order; issue 11): entry g is the
// canonical id (in `space`, the scenario's grid) of the combination its grid_id g names. Its size
// is the product of own's value counts. Errors as value_ordered_grid; std::invalid_argument if a
// value of `own` is not one of `values` (the loader guarantees it is).
std::vector<std::int64_t> own_grid_list(const GridSpace& space, ValueOrder order, const std::vector<GridParam>& values,
                                        const std::vector<GridParam>& own);

// What GridSampler's search-space check compares, as text: names sorted, each with its value reprs
// in the user's order (3.0+: compared position by position) or sorted (2.x: the values were sorted
// at construction). Two samplers share a search space iff their texts are equal.
std::string search_space_text(ValueOrder order, const std::vector<GridParam>& grid);

}  // namespace samplersim
