#include "app/arms.h"

#include <algorithm>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "sim/errors.h"

namespace samplersim {

std::string Arm::label() const { return policy->name + "/" + seed_policy.to_string(); }

std::vector<Arm> arms_of(const ScenarioSpec& spec, const std::vector<std::string>& policy_filter,
                         const std::vector<SeedPolicy>& seed_filter) {
  std::vector<std::string> policies = spec.policies;
  if (!policy_filter.empty()) {
    for (const std::string& p : policy_filter) {
      if (!PolicyRegistry::find(p)) {
        throw BadInput::argument("--policy", fmt::format("one of {}", fmt::join(PolicyRegistry::names(), ", ")),
                                 fmt::format("unknown policy '{}'", p));
      }
    }
    policies = policy_filter;
  }
  std::vector<SeedPolicy> seeds = seed_filter.empty() ? spec.seed_policies : seed_filter;
  for (const SeedPolicy& s : seeds) {
    if (s.kind == SeedPolicy::Kind::kDistinct &&
        s.seed + static_cast<std::uint64_t>(spec.processes) - 1 >= (std::uint64_t{1} << 32)) {
      throw BadInput::argument(
          "--seed-policy", fmt::format("process seeds below 2^32 for {} processes", spec.processes),
          fmt::format("{}, which gives process seeds beyond 2^32-1", s.to_string()));
    }
  }
  std::vector<Arm> arms;
  for (const std::string& p : policies) {
    for (const SeedPolicy& s : seeds) arms.push_back(Arm{PolicyRegistry::find(p), s});
  }
  return arms;
}

}  // namespace samplersim
