#include "samplers/optuna_2.h"
#include "sim/invariant.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <numeric>
#include <stdexcept>

#include "samplers/cpython_set_order.h"
#include "sim/scenario_spec.h"

namespace samplersim {

namespace {
constexpr const char* kGridId = "grid_id";
constexpr const char* kSearchSpace = "search_space";
constexpr std::int64_t kSearchSpaceToken = 1;  // all workers share one search space

bool is_numeric(const GridValue& v) { return v.kind != GridValue::Kind::kString; }

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

std::uint64_t initial_python_seed(const SamplerSetup& s) {
  if (s.seed) return *s.seed;  // random.seed(S)
  // The global random is seeded from OS entropy at interpreter start: an arbitrary stream.
  return RandomStream::derive(s.run_seed, StreamPurpose::kEntropy, static_cast<std::uint64_t>(s.process))
      .next_u64();
}
}  // namespace

std::vector<int> python_sorted_value_order(const GridParam& param) {
  const auto& values = param.values;
  const bool any_string = std::any_of(values.begin(), values.end(),
                                      [](const GridValue& v) { return !is_numeric(v); });
  const bool any_number = std::any_of(values.begin(), values.end(), is_numeric);
  if (any_string && any_number) {
    throw std::invalid_argument("optuna-2 sorts each dimension's values (Optuna 2.x) and dimension '" +
                                param.name + "' mixes strings with numbers, which raises TypeError in Python");
  }
  for (const GridValue& v : values) {
    if (v.kind == GridValue::Kind::kFloat && std::isnan(v.float_value) && values.size() > 1) {
      throw std::invalid_argument("optuna-2 sorts each dimension's values (Optuna 2.x) and dimension '" +
                                  param.name + "' contains nan, whose sorted() order is ill-defined");
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

Optuna2GridSampler::Optuna2GridSampler(const SamplerSetup& setup)
    : space_(*setup.grid), n_(static_cast<int>(setup.grid->size())), rng_(initial_python_seed(setup)) {
  if (setup.values == nullptr) throw std::invalid_argument("optuna-2 needs the grid's values");
  const auto& params = space_.params();
  std::vector<std::vector<int>> order(params.size());
  for (std::size_t p = 0; p < params.size(); ++p) {
    order[p] = python_sorted_value_order(
        (*setup.values).at(static_cast<std::size_t>(params[p].file_position)));
  }
  grid_.resize(static_cast<std::size_t>(n_));
  std::vector<int> value_indices(params.size());
  for (std::int64_t g = 0; g < n_; ++g) {
    // The sorted-value product has the same shape as the canonical one: the canonical
    // decomposition of g gives the rank of each value in its sorted dimension.
    for (std::size_t p = 0; p < params.size(); ++p) {
      const int rank = space_.value_of(g, static_cast<int>(p));
      value_indices[p] = order[p][static_cast<std::size_t>(rank)];
    }
    grid_[static_cast<std::size_t>(g)] = space_.combination_of(value_indices);
  }
}

void Optuna2GridSampler::before_trial(TrialContext& trial) {
  // 2.x has no grid_id / fixed_params check: it always picks and overwrites.
  const int n = n_;
  std::vector<int> targets = trial.store.get_all_trials([n](StudyStore& s) {
    const AttrIndex& index = s.attr_index(kGridId);
    std::vector<std::uint8_t> visited(static_cast<std::size_t>(n), 0);
    std::vector<std::uint8_t> running(static_cast<std::size_t>(n), 0);
    for (int g = 0; g < n; ++g) {
      visited[static_cast<std::size_t>(g)] = index.has_finished(g) ? 1 : 0;
      running[static_cast<std::size_t>(g)] = index.has_running(g) ? 1 : 0;
    }
    std::vector<int> list = target_list(n, visited, running);
    if (list.empty()) list = fallback_list(n, visited);
    return list;
  });
  if (targets.empty()) {  // every id visited: warn and pick from the whole grid
    targets.resize(static_cast<std::size_t>(n_));
    std::iota(targets.begin(), targets.end(), 0);
  }
  const std::int64_t grid_id = targets[rng_.choice_index(targets.size())];
  trial.store.note(TraceKind::kSamplerDraw, trial.number, grid_id, static_cast<std::int64_t>(targets.size()));
  SIM_ASSERT(grid_id >= 0 && grid_id < n_);
  trial.store.set_trial_system_attr(trial.number, kSearchSpace, kSearchSpaceToken);
  trial.store.set_trial_system_attr(trial.number, kGridId, grid_id);
}

std::optional<int> Optuna2GridSampler::suggest(TrialContext& trial, int param) {
  const TrialRecord now = trial.store.get_trial(trial.number);
  const std::optional<std::int64_t> grid_id = now.system_attr(kGridId);
  if (!grid_id) return std::nullopt;  // KeyError: the trial has no grid_id
  SIM_ASSERT(*grid_id >= 0 && *grid_id < n_);
  return space_.value_of(grid_[static_cast<std::size_t>(*grid_id)], param);
}

bool Optuna2GridSampler::after_trial(TrialContext& trial, TrialState /*state*/) {
  // Stop iff every id other than this trial's own is finished (reference 3.1).
  const std::int64_t own = trial.snapshot.system_attr(kGridId).value_or(-1);
  const std::int64_t n = n_;
  return trial.store.get_all_trials([n, own](StudyStore& s) {
    const AttrIndex& index = s.attr_index(kGridId);
    if (n - index.values_with_finished_or_running() > 0) return false;
    const std::int64_t unfinished = n - index.values_with_finished();
    return unfinished == 0 || (unfinished == 1 && own >= 0 && !index.has_finished(own));
  });
}

namespace {
[[maybe_unused]] const bool kRegistered = PolicyRegistry::add(PolicyInfo{
    "optuna-2", "Optuna 2.9–2.10",
    "GridSampler 2.9: values sorted, id drawn from the unvisited ids with the global Python random",
    [](const SamplerSetup& setup) -> std::unique_ptr<Sampler> {
      return std::make_unique<Optuna2GridSampler>(setup);
    }});
}  // namespace

}  // namespace samplersim
