#include "app/result_line.h"

#include "sim/random_stream.h"
#include "sim/trace.h"

namespace samplersim {

std::string scenario_digest(const ScenarioSpec& spec) {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (unsigned char c : spec.source_text) {
    h ^= c;
    h *= 0x100000001b3ULL;
  }
  return format_hash(h);
}

nlohmann::json result_line(const ScenarioSpec& spec, const Arm& arm, const std::string& strategy,
                           const RunSummary& r) {
  nlohmann::json states = nlohmann::json::object();
  for (TrialState s : kAllTrialStates) {
    states[std::string(to_string(s))] = r.trials_by_state[static_cast<std::size_t>(s)];
  }
  return nlohmann::json{
      {"scenario", spec.name},
      {"scenario_digest", scenario_digest(spec)},
      {"policy", arm.policy->name},
      {"seed_policy", arm.seed_policy.to_string()},
      {"processes", spec.processes},
      {"threads", spec.threads},
      {"grid_size", r.grid_size},
      {"rep", r.rep},
      {"run_seed", r.run_seed},
      {"strategy", strategy},
      {"trials", r.trials},
      {"states", states},
      {"repeats", r.repeats},
      {"never_evaluated", r.never_evaluated},
      {"uncovered", r.uncovered},
      {"completed_twice", r.completed_twice},
      {"coverage_complete", r.uncovered == 0},
      {"no_repeats", r.repeats == 0},
      {"objective_time_s", static_cast<double>(r.objective_time_us) / kMicrosPerSecond},
      {"wasted_time_s", static_cast<double>(r.wasted_time_us) / kMicrosPerSecond},
      {"makespan_s", static_cast<double>(r.makespan_us) / kMicrosPerSecond},
      {"store_ops", r.store_ops},
      {"choice_points", r.choice_points},
      {"trace_hash", format_hash(r.trace_hash)},
  };
}

}  // namespace samplersim
