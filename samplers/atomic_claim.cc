#include "samplers/atomic_claim.h"

#include <algorithm>
#include <cassert>

#include "sim/invariant.h"

namespace samplersim {

AtomicClaimSampler::AtomicClaimSampler(const SamplerSetup& setup, std::optional<VirtualTime> lease_grace_us,
                                       bool fenced)
    : space_(*setup.grid),
      lease_grace_us_(lease_grace_us),
      fenced_(fenced),
      pick_(RandomStream::derive(setup.run_seed, StreamPurpose::kUser,
                                 static_cast<std::uint64_t>(setup.process), 1)) {}

AtomicClaimSampler::Candidates AtomicClaimSampler::read_candidates(StoreClient& store) {
  return store.get_all_trials([this, &store](const StudyStore& s) {
    Candidates c;
    const auto& claims = s.claims();
    const VirtualTime now = store.clock_us();  // the lease is judged on this process's clock
    const VirtualTime true_now = store.now_us();
    c.claims_version = s.claims_version();
    std::int64_t done = 0;
    for (std::int64_t g = 0; g < space_.size(); ++g) {
      auto it = claims.find(g);
      if (it == claims.end()) {
        c.open.push_back(g);
      } else if (it->second.done_by_trial >= 0) {
        ++done;
      } else if (lease_grace_us_ && s.is_stale_claim(it->second, now, *lease_grace_us_, true_now)) {
        c.open.push_back(g);
      } else if (lease_grace_us_) {
        c.first_expiry_us = std::min(c.first_expiry_us,
                                     s.claim_expiry_us(it->second, store.clock(), *lease_grace_us_, true_now));
      }
    }
    c.all_done = done == space_.size();
    return c;
  });
}

WorkCheck AtomicClaimSampler::before_ask(StoreClient& store) {
  Candidates c = read_candidates(store);
  const bool empty = c.open.empty();
  open_by_worker_[store.worker()] = std::move(c.open);
  if (!empty) return {};
  if (!lease_grace_us_ || c.all_done) return {WorkCheck::Kind::kDone, 0, std::nullopt, std::nullopt};
  // Claimed by live holders: wait until the claims change (a release, completion or take-over
  // may make one claimable or finish the grid) or the first held lease expires on this clock.
  SIM_ASSERT(c.first_expiry_us >= 0);
  return {WorkCheck::Kind::kWait, 0, std::nullopt, WorkCheck::ClaimsChange{c.claims_version, c.first_expiry_us}};
}

void AtomicClaimSampler::before_trial(TrialContext& trial) {
  if (!trial.snapshot.fixed_params.empty()) {
    claim_enqueued(trial);
    return;
  }
  std::vector<std::int64_t>& open = open_by_worker_[trial.store.worker()];
  for (int attempt = 0; attempt < kMaxClaimAttempts; ++attempt) {
    if (open.empty()) open = read_candidates(trial.store).open;
    if (open.empty()) return;
    const std::size_t k = static_cast<std::size_t>(pick_.uniform_inclusive(open.size() - 1));
    const std::int64_t g = open[k];
    std::int64_t epoch = 0;
    if (trial.store.claim_combination(g, trial.number, lease_grace_us_, &epoch)) {
      claimed_[trial.number] = {g, epoch};
      trial.claim_epoch = epoch;
      trial.store.set_trial_system_attr(trial.number, kCombinationAttr, g);
      open.clear();
      return;
    }
    open.clear();  // conflict: someone else holds it; re-read
  }
}

void AtomicClaimSampler::claim_enqueued(TrialContext& trial) {
  const std::vector<int>& fixed = trial.snapshot.fixed_params;
  SIM_ASSERT(static_cast<int>(fixed.size()) == space_.param_count());
  if (std::find(fixed.begin(), fixed.end(), -1) != fixed.end()) return;  // not a whole combination
  const std::int64_t g = space_.combination_of(fixed);
  std::int64_t epoch = 0;
  if (!trial.store.claim_combination(g, trial.number, lease_grace_us_, &epoch)) return;  // runs unclaimed
  claimed_[trial.number] = {g, epoch};
  trial.claim_epoch = epoch;
  trial.store.set_trial_system_attr(trial.number, kCombinationAttr, g);
}

std::optional<int> AtomicClaimSampler::suggest(TrialContext& trial, int param) {
  auto it = claimed_.find(trial.number);
  if (it == claimed_.end()) return std::nullopt;  // no claim: the trial fails unevaluated
  return space_.value_of(it->second.combination, param);
}

TrialState AtomicClaimSampler::on_tell(TrialContext& trial, TrialState state) {
  auto it = claimed_.find(trial.number);
  if (it == claimed_.end()) return state;
  const std::int64_t g = it->second.combination;
  const std::int64_t epoch = it->second.epoch;
  claimed_.erase(it);
  if (!lease_grace_us_) return state;
  if (fenced_) {
    // A trial that fail_stale_trials already failed (the scenario's heartbeat judged it stale, as
    // a stall or a lagging clock makes it) cannot be told COMPLETE: completing the combination for
    // it would mark it done with no COMPLETE trial. Give the claim back instead.
    if (is_finished(trial.snapshot.state)) {
      trial.store.release_claim_fenced(g, epoch);
      return TrialState::kFail;
    }
    // Compare-and-set on the epoch: a holder whose lease was taken over meanwhile is refused and
    // its trial is told FAIL (its result is not recorded; the work is lost).
    if (state == TrialState::kComplete) {
      return trial.store.complete_combination_fenced(g, trial.number, epoch) ? state : TrialState::kFail;
    }
    trial.store.release_claim_fenced(g, epoch);
    return state;
  }
  if (state == TrialState::kComplete) {
    // Idempotent completion: a second COMPLETE of the same combination is told PRUNED.
    return trial.store.complete_combination(g, trial.number) ? state : TrialState::kPruned;
  }
  trial.store.release_claim(g);  // failed: give the combination back
  return state;
}

namespace {
[[maybe_unused]] const bool kRegistered = PolicyRegistry::add(PolicyInfo{
    "atomic-claim", "coordination fix",
    "fix: claim an unclaimed combination with an atomic insert-if-absent; conflicts re-read",
    [](const SamplerSetup& setup) -> std::unique_ptr<Sampler> {
      return std::make_unique<AtomicClaimSampler>(setup, std::nullopt, false);
    }});
}  // namespace

}  // namespace samplersim
