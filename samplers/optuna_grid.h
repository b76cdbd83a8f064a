// OptunaGridSampler: the model of Optuna's GridSampler, every modelled version in one class driven
// by its GridFamily row (grid_family.h; the rows are in optuna_versions.cc). No branch here names a
// version: each difference between versions is a column the code reads.
//
// One trial, as the real library runs it (reference shared/reference/optuna-grid-behaviour.md
// sections 1–4, summarised in the README's "Fidelity" section):
//  - construction: `_all_grids` in the row's value order, shuffled with the RNG if the row says so;
//  - ask: refresh a cached view if the row keeps one and refreshes it there (before_ask);
//  - grid step (inside Trial.__init__): refresh a cached view (if the row keeps one, at its refresh
//    point); skip a trial carrying grid_id / fixed_params (if the row skips); take grid_id = trial
//    number below N (if the row has the shortcut); otherwise read the study, build the target list
//    L in CPython set order (running ids excluded while others remain, if the row says so; then the
//    not-finished fallback; then all ids with a warning) and draw choice(L); write `search_space`,
//    then `grid_id`, as two store operations;
//  - suggest: read the trial and return the value grid_id names (nullopt: the real sampler raises);
//  - after_trial (before the state write): stop iff every grid id other than this trial's own has
//    a finished trial, in the row's study view.
// Under a store preset the grid step's and after_trial's walks over the study's trials cost client
// CPU (StoreClient::walk_trials, per trial in the view) and the draw costs a sampler step.
// The trial's label (TrialContext::label) is the grid_id it carries after the grid step.
// Invariants: every grid_id written is in [0, N); `grid_` is a permutation of [0, N), fixed after
// construction; the grid_id suggest reads equals the label (nothing else writes a trial's grid_id).
// Errors: std::invalid_argument from construction for a grid the row's value order refuses, and
// for a grid of 2^31 points or more (grid ids and canonical ids are held as int32).
// Cost per trial: O(N) at the get_all_trials linearization point (building L) with a fresh view;
// O(T + N) with a cached view (T trials in the study). after_trial with a fresh view is O(1).
//
// Shared permutation (issue 15): `_all_grids` and its inverse live in one immutable GridPermutation
// per distinct key, taken from the run's SamplerShare (SamplerSetup::share; sim/sampler_share.h).
// The key names everything they depend on, exactly: the scenario's grid space and values, the
// sampler's own grid, the row's value order and whether it shuffles, and, for a shuffling row,
// the seed the RNG got at construction (the user's, 0 for seed=None in 4.x, or the process's
// entropy draw: entropy-seeded processes share only when their drawn seeds are equal, which is
// then provably the same shuffle). A sampler that takes a shared shuffled grid restores the RNG
// state saved after the builder's shuffle, so its later draws are exactly those of a private build.
// Lifetime: each sampler holds a shared_ptr, so the permutation lives while any sampler or the
// run's share does. Thread safety: the permutation is immutable; the share is mutex-guarded.
// Cost: memory 8 bytes per point per distinct key (4 for `_all_grids`, 4 for the inverse over the
// scenario's grid), instead of 16 bytes per point per process; construction O(N) once per key
// (value order, shuffle, inverse) plus O(total values) per sampler for the key (fixed-width binary
// fields and length-prefixed names, appended without formatting). Without a share
// (hand-built setups) every sampler builds its own, with identical results.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "samplers/grid_family.h"
#include "samplers/grid_rng.h"
#include "samplers/numpy_random.h"
#include "samplers/process_study_cache.h"
#include "sim/sampler.h"

namespace samplersim {

class AttrIndex;  // sim/study_store.h

// One `_all_grids` with its inverse, immutable once built; shared by the samplers of a run whose
// permutation keys are equal (see above).
struct GridPermutation {
  std::vector<std::int32_t> grid;        // grid_id → canonical combination (`_all_grids`)
  std::vector<std::int32_t> grid_id_of;  // canonical combination → grid_id (-1: not in this grid)
  std::optional<NumpyRandomState> rng_after;  // the RNG just after the shuffle (shuffling rows)
};

// How a grid step draws from a wrapped (non-ascending) target list where SetOrderTracker applies
// (samplers/set_order_tracker.h): from the index's tracker (the default), or by building the list
// as the literal model does. Both give the same draws; the switch exists so that tests and
// benchmarks can hold the two paths against each other. Process-wide; not for concurrent runs.
void use_tracked_target_lists(bool on);
// Draws taken from a tracker since the process started (tests: the tracked path was exercised).
std::int64_t tracked_target_draws();

class OptunaGridSampler final : public Sampler {
 public:
  OptunaGridSampler(const GridFamily& family, const SamplerSetup& setup);

  void reseed_rng() override;
  WorkCheck before_ask(StoreClient& store) override;
  void before_trial(TrialContext& trial) override;
  std::optional<int> suggest(TrialContext& trial, int param) override;
  bool after_trial(TrialContext& trial, TrialState state) override;
  std::int64_t earlier_trial_attrs(std::int64_t combination, std::optional<std::int64_t> grid_id,
                                   std::vector<std::pair<std::string, std::int64_t>>& attrs) const override;

  // `_all_grids` as this instance holds it: the canonical combination of each grid_id.
  const std::vector<std::int32_t>& grid_list() const { return grid_; }
  // The permutation object this instance holds (shared with equal-keyed samplers of its run).
  const std::shared_ptr<const GridPermutation>& permutation() const { return permutation_; }
  // This instance's RNG (tests compare a shared build's state with a private one's).
  const GridRng& rng() const { return rng_; }

 private:
  // The view refresh at `point`, if the row keeps a cached view refreshed there.
  void refresh_view_at(CacheRefresh point, StoreClient& store);
  // L from visited / running flags over [0, N), without the "all ids" fallback (possibly empty).
  std::vector<int> build_target_list(const std::vector<std::uint8_t>& visited,
                                     const std::vector<std::uint8_t>& running) const;
  // L (as build_target_list gives it) from the store's grid-id index: its counts and id sets,
  // without a scan of every id.
  std::vector<int> index_target_list(const AttrIndex& index) const;
  // L as the grid step reads it in the row's study view.
  std::vector<int> read_target_list(StoreClient& store);
  // The grid step's draw from L made at the read, without building L: with a fresh view and one
  // thread per process, when L is its id set's members in ascending order (ListShape, computed
  // from the store's counts), the drawn index is that set's select(). Else nullopt, with L (as
  // read_target_list gives it) in `targets`. Cost: O(log N + N / 4096) and a peek at the RNG's
  // next draw (GridRng::peek_choice_index: no copy of a numpy state) instead of O(N).
  struct TargetDraw {
    std::int64_t size = 0;        // |L| before the "all ids" fallback
    std::int64_t drawn_from = 0;  // the length the index was drawn over (N for the fallback)
    std::int64_t index = -1;      // the index the RNG will draw (peeked; the step draws it)
    std::int64_t grid_id = -1;
  };
  std::optional<TargetDraw> draw_at_read(StoreClient& store, std::vector<int>& targets);
  // What after_trial's stop rule needs of the study view, over grid ids [0, N).
  struct StopCounts {
    std::int64_t open = 0;        // ids with neither a finished nor a RUNNING trial
    bool own_open = false;        // this trial's own id is one of them
    std::int64_t unfinished = 0;  // ids without a finished trial
    bool own_finished = false;    // this trial's own id has a finished trial
  };
  bool stops(const StopCounts& counts, std::int64_t own) const;

  // Length of L without the "all ids" fallback, from the same counts as the stop rule.
  std::int64_t target_count(const StopCounts& counts) const;
  // The stop rule, or (a trial without grid_id: an enqueued one, 3.0+) KeyError('grid_id') when L
  // has exactly one element, as after_trial then reads the trial's grid_id.
  bool decide_after_trial(TrialContext& trial, const StopCounts& counts, std::int64_t own) const;

  GridFamily family_;
  int threads_ = 0;  // threads sharing this sampler (SamplerSetup::threads; 0: unknown)
  const GridSpace& space_;
  GridRng rng_;
  std::shared_ptr<const GridPermutation> permutation_;  // shared (see above); never null
  const std::vector<std::int32_t>& grid_;   // `_all_grids`: permutation_->grid
  int n_;                                   // grid_.size(): this sampler's grid size
  std::int64_t grid_values_ = 0;  // V: the dimensions' value counts, summed (client CPU per trial walked)
  // The search space this instance writes (`search_space`) and the key its grid ids are counted by:
  // kSearchSpaceToken / kGridIdAttr for [grid]'s space; another space (a worker group's grid) has
  // its own, so the two samplers ignore each other's trials as Optuna's search-space check does.
  std::int64_t search_space_token_;
  const char* grid_id_key_;
  const std::vector<std::int32_t>& grid_id_of_;  // permutation_->grid_id_of
  std::optional<ProcessStudyCache> cache_;  // with StudyView::kProcessCache on a caching storage
};

}  // namespace samplersim
