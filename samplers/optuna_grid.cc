#include "samplers/optuna_grid.h"

#include <algorithm>
#include <memory>
#include <numeric>

#include "samplers/cpython_set_order.h"
#include "samplers/grid_value_order.h"
#include "samplers/optuna_attrs.h"
#include "sim/invariant.h"

namespace samplersim {

OptunaGridSampler::OptunaGridSampler(const GridFamily& family, const SamplerSetup& setup)
    : family_(family),
      space_(*setup.grid),
      n_(static_cast<int>(setup.grid->size())),
      rng_(family, setup),
      grid_(value_ordered_grid(space_, family.value_order, setup.values)) {
  if (family_.shuffle_at_construction) rng_.shuffle(grid_);
  if (family_.study_view == StudyView::kProcessCache && caches_reads(setup.store_kind)) cache_.emplace();
  for (const auto& param : space_.params()) grid_values_ += param.value_count;
}

void OptunaGridSampler::reseed_rng() { rng_.reseed_rng(); }

WorkCheck OptunaGridSampler::before_ask(StoreClient& store) {
  refresh_view_at(CacheRefresh::kAsk, store);
  return {};
}

void OptunaGridSampler::refresh_view_at(CacheRefresh point, StoreClient& store) {
  if (cache_ && family_.cache_refresh == point) cache_->refresh(store);
}

std::vector<int> OptunaGridSampler::build_target_list(const std::vector<std::uint8_t>& visited,
                                                const std::vector<std::uint8_t>& running) const {
  std::vector<int> list;
  if (family_.exclude_running) list = samplersim::target_list(n_, visited, running);
  if (list.empty()) list = fallback_list(n_, visited);
  if (family_.target_order == TargetOrder::kAscending) std::sort(list.begin(), list.end());
  return list;
}

std::vector<int> OptunaGridSampler::read_target_list(StoreClient& store) {
  if (cache_) {
    const GridProgress p = cache_->progress(n_);
    store.walk_trials(cache_->trials(), grid_values_);
    return build_target_list(p.visited, p.running);
  }
  std::int64_t walked = 0;
  std::vector<int> list = store.get_all_trials([this, &walked](StudyStore& s) {
    walked = s.n_trials();
    // The index's flag vectors are exactly the visited / running masks over [0, N): grid ids never
    // exceed N − 1, and the index is sized to N.
    const AttrIndex& index = s.attr_index(kGridIdAttr, n_);
    SIM_ASSERT(index.size() == n_);
    return build_target_list(index.finished_flags(), index.running_flags());
  });
  store.walk_trials(walked, grid_values_);
  return list;
}

void OptunaGridSampler::before_trial(TrialContext& trial) {
  refresh_view_at(CacheRefresh::kGridStep, trial.store);
  const std::optional<std::int64_t> carried = trial.snapshot.system_attr(kGridIdAttr);
  if (family_.preset_trial == PresetTrial::kSkip && (carried || trial.snapshot.system_attr(kFixedParamsAttr))) {
    trial.label = carried.value_or(-1);
    return;
  }
  std::int64_t grid_id = -1;
  if (family_.trial_number_shortcut && trial.number < n_) {
    grid_id = trial.number;
  } else {
    std::vector<int> targets = read_target_list(trial.store);
    if (targets.empty()) {  // every id visited: Optuna warns and re-samples from the whole grid
      targets.resize(static_cast<std::size_t>(n_));
      std::iota(targets.begin(), targets.end(), 0);
    }
    trial.store.client_step(ClientStep::kDraw);
    trial.store.client_step(ClientStep::kDrawNative);
    grid_id = targets[rng_.choice_index(targets.size())];
    trial.store.note(TraceKind::kSamplerDraw, trial.number, grid_id, static_cast<std::int64_t>(targets.size()));
  }
  SIM_ASSERT(grid_id >= 0 && grid_id < n_);
  trial.store.set_trial_system_attr(trial.number, kSearchSpaceAttr, kSearchSpaceToken);
  trial.store.set_trial_system_attr(trial.number, kGridIdAttr, grid_id);
  if (cache_) cache_->record_own_grid_id(trial.number, grid_id);
  trial.label = grid_id;
}

std::optional<int> OptunaGridSampler::suggest(TrialContext& trial, int param) {
  const TrialRecord now = trial.store.get_trial(trial.number);
  const std::optional<std::int64_t> grid_id = now.system_attr(kGridIdAttr);
  if (!grid_id) return std::nullopt;  // the real sampler raises (3.x ValueError, 2.x KeyError)
  SIM_ASSERT(*grid_id >= 0 && *grid_id < n_);
  SIM_ASSERT(*grid_id == trial.label);
  return space_.value_of(grid_[static_cast<std::size_t>(*grid_id)], param);
}

bool OptunaGridSampler::stops(const StopCounts& c, std::int64_t own) const {
  // Reference 3.1: stop iff the target list without the "all ids" fallback is empty or is exactly
  // [own grid_id]: while ids neither finished nor running remain, the list is those ids.
  if (family_.exclude_running && c.open > 0) return c.open == 1 && c.own_open;
  return c.unfinished == 0 || (c.unfinished == 1 && own >= 0 && !c.own_finished);
}

bool OptunaGridSampler::after_trial(TrialContext& trial, TrialState state) {
  const std::int64_t own = trial.snapshot.system_attr(kGridIdAttr).value_or(-1);
  if (!cache_) {
    std::int64_t walked = 0;
    const bool stop = trial.store.get_all_trials([this, own, &walked](StudyStore& s) {
      walked = s.n_trials();
      const AttrIndex& index = s.attr_index(kGridIdAttr);
      // O(1) from the index. own_open = false: this trial is RUNNING with its grid_id written, so
      // its id is never open. (Under a stale-read fault whose view predates that write the list
      // rule could see [own]; the fresh view keeps the O(1) rule there, as it always has.)
      return stops(StopCounts{n_ - index.values_with_finished_or_running(), false,
                              n_ - index.values_with_finished(), index.has_finished(own)},
                   own);
    });
    trial.store.walk_trials(walked, grid_values_);
    return stop;
  }
  // The cached view: this process's last refresh plus its own writes; this trial is still RUNNING.
  const GridProgress p = cache_->progress(n_);
  trial.store.walk_trials(cache_->trials(), grid_values_);
  StopCounts c{n_, false, n_, false};
  for (std::size_t g = 0; g < static_cast<std::size_t>(n_); ++g) {
    c.open -= p.visited[g] | p.running[g];
    c.unfinished -= p.visited[g];
  }
  if (own >= 0 && own < n_) {
    const auto g = static_cast<std::size_t>(own);
    c.own_open = p.visited[g] == 0 && p.running[g] == 0;
    c.own_finished = p.visited[g] != 0;
  }
  const bool stop = stops(c, own);
  cache_->record_own_state(trial.number, state);  // the state write that follows goes through the cache
  return stop;
}

bool register_grid_family(const GridFamily& family) {
  return PolicyRegistry::add(PolicyInfo{
      std::string(family.policy), std::string(family.versions), std::string(family.summary),
      [family](const SamplerSetup& setup) -> std::unique_ptr<Sampler> {
        return std::make_unique<OptunaGridSampler>(family, setup);
      },
      /*make_driver=*/{}, family.client_profile});
}

}  // namespace samplersim
