// Optuna's BruteForceSampler (experimental since 3.1) as modelled policies, one per behaviour the
// versions have (docs/optuna-facts.md section 7; optuna/samplers/_brute_force.py at each tag):
//
//   bruteforce-3.1  3.1: each sampled parameter shuffles its candidates (numpy RandomState) and
//                   enqueues one WAITING trial per other candidate with the trial's params so far
//                   (enqueue_trial(skip_if_exists=True): one read of every trial, then the insert,
//                   so two workers can enqueue the same params); after_trial stops when no trial
//                   is WAITING.
//   bruteforce-3.2  3.2: a tree of the COMPLETE/RUNNING trials agreeing with the params so far is
//                   built, then the current name is expanded; a RUNNING trial is a leaf where its
//                   path ends (if nothing else expanded that node). A RUNNING trial without params
//                   makes the root a leaf and the expand raises ValueError("param_name mismatch")
//                   (#4948). Child drawn with weights = unexpanded leaves (rng.choice(p=...)), a
//                   uniform candidate when none is left.
//   bruteforce-3.3  as 3.2, PRUNED and FAIL trials read too.
//   bruteforce-3.4  3.4–4.2: PR #5022 expands the current name first (no crash); RUNNING partial
//                   paths are still leaves (early stops, uniform picks).
//   bruteforce-4.3  4.3–4.8: PR #5893: RUNNING paths are marked running, not leaves; counts
//                   exclude running nodes; a running child weighs 0 when a non-running one weighs.
//   bruteforce-4.9  4.9: weights 0.5 × count share + 0.5 × uniform over children with a count.
//
// The define-by-run space is the scenario's grid: the objective suggests the grid names in its
// order (SamplerSetup::suggest_order), each name's candidates are its values in file order (the
// real run's suggest_categorical choices). BaseSampler.reseed_rng is a no-op here (no version
// overrides it), so n_jobs threads share one RandomState. seed=None: a seed from the process's
// "OS entropy" stream.
// Cost per suggest: one read of every trial (O(trials × depth) tree), plus for 3.1 one read and
// one insert per other candidate. Not thread-safe: one instance per simulated process.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "samplers/numpy_random.h"
#include "sim/sampler.h"

namespace samplersim {

enum class BruteForceVersion : std::uint8_t { k31, k32, k33, k34, k43, k49 };

class BruteForceSampler final : public Sampler {
 public:
  BruteForceSampler(BruteForceVersion version, const SamplerSetup& setup);

  void before_trial(TrialContext& /*trial*/) override {}
  std::optional<int> suggest(TrialContext& trial, int param) override;
  bool after_trial(TrialContext& trial, TrialState state) override;

  // One trial as the tree sees it: its state and its params (value per sorted grid param, -1 unset).
  struct TrialPath {
    int number = -1;
    TrialState state = TrialState::kRunning;
    std::vector<int> params;
  };
  // The tree algorithm of the version, on trials already read (exposed for unit tests).
  // choose: the value index sample_independent returns for `param` given the current trial's
  // params so far (`prefix`, value per sorted grid param, -1 unset), or nullopt if it raises
  // ValueError (param_name mismatch). stops: whether after_trial calls study.stop() (nullopt: it
  // raises ValueError), `current` being the finished trial (its state already the one told; it is
  // kept whatever the version reads). Trials are in number order, WAITING ones left out; each
  // version keeps the states its get_trials call reads.
  std::optional<int> choose(const std::vector<TrialPath>& others, const std::vector<int>& prefix, int param);
  std::optional<bool> stops(const std::vector<TrialPath>& trials, int current) const;

  NumpyRandomState& rng() { return rng_; }

 private:
  StateMask read_states() const;
  std::vector<int> prefix_of(const TrialContext& trial, int param) const;
  std::optional<int> suggest_enqueue(TrialContext& trial, int param);

  BruteForceVersion version_;
  const GridSpace& space_;
  std::vector<int> order_;  // sorted grid params in the objective's suggest order
  std::int64_t grid_values_ = 0;
  NumpyRandomState rng_;
  std::map<int, std::vector<int>> sampled_;  // trial number → values this sampler returned so far
};

}  // namespace samplersim
