// GridSpace: the parameter grid as samplers see it, and the canonical numbering of combinations.
//
// Parameter names are sorted (Python string order = code point order = UTF-8 byte order), as
// Optuna's GridSampler sorts them. A combination's canonical id is its index in the product over the
// sorted names with each dimension in the user's value order, the last name varying fastest: the
// unshuffled `_all_grids` of Optuna 3.x. Outcome metrics count evaluations per canonical id, never
// per grid_id (under per-process shuffles one grid_id means different combinations).
// Immutable after construction; cheap to copy (two small vectors).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace samplersim {

struct ScenarioSpec;

class GridSpace {
 public:
  struct Param {
    std::string name;
    int value_count = 0;
    int file_position = 0;  // position of the dimension in the scenario file
  };

  // `params` in file order; they are sorted by name here.
  explicit GridSpace(std::vector<Param> params);

  const std::vector<Param>& params() const { return params_; }  // sorted by name
  int param_count() const { return static_cast<int>(params_.size()); }
  std::int64_t size() const { return size_; }

  // Value index of sorted parameter `p` in canonical combination `c`.
  int value_of(std::int64_t c, int p) const;
  // Canonical id of the combination given value indices per sorted parameter.
  std::int64_t combination_of(const std::vector<int>& values) const;

 private:
  std::vector<Param> params_;
  std::vector<std::int64_t> strides_;
  std::int64_t size_ = 1;
};

// The GridSpace of a scenario's grid (names sorted, value counts; file positions kept).
GridSpace grid_space_of(const ScenarioSpec& spec);

// The space outcome metrics count points in: the [grid] dimensions the objective suggests
// (spec.objective.params; all of them when it is empty, then equal to grid_space_of). File
// positions index spec.grid. (Issue 11: an objective suggesting a subset repeats its points.)
GridSpace objective_space_of(const ScenarioSpec& spec);

// "{x=2, y='a'}" for canonical combination `c` of the scenario's objective space
// (objective_space_of: the grid itself unless the objective suggests a subset), the space outcome
// metrics and violations count in: names sorted, values as the scenario file spells them (Python
// repr). O(params). Requires 0 <= c < objective_space_of(spec).size().
std::string format_combination(const ScenarioSpec& spec, std::int64_t c);

}  // namespace samplersim
