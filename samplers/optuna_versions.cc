// The Optuna GridSampler versions samplersim models, as data: one row per version family, naming
// the columns in which it differs from the 3.0–3.3 model (see grid_family.h for what each column
// means and the README's "Fidelity" section for sources). Each row is registered as a policy whose sampler is an OptunaGridSampler.
#include <algorithm>
#include <array>

#include "samplers/grid_family.h"

namespace samplersim {
namespace {

// Columns a row does not name keep grid_family.h's defaults: the 3.0–3.3 model (optuna-3.2).
// All 2.x rows: RDB storages are wrapped in `_CachedStorage`, refreshed in ask (docs/optuna-facts.md
// section 8), so the grid sampler reads the process's cached view as 3.1 does.
constexpr std::array kFamilies{
    GridFamily{
        .policy = "optuna-2.3",
        .versions = "Optuna 2.0–2.3 (RDB storage)",
        .summary = "GridSampler 2.0: values sorted, running ids not excluded, study.stop() decided in ask; no ask/tell, "
                   "MaxTrialsCallback or RetryFailedTrialCallback",
        .rng = GridRngKind::kPythonRandom,
        .value_order = ValueOrder::kPythonSorted,
        .preset_trial = PresetTrial::kOverwrite,
        .exclude_running = false,
        .stop_decision = StopDecision::kAsk,
        .study_view = StudyView::kProcessCache,
        .client_profile = ClientProfile::kOptuna31,  // not measured; the closest measured client
        .features = LibraryFeatures{.ask_tell = false, .max_trials_callback = false, .retry_callback = false},
    },
    GridFamily{
        .policy = "optuna-2.8",
        .versions = "Optuna 2.4–2.8 (RDB storage)",
        .summary = "GridSampler 2.4: as 2.0 but the stop is decided in after_trial (ask/tell from 2.5, callbacks 2.8)",
        .rng = GridRngKind::kPythonRandom,
        .value_order = ValueOrder::kPythonSorted,
        .preset_trial = PresetTrial::kOverwrite,
        .exclude_running = false,
        .study_view = StudyView::kProcessCache,
        .client_profile = ClientProfile::kOptuna31,  // not measured; the closest measured client
    },
    GridFamily{
        .policy = "optuna-2",
        .versions = "Optuna 2.9–2.10 (RDB storage)",
        .summary = "GridSampler 2.9: values sorted, id drawn from the unvisited ids with the global Python random, "
                   "cached view",
        .rng = GridRngKind::kPythonRandom,
        .value_order = ValueOrder::kPythonSorted,
        .preset_trial = PresetTrial::kOverwrite,
        .study_view = StudyView::kProcessCache,
        .client_profile = ClientProfile::kOptuna31,  // not measured; the closest measured client
    },
    GridFamily{
        .policy = "optuna-3.1",
        .versions = "Optuna 3.0.1–3.1 (RDB storage)",
        .summary = "GridSampler 3.1: as 3.2, but after_trial sees the process's cached view (its last ask + own writes)",
        .study_view = StudyView::kProcessCache,
        .cache_refresh = CacheRefresh::kAsk,
        .client_profile = ClientProfile::kOptuna31,
    },
    GridFamily{
        .policy = "optuna-3.2",
        .versions = "Optuna 3.0–3.3",
        .summary = "GridSampler 3.2: no shuffle, id drawn from the unvisited ids with numpy RandomState(seed)",
    },
    GridFamily{
        .policy = "optuna-3.6",
        .versions = "Optuna 3.4–3.6",
        .summary = "GridSampler 3.6: grid shuffled per instance, trial k < N takes grid_id k (issue 5489)",
        .shuffle_at_construction = true,
        .trial_number_shortcut = true,
        .client_profile = ClientProfile::kOptuna36,
    },
    GridFamily{
        .policy = "optuna-4",
        .versions = "Optuna 4.0–4.9 and master",
        .summary = "GridSampler 4.x: as 3.6 but seed=None means seed 0, so every process shares one permutation",
        .seed_when_none = SeedWhenNone::kZero,
        .shuffle_at_construction = true,
        .trial_number_shortcut = true,
        .client_profile = ClientProfile::kOptuna4,
    },
};

// Consistency rules of a row (what the real library cannot combine, or the model does not build).
constexpr bool consistent(const GridFamily& f) {
  // The shuffle is numpy's RandomState.shuffle; 2.x's global random never shuffles the grid.
  if (f.shuffle_at_construction && f.rng != GridRngKind::kNumpyRandomState) return false;
  // 2.0–2.3 have no after_trial hook; ask/tell and the callbacks came later (2.5, 2.8).
  if (f.stop_decision == StopDecision::kAsk && (f.features.ask_tell || f.exclude_running)) return false;
  return !f.policy.empty() && f.target_order == TargetOrder::kCPythonSet;
}
static_assert(std::all_of(kFamilies.begin(), kFamilies.end(), consistent));

bool register_all() {
  for (const GridFamily& f : kFamilies) register_grid_family(f);
  return true;
}
[[maybe_unused]] const bool kRegistered = register_all();

}  // namespace

std::span<const GridFamily> optuna_grid_families() { return kFamilies; }

const GridFamily* find_grid_family(std::string_view policy) {
  for (const GridFamily& f : kFamilies) {
    if (f.policy == policy) return &f;
  }
  return nullptr;
}

}  // namespace samplersim
