#include "sim/grid_space.h"

#include <algorithm>

#include "sim/invariant.h"
#include "sim/scenario_spec.h"

namespace samplersim {

GridSpace::GridSpace(std::vector<Param> params) : params_(std::move(params)) {
  std::stable_sort(params_.begin(), params_.end(),
                   [](const Param& a, const Param& b) { return a.name < b.name; });
  strides_.assign(params_.size(), 1);
  for (std::size_t i = params_.size(); i-- > 0;) {
    SIM_ASSERT(params_[i].value_count > 0);
    strides_[i] = size_;
    // Checked: a product beyond 2^63 would be undefined behaviour; callers refuse such grids first.
    SIM_ASSERT(!__builtin_mul_overflow(size_, static_cast<std::int64_t>(params_[i].value_count), &size_) &&
               "grid size overflows 64 bits");
  }
}

int GridSpace::value_of(std::int64_t c, int p) const {
  SIM_ASSERT(c >= 0 && c < size_);
  const auto i = static_cast<std::size_t>(p);
  return static_cast<int>((c / strides_[i]) % params_[i].value_count);
}

std::int64_t GridSpace::combination_of(const std::vector<int>& values) const {
  SIM_ASSERT(values.size() == params_.size());
  std::int64_t c = 0;
  for (std::size_t i = 0; i < params_.size(); ++i) {
    SIM_ASSERT(values[i] >= 0 && values[i] < params_[i].value_count);
    c += values[i] * strides_[i];
  }
  return c;
}

GridSpace grid_space_of(const ScenarioSpec& spec) {
  std::vector<GridSpace::Param> params;
  for (std::size_t i = 0; i < spec.grid.size(); ++i) {
    params.push_back({spec.grid[i].name, static_cast<int>(spec.grid[i].values.size()),
                      static_cast<int>(i)});
  }
  return GridSpace(std::move(params));
}

GridSpace objective_space_of(const ScenarioSpec& spec) {
  if (spec.objective.params.empty()) return grid_space_of(spec);
  std::vector<GridSpace::Param> params;
  for (const std::string& name : spec.objective.params) {
    for (std::size_t i = 0; i < spec.grid.size(); ++i) {
      if (spec.grid[i].name == name) {
        params.push_back({name, static_cast<int>(spec.grid[i].values.size()), static_cast<int>(i)});
      }
    }
  }
  return GridSpace(std::move(params));
}

std::string format_combination(const ScenarioSpec& spec, std::int64_t c) {
  const GridSpace grid = objective_space_of(spec);
  SIM_ASSERT(c >= 0 && c < grid.size());
  std::string out = "{";
  for (int p = 0; p < grid.param_count(); ++p) {
    const auto& param = grid.params()[static_cast<std::size_t>(p)];
    const GridParam& src = spec.grid[static_cast<std::size_t>(param.file_position)];
    if (p > 0) out += ", ";
    out += src.name + "=" + src.values[static_cast<std::size_t>(grid.value_of(c, p))].repr();
  }
  return out + "}";
}

}  // namespace samplersim
