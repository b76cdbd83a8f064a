// atomic-claim: a coordination fix. Each trial picks a combination no trial has claimed yet (one
// get_all_trials read of the study's claim table), then claims it with an atomic insert-if-absent
// keyed by (study, combination). On conflict it re-reads and picks again, at most
// kMaxClaimAttempts times (then the trial fails without evaluating anything and the worker asks
// again). A worker leaves its optimize loop when no combination is unclaimed.
//
// Guarantee (fault-free): every combination is claimed exactly once, so evaluated at most once and,
// since workers stop only when all are claimed, covered. A claim is never given back: a FAIL or a
// crash loses its combination (see leased-claim for the fix). Claiming is idempotent per trial, so a
// retried claim after a lost response is safe.
// The class also implements leased-claim (lease_grace_us set): see samplers/leased_claim.h.
// An enqueued trial (study.enqueue_trial) evaluates its fixed params; when they name a whole grid
// combination it claims that one (no pick), so the grid does not run it again, and completes it
// like any claim. If another trial holds it, or some names are not fixed (the sampler has no
// combination to suggest them from: those suggests fail the trial), it runs unclaimed.
// Cost per trial: 1 read + 1 claim (+1 per conflict) + 1 system-attr write, on top of optimize's.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <vector>

#include "sim/sampler.h"

namespace samplersim {

class AtomicClaimSampler : public Sampler {
 public:
  static constexpr int kMaxClaimAttempts = 8;
  static constexpr const char* kCombinationAttr = "combination";

  // lease_grace_us: nullopt = plain atomic-claim; set = leases (reclaimable after that grace).
  // fenced (with leases): completions and releases carry the claim's epoch (fenced-leased-claim).
  AtomicClaimSampler(const SamplerSetup& setup, std::optional<VirtualTime> lease_grace_us, bool fenced);

  WorkCheck before_ask(StoreClient& store) override;
  void before_trial(TrialContext& trial) override;
  std::optional<int> suggest(TrialContext& trial, int param) override;
  bool after_trial(TrialContext& /*trial*/, TrialState /*state*/) override { return false; }
  TrialState on_tell(TrialContext& trial, TrialState state) override;
  bool wants_heartbeat() const override { return lease_grace_us_.has_value(); }

 private:
  struct Candidates {
    std::vector<std::int64_t> open;  // claimable now
    bool all_done = false;           // leases: every combination completed
    std::uint64_t claims_version = 0;  // StudyStore::claims_version() at the read
    VirtualTime first_expiry_us = kNeverUs;  // leases: when the first held lease expires (true time)
  };
  Candidates read_candidates(StoreClient& store);
  // before_trial of an enqueued trial: claims the combination its fixed params name, if it can.
  void claim_enqueued(TrialContext& trial);

  const GridSpace& space_;
  std::optional<VirtualTime> lease_grace_us_;
  bool fenced_ = false;
  RandomStream pick_;
  std::map<WorkerId, std::vector<std::int64_t>> open_by_worker_;  // last read, per thread
  struct Held {
    std::int64_t combination = -1;
    std::int64_t epoch = 0;
  };
  std::map<int, Held> claimed_;                                   // trial number → its claim
};

}  // namespace samplersim
