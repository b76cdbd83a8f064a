#include "app/check_output.h"

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <limits>
#include <optional>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "app/atomic_file.h"
#include "reports/trace_text.h"
#include "sim/plural.h"

namespace samplersim {

void check_output_dir(const std::string& dir) {
  std::error_code ec;
  if (std::filesystem::is_directory(dir, ec)) {
    if (::access(dir.c_str(), W_OK) != 0) throw OutputError(dir, "the directory is not writable");
    return;
  }
  if (std::filesystem::exists(dir, ec)) throw OutputError(dir, "it exists and is not a directory");
  check_directory_creatable(dir);  // created, with missing parents, when the counterexample is written
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
  rec.omitted_processes = cex.omitted_processes;
  return rec;
}

std::string format_process_ranges(const std::vector<int>& processes) {
  std::vector<std::string> parts;
  for (std::size_t i = 0; i < processes.size();) {
    std::size_t j = i;
    while (j + 1 < processes.size() && processes[j + 1] == processes[j] + 1) ++j;
    parts.push_back(j == i ? fmt::format("{}", processes[i]) : fmt::format("{}-{}", processes[i], processes[j]));
    i = j + 1;
  }
  return fmt::format("{}", fmt::join(parts, ", "));
}

InterleavingLabels labels_for(const ScenarioSpec& spec, const Arm& arm, const RunOutcome& outcome,
                              const std::optional<Violation>& violation, std::uint64_t run_seed,
                              const std::vector<int>& omitted_processes) {
  InterleavingLabels l;
  const std::string without =
      omitted_processes.empty() ? std::string()
                                : fmt::format(" without processes {}", format_process_ranges(omitted_processes));
  l.title = fmt::format("{} {} run seed {}{} ({} choice points, trace hash {})", spec.name, arm.label(), run_seed,
                        without, outcome.choice_points, format_hash(outcome.trace_hash));
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

namespace {

void write_trace_text(const std::string& dir, const ScenarioSpec& spec, const Trace& trace,
                      const InterleavingLabels& labels, CounterexampleFiles& f) {
  f.trace_txt = dir + "/trace.txt";
  write_file_atomically(f.trace_txt, format_trace_text(trace, spec, labels.title + "; " + labels.finding));
}

}  // namespace

void write_diagram(const std::string& dir, const ScenarioSpec& spec, const Trace& trace, const RunOutcome& outcome,
                   const InterleavingLabels& labels, std::chrono::milliseconds layout_budget, CounterexampleFiles& f) {
  ensure_directory(dir);
  const std::string dot = interleaving_dot(trace, outcome, spec, labels);
  f.interleaving_dot = dir + "/interleaving.dot";
  f.diagram_nodes = dot_node_count(dot);
  write_file_atomically(f.interleaving_dot, dot);
  const std::string svg_path = dir + "/interleaving.svg";
  const auto started = std::chrono::steady_clock::now();
  std::optional<std::string> svg;
  try {
    svg = render_svg_within(dot, layout_budget);
    if (!svg) f.svg_note = fmt::format("SVG skipped: the Graphviz layout took longer than {} s", layout_budget.count() / 1000.0);
  } catch (const RenderError& e) {
    f.svg_note = fmt::format("SVG skipped: {}", e.what());
  }
  f.layout_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  if (svg) {
    write_file_atomically(svg_path, *svg);
    f.interleaving_svg = svg_path;
  } else {
    std::error_code ec;
    std::filesystem::remove(svg_path, ec);  // never leave the diagram of another run beside this one
  }
}

CounterexampleFiles write_run_rendering(const std::string& dir, const ScenarioSpec& spec, const Trace& trace,
                                        const RunOutcome& outcome, const InterleavingLabels& labels,
                                        std::chrono::milliseconds layout_budget) {
  ensure_directory(dir);
  CounterexampleFiles f;
  write_trace_text(dir, spec, trace, labels, f);
  write_diagram(dir, spec, trace, outcome, labels, layout_budget, f);
  return f;
}

CounterexampleFiles write_counterexample_text(const std::string& dir, const ScenarioSpec& spec, const Arm& arm,
                                              const Counterexample& cex, const std::string& strategy) {
  ensure_directory(dir);
  CounterexampleFiles f;
  write_trace_text(dir, spec, cex.trace, labels_for(spec, arm, cex.outcome, cex.violation, cex.run_seed, cex.omitted_processes), f);
  f.replay_json = dir + "/replay.json";
  write_file_atomically(f.replay_json, replay_to_json(replay_record_of_counterexample(spec, arm, cex, strategy)));
  return f;
}

CounterexampleFiles write_counterexample(const std::string& dir, const ScenarioSpec& spec, const Arm& arm,
                                         const Counterexample& cex, const std::string& strategy,
                                         std::chrono::milliseconds layout_budget) {
  CounterexampleFiles f = write_counterexample_text(dir, spec, arm, cex, strategy);
  write_diagram(dir, spec, cex.trace, cex.outcome, labels_for(spec, arm, cex.outcome, cex.violation, cex.run_seed, cex.omitted_processes),
                layout_budget, f);
  return f;
}

std::string shrink_summary_line(const ScenarioSpec& spec, const Counterexample& cex) {
  if (cex.shrink_runs == 0 && cex.shrink_cut_short) {
    // "shrunk ... in 0 runs" said a shrink happened: nothing ran, the run is the one found.
    return fmt::format("not shrunk: the time limit or the run cap was reached before shrinking ran; as found: {} and "
                       "{} ([{}]); {}, {}",
                       plural(spec.processes, "process", "processes"), plural(cex.found_picks.size(), "pick"),
                       fmt::join(cex.choices, ","), plural(cex.outcome.choice_points, "choice point"),
                       plural(cex.outcome.trials, "trial"));
  }
  std::string kept = "all " + plural(spec.processes, "process", "processes");
  if (!cex.omitted_processes.empty()) {
    std::vector<int> in;
    for (int p = 0; p < spec.processes; ++p) {
      if (!std::binary_search(cex.omitted_processes.begin(), cex.omitted_processes.end(), p)) in.push_back(p);
    }
    kept = fmt::format("{} ({}; {} left out)", plural(in.size(), "process", "processes"), fmt::join(in, ", "),
                       cex.omitted_processes.size());
  }
  return fmt::format("shrunk from {} and {} to {} and a choice vector of {} ([{}]) in {}{}; {}, {}",
                     plural(spec.processes, "process", "processes"), plural(cex.found_picks.size(), "pick"), kept,
                     cex.choices.size(), fmt::join(cex.choices, ","), plural(cex.shrink_runs, "run"),
                     cex.shrink_cut_short ? " (cut short by the time limit or the run cap)" : "",
                     plural(cex.outcome.choice_points, "choice point"), plural(cex.outcome.trials, "trial"));
}


}  // namespace samplersim
