#include "app/arms.h"

#include <algorithm>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "sim/errors.h"

namespace samplersim {

std::string Arm::label() const { return policy->name + "/" + seed_policy.to_string(); }

std::vector<Arm> arms_of(const ScenarioSpec& spec, const std::vector<std::string>& policy_filter,
                         const std::vector<SeedPolicy>& seed_filter) {
  // The same arm twice would run twice and show twice: a repeated filter entry is refused.
  for (std::size_t i = 0; i < policy_filter.size(); ++i) {
    if (std::find(policy_filter.begin(), policy_filter.begin() + static_cast<long>(i), policy_filter[i]) !=
        policy_filter.begin() + static_cast<long>(i)) {
      throw BadInput::argument("--policy", "each policy once", fmt::format("'{}' twice", policy_filter[i]));
    }
  }
  for (std::size_t i = 0; i < seed_filter.size(); ++i) {
    if (std::find(seed_filter.begin(), seed_filter.begin() + static_cast<long>(i), seed_filter[i]) !=
        seed_filter.begin() + static_cast<long>(i)) {
      throw BadInput::argument("--seed-policy", "each seed policy once", fmt::format("'{}' twice", seed_filter[i].to_string()));
    }
  }
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
