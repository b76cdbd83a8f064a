// The interleaving of one kept run as a Graphviz diagram (DOT text, rendered to SVG with libgvc).
//
// Layout: one cluster (lane) per worker, labelled with its process and thread; one node per store
// operation (at its linearization instant), sampler draw and objective start, top to bottom in
// trace order (= virtual-time order; an invisible chain across lanes keeps that order). Grey edges
// follow each worker's program order. A dashed blue edge goes from a write to each read of another
// worker that observed it first: a read observes every write applied before its linearization
// instant, within its scope (get_trial #k: writes to trial k; get_all_trials and list_waiting: all
// trial writes; get_study_attr: writes to that study attribute); a write already observed by an
// earlier read of the same worker gets no second edge. The trials that evaluated the highlighted
// (repeated) combination are filled orange, their evaluations red; a missed combination (never
// evaluated) gets a red note.
// Pure functions of a kept Trace and the outcome; never run a simulation. Cost: O(events^2) worst
// case for the observation edges (counterexamples are small).
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>

#include "sim/scenario_spec.h"
#include "sim/run_outcome.h"
#include "sim/trace.h"

namespace samplersim {

struct InterleavingLabels {
  std::string title;                     // first line of the diagram's label
  std::string finding;                   // second line, e.g. the violation
  std::int64_t highlight_combination = -1;  // repeated combination, -1 for none
  std::int64_t missed_combination = -1;     // combination never evaluated, -1 for none
};

// `trace` must keep its events.
std::string interleaving_dot(const Trace& trace, const RunOutcome& outcome, const ScenarioSpec& spec,
                             const InterleavingLabels& labels);

class RenderError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Lays out DOT text with the dot engine and renders SVG (libgvc). Throws RenderError.
std::string render_svg(const std::string& dot);

}  // namespace samplersim
