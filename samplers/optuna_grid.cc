#include "samplers/optuna_grid.h"

#include <algorithm>
#include <atomic>
#include <bit>
#include <cstring>
#include <limits>
#include <memory>
#include <mutex>
#include <numeric>
#include <set>
#include <stdexcept>
#include <string_view>
#include <tuple>
#include <type_traits>

#include <fmt/format.h>

#include "samplers/cpython_set_order.h"
#include "samplers/grid_value_order.h"
#include "samplers/set_order_tracker.h"
#include "samplers/optuna_attrs.h"
#include "sim/sampler_share.h"
#include "sim/scenario_spec.h"
#include "sim/fnv1a.h"
#include "sim/invariant.h"

namespace samplersim {

namespace {

// `_all_grids` of a sampler over the setup's grid (or the group's own grid).
std::vector<std::int64_t> all_grids(const GridFamily& family, const GridSpace& space, const SamplerSetup& setup) {
  if (setup.sampler_grid == nullptr) return value_ordered_grid(space, family.value_order, setup.values);
  SIM_ASSERT(setup.values != nullptr);
  return own_grid_list(space, family.value_order, *setup.values, *setup.sampler_grid);
}

// The permutation key is built per sampler construction (every process of every run), so it is
// written as fixed-width binary fields and length-prefixed text, not formatted: each field has a
// fixed width or a length before it, so the key is self-delimiting and two keys are equal exactly
// when every field is. Native byte order: a key lives in one process's SamplerShare only.
// A writer first only counts the bytes (no output), then copies them into a string of exactly that
// size: one allocation and no capacity check per field.
class KeyWriter {
 public:
  explicit KeyWriter(char* out) : out_(out) {}
  template <class T>
  void raw(T value) {
    static_assert(std::is_trivially_copyable_v<T>);
    if (out_ != nullptr) std::memcpy(out_ + size_, &value, sizeof(T));
    size_ += sizeof(T);
  }
  void text(std::string_view text) {
    raw(static_cast<std::uint64_t>(text.size()));
    if (out_ != nullptr) std::memcpy(out_ + size_, text.data(), text.size());
    size_ += text.size();
  }
  std::size_t size() const { return size_; }

 private:
  char* out_;  // null: count only
  std::size_t size_ = 0;
};

// An exact, self-delimiting record of `params` (names and every field of every value).
void write_params(KeyWriter& w, const std::vector<GridParam>& params) {
  w.raw(static_cast<std::uint64_t>(params.size()));
  for (const GridParam& p : params) {
    w.text(p.name);
    w.raw(static_cast<std::uint64_t>(p.values.size()));
    for (const GridValue& v : p.values) {
      w.raw(static_cast<std::uint8_t>(v.kind));
      w.raw(v.int_value);
      w.raw(std::bit_cast<std::uint64_t>(v.float_value));
      w.text(v.string_value);
      w.raw(static_cast<std::uint8_t>(v.bool_value ? 1 : 0));
    }
  }
}

// Everything the permutation (and the RNG state after its shuffle) depends on, exactly. The
// fields that differ between the samplers of a run (the seed) come first, so that map lookups
// compare few bytes.
void write_key_fields(KeyWriter& w, const GridFamily& family, const GridSpace& space, const SamplerSetup& setup,
                      const GridRng& rng) {
  w.raw(static_cast<std::uint8_t>(family.value_order));
  w.raw(static_cast<std::uint8_t>(family.shuffle_at_construction ? 1 : 0));
  if (family.shuffle_at_construction) {
    w.raw(static_cast<std::uint8_t>(family.rng));
    w.raw(rng.construction_seed());
  }
  w.raw(static_cast<std::uint64_t>(space.params().size()));
  for (const GridSpace::Param& p : space.params()) {
    w.text(p.name);
    w.raw(static_cast<std::int64_t>(p.value_count));
    w.raw(static_cast<std::int64_t>(p.file_position));
  }
  w.raw(static_cast<std::uint8_t>(setup.values != nullptr ? 1 : 0));
  if (setup.values != nullptr) write_params(w, *setup.values);
  w.raw(static_cast<std::uint8_t>(setup.sampler_grid != nullptr ? 1 : 0));
  if (setup.sampler_grid != nullptr) write_params(w, *setup.sampler_grid);
}

// The SamplerShare key: the type's prefix, then the fields above. Cost: two passes over O(total
// values) fields, one allocation, no formatting.
std::string permutation_key(const GridFamily& family, const GridSpace& space, const SamplerSetup& setup,
                            const GridRng& rng) {
  constexpr std::string_view kPrefix = "optuna-grid-permutation|";
  KeyWriter count(nullptr);
  write_key_fields(count, family, space, setup, rng);
  std::string key(kPrefix.size() + count.size(), '\0');
  kPrefix.copy(key.data(), kPrefix.size());
  KeyWriter write(key.data() + kPrefix.size());
  write_key_fields(write, family, space, setup, rng);
  SIM_ASSERT(write.size() == count.size());
  return key;
}

// The permutation a private build gives: `_all_grids` (shuffled with `rng` if the row says so, in
// which case the RNG state after it is saved) and its inverse over the scenario's grid.
std::shared_ptr<const GridPermutation> build_permutation(const GridFamily& family, const GridSpace& space,
                                                         const SamplerSetup& setup, GridRng& rng) {
  constexpr std::int64_t kMaxIds = std::numeric_limits<std::int32_t>::max();
  if (space.size() > kMaxIds) {
    throw std::invalid_argument(fmt::format("grid of {} points: the Optuna GridSampler model holds grid ids as "
                                            "int32 (fewer than 2^31 points expected)", space.size()));
  }
  auto perm = std::make_shared<GridPermutation>();
  {
    const std::vector<std::int64_t> wide = all_grids(family, space, setup);
    SIM_ASSERT(static_cast<std::int64_t>(wide.size()) <= kMaxIds);
    perm->grid.assign(wide.begin(), wide.end());  // every entry is a canonical id < space.size() < 2^31
  }
  if (family.shuffle_at_construction) {
    rng.shuffle(perm->grid);
    perm->rng_after = rng.numpy();
  }
  perm->grid_id_of.assign(static_cast<std::size_t>(space.size()), -1);
  for (std::size_t g = 0; g < perm->grid.size(); ++g) {
    perm->grid_id_of[static_cast<std::size_t>(perm->grid[g])] = static_cast<std::int32_t>(g);
  }
  return perm;
}

// The setup's shared permutation for this sampler (built here, with `rng`, if it is the first of
// its key), with `rng` left as a private build leaves it.
std::shared_ptr<const GridPermutation> shared_permutation(const GridFamily& family, const GridSpace& space,
                                                          const SamplerSetup& setup, GridRng& rng) {
  if (setup.share == nullptr) return build_permutation(family, space, setup, rng);
  bool built = false;
  std::shared_ptr<const GridPermutation> perm = setup.share->get_or_build<GridPermutation>(
      permutation_key(family, space, setup, rng), [&] {
        built = true;
        return build_permutation(family, space, setup, rng);
      });
  if (!built && perm->rng_after) rng.restore_numpy(*perm->rng_after);
  return perm;
}

// A search space other than [grid]'s: its token (never kSearchSpaceToken) and an interned grid_id
// key naming it. Interned keys live for the program (traces keep pointers to attr keys).
std::pair<std::int64_t, const char*> other_search_space(const std::string& text) {
  static std::mutex mutex;
  static std::set<std::string> keys;  // node-based: pointers stay valid
  const auto token = static_cast<std::int64_t>(fnv1a_64(text) >> 2) + 2;
  const std::lock_guard<std::mutex> lock(mutex);
  const std::string& key = *keys.insert(fmt::format("{}@{:x}", kGridIdAttr, token)).first;
  return {token, key.c_str()};
}

// Peak bytes one `_all_grids` copy costs per grid point while a run holds it: measured with
// optuna-3.6 and seed=None on a 10^6-point grid, 64 processes against 16 (peak RSS 1,721 vs 822
// MiB: 18.75 MiB more per process). The copy keeps 8 bytes per point (grid ids and their inverse);
// the rest is the int64 list it is built from and the allocator's slack.
constexpr std::int64_t kPeakBytesPerGridPoint = 20;

// The distinct permutation keys of a run (one shared copy each, above): one for a row that does not
// shuffle; else one per distinct construction seed (entropy-seeded processes count one each),
// per search space (a group with its own grid has its own copies).
std::int64_t distinct_permutations(const GridFamily& family, const ScenarioSpec& spec, const SeedPolicy& policy) {
  if (!family.shuffle_at_construction) return 1;
  std::set<std::pair<std::size_t, std::uint64_t>> seeded;  // (search space, seed)
  std::int64_t entropy = 0;
  int process = 0;
  const std::vector<WorkerGroup> groups = worker_groups(spec);
  for (std::size_t g = 0; g < groups.size(); ++g) {
    const std::size_t space = groups[g].grid.empty() ? 0 : g + 1;
    for (int p = 0; p < groups[g].processes; ++p, ++process) {
      std::optional<std::uint64_t> seed = groups[g].seed ? groups[g].seed->seed : policy.seed_for_process(process);
      if (!seed && family.seed_when_none == SeedWhenNone::kZero) seed = 0;
      if (seed) {
        seeded.emplace(space, *seed);
      } else {
        ++entropy;
      }
    }
  }
  return static_cast<std::int64_t>(seeded.size()) + entropy;
}

}  // namespace

OptunaGridSampler::OptunaGridSampler(const GridFamily& family, const SamplerSetup& setup)
    : family_(family),
      threads_(setup.threads),
      space_(*setup.grid),
      rng_(family, setup),
      permutation_(shared_permutation(family, space_, setup, rng_)),
      grid_(permutation_->grid),
      n_(static_cast<int>(grid_.size())),
      search_space_token_(kSearchSpaceToken),
      grid_id_key_(kGridIdAttr),
      grid_id_of_(permutation_->grid_id_of) {
  if (setup.sampler_grid != nullptr && setup.values != nullptr &&
      search_space_text(family.value_order, *setup.sampler_grid) != search_space_text(family.value_order, *setup.values)) {
    std::tie(search_space_token_, grid_id_key_) = other_search_space(search_space_text(family.value_order, *setup.sampler_grid));
  }
  if (family_.study_view == StudyView::kProcessCache && caches_reads(setup.store_kind)) {
    cache_.emplace(grid_id_key_, search_space_token_);
  }
  if (setup.sampler_grid != nullptr) {
    for (const GridParam& param : *setup.sampler_grid) grid_values_ += static_cast<std::int64_t>(param.values.size());
  } else {
    for (const auto& param : space_.params()) grid_values_ += param.value_count;
  }
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

namespace {

// The index's id sets as the target-list entry points enumerate them.
AscendingIds ids_of(const AttrIndex& index) {
  return AscendingIds{[&index] { return index.unfinished_ids().members(); }, [&index] { return index.free_ids().members(); }};
}

// What the target-list rules need of the index over grid ids [0, n), without a scan.
ListCounts counts_of(const AttrIndex& index, int n) {
  SIM_ASSERT(index.size() == n);
  ListCounts c;
  c.n = static_cast<std::size_t>(n);
  c.visited = static_cast<std::size_t>(index.values_with_finished());
  c.running = static_cast<std::size_t>(index.values_with_running());
  c.free = static_cast<std::size_t>(index.free_ids().count());
  c.max_unvisited = static_cast<std::ptrdiff_t>(index.unfinished_ids().last());
  c.max_free = static_cast<std::ptrdiff_t>(index.free_ids().last());
  SIM_ASSERT(static_cast<std::int64_t>(c.n - c.visited) == index.unfinished_ids().count());
  return c;
}

std::atomic<bool> g_tracked_lists{true};
std::atomic<std::int64_t> g_tracked_draws{0};

// The index's set-order tracker (created on first use, then kept with the index and shared by every
// process that reads it), brought up to the index's current ids.
const SetOrderTracker& synced_tracker(const AttrIndex& index) {
  AttrIndexConsumer& consumer = index.consumer();
  if (!consumer.state) {
    consumer.state = std::make_shared<SetOrderTracker>();  // the only consumer type of a grid_id index
    consumer.changed.clear();
  }
  auto& tracker = *static_cast<SetOrderTracker*>(consumer.state.get());
  tracker.sync(index.unfinished_ids(), index.free_ids(), consumer.changed);
  consumer.changed.clear();
  return tracker;
}

}  // namespace

void use_tracked_target_lists(bool on) { g_tracked_lists.store(on); }
std::int64_t tracked_target_draws() { return g_tracked_draws.load(); }

std::vector<int> OptunaGridSampler::index_target_list(const AttrIndex& index) const {
  const ListCounts c = counts_of(index, n_);
  std::vector<int> list;
  if (family_.exclude_running && c.free > 0) list = target_list(c, ids_of(index), index.running_flags().data());
  if (list.empty() && c.visited < c.n) list = fallback_list(c, ids_of(index));
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
    // The index covers exactly the grid ids [0, N): grid ids never exceed N − 1, and it is sized to N.
    return index_target_list(s.attr_index(grid_id_key_, n_));
  });
  store.walk_trials(walked, grid_values_);
  return list;
}


std::optional<OptunaGridSampler::TargetDraw> OptunaGridSampler::draw_at_read(StoreClient& store,
                                                                            std::vector<int>& targets) {
  if (cache_ || threads_ != 1) {
    targets = read_target_list(store);
    return std::nullopt;
  }
  std::int64_t walked = 0;
  std::optional<TargetDraw> draw = store.get_all_trials([this, &walked, &targets](StudyStore& s) -> std::optional<TargetDraw> {
    walked = s.n_trials();
    const AttrIndex& index = s.attr_index(grid_id_key_, n_);
    const ListCounts c = counts_of(index, n_);
    const IdBitset& free = index.free_ids();
    const IdBitset& unfinished = index.unfinished_ids();
    const bool sorted = family_.target_order == TargetOrder::kAscending;
    const IdBitset* from = nullptr;  // L is this set's members in ascending order; null: all ids
    const SetOrderTracker* tracked = nullptr;  // L is the tracker's slot order of the free ids
    if (family_.exclude_running && c.free > 0) {
      if (!sorted && target_list_shape(c) != ListShape::kAscending) {
        if (!g_tracked_lists.load(std::memory_order_relaxed) || !SetOrderTracker::applies(c)) {
          targets = index_target_list(index);
          return std::nullopt;
        }
        tracked = &synced_tracker(index);
      } else {
        from = &free;
      }
    } else if (c.visited < c.n) {
      if (!sorted && fallback_list_shape(c) != ListShape::kAscending) {
        targets = index_target_list(index);
        return std::nullopt;
      }
      from = &unfinished;
    }
    // One thread per process: nothing else draws from this sampler's RNG before the grid step
    // does, so the index it will draw can be computed here. Without drawing (a peek), because
    // this may run more than once (a lost response is retried) and only the last run's answer is
    // returned.
    TargetDraw d;
    d.size = from != nullptr ? from->count() : 0;
    if (tracked != nullptr) {
      d.size = static_cast<std::int64_t>(c.free);
      SIM_ASSERT(tracked->size() == d.size);
    }
    d.drawn_from = from != nullptr || tracked != nullptr ? d.size : n_;
    d.index = static_cast<std::int64_t>(rng_.peek_choice_index(static_cast<std::size_t>(d.drawn_from)));
    if (tracked != nullptr) {
      d.grid_id = tracked->target_at(d.index);
      g_tracked_draws.fetch_add(1, std::memory_order_relaxed);
    } else {
      d.grid_id = from != nullptr ? from->select(d.index) : d.index;
    }
    return d;
  });
  store.walk_trials(walked, grid_values_);
  return draw;
}

void OptunaGridSampler::before_trial(TrialContext& trial) {
  refresh_view_at(CacheRefresh::kGridStep, trial.store);
  const std::optional<std::int64_t> carried = trial.snapshot.system_attr(grid_id_key_);
  if (family_.preset_trial == PresetTrial::kSkip && (carried || trial.snapshot.system_attr(kFixedParamsAttr))) {
    trial.label = carried.value_or(-1);
    return;
  }
  std::int64_t grid_id = -1;
  if (family_.trial_number_shortcut && trial.number < n_) {
    grid_id = trial.number;
  } else {
    std::vector<int> targets;
    const std::optional<TargetDraw> early = draw_at_read(trial.store, targets);
    // 2.0–2.3: the step that takes the last unfinished id (or finds none) stops the study.
    const std::int64_t size = early ? early->size : static_cast<std::int64_t>(targets.size());
    if (family_.stop_decision == StopDecision::kAsk && size <= 1) trial.stop_requested = true;
    if (!early && targets.empty()) {  // every id visited: Optuna warns and re-samples from the whole grid
      targets.resize(static_cast<std::size_t>(n_));
      std::iota(targets.begin(), targets.end(), 0);
    }
    trial.store.client_step(ClientStep::kDraw);
    trial.store.client_step(ClientStep::kDrawNative);
    if (early) {
      const auto k = static_cast<std::int64_t>(rng_.choice_index(static_cast<std::size_t>(early->drawn_from)));
      SIM_ASSERT(k == early->index && "the draw at the read predicted the grid step's draw");
      grid_id = early->grid_id;
    } else {
      grid_id = targets[rng_.choice_index(targets.size())];
    }
    const std::int64_t drawn_from = early ? early->drawn_from : static_cast<std::int64_t>(targets.size());
    trial.store.note(TraceKind::kSamplerDraw, trial.number, grid_id, drawn_from);
  }
  SIM_ASSERT(grid_id >= 0 && grid_id < n_);
  trial.store.set_trial_system_attr(trial.number, kSearchSpaceAttr, search_space_token_);
  trial.store.set_trial_system_attr(trial.number, grid_id_key_, grid_id);
  if (cache_) cache_->record_own_grid_id(trial.number, grid_id);
  trial.label = grid_id;
}

std::optional<int> OptunaGridSampler::suggest(TrialContext& trial, int param) {
  const TrialView now = trial.store.own_trial_view(trial.number);  // no copy of the record
  const std::optional<std::int64_t> grid_id = now.system_attr(grid_id_key_);
  if (!grid_id) {  // an enqueued trial without this name fixed (3.0+; 2.x always draws a grid_id)
    trial.raised = PyError::kEnqueueMissingParam;
    return std::nullopt;
  }
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

std::int64_t OptunaGridSampler::target_count(const StopCounts& c) const {
  return family_.exclude_running && c.open > 0 ? c.open : c.unfinished;
}

bool OptunaGridSampler::decide_after_trial(TrialContext& trial, const StopCounts& c, std::int64_t own) const {
  if (family_.stop_decision == StopDecision::kAsk) return false;  // 2.0–2.3 have no after_trial
  // One id left: after_trial reads its own grid_id with get_trial_system_attrs (optuna/samplers/
  // _grid.py, 3.0.0–4.9.0), a get_trial of the trial (optuna/storages/_base.py). Timed under the
  // RDB presets only (StoreClient::read_own_attrs); the value is the snapshot's (its own write).
  if (target_count(c) == 1) trial.store.read_own_attrs(trial.number);
  if (own < 0 && target_count(c) == 1) {
    trial.raised = PyError::kKeyErrorGridId;  // optuna/samplers/_grid.py after_trial, 3.0.0–master
    return false;
  }
  return stops(c, own);
}

bool OptunaGridSampler::after_trial(TrialContext& trial, TrialState state) {
  const std::int64_t own = trial.snapshot.system_attr(grid_id_key_).value_or(-1);
  if (!cache_) {
    std::int64_t walked = 0;
    const StopCounts c = trial.store.get_all_trials([this, own, &walked](StudyStore& s) {
      walked = s.n_trials();
      const AttrIndex& index = s.attr_index(grid_id_key_);
      // O(1) from the index. own_open = false: this trial is RUNNING with its grid_id written, so
      // its id is never open. (Under a stale-read fault whose view predates that write the list
      // rule could see [own]; the fresh view keeps the O(1) rule there, as it always has.)
      return StopCounts{n_ - index.values_with_finished_or_running(), false, n_ - index.values_with_finished(),
                        index.has_finished(own)};
    });
    trial.store.walk_trials(walked, grid_values_);
    return decide_after_trial(trial, c, own);
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
  const bool stop = decide_after_trial(trial, c, own);
  cache_->record_own_state(trial.number, state);  // the state write that follows goes through the cache
  return stop;
}

std::int64_t OptunaGridSampler::earlier_trial_attrs(std::int64_t combination, std::optional<std::int64_t> grid_id,
                                                    std::vector<std::pair<std::string, std::int64_t>>& attrs) const {
  std::int64_t id = -1;
  if (grid_id) {
    id = *grid_id;
  } else if (combination >= 0) {
    id = grid_id_of_[static_cast<std::size_t>(combination)];
  }
  if (id < 0 || id >= n_) return -1;
  attrs.emplace_back(kSearchSpaceAttr, search_space_token_);
  attrs.emplace_back(grid_id_key_, id);
  return id;
}

bool register_grid_family(const GridFamily& family) {
  PolicyInfo info{std::string(family.policy), std::string(family.versions), std::string(family.summary),
                  [family](const SamplerSetup& setup) -> std::unique_ptr<Sampler> {
                    return std::make_unique<OptunaGridSampler>(family, setup);
                  }};
  info.client_profile = family.client_profile;
  info.features = family.features;
  info.sampler_bytes = [family](const ScenarioSpec& spec, const SeedPolicy& policy) {
    return distinct_permutations(family, spec, policy) * spec.combinations() * kPeakBytesPerGridPoint;
  };
  return PolicyRegistry::add(std::move(info));
}

}  // namespace samplersim
