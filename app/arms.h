// Arms of a comparison: the (policy, seed policy) pairs a scenario compares, optionally narrowed
// by the command line. Order is the scenario's order (policies, then seed policies), so tables and
// result files list arms the same way every time.
#pragma once

#include <string>
#include <string_view>
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
// Also refuses (check_can_simulate) a policy that cannot simulate the scenario.
std::vector<Arm> arms_of(const ScenarioSpec& spec, const std::vector<std::string>& policy_filter,
                         const std::vector<SeedPolicy>& seed_filter);

// Throws BadInput (as an argument error of `option`) for a policy name that is not registered: the
// registered names, and the nearest one ("did you mean ...?", scenarios/toml_reader.h's helper).
[[noreturn]] void throw_unknown_policy(const std::string& option, const std::string& policy);

// Throws BadInput naming the scenario file, the line of the key and the key when `policy` says it
// cannot simulate `spec` (PolicyInfo::cannot_simulate; e.g. real:optuna and n_jobs threads), so
// that no run starts and the exit status is 2. The line is the key's in the scenario's text (its
// table's [header] or [[header]], then `key =`), 0 if the text does not spell it.
void check_can_simulate(const PolicyInfo& policy, const ScenarioSpec& spec);

// Throws BadInput naming the scenario file, the line of `workers.processes` (or of
// `run.max_sampler_memory_mib` when the file sets it) and that key when the arm's samplers would
// hold more than [run] max_sampler_memory_mib in one run (PolicyInfo::sampler_bytes), so that no run
// starts and the exit status is 2; the message gives the estimate, the most processes that fit and
// the seed policy that shares one copy.
void check_sampler_memory(const Arm& arm, const ScenarioSpec& spec);

// The 1-based line of dotted key `table.key` in scenario `text` (a `key =` line under a [table]
// or [[table]] header, or a `table.key =` line at the top), 0 if none. A heuristic for messages.
int scenario_key_line(std::string_view text, std::string_view dotted_key);

}  // namespace samplersim
