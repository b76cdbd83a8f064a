// The interleaving of one kept run as a Graphviz diagram (DOT text, rendered to SVG with libgvc):
// only the CAUSAL SLICE of the violation, bounded in nodes, so it fits on a page.
//
// Slice (causal_slice): the KEY TRIALS are the first evaluations of the repeated combination (at
// most kMaxKeyTrials; without a repeat, the evaluations of the missed combination). For each key
// trial its STORY is drawn: on its worker, from the decision read (the last get_all_trials,
// list_waiting or get_study_attr before its objective) or its creation, whichever is first,
// through its draw, its identifying writes (system attributes such as grid_id, params, claims),
// its objective start, and its state write. What the other workers did in between is drawn as
// one summary node per worker (operations, writes, trials), at most kMaxSummaries (the rest
// merged into one). When the stories exceed the budget, lower-priority events go first (the
// objective start, decision read, draw and identifying writes stay longest). Without any key
// trial (termination, or a combination nobody evaluated) each worker's last draw, stop flag and
// stop are drawn instead. The whole diagram, legend and notes included, has at most
// kMaxDiagramNodes nodes.
// Layout: one cluster (lane) per worker that has a node, nodes top to bottom in trace order
// (= virtual-time order; an invisible chain across lanes keeps that order); grey edges follow
// program order. Each key trial has a decision read and an IDENTIFYING WRITE (its grid_id system
// attribute, else its claim, else its first param). A dashed blue edge goes from a key trial's
// identifying write to another key trial's decision read that observed it (a read observes every
// write applied before its linearization instant within its scope: get_trial #k: writes to trial
// k; get_all_trials and list_waiting: all trial writes; get_study_attr: writes to that study
// attribute); a bold red edge goes from a key trial's decision read to another key trial's
// identifying write when each read came before the other's write: the read-choose-write race.
// Key trials are filled orange, their objective starts red; combinations are shown by their
// values ({x=0, y=2}).
// Pure functions of a kept Trace and the outcome; never run a simulation.
// Cost: O(events) to slice, O(drawn²) for the edges.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "sim/scenario_spec.h"
#include "sim/run_outcome.h"
#include "sim/trace.h"

namespace samplersim {

inline constexpr std::size_t kMaxDiagramNodes = 40;
inline constexpr std::size_t kMaxKeyTrials = 3;
inline constexpr std::size_t kMaxSummaries = 8;

struct InterleavingLabels {
  std::string title;                     // first line of the diagram's label
  std::string finding;                   // second line, e.g. the violation
  std::int64_t highlight_combination = -1;  // repeated combination, -1 for none
  std::int64_t missed_combination = -1;     // combination never evaluated, -1 for none
};

// What the diagram draws of a run.
struct CausalSlice {
  struct Summary {
    WorkerId worker = -1;          // -1: several workers merged
    std::size_t first_event = 0;   // index of the first summarised event (places the node)
    std::string text;
  };
  std::vector<std::int32_t> key_trials;  // in objective-start order
  std::vector<std::size_t> events;       // drawn trace events, ascending indices
  std::vector<Summary> summaries;
  std::size_t total_events = 0;          // drawable events of the whole run
};

// `trace` must keep its events. At most `max_nodes` - 2 events and summaries together.
CausalSlice causal_slice(const Trace& trace, const InterleavingLabels& labels, std::size_t max_nodes = kMaxDiagramNodes);

// `trace` must keep its events.
std::string interleaving_dot(const Trace& trace, const RunOutcome& outcome, const ScenarioSpec& spec,
                             const InterleavingLabels& labels);

// Number of node statements in DOT text written by interleaving_dot (graph/node/edge defaults and
// edges are not nodes).
std::size_t dot_node_count(const std::string& dot);

class RenderError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Lays out DOT text with the dot engine and renders SVG (libgvc). Throws RenderError.
std::string render_svg(const std::string& dot);

// render_svg in a child process that is killed when it runs longer than `budget`: nullopt then.
// Throws RenderError when the layout fails, or when the child cannot be started.
std::optional<std::string> render_svg_within(const std::string& dot, std::chrono::milliseconds budget);

}  // namespace samplersim
