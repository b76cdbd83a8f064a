// GridFamily: one row of the table of Optuna GridSampler versions that samplersim models (the table
// itself is in optuna_versions.cc). OptunaGridSampler reads its behaviour from the row only: every
// way the versions differ is a column here, never a branch on a version number.
//
// Facts come from ../shared/reference/optuna-grid-behaviour.md (section numbers below) and are
// summarised in the README's "Fidelity" section.
//
// Every column's default is the 3.0–3.3 model (policy optuna-3.2); a row names only the columns in
// which its versions differ, so a row reads as "what changed".
// How to extend the table:
//  - a new version family = one new row in optuna_versions.cc (designated initializers, in the
//    columns' declaration order);
//  - a new behaviour = a new column whose default is what the existing rows do, so adding it
//    touches no row, plus the one place in OptunaGridSampler that reads it;
//  - a new value of an existing column = a new enumerator, handled where the column is read.
// Rows are constexpr, so their consistency rules are static_asserts (optuna_versions.cc).
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

#include "sim/sampler.h"
#include "sim/store_preset.h"

namespace samplersim {

// Where grid ids are drawn from (reference 1.5, 6).
enum class GridRngKind : std::uint8_t {
  kNumpyRandomState,  // 3.0+: numpy legacy RandomState(seed); reseed_rng reseeds it from entropy
  kPythonRandom,      // 2.x: CPython's global `random`; reseed_rng is BaseSampler's no-op
};

// What seed=None means (reference 1.5).
enum class SeedWhenNone : std::uint8_t {
  kEntropy,  // an OS-entropy seed: an arbitrary stream per process, derived from the run seed
  kZero,     // 4.0+: LazyRandomState(seed or 0)
};

// Order of each dimension's values before the product `_all_grids` (reference 1.2).
enum class ValueOrder : std::uint8_t {
  kUser,          // 3.0+: the user's order
  kPythonSorted,  // 2.x: sorted(); a dimension Python cannot sort (str mixed with numbers, NaN)
                  // is refused at construction, as sorted() raises
};

// The grid step on a trial that already carries grid_id or fixed_params (retry copy, enqueued
// trial; reference 2.4a).
enum class PresetTrial : std::uint8_t {
  kSkip,       // 3.0+: do nothing; the trial keeps what it carries
  kOverwrite,  // 2.x: pick an id and overwrite grid_id like any other trial
};

// Which study state the grid step and after_trial read (reference 2, 9.8).
enum class StudyView : std::uint8_t {
  kFresh,         // get_all_trials reads the store: one store operation per read
  kProcessCache,  // 2.x–3.1 RDB `_CachedStorage`: the process's view as of its last refresh plus
                  // its own writes (all its threads); reads cost no store operation
};

// Where a kProcessCache view is refreshed (one get_all_trials).
enum class CacheRefresh : std::uint8_t {
  kGridStep,  // at the start of the grid step, also for trials the step then skips (the model
              // before issue 12; kept for comparison, no row uses it)
  kAsk,       // in Study.ask, before the trial is popped or created, as the real 3.0.1–3.1 do
              // (docs/optuna-facts.md section 9, step 2: `read_trials_from_remote_storage`)
};

// Where the grid sampler decides to call study.stop() (reference 3.1).
enum class StopDecision : std::uint8_t {
  kAfterTrial,  // 2.4+: after_trial, inside tell, before the state write
  kAsk,         // 2.0–2.3: no after_trial; the grid step stops when it takes the last unfinished id
};

// Order of the target list L (reference 4, 7).
enum class TargetOrder : std::uint8_t {
  kCPythonSet,  // the real library: CPython set iteration order
  kAscending,   // deliberately wrong, for the reality tests' test of the test; no table row uses it
};

struct GridFamily {
  std::string_view policy;    // registry name, e.g. "optuna-3.6"
  std::string_view versions;  // e.g. "Optuna 3.4–3.6"
  std::string_view summary;   // one line for `samplersim list`

  // ---- construction ----
  GridRngKind rng = GridRngKind::kNumpyRandomState;
  SeedWhenNone seed_when_none = SeedWhenNone::kEntropy;
  ValueOrder value_order = ValueOrder::kUser;
  bool shuffle_at_construction = false;  // 3.4+: `_all_grids` shuffled with the RNG (reference 1.3)

  // ---- the grid step (reference 2.4) and after_trial (reference 3.1) ----
  PresetTrial preset_trial = PresetTrial::kSkip;
  bool trial_number_shortcut = false;  // 3.4+: trial k < N takes grid_id k without reading or drawing
  bool exclude_running = true;         // 2.9+: running ids leave L while unvisited ids remain

  StopDecision stop_decision = StopDecision::kAfterTrial;

  // ---- the study view ----
  StudyView study_view = StudyView::kFresh;
  CacheRefresh cache_refresh = CacheRefresh::kAsk;  // read only with kProcessCache
  // The view is cached only when the storage is RDB (`get_storage` wraps RDBStorage only in
  // `_CachedStorage`): under an in-memory or journal-file store preset a kProcessCache row reads
  // fresh (sim/store_kind.h caches_reads).

  // ---- client CPU under a store preset (sim/store_preset.h; no effect without one) ----
  ClientProfile client_profile = ClientProfile::kOptuna32;  // whose client code issues the calls

  // ---- the rest of the library's API the row's versions offer (issue 11) ----
  LibraryFeatures features{};  // default: all of it (3.0+)

  // ---- tests only ----
  TargetOrder target_order = TargetOrder::kCPythonSet;
};

// The table (optuna_versions.cc), in version order. Constant-initialized: safe to read from other
// translation units' static initializers.
std::span<const GridFamily> optuna_grid_families();
// The row registered as `policy`, or null.
const GridFamily* find_grid_family(std::string_view policy);

// Registers `family` as a policy whose sampler is an OptunaGridSampler of that row.
bool register_grid_family(const GridFamily& family);

}  // namespace samplersim
