// Writing a counterexample of `samplersim check` (and re-rendering one for `samplersim replay`):
//   trace.txt          compact text trace with its legend (reports/trace_text.h)
//   replay.json        replay file (app/replay_file.h); picks are the run's exact recorded picks
//   interleaving.dot   Graphviz diagram of the causal slice (reports/interleaving_graph.h)
//   interleaving.svg   the diagram rendered with libgvc in a child process, within a layout budget
// The text files come first and need no layout (check writes them as soon as a violation is
// found, then again for the shrunk run); when the layout exceeds its budget or fails, the SVG is
// skipped with a note (a stale one is removed) and the other files stay. Every file is written
// whole or not at all (app/atomic_file.h); the directory is created.
#pragma once

#include <chrono>
#include <string>

#include "app/arms.h"
#include "app/check_explore.h"
#include "app/replay_file.h"
#include "reports/interleaving_graph.h"

namespace samplersim {

struct CounterexampleFiles {
  std::string trace_txt, replay_json, interleaving_dot;
  std::string interleaving_svg;  // empty when the SVG was skipped
  std::string svg_note;          // why it was skipped
  std::size_t diagram_nodes = 0;
  double layout_seconds = 0;     // wall-clock time of the layout (a figure, never an input)
};

inline constexpr std::chrono::milliseconds kDefaultLayoutBudget{10'000};

// Checks early that `dir` can receive the files: an existing writable directory, or a path whose
// parent directory exists and is writable. Throws OutputError.
void check_output_dir(const std::string& dir);

// What shrinking did, one line of check's stdout: "shrunk from 16 processes and 0 picks to 2
// processes (1, 6; 14 left out) and a choice vector of 0 ([]) in 37 runs; ..." (app/check_explore.h
// says how), or "not shrunk: ..." when the time limit or the run cap came before any shrinking run.
std::string shrink_summary_line(const ScenarioSpec& spec, const Counterexample& cex);

// The replay record of a counterexample; `strategy` is e.g. "pct:3 (shrunk)".
ReplayRecord replay_record_of_counterexample(const ScenarioSpec& spec, const Arm& arm, const Counterexample& cex,
                                             const std::string& strategy);

// Title and finding lines of the diagram for a run of `arm` with an optional violation; the title
// names the processes a shrunk run leaves out ("without processes 0-13").
InterleavingLabels labels_for(const ScenarioSpec& spec, const Arm& arm, const RunOutcome& outcome,
                              const std::optional<Violation>& violation, std::uint64_t run_seed,
                              const std::vector<int>& omitted_processes = {});

// "0-13, 15" for ascending process indices.
std::string format_process_ranges(const std::vector<int>& processes);

// trace.txt and replay.json of a counterexample (as found, or shrunk).
CounterexampleFiles write_counterexample_text(const std::string& dir, const ScenarioSpec& spec, const Arm& arm,
                                              const Counterexample& cex, const std::string& strategy);

// interleaving.dot, then interleaving.svg within `layout_budget`, of a kept run; fills `files`.
void write_diagram(const std::string& dir, const ScenarioSpec& spec, const Trace& trace, const RunOutcome& outcome,
                   const InterleavingLabels& labels, std::chrono::milliseconds layout_budget, CounterexampleFiles& files);

// Writes trace.txt and the diagram files of a kept run into `dir`.
CounterexampleFiles write_run_rendering(const std::string& dir, const ScenarioSpec& spec, const Trace& trace,
                                        const RunOutcome& outcome, const InterleavingLabels& labels,
                                        std::chrono::milliseconds layout_budget = kDefaultLayoutBudget);

// All four files of a counterexample: the text files, then the diagram.
CounterexampleFiles write_counterexample(const std::string& dir, const ScenarioSpec& spec, const Arm& arm,
                                         const Counterexample& cex, const std::string& strategy,
                                         std::chrono::milliseconds layout_budget = kDefaultLayoutBudget);

}  // namespace samplersim
