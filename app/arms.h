// Arms of a comparison: the (policy, seed policy) pairs a scenario compares, optionally narrowed
// by the command line. Order is the scenario's order (policies, then seed policies), so tables and
// result files list arms the same way every time.
#pragma once

#include <string>
#include <vector>

#include "sim/scenario_spec.h"
#include "sim/sampler.h"
#include "sim/seed_policy.h"

namespace samplersim {

struct Arm {
  const PolicyInfo* policy = nullptr;
  SeedPolicy seed_policy;
  std::string label() const;  // "optuna-3.6/none"
};

// Throws BadInput (as an argument error) naming the unknown policy if a filter entry is not in the
// scenario's registry-validated list, or the entry a filter lists twice (a repeated --policy or
// --seed-policy is refused, never run twice or silently merged); an empty filter keeps everything.
std::vector<Arm> arms_of(const ScenarioSpec& spec, const std::vector<std::string>& policy_filter,
                         const std::vector<SeedPolicy>& seed_filter);

}  // namespace samplersim
