#include "samplers/grid_value_order.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>
#include <string>

#include "sim/invariant.h"
#include "sim/sampler.h"
#include "sim/scenario_spec.h"

namespace samplersim {

namespace {

bool is_numeric(const GridValue& v) { return v.kind != GridValue::Kind::kString && v.kind != GridValue::Kind::kNone; }

// Python's `a < b` for two numeric values (bool is an int; int vs float compares exactly).
bool numeric_less(const GridValue& a, const GridValue& b) {
  auto as_int = [](const GridValue& v) {
    return v.kind == GridValue::Kind::kBool ? std::int64_t{v.bool_value} : v.int_value;
  };
  const bool a_float = a.kind == GridValue::Kind::kFloat;
  const bool b_float = b.kind == GridValue::Kind::kFloat;
  if (!a_float && !b_float) return as_int(a) < as_int(b);
  // long double holds every int64 exactly on x86-64 (64-bit mantissa), so this is exact there.
  const long double x = a_float ? static_cast<long double>(a.float_value) : static_cast<long double>(as_int(a));
  const long double y = b_float ? static_cast<long double>(b.float_value) : static_cast<long double>(as_int(b));
  return x < y;
}

std::string unsortable(const GridParam& param, const char* why) {
  return "Optuna 2.x sorts each dimension's values and dimension '" + param.name + "' " + why;
}

}  // namespace

std::vector<int> python_sorted_value_order(const GridParam& param) {
  const auto& values = param.values;
  const bool any_string = std::any_of(values.begin(), values.end(),
                                      [](const GridValue& v) { return !is_numeric(v); });
  const bool any_number = std::any_of(values.begin(), values.end(), is_numeric);
  const bool any_none = std::any_of(values.begin(), values.end(),
                                    [](const GridValue& v) { return v.kind == GridValue::Kind::kNone; });
  if (any_string && any_number) {
    throw SamplerConstructionError(PyError::kUnsortableGrid,
                                   unsortable(param, "mixes strings with numbers, which raises TypeError in Python"));
  }
  if (any_none && values.size() > 1) {
    throw SamplerConstructionError(PyError::kUnsortableGrid,
                                   unsortable(param, "mixes None with other values, which raises TypeError in Python"));
  }
  for (const GridValue& v : values) {
    if (v.kind == GridValue::Kind::kFloat && std::isnan(v.float_value) && values.size() > 1) {
      throw std::invalid_argument(unsortable(param, "contains nan, whose sorted() order is ill-defined"));
    }
  }
  std::vector<int> order(values.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](int i, int j) {
    const GridValue& a = values[static_cast<std::size_t>(i)];
    const GridValue& b = values[static_cast<std::size_t>(j)];
    if (any_string) return a.string_value < b.string_value;  // code point order = UTF-8 byte order
    return numeric_less(a, b);
  });
  return order;
}

std::vector<std::int64_t> value_ordered_grid(const GridSpace& space, ValueOrder order,
                                             const std::vector<GridParam>* values) {
  std::vector<std::int64_t> grid(static_cast<std::size_t>(space.size()));
  std::iota(grid.begin(), grid.end(), std::int64_t{0});
  if (order == ValueOrder::kUser) return grid;
  if (values == nullptr) throw std::invalid_argument("a GridSampler that sorts values needs the grid's values");
  const auto& params = space.params();
  std::vector<std::vector<int>> sorted(params.size());
  for (std::size_t p = 0; p < params.size(); ++p) {
    sorted[p] = python_sorted_value_order(values->at(static_cast<std::size_t>(params[p].file_position)));
  }
  std::vector<int> value_indices(params.size());
  for (std::int64_t& g : grid) {
    // The sorted-value product has the same shape as the canonical one: the canonical
    // decomposition of g gives the rank of each value in its sorted dimension.
    for (std::size_t p = 0; p < params.size(); ++p) {
      const int rank = space.value_of(g, static_cast<int>(p));
      value_indices[p] = sorted[p][static_cast<std::size_t>(rank)];
    }
    g = space.combination_of(value_indices);
  }
  return grid;
}

namespace {

// Indices of `own`'s values in `full`'s value list (same dimension).
std::vector<int> own_to_full(const GridParam& full, const GridParam& own) {
  std::vector<int> map;
  for (const GridValue& v : own.values) {
    const auto it = std::find_if(full.values.begin(), full.values.end(), [&](const GridValue& w) { return w.grid_equal(v); });
    if (it == full.values.end()) throw std::invalid_argument("a group grid value of '" + own.name + "' is not in [grid]");
    map.push_back(static_cast<int>(it - full.values.begin()));
  }
  return map;
}

}  // namespace

std::vector<std::int64_t> own_grid_list(const GridSpace& space, ValueOrder order, const std::vector<GridParam>& values,
                                        const std::vector<GridParam>& own) {
  const auto& params = space.params();
  std::vector<GridSpace::Param> own_params;
  for (const GridParam& p : own) own_params.push_back({p.name, static_cast<int>(p.values.size()), static_cast<int>(own_params.size())});
  const GridSpace own_space(std::move(own_params));
  SIM_ASSERT(own_space.param_count() == space.param_count());
  // Per sorted parameter: the `values` index of the value at each position of the grid's order.
  std::vector<std::vector<int>> position_to_full(params.size());
  for (std::size_t p = 0; p < params.size(); ++p) {
    const auto f = static_cast<std::size_t>(params[p].file_position);
    const std::vector<int> map = own_to_full(values.at(f), own.at(f));
    std::vector<int> order_of(map.size());
    std::iota(order_of.begin(), order_of.end(), 0);
    if (order == ValueOrder::kPythonSorted) order_of = python_sorted_value_order(own.at(f));
    for (int k : order_of) position_to_full[p].push_back(map[static_cast<std::size_t>(k)]);
  }
  std::vector<std::int64_t> grid(static_cast<std::size_t>(own_space.size()));
  std::vector<int> value_indices(params.size());
  for (std::size_t g = 0; g < grid.size(); ++g) {
    for (std::size_t p = 0; p < params.size(); ++p) {
      const int position = own_space.value_of(static_cast<std::int64_t>(g), static_cast<int>(p));
      value_indices[p] = position_to_full[p][static_cast<std::size_t>(position)];
    }
    grid[g] = space.combination_of(value_indices);
  }
  return grid;
}

std::string search_space_text(ValueOrder order, const std::vector<GridParam>& grid) {
  std::vector<const GridParam*> sorted;
  for (const GridParam& p : grid) sorted.push_back(&p);
  std::sort(sorted.begin(), sorted.end(), [](const GridParam* a, const GridParam* b) { return a->name < b->name; });
  std::string text;
  for (const GridParam* p : sorted) {
    text += p->name + "=[";
    std::vector<int> positions(p->values.size());
    std::iota(positions.begin(), positions.end(), 0);
    if (order == ValueOrder::kPythonSorted) positions = python_sorted_value_order(*p);
    for (int k : positions) text += p->values[static_cast<std::size_t>(k)].repr() + ",";
    text += "];";
  }
  return text;
}

}  // namespace samplersim
