// leased-claim: a coordination fix. atomic-claim plus a lease: the claim's holder heart-beats while
// its trial runs; a claim whose holder stopped beating more than the grace period ago is
// reclaimable (an atomic take-over in the same claim operation).
// A failed trial gives its claim back. Completing is idempotent (complete_combination marks the
// combination done once), so at most one trial per combination is COMPLETE; a second one would be
// told PRUNED. Workers with nothing claimable but unfinished combinations held by live holders
// wait rather than stop, so a crashed holder's combination is taken over by a survivor.
// Waiting is event-driven (issue 15), no polling timer: the waiter sleeps until the claims table
// changes (a release, completion, claim or take-over: StudyStore::claims_version) or until the
// first instant at which a held lease is stale on its own clock (StudyStore::claim_expiry_us: the
// holder's last beat stamp + grace once it stops beating, by crash, stall or clock skew), whichever
// comes first, then reads again. So a crashed holder's combination is taken over at its expiry plus
// one read, and a release is seen at once.
// Heartbeat: the scenario's [faults] heartbeat if on (grace as configured, default 2 × interval),
// else kDefaultLeaseHeartbeatUs with grace 2 × that. Renewals are lazily evaluated (issue 15):
// the holder registers its beat schedule once, at its evaluation start (start, interval, the end
// or its death, a stall window, its process clock; StudyStore::BeatSchedule), and a lease read
// computes the last renewal stamp from it, exactly what the eager heartbeat loop writes with zero
// write latency. Renewals are real store writes (one per interval, with latency, as before) when
// they must be: with the scenario's heartbeat (Optuna's rows, read by fail_stale_trials), a store
// preset (a write's CPU, lock and GIL cost), the write lock, a request latency of its own for
// record_heartbeat ([store.request_latency_by_op]), store errors or stale reads
// (sim/optimize_loop.cc: lazy_lease_).
// Cost per trial: atomic-claim's plus 1 completion or release write; per idle wait 1 read, woken by
// a claims change or an expiry. Nothing grows with objective durations (bench/idle_wait_bench.cc),
// except the eager renewals (1 write per interval) in the cases listed above.
//
// Its weakness (tests/fixes/stall_fencing_test.cc): a lease judges liveness by stamps, so a LIVE
// holder that stalls past the grace period (or whose clock runs behind the checker's: clock skew)
// loses its lease to a taker, and when it resumes nothing stops it: if it tells first, its
// completion is accepted and the taker's, the current holder's, is told PRUNED. The result on
// record then comes from a writer that no longer held the lease (a stale result).
//
// fenced-leased-claim: the same with fencing tokens (Kleppmann, "How to do distributed locking",
// 2016; Chubby's sequencers). Every claim gets the combination's next epoch from the store
// (StudyStore::Claim::epoch, a per-combination counter that never goes back); a take-over bumps
// it. The holder's completion and release carry its epoch, and the store applies them only if
// the epoch is still current (compare-and-set); a refused holder's trial is told FAIL (its result
// is not recorded: the duplicate work is lost time, not a second result); so is a trial that
// fail_stale_trials already failed (it releases its claim instead: completing the combination for
// a FAIL trial would leave it done with no COMPLETE trial; the window between that read and the
// completion is one store call). Lease renewals are
// fenced already: only the beats of the trial holding the current epoch renew the lease. A
// refused holder learns it only at its tell (it does not abort the objective when a beat would
// reveal the take-over: Optuna's heartbeat thread cannot stop an objective).
// Stalls and clock skew keep their meaning under lazy renewal: a stalled holder's beats stop at the
// stall and resume when it ends, so its lease is stale from its last beat + grace until then; a
// skewed checker judges the holder's stamps on its own clock (beats are stamped on the holder's).
// What fencing proves (the guarantees matrix's stalls and clock-skew columns): at most one
// COMPLETE per combination, and that one was written by the holder of the current epoch, i.e. no
// later holding of the combination exists (RepeatRule::kNoStaleResult); and every combination
// completes. What it cannot prove: that no combination is evaluated twice.
// A stalled holder has already spent its time when it is fenced off.
#pragma once

#include "samplers/atomic_claim.h"

namespace samplersim {

class LeasedClaimSampler final : public AtomicClaimSampler {
 public:
  LeasedClaimSampler(const SamplerSetup& setup, bool fenced);
};

}  // namespace samplersim
