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

LeasedClaimSampler::LeasedClaimSampler(const SamplerSetup& setup)
    : AtomicClaimSampler(setup, grace_of(setup), interval_of(setup) / 4) {}

namespace {
[[maybe_unused]] const bool kRegistered = PolicyRegistry::add(PolicyInfo{
    "leased-claim", "coordination fix",
    "fix: atomic-claim with a heartbeat lease; stale claims are reclaimed, completion is idempotent",
    [](const SamplerSetup& setup) -> std::unique_ptr<Sampler> {
      return std::make_unique<LeasedClaimSampler>(setup);
    }});
}  // namespace

}  // namespace samplersim
