// The Optuna GridSampler versions samplersim models, as data. One row per version family;
// see GridFamily for what each column means and the README's "Fidelity" section for sources.
#include "samplers/optuna_grid.h"

namespace samplersim {
namespace {

const GridFamily kOptuna32{
    "optuna-3.2", "Optuna 3.0–3.3",
    "GridSampler 3.2: no shuffle, id drawn from the unvisited ids with numpy RandomState(seed)",
    /*shuffle_at_construction=*/false, /*trial_number_shortcut=*/false,
    /*none_means_seed_zero=*/false, /*skip_if_grid_id_present=*/true, /*exclude_running=*/true};

const GridFamily kOptuna36{
    "optuna-3.6", "Optuna 3.4–3.6",
    "GridSampler 3.6: grid shuffled per instance, trial k < N takes grid_id k (issue 5489)",
    /*shuffle_at_construction=*/true, /*trial_number_shortcut=*/true,
    /*none_means_seed_zero=*/false, /*skip_if_grid_id_present=*/true, /*exclude_running=*/true};

const GridFamily kOptuna4{
    "optuna-4", "Optuna 4.0–4.9 and master",
    "GridSampler 4.x: as 3.6 but seed=None means seed 0, so every process shares one permutation",
    /*shuffle_at_construction=*/true, /*trial_number_shortcut=*/true,
    /*none_means_seed_zero=*/true, /*skip_if_grid_id_present=*/true, /*exclude_running=*/true};

[[maybe_unused]] const bool kRegistered32 = register_grid_family(kOptuna32);
[[maybe_unused]] const bool kRegistered36 = register_grid_family(kOptuna36);
[[maybe_unused]] const bool kRegistered4 = register_grid_family(kOptuna4);

}  // namespace
}  // namespace samplersim
