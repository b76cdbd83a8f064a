#include "app/check_output.h"

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <limits>

#include <fmt/format.h>

#include "app/atomic_file.h"
#include "reports/trace_text.h"

namespace samplersim {

void check_output_dir(const std::string& dir) {
  std::error_code ec;
  if (std::filesystem::is_directory(dir, ec)) {
    if (::access(dir.c_str(), W_OK) != 0) throw OutputError(dir, "the directory is not writable");
    return;
  }
  if (std::filesystem::exists(dir, ec)) throw OutputError(dir, "it exists and is not a directory");
  check_writable(dir);  // the parent must exist and be writable
}

ReplayRecord replay_record_of_counterexample(const ScenarioSpec& spec, const Arm& arm, const Counterexample& cex,
                                             const std::string& strategy) {
  ReplayRecord rec;
  rec.scenario_path = spec.source_path;
  rec.scenario_source = spec.source_text;
  rec.policy = arm.policy->name;
  rec.seed_policy = arm.seed_policy.to_string();
  rec.rep = static_cast<int>(std::min<std::uint64_t>(cex.schedule_index, std::numeric_limits<int>::max()));
  rec.run_seed = cex.run_seed;
  rec.strategy = strategy;
  rec.picks = cex.outcome.schedule;
  rec.trace_hash = cex.outcome.trace_hash;
  rec.property = std::string(to_string(cex.violation.property));
  return rec;
}

InterleavingLabels labels_for(const ScenarioSpec& spec, const Arm& arm, const RunOutcome& outcome,
                              const std::optional<Violation>& violation, std::uint64_t run_seed) {
  InterleavingLabels l;
  l.title = fmt::format("{} {} run seed {} ({} choice points, trace hash {})", spec.name, arm.label(), run_seed,
                        outcome.choice_points, format_hash(outcome.trace_hash));
  if (violation) {
    l.finding = fmt::format("{} violated: {}", to_string(violation->property), violation->detail);
    // Highlight what the violation is about, and its other side: a repeat under a trial cap
    // usually leaves another combination missed, and vice versa.
    l.highlight_combination = combination_of_violation(outcome, Violation{Property::kNoRepeats, {}});
    l.missed_combination = combination_of_violation(outcome, Violation{Property::kCoverage, {}});
  } else {
    l.finding = "no property violated";
  }
  return l;
}

CounterexampleFiles write_run_rendering(const std::string& dir, const ScenarioSpec& spec, const Trace& trace,
                                        const RunOutcome& outcome, const InterleavingLabels& labels) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) throw OutputError(dir, fmt::format("cannot create the directory: {}", ec.message()));
  CounterexampleFiles f;
  f.trace_txt = dir + "/trace.txt";
  f.interleaving_dot = dir + "/interleaving.dot";
  f.interleaving_svg = dir + "/interleaving.svg";
  const std::string dot = interleaving_dot(trace, outcome, spec, labels);
  const std::string svg = render_svg(dot);  // before writing anything: no partial output
  write_file_atomically(f.trace_txt, format_trace_text(trace, spec, labels.title + "; " + labels.finding));
  write_file_atomically(f.interleaving_dot, dot);
  write_file_atomically(f.interleaving_svg, svg);
  return f;
}

CounterexampleFiles write_counterexample(const std::string& dir, const ScenarioSpec& spec, const Arm& arm,
                                         const Counterexample& cex, const std::string& strategy) {
  const InterleavingLabels labels = labels_for(spec, arm, cex.outcome, cex.violation, cex.run_seed);
  CounterexampleFiles f = write_run_rendering(dir, spec, cex.trace, cex.outcome, labels);
  f.replay_json = dir + "/replay.json";
  write_file_atomically(f.replay_json, replay_to_json(replay_record_of_counterexample(spec, arm, cex, strategy)));
  return f;
}

}  // namespace samplersim
