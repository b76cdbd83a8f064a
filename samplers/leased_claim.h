// leased-claim: a coordination fix. atomic-claim plus a lease: the claim's holder heart-beats while
// its trial runs (one store write per heartbeat interval); a claim whose holder stopped beating
// more than the grace period ago is reclaimable (an atomic take-over in the same claim operation).
// A failed trial gives its claim back. Completing is idempotent (complete_combination marks the
// combination done once), so at most one trial per combination is COMPLETE; a second one would be
// told PRUNED. Workers with nothing claimable but unfinished combinations held by live holders
// poll (every quarter heartbeat interval) rather than stop, so a crashed holder's combination is taken
// over by a survivor.
// Heartbeat: the scenario's [faults] heartbeat if on (grace as configured, default 2 × interval),
// else kDefaultLeaseHeartbeatUs with grace 2 × that.
// Cost per trial: atomic-claim's plus 1 completion or release write plus the heartbeat writes.
#pragma once

#include "samplers/atomic_claim.h"

namespace samplersim {

class LeasedClaimSampler final : public AtomicClaimSampler {
 public:
  explicit LeasedClaimSampler(const SamplerSetup& setup);
};

}  // namespace samplersim
