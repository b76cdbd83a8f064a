#include "samplers/optuna_31.h"
#include "sim/invariant.h"

#include <algorithm>
#include <cassert>
#include <numeric>

#include "samplers/cpython_set_order.h"

namespace samplersim {

namespace {
constexpr const char* kGridId = "grid_id";
constexpr const char* kSearchSpace = "search_space";
constexpr const char* kFixedParams = "fixed_params";
constexpr std::int64_t kSearchSpaceToken = 1;  // all workers share one search space

std::uint32_t initial_seed(const SamplerSetup& s, RandomStream& entropy) {
  if (s.seed) return static_cast<std::uint32_t>(*s.seed);
  return entropy.next_u32();  // RandomState() seeded from OS entropy
}
}  // namespace

Optuna31GridSampler::Optuna31GridSampler(const SamplerSetup& setup, TargetOrder order)
    : space_(*setup.grid),
      n_(static_cast<int>(setup.grid->size())),
      order_(order),
      entropy_(RandomStream::derive(setup.run_seed, StreamPurpose::kEntropy,
                                    static_cast<std::uint64_t>(setup.process))),
      rng_(initial_seed(setup, entropy_)) {
  SIM_ASSERT(!setup.seed || *setup.seed < (std::uint64_t{1} << 32));
}

void Optuna31GridSampler::reseed_rng() { rng_.reseed(entropy_.next_u32()); }

void Optuna31GridSampler::refresh(StoreClient& store) {
  cache_ = store.get_all_trials([](StudyStore& s) {
    std::vector<CachedTrial> view(static_cast<std::size_t>(s.n_trials()));
    for (const TrialRecord& t : s.trials()) {
      const bool counted = t.system_attr(kSearchSpace).has_value();
      view[static_cast<std::size_t>(t.number)] = {counted ? t.system_attr(kGridId).value_or(-1) : -1, t.state};
    }
    return view;
  });
  for (const auto& [number, grid_id] : own_grid_ids_) write_own_grid_id(number, grid_id);
  for (const auto& [number, state] : own_states_) write_own_state(number, state);
}

void Optuna31GridSampler::write_own_grid_id(int number, std::int64_t grid_id) {
  if (static_cast<std::size_t>(number) >= cache_.size()) cache_.resize(static_cast<std::size_t>(number) + 1);
  cache_[static_cast<std::size_t>(number)].grid_id = grid_id;
}

void Optuna31GridSampler::write_own_state(int number, TrialState state) {
  if (static_cast<std::size_t>(number) >= cache_.size()) cache_.resize(static_cast<std::size_t>(number) + 1);
  cache_[static_cast<std::size_t>(number)].state = state;
}

std::vector<int> Optuna31GridSampler::cached_target_list() const {
  std::vector<std::uint8_t> visited(static_cast<std::size_t>(n_), 0);
  std::vector<std::uint8_t> running(static_cast<std::size_t>(n_), 0);
  for (const CachedTrial& t : cache_) {
    if (t.grid_id < 0 || t.grid_id >= n_) continue;
    if (is_finished(t.state)) visited[static_cast<std::size_t>(t.grid_id)] = 1;
    if (t.state == TrialState::kRunning) running[static_cast<std::size_t>(t.grid_id)] = 1;
  }
  std::vector<int> list = target_list(n_, visited, running);
  if (list.empty()) list = fallback_list(n_, visited);
  if (order_ == TargetOrder::kAscending) std::sort(list.begin(), list.end());
  return list;
}

void Optuna31GridSampler::before_trial(TrialContext& trial) {
  refresh(trial.store);  // the ask's cache refresh
  if (trial.snapshot.system_attr(kGridId) || trial.snapshot.system_attr(kFixedParams)) return;
  std::vector<int> targets = cached_target_list();
  if (targets.empty()) {  // every id visited: Optuna warns and re-samples from the whole grid
    targets.resize(static_cast<std::size_t>(n_));
    std::iota(targets.begin(), targets.end(), 0);
  }
  const std::int64_t grid_id = targets[rng_.choice_index(targets.size())];
  trial.store.note(TraceKind::kSamplerDraw, trial.number, grid_id, static_cast<std::int64_t>(targets.size()));
  SIM_ASSERT(grid_id >= 0 && grid_id < n_);
  trial.store.set_trial_system_attr(trial.number, kSearchSpace, kSearchSpaceToken);
  trial.store.set_trial_system_attr(trial.number, kGridId, grid_id);
  own_grid_ids_.emplace_back(trial.number, grid_id);
  write_own_grid_id(trial.number, grid_id);
}

std::optional<int> Optuna31GridSampler::suggest(TrialContext& trial, int param) {
  const TrialRecord now = trial.store.get_trial(trial.number);
  const std::optional<std::int64_t> grid_id = now.system_attr(kGridId);
  if (!grid_id) return std::nullopt;  // ValueError: the trial has no grid_id
  SIM_ASSERT(*grid_id >= 0 && *grid_id < n_);
  return space_.value_of(*grid_id, param);  // unshuffled: grid_id is the canonical id
}

bool Optuna31GridSampler::after_trial(TrialContext& trial, TrialState state) {
  // The cached view: this process's last refresh plus its own writes; this trial is still RUNNING.
  const std::int64_t own = trial.snapshot.system_attr(kGridId).value_or(-1);
  const std::vector<int> targets = cached_target_list();
  const bool stop = targets.empty() || (targets.size() == 1 && targets.front() == own);
  // The state write that follows goes through the same cache.
  own_states_.emplace_back(trial.number, state);
  write_own_state(trial.number, state);
  return stop;
}

namespace {
[[maybe_unused]] const bool kRegistered = PolicyRegistry::add(PolicyInfo{
    "optuna-3.1", "Optuna 3.0.1–3.1 (RDB storage)",
    "GridSampler 3.1: as 3.2, but after_trial sees the process's cached view (its last ask + own writes)",
    [](const SamplerSetup& setup) -> std::unique_ptr<Sampler> {
      return std::make_unique<Optuna31GridSampler>(setup);
    }});
}  // namespace

}  // namespace samplersim
