#include "reports/interleaving_graph.h"

#include <graphviz/cgraph.h>
#include <graphviz/gvc.h>

#include <cassert>
#include <map>
#include <set>
#include <vector>

#include <fmt/format.h>

#include "reports/trace_text.h"
#include "sim/store_op.h"

namespace samplersim {

namespace {

std::string escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out;
}

bool is_drawn(const TraceEvent& e) {
  return e.kind == TraceKind::kStoreOp || e.kind == TraceKind::kSamplerDraw ||
         e.kind == TraceKind::kObjectiveStart;
}

enum class Scope : std::uint8_t { kNone, kOneTrial, kAllTrials, kStudyAttr };

Scope read_scope(StoreOp op) {
  switch (op) {
    case StoreOp::kGetTrial: return Scope::kOneTrial;
    case StoreOp::kGetAllTrials:
    case StoreOp::kListWaiting: return Scope::kAllTrials;
    case StoreOp::kGetStudyAttr: return Scope::kStudyAttr;
    default: return Scope::kNone;
  }
}

bool observes(const TraceEvent& read, const TraceEvent& write) {
  const auto wop = static_cast<StoreOp>(write.a);
  switch (read_scope(static_cast<StoreOp>(read.a))) {
    case Scope::kOneTrial: return write.trial >= 0 && write.trial == read.trial;
    case Scope::kAllTrials: return write.trial >= 0;
    case Scope::kStudyAttr: return wop == StoreOp::kStudyAttrInsertIfAbsent && write.detail == read.detail;
    case Scope::kNone: return false;
  }
  return false;
}

bool is_store(const TraceEvent& e, bool write) {
  return e.kind == TraceKind::kStoreOp && is_write(static_cast<StoreOp>(e.a)) == write;
}

}  // namespace

std::string interleaving_dot(const Trace& trace, const RunOutcome& outcome, const ScenarioSpec& spec,
                             const InterleavingLabels& labels) {
  assert(trace.keeps_events());
  const std::vector<TraceEvent>& events = trace.events();
  std::set<std::int32_t> highlighted_trials;
  std::map<WorkerId, std::string> lane_label;
  for (const TraceEvent& e : events) {
    if (e.kind == TraceKind::kObjectiveStart && labels.highlight_combination >= 0 && e.a == labels.highlight_combination) {
      highlighted_trials.insert(e.trial);
    }
    if (e.kind == TraceKind::kWorkerStart) lane_label[e.worker] = fmt::format("w{} (process {}, thread {})", e.worker, e.a, e.b);
  }
  std::vector<std::size_t> drawn;  // indices into events
  for (std::size_t i = 0; i < events.size(); ++i) {
    if (is_drawn(events[i])) drawn.push_back(i);
  }

  std::string out = "digraph interleaving {\n";
  out += fmt::format("  graph [label=\"{}\\n{}\", labelloc=t, fontname=\"Helvetica\", fontsize=12, newrank=true];\n",
                     escape(labels.title), escape(labels.finding));
  out += "  node [shape=box, style=\"rounded,filled\", fillcolor=white, fontname=\"Helvetica\", fontsize=10];\n";
  out += "  edge [fontname=\"Helvetica\", fontsize=9];\n";
  for (const auto& [worker, label] : lane_label) {
    out += fmt::format("  subgraph cluster_w{} {{\n    label=\"{}\";\n    color=gray60;\n", worker, escape(label));
    for (std::size_t i : drawn) {
      const TraceEvent& e = events[i];
      if (e.worker != worker) continue;
      std::string fill = "white";
      std::string extra;
      if (highlighted_trials.count(e.trial)) fill = "\"#ffd8a8\"";
      if (e.kind == TraceKind::kObjectiveStart && e.a == labels.highlight_combination) {
        fill = "\"#ff8a8a\"";
        extra = ", penwidth=2";
      }
      if (is_store(e, true)) extra += ", shape=box";
      if (is_store(e, false)) extra += ", shape=ellipse";
      if (e.kind == TraceKind::kSamplerDraw) extra += ", shape=diamond";
      out += fmt::format("    e{} [label=\"{} s\\n{}\", fillcolor={}{}];\n", i, format_seconds(e.t_us),
                         escape(format_event(e, spec)), fill, extra);
    }
    out += "  }\n";
  }
  // Program order per worker, and the global linearization order (invisible).
  std::map<WorkerId, std::size_t> last_of;
  for (std::size_t k = 0; k < drawn.size(); ++k) {
    const std::size_t i = drawn[k];
    const auto it = last_of.find(events[i].worker);
    if (it != last_of.end()) out += fmt::format("  e{} -> e{} [color=gray50, arrowsize=0.6];\n", it->second, i);
    last_of[events[i].worker] = i;
    if (k + 1 < drawn.size()) out += fmt::format("  e{} -> e{} [style=invis];\n", i, drawn[k + 1]);
  }
  // Write -> first read of another worker that observed it.
  std::map<WorkerId, std::set<std::size_t>> observed;
  for (std::size_t r : drawn) {
    const TraceEvent& read = events[r];
    if (!is_store(read, false)) continue;
    for (std::size_t w : drawn) {
      if (w >= r) break;
      const TraceEvent& write = events[w];
      if (!is_store(write, true) || write.worker == read.worker || !observes(read, write)) continue;
      if (!observed[read.worker].insert(w).second) continue;
      out += fmt::format("  e{} -> e{} [color=blue, style=dashed, constraint=false];\n", w, r);
    }
  }
  if (labels.missed_combination >= 0) {
    out += fmt::format("  missed [shape=note, style=filled, fillcolor=\"#ff8a8a\", label=\"never evaluated: {}\"];\n",
                       escape(format_combination(spec, labels.missed_combination)));
  }
  out += fmt::format("  legend [shape=plaintext, style=\"\", label=\"{} trials, {} repeats, {} uncovered; "
                     "box = write, ellipse = read, diamond = draw; dashed blue = write observed by a read\"];\n",
                     outcome.trials, outcome.repeats, outcome.uncovered);
  out += "}\n";
  return out;
}

std::string render_svg(const std::string& dot) {
  GVC_t* gvc = gvContext();
  if (gvc == nullptr) throw RenderError("graphviz: cannot create a context");
  Agraph_t* graph = agmemread(dot.c_str());
  if (graph == nullptr) {
    gvFreeContext(gvc);
    throw RenderError("graphviz: the DOT text does not parse");
  }
  std::string svg;
  bool ok = gvLayout(gvc, graph, "dot") == 0;
  if (ok) {
    char* data = nullptr;
    unsigned int length = 0;
    ok = gvRenderData(gvc, graph, "svg", &data, &length) == 0 && data != nullptr;
    if (ok) svg.assign(data, length);
    if (data != nullptr) gvFreeRenderData(data);
    gvFreeLayout(gvc, graph);
  }
  agclose(graph);
  gvFreeContext(gvc);
  if (!ok) throw RenderError("graphviz: layout or SVG rendering failed (is the dot plugin installed?)");
  return svg;
}

}  // namespace samplersim
