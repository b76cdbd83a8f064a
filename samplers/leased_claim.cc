#include "samplers/leased_claim.h"

namespace samplersim {

namespace {
VirtualTime interval_of(const SamplerSetup& s) {
  return s.heartbeat_interval_us > 0 ? s.heartbeat_interval_us : kDefaultLeaseHeartbeatUs;
}
VirtualTime grace_of(const SamplerSetup& s) {
  return s.heartbeat_interval_us > 0 && s.grace_us > 0 ? s.grace_us : 2 * interval_of(s);
}
}  // namespace

LeasedClaimSampler::LeasedClaimSampler(const SamplerSetup& setup, bool fenced)
    : AtomicClaimSampler(setup, grace_of(setup), fenced) {}

namespace {
[[maybe_unused]] const bool kRegistered = PolicyRegistry::add(PolicyInfo{
    "leased-claim", "coordination fix",
    "fix: atomic-claim with a heartbeat lease; stale claims are reclaimed, completion is idempotent",
    [](const SamplerSetup& setup) -> std::unique_ptr<Sampler> {
      return std::make_unique<LeasedClaimSampler>(setup, false);
    }});
[[maybe_unused]] const bool kFencedRegistered = PolicyRegistry::add(PolicyInfo{
    "fenced-leased-claim", "coordination fix",
    "fix: leased-claim with fencing epochs; a holder whose lease was taken over cannot complete or release",
    [](const SamplerSetup& setup) -> std::unique_ptr<Sampler> {
      return std::make_unique<LeasedClaimSampler>(setup, true);
    }});
}  // namespace

}  // namespace samplersim
