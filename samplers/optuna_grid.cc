#include "samplers/optuna_grid.h"

#include <cassert>
#include <numeric>

#include "samplers/cpython_set_order.h"

namespace samplersim {

namespace {
constexpr const char* kGridId = "grid_id";
constexpr const char* kSearchSpace = "search_space";
constexpr const char* kFixedParams = "fixed_params";
constexpr std::int64_t kSearchSpaceToken = 1;  // all workers share one search space

std::uint32_t initial_seed(const GridFamily& f, const SamplerSetup& s, RandomStream& entropy) {
  if (s.seed) return static_cast<std::uint32_t>(*s.seed);
  if (f.none_means_seed_zero) return 0;
  return entropy.next_u32();  // RandomState() seeded from OS entropy
}
}  // namespace

OptunaGridSampler::OptunaGridSampler(const GridFamily& family, const SamplerSetup& setup)
    : family_(family),
      space_(*setup.grid),
      n_(static_cast<int>(setup.grid->size())),
      entropy_(RandomStream::derive(setup.run_seed, StreamPurpose::kEntropy,
                                    static_cast<std::uint64_t>(setup.process))),
      rng_(initial_seed(family, setup, entropy_)) {
  assert(!setup.seed || *setup.seed < (std::uint64_t{1} << 32));
  grid_.resize(static_cast<std::size_t>(n_));
  std::iota(grid_.begin(), grid_.end(), std::int64_t{0});
  if (family_.shuffle_at_construction) rng_.shuffle(grid_);
}

void OptunaGridSampler::reseed_rng() { rng_.reseed(entropy_.next_u32()); }

std::vector<int> OptunaGridSampler::target_list(StudyStore& store) const {
  // The index's flag vectors are exactly the visited / running masks over [0, N): grid ids never
  // exceed N − 1, and the index is sized to N.
  const AttrIndex& index = store.attr_index(kGridId, n_);
  assert(index.size() == n_);
  const std::vector<std::uint8_t>& visited = index.finished_flags();
  if (!family_.exclude_running) return fallback_list(n_, visited);
  std::vector<int> targets = samplersim::target_list(n_, visited, index.running_flags());
  if (targets.empty()) targets = fallback_list(n_, visited);
  return targets;
}

void OptunaGridSampler::before_trial(TrialContext& trial) {
  if (family_.skip_if_grid_id_present &&
      (trial.snapshot.system_attr(kGridId) || trial.snapshot.system_attr(kFixedParams))) {
    return;
  }
  std::int64_t grid_id = -1;
  if (family_.trial_number_shortcut && trial.number < n_) {
    grid_id = trial.number;
  } else {
    std::vector<int> targets =
        trial.store.get_all_trials([this](StudyStore& s) { return target_list(s); });
    if (targets.empty()) {  // every id visited: Optuna warns and re-samples from the whole grid
      targets.resize(static_cast<std::size_t>(n_));
      std::iota(targets.begin(), targets.end(), 0);
    }
    const std::size_t k = rng_.choice_index(targets.size());
    grid_id = targets[k];
    trial.store.note(TraceKind::kSamplerDraw, trial.number, grid_id,
                     static_cast<std::int64_t>(targets.size()));
  }
  assert(grid_id >= 0 && grid_id < n_);
  trial.store.set_trial_system_attr(trial.number, kSearchSpace, kSearchSpaceToken);
  trial.store.set_trial_system_attr(trial.number, kGridId, grid_id);
}

std::optional<int> OptunaGridSampler::suggest(TrialContext& trial, int param) {
  const TrialRecord now = trial.store.get_trial(trial.number);
  const std::optional<std::int64_t> grid_id = now.system_attr(kGridId);
  if (!grid_id) return std::nullopt;  // ValueError: the trial has no grid_id
  assert(*grid_id >= 0 && *grid_id < n_);
  return space_.value_of(grid_[static_cast<std::size_t>(*grid_id)], param);
}

bool OptunaGridSampler::after_trial(TrialContext& trial, TrialState /*state*/) {
  // Stop iff every grid id other than this trial's own has a finished trial (reference 3.1):
  // the target list without the "all ids" fallback is empty, or is exactly [own grid_id].
  const std::int64_t own = trial.snapshot.system_attr(kGridId).value_or(-1);
  return trial.store.get_all_trials([this, own](StudyStore& s) {
    const AttrIndex& index = s.attr_index(kGridId);
    const std::int64_t unfinished = n_ - index.values_with_finished();
    if (family_.exclude_running && n_ - index.values_with_finished_or_running() > 0) return false;
    return unfinished == 0 || (unfinished == 1 && own >= 0 && !index.has_finished(own));
  });
}

bool register_grid_family(const GridFamily& family) {
  return PolicyRegistry::add(PolicyInfo{
      family.policy, family.versions, family.summary,
      [&family](const SamplerSetup& setup) -> std::unique_ptr<Sampler> {
        return std::make_unique<OptunaGridSampler>(family, setup);
      }});
}

}  // namespace samplersim
