// enqueue-all: a coordination fix built from what Optuna already has. The study starts with one
// WAITING trial per combination (enqueue_trial with the combination's params as fixed params);
// workers pop them with the store's atomic WAITING→RUNNING compare-and-set (pop_waiting_trial, the
// RDB storage's row-locked update), so each enqueued trial runs at most once.
//
// Who enqueues: the first worker whose insert-if-absent of the study attr "enqueue_owner" stores
// its own id enqueues all N trials, then sets "enqueue_done". Every other worker pops what is
// already there and, while nothing is waiting and "enqueue_done" is absent, polls every
// kPollUs. A worker leaves its loop when nothing is waiting and "enqueue_done" is set.
// Limits (shown by the guarantees matrix): a FAIL is final (no re-enqueue), a crashed trial is
// lost unless heartbeat + RetryFailedTrialCallback re-enqueue it before every worker has left,
// and a pop whose response is lost leaves its trial RUNNING with nobody evaluating it.
// Cost: N creates once; per trial 1 list + 1 compare-and-set (+1 per lost race) + 1 get_trial.
#pragma once

#include <set>

#include "sim/sampler.h"

namespace samplersim {

class EnqueueAllSampler final : public Sampler {
 public:
  static constexpr VirtualTime kPollUs = 50'000;
  static constexpr const char* kCombinationAttr = "combination";

  explicit EnqueueAllSampler(const SamplerSetup& setup) : space_(*setup.grid) {}

  WorkCheck before_ask(StoreClient& store) override;
  void before_trial(TrialContext& /*trial*/) override {}
  std::optional<int> suggest(TrialContext& trial, int param) override;
  bool after_trial(TrialContext& /*trial*/, TrialState /*state*/) override { return false; }

 private:
  void enqueue_all(StoreClient& store);

  const GridSpace& space_;
  std::set<WorkerId> set_up_;  // workers of this process that ran the owner check
};

}  // namespace samplersim
