// Writing a counterexample of `samplersim check` (and re-rendering one for `samplersim replay`):
//   trace.txt          compact text trace with its legend (reports/trace_text.h)
//   replay.json        replay file (app/replay_file.h); picks are the run's exact recorded picks
//   interleaving.dot   Graphviz diagram (reports/interleaving_graph.h)
//   interleaving.svg   the diagram rendered with libgvc
// Every file is written whole or not at all (app/atomic_file.h); the directory is created.
#pragma once

#include <string>

#include "app/arms.h"
#include "app/check_explore.h"
#include "app/replay_file.h"
#include "reports/interleaving_graph.h"

namespace samplersim {

struct CounterexampleFiles {
  std::string trace_txt, replay_json, interleaving_dot, interleaving_svg;
};

// Checks early that `dir` can receive the files: an existing writable directory, or a path whose
// parent directory exists and is writable. Throws OutputError.
void check_output_dir(const std::string& dir);

// The replay record of a counterexample; `strategy` is e.g. "pct:3 (shrunk)".
ReplayRecord replay_record_of_counterexample(const ScenarioSpec& spec, const Arm& arm, const Counterexample& cex,
                                             const std::string& strategy);

// Title and finding lines of the diagram for a run of `arm` with an optional violation.
InterleavingLabels labels_for(const ScenarioSpec& spec, const Arm& arm, const RunOutcome& outcome,
                              const std::optional<Violation>& violation, std::uint64_t run_seed);

// Writes trace.txt, interleaving.dot and interleaving.svg of a kept run into `dir`.
CounterexampleFiles write_run_rendering(const std::string& dir, const ScenarioSpec& spec, const Trace& trace,
                                        const RunOutcome& outcome, const InterleavingLabels& labels);

// All four files of a counterexample.
CounterexampleFiles write_counterexample(const std::string& dir, const ScenarioSpec& spec, const Arm& arm,
                                         const Counterexample& cex, const std::string& strategy);

}  // namespace samplersim
