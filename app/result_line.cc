#include "app/result_line.h"

#include <algorithm>

#include "sim/fnv1a.h"
#include "sim/random_stream.h"
#include "sim/trace.h"

namespace samplersim {

std::string scenario_digest(const ScenarioSpec& spec) {
  return format_hash(fnv1a_64(spec.source_text));
}

namespace {

double seconds(VirtualTime us) { return static_cast<double>(us) / kMicrosPerSecond; }

// The metrics every results line carries, simulated or real.
void put_metrics(nlohmann::json& line, const RunMetrics& m) {
  nlohmann::json states = nlohmann::json::object();
  for (TrialState s : kAllTrialStates) states[std::string(to_string(s))] = m.state_count(s);
  line["grid_size"] = m.grid_size;
  line["trials"] = m.trials;
  line["states"] = states;
  line["repeats"] = m.repeats;
  line["never_evaluated"] = m.never_evaluated;
  line["uncovered"] = m.uncovered;
  line["objective_time_s"] = seconds(m.objective_time_us);
  line["wasted_time_s"] = seconds(m.wasted_time_us);
  line["makespan_s"] = seconds(m.makespan_us);
  line["store_ops"] = m.store_ops;
  // Issue 11, written only when present (lines of runs without them are unchanged).
  if (m.processes_raised() > 0) {
    nlohmann::json errors = nlohmann::json::object();
    for (std::size_t e = 1; e < m.process_errors.size(); ++e) {
      if (m.process_errors[e] > 0) errors[std::string(to_string(static_cast<PyError>(e)))] = m.process_errors[e];
    }
    line["process_errors"] = errors;
  }
  if (m.stop_errors_swallowed > 0) line["stop_errors_swallowed"] = m.stop_errors_swallowed;
  if (m.initial_trials > 0) line["initial_trials"] = m.initial_trials;
}

}  // namespace

nlohmann::json result_line(const ScenarioSpec& spec, const Arm& arm, const std::string& strategy,
                           const RunSummary& r) {
  nlohmann::json line{
      {"scenario", spec.name},
      {"scenario_digest", scenario_digest(spec)},
      {"policy", arm.policy->name},
      {"seed_policy", arm.seed_policy.to_string()},
      {"processes", spec.processes},
      {"threads", spec.threads},
      {"rep", r.rep},
      {"run_seed", r.run_seed},
      {"strategy", strategy},
      {"completed_twice", r.completed_twice},
      {"coverage_complete", r.coverage_complete()},
      {"no_repeats", r.no_repeats()},
      {"choice_points", r.choice_points},
      {"trace_hash", format_hash(r.trace_hash)},
  };
  put_metrics(line, r);
  return line;
}

nlohmann::json real_study_result_line(const AuditResult& audit, const std::string& scenario,
                                      const std::string& digest) {
  nlohmann::json line{
      {"scenario", scenario},
      {"scenario_digest", digest},
      {"policy", "real-study"},
      {"seed_policy", audit.library_version.empty() ? "optuna" : "optuna-" + audit.library_version},
      {"processes", std::max(1, audit.peak_running)},
      {"threads", 1},
      {"rep", 0},
      {"run_seed", 0},
      {"strategy", "real"},
  };
  put_metrics(line, audit.metrics);
  return line;
}

}  // namespace samplersim
