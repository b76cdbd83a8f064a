#include "reports/interleaving_graph.h"

#include <graphviz/cgraph.h>
#include <graphviz/gvc.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cassert>
#include <cerrno>
#include <map>
#include <set>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "reports/trace_text.h"
#include "sim/store_op.h"

namespace samplersim {

namespace {

// DOT string text: quotes and backslashes escaped, line breaks as \n.
std::string escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out;
}

bool is_store(const TraceEvent& e) { return e.kind == TraceKind::kStoreOp; }
StoreOp op_of(const TraceEvent& e) { return static_cast<StoreOp>(e.a); }

bool is_store(const TraceEvent& e, bool write) { return is_store(e) && is_write(op_of(e)) == write; }

// Events that can stand in a summary: what a worker did with the store or the grid.
bool is_activity(const TraceEvent& e) {
  return e.kind == TraceKind::kStoreOp || e.kind == TraceKind::kSamplerDraw || e.kind == TraceKind::kObjectiveStart;
}

// A read of state other trials write: what a sampler bases its choice on.
bool is_decision_read(const TraceEvent& e) {
  if (!is_store(e)) return false;
  const StoreOp op = op_of(e);
  return op == StoreOp::kGetAllTrials || op == StoreOp::kListWaiting || op == StoreOp::kGetStudyAttr ||
         op == StoreOp::kGetStaleTrials;
}

// A write that ties trial `k` to its combination.
bool identifies(const TraceEvent& e, std::int32_t k) {
  if (!is_store(e) || e.trial != k) return false;
  const StoreOp op = op_of(e);
  return op == StoreOp::kSetTrialSystemAttr || op == StoreOp::kSetTrialParam || op == StoreOp::kClaimCombination;
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
  switch (read_scope(op_of(read))) {
    case Scope::kOneTrial: return write.trial >= 0 && write.trial == read.trial;
    case Scope::kAllTrials: return write.trial >= 0;
    case Scope::kStudyAttr: return op_of(write) == StoreOp::kStudyAttrInsertIfAbsent && write.detail == read.detail;
    case Scope::kNone: return false;
  }
  return false;
}

struct Candidate {
  int priority = 0;  // 0 stays longest
  std::size_t index = 0;
  bool operator<(const Candidate& o) const { return priority != o.priority ? priority < o.priority : index < o.index; }
};

// The story of key trial `k` (see the header), as prioritised candidates.
void add_story(const std::vector<TraceEvent>& ev, std::int32_t k, std::vector<Candidate>& out) {
  std::size_t eval = ev.size();
  for (std::size_t i = 0; i < ev.size(); ++i) {
    if (ev[i].kind == TraceKind::kObjectiveStart && ev[i].trial == k) {
      eval = i;
      break;
    }
  }
  if (eval == ev.size()) return;
  const WorkerId w = ev[eval].worker;
  // The worker's previous trial ends where this story may start.
  std::size_t begin = 0;
  for (std::size_t i = eval; i-- > 0;) {
    if (ev[i].worker == w && (ev[i].kind == TraceKind::kObjectiveStart || ev[i].kind == TraceKind::kObjectiveEnd)) {
      begin = i + 1;
      break;
    }
  }
  std::optional<std::size_t> decision, creation;
  for (std::size_t i = begin; i < eval; ++i) {
    const TraceEvent& e = ev[i];
    if (e.worker != w) continue;
    if (is_decision_read(e)) decision = i;
    if (!creation && is_store(e) && e.trial == k &&
        (op_of(e) == StoreOp::kCreateTrial || op_of(e) == StoreOp::kClaimWaiting)) {
      creation = i;
    }
  }
  std::size_t start = eval;
  if (decision) start = std::min(start, *decision);
  if (creation) start = std::min(start, *creation);
  bool first_param = true;
  for (std::size_t i = start; i <= eval; ++i) {
    const TraceEvent& e = ev[i];
    if (e.worker != w || !is_activity(e)) continue;
    int priority = 2;
    if (i == eval || (decision && i == *decision) || e.kind == TraceKind::kSamplerDraw) {
      priority = 0;
    } else if (identifies(e, k) && (op_of(e) == StoreOp::kClaimCombination || e.detail == "grid_id")) {
      priority = 0;
    } else if (creation && i == *creation) {
      priority = 1;
    } else if (identifies(e, k) && op_of(e) == StoreOp::kSetTrialParam && first_param) {
      priority = 1;
      first_param = false;
    }
    out.push_back({priority, i});
  }
  for (std::size_t i = eval + 1; i < ev.size(); ++i) {
    const TraceEvent& e = ev[i];
    if (e.worker == w && is_store(e) && e.trial == k && op_of(e) == StoreOp::kSetTrialState) {
      out.push_back({1, i});
      break;
    }
  }
}

// Without key trials: how each worker left (its last draw, stop flag and stop).
void add_endings(const std::vector<TraceEvent>& ev, std::vector<Candidate>& out) {
  std::map<WorkerId, std::size_t> last_draw, last_flag;
  for (std::size_t i = 0; i < ev.size(); ++i) {
    const TraceEvent& e = ev[i];
    if (e.kind == TraceKind::kSamplerDraw) last_draw[e.worker] = i;
    if (e.kind == TraceKind::kStopFlag) last_flag[e.worker] = i;
    if (e.kind == TraceKind::kWorkerStop) out.push_back({0, i});
  }
  for (const auto& [w, i] : last_flag) out.push_back({0, i});
  for (const auto& [w, i] : last_draw) out.push_back({1, i});
}

struct Activity {
  std::size_t first = 0, last = 0;
  std::int64_t ops = 0, writes = 0, evals = 0;
  std::set<std::int32_t> trials;
};

std::string summary_text(WorkerId w, const Activity& a, const std::vector<TraceEvent>& ev, std::size_t workers) {
  std::string who = w >= 0 ? fmt::format("w{}", w) : fmt::format("{} more workers", workers);
  std::string trials;
  std::size_t shown = 0;
  for (std::int32_t t : a.trials) {
    if (shown++ == 4) {
      trials += " ...";
      break;
    }
    trials += fmt::format(" #{}", t);
  }
  std::string text = fmt::format("{}: {} store operations ({} writes)", who, a.ops, a.writes);
  if (a.evals > 0) text += fmt::format(", {} objectives started", a.evals);
  if (!trials.empty()) text += "\ntrials" + trials;
  text += fmt::format("\n{}..{} s", format_seconds(ev[a.first].t_us), format_seconds(ev[a.last].t_us));
  return text;
}

void add_activity(Activity& a, const TraceEvent& e, std::size_t i) {
  if (a.ops + a.evals == 0) a.first = i;
  a.last = i;
  if (e.kind == TraceKind::kObjectiveStart) ++a.evals;
  if (is_store(e)) {
    ++a.ops;
    if (is_write(op_of(e))) ++a.writes;
  }
  if (e.trial >= 0) a.trials.insert(e.trial);
}

}  // namespace

CausalSlice causal_slice(const Trace& trace, const InterleavingLabels& labels, std::size_t max_nodes) {
  assert(trace.keeps_events());
  const std::vector<TraceEvent>& ev = trace.events();
  CausalSlice slice;
  for (const TraceEvent& e : ev) slice.total_events += is_activity(e) ? 1 : 0;
  for (std::int64_t combination : {labels.highlight_combination, labels.missed_combination}) {
    if (combination < 0 || !slice.key_trials.empty()) continue;
    for (const TraceEvent& e : ev) {
      if (e.kind == TraceKind::kObjectiveStart && e.a == combination && slice.key_trials.size() < kMaxKeyTrials) {
        slice.key_trials.push_back(e.trial);
      }
    }
  }
  std::vector<Candidate> candidates;
  for (std::int32_t k : slice.key_trials) add_story(ev, k, candidates);
  if (slice.key_trials.empty()) add_endings(ev, candidates);
  std::sort(candidates.begin(), candidates.end());
  candidates.erase(std::unique(candidates.begin(), candidates.end(),
                               [](const Candidate& a, const Candidate& b) { return a.index == b.index; }),
                   candidates.end());
  // Legend and the missed-combination note are nodes too.
  const std::size_t room = max_nodes > 4 ? max_nodes - 2 : 2;
  std::set<WorkerId> workers;
  for (const TraceEvent& e : ev) workers.insert(e.worker);
  const std::size_t reserve = std::min({kMaxSummaries, workers.size(), room / 2});
  std::set<std::size_t> chosen;
  for (const Candidate& c : candidates) {
    if (chosen.size() >= room - reserve) break;
    chosen.insert(c.index);
  }
  slice.events.assign(chosen.begin(), chosen.end());
  if (slice.events.empty()) return slice;

  // Summaries of the activity between the first and the last drawn event.
  std::map<WorkerId, Activity> activity;
  for (std::size_t i = slice.events.front(); i <= slice.events.back(); ++i) {
    if (!is_activity(ev[i]) || chosen.count(i)) continue;
    add_activity(activity[ev[i].worker], ev[i], i);
  }
  std::vector<std::pair<WorkerId, Activity>> by_size(activity.begin(), activity.end());
  std::stable_sort(by_size.begin(), by_size.end(), [](const auto& a, const auto& b) {
    return a.second.ops + a.second.evals > b.second.ops + b.second.evals;
  });
  const std::size_t summary_room = room - slice.events.size();
  if (by_size.size() > summary_room && summary_room >= 1) {
    Activity merged;
    std::size_t merged_workers = 0;
    for (std::size_t j = summary_room - 1; j < by_size.size(); ++j) {
      const Activity& a = by_size[j].second;
      if (merged.ops + merged.evals == 0 || a.first < merged.first) merged.first = a.first;
      merged.last = std::max(merged.last, a.last);
      merged.ops += a.ops;
      merged.writes += a.writes;
      merged.evals += a.evals;
      merged.trials.insert(a.trials.begin(), a.trials.end());
      ++merged_workers;
    }
    by_size.resize(summary_room - 1);
    slice.summaries.push_back({-1, merged.first, summary_text(-1, merged, ev, merged_workers)});
  } else if (by_size.size() > summary_room) {
    by_size.clear();
  }
  for (const auto& [w, a] : by_size) slice.summaries.push_back({w, a.first, summary_text(w, a, ev, 1)});
  std::sort(slice.summaries.begin(), slice.summaries.end(),
            [](const CausalSlice::Summary& a, const CausalSlice::Summary& b) { return a.first_event < b.first_event; });
  return slice;
}

namespace {

// One node of the diagram: a drawn event or a summary, placed at a trace position.
struct DrawnNode {
  std::size_t position = 0;
  WorkerId lane = -1;
  std::string id;
};

std::string node_text(const TraceEvent& e, const ScenarioSpec& spec, const std::map<std::int32_t, std::int64_t>& combination_of) {
  std::string text = format_event(e, spec);
  const auto it = combination_of.find(e.trial);
  const bool names_grid_id = e.kind == TraceKind::kSamplerDraw || (is_store(e) && e.detail == "grid_id");
  if (names_grid_id && it != combination_of.end()) text += "\n= " + format_combination(spec, it->second);
  return fmt::format("{} s\n{}", format_seconds(e.t_us), text);
}

}  // namespace

std::string interleaving_dot(const Trace& trace, const RunOutcome& outcome, const ScenarioSpec& spec,
                             const InterleavingLabels& labels) {
  assert(trace.keeps_events());
  const std::vector<TraceEvent>& events = trace.events();
  const CausalSlice slice = causal_slice(trace, labels);
  const std::set<std::int32_t> key(slice.key_trials.begin(), slice.key_trials.end());
  std::map<std::int32_t, std::int64_t> combination_of;
  std::map<std::int32_t, WorkerId> worker_of;
  std::map<WorkerId, std::string> lane_label;
  for (const TraceEvent& e : events) {
    if (e.kind == TraceKind::kObjectiveStart) {
      combination_of[e.trial] = e.a;
      worker_of[e.trial] = e.worker;
    }
    if (e.kind == TraceKind::kWorkerStart) lane_label[e.worker] = fmt::format("w{} (process {}, thread {})", e.worker, e.a, e.b);
  }
  std::vector<DrawnNode> nodes;
  for (std::size_t i : slice.events) nodes.push_back({i, events[i].worker, fmt::format("e{}", i)});
  for (std::size_t s = 0; s < slice.summaries.size(); ++s) {
    nodes.push_back({slice.summaries[s].first_event, slice.summaries[s].worker, fmt::format("s{}", s)});
  }
  std::stable_sort(nodes.begin(), nodes.end(), [](const DrawnNode& a, const DrawnNode& b) { return a.position < b.position; });

  std::string finding_values;
  if (!slice.key_trials.empty()) {
    std::vector<std::string> who;
    for (std::int32_t k : slice.key_trials) who.push_back(fmt::format("#{} (w{})", k, worker_of[k]));
    const std::int64_t c = labels.highlight_combination >= 0 ? labels.highlight_combination : labels.missed_combination;
    finding_values = fmt::format("\\n{} evaluated by trials {}", escape(format_combination(spec, c)), fmt::join(who, ", "));
  }
  std::string out = "digraph interleaving {\n";
  out += fmt::format("  graph [label=\"{}\\n{}{}\", labelloc=t, fontname=\"Helvetica\", fontsize=12, newrank=true];\n",
                     escape(labels.title), escape(labels.finding), finding_values);
  out += "  node [shape=box, style=\"rounded,filled\", fillcolor=white, fontname=\"Helvetica\", fontsize=10];\n";
  out += "  edge [fontname=\"Helvetica\", fontsize=9];\n";
  std::set<WorkerId> lanes;
  for (const DrawnNode& n : nodes) lanes.insert(n.lane);
  for (WorkerId lane : lanes) {
    const auto label = lane_label.find(lane);
    out += fmt::format("  subgraph cluster_w{} {{\n    label=\"{}\";\n    color=gray60;\n", lane >= 0 ? lane : 999999,
                       escape(lane < 0 ? "other workers" : label != lane_label.end() ? label->second : fmt::format("w{}", lane)));
    for (std::size_t i : slice.events) {
      const TraceEvent& e = events[i];
      if (e.worker != lane) continue;
      std::string fill = "white";
      std::string extra;
      if (key.count(e.trial)) fill = "\"#ffd8a8\"";
      if (e.kind == TraceKind::kObjectiveStart && key.count(e.trial)) {
        fill = "\"#ff8a8a\"";
        extra = ", penwidth=2";
      }
      if (is_store(e, true)) extra += ", shape=box";
      if (is_store(e, false)) extra += ", shape=ellipse";
      if (e.kind == TraceKind::kSamplerDraw) extra += ", shape=diamond";
      out += fmt::format("    e{} [label=\"{}\", fillcolor={}{}];\n", i, escape(node_text(e, spec, combination_of)), fill, extra);
    }
    for (std::size_t s = 0; s < slice.summaries.size(); ++s) {
      if (slice.summaries[s].worker != lane) continue;
      out += fmt::format("    s{} [label=\"{}\", shape=note, fillcolor=\"#eeeeee\", fontsize=9];\n", s,
                         escape(slice.summaries[s].text));
    }
    out += "  }\n";
  }
  // Program order per lane, and the global trace order (invisible).
  std::map<WorkerId, std::string> last_of;
  for (std::size_t k = 0; k < nodes.size(); ++k) {
    const auto it = last_of.find(nodes[k].lane);
    if (it != last_of.end()) out += fmt::format("  {} -> {} [color=gray50, arrowsize=0.6];\n", it->second, nodes[k].id);
    last_of[nodes[k].lane] = nodes[k].id;
    if (k + 1 < nodes.size()) out += fmt::format("  {} -> {} [style=invis];\n", nodes[k].id, nodes[k + 1].id);
  }
  // Per key trial: its decision read and its identifying write (grid_id, else a claim, else its
  // first param), among the drawn events.
  std::map<std::int32_t, std::size_t> decision_of, write_of;
  for (std::int32_t k : slice.key_trials) {
    for (std::size_t i : slice.events) {
      const TraceEvent& e = events[i];
      if (e.kind == TraceKind::kObjectiveStart && e.trial == k) break;
      if (e.worker == worker_of[k] && is_decision_read(e)) decision_of[k] = i;
    }
    std::optional<std::size_t> attr, claim, param;
    for (std::size_t i : slice.events) {
      const TraceEvent& e = events[i];
      if (!identifies(e, k)) continue;
      if (!attr && op_of(e) == StoreOp::kSetTrialSystemAttr && e.detail == "grid_id") attr = i;
      if (!claim && op_of(e) == StoreOp::kClaimCombination) claim = i;
      if (!param && op_of(e) == StoreOp::kSetTrialParam) param = i;
    }
    if (const auto w = attr ? attr : claim ? claim : param) write_of[k] = *w;
  }
  // A key trial's identifying write -> another key trial's decision read that observed it (blue);
  // a decision read -> another key trial's identifying write it did not see, when that trial's
  // read did not see this one's write either: the read-choose-write race (red).
  for (std::int32_t j : slice.key_trials) {
    if (!decision_of.count(j)) continue;
    const std::size_t read = decision_of[j];
    for (std::int32_t k : slice.key_trials) {
      if (k == j || !write_of.count(k)) continue;
      const std::size_t write = write_of[k];
      if (write < read && observes(events[read], events[write])) {
        out += fmt::format("  e{} -> e{} [color=blue, style=dashed, constraint=false];\n", write, read);
      } else if (write > read && decision_of.count(k) && write_of.count(j) && write_of[j] > decision_of[k]) {
        out += fmt::format("  e{} -> e{} [color=red, penwidth=2, style=dashed, constraint=false, "
                           "label=\"read before this write\", fontcolor=red];\n", read, write);
      }
    }
  }
  if (labels.missed_combination >= 0) {
    out += fmt::format("  missed [shape=note, style=filled, fillcolor=\"#ff8a8a\", label=\"never evaluated: {}\"];\n",
                       escape(format_combination(spec, labels.missed_combination)));
  }
  out += fmt::format("  legend [shape=plaintext, style=\"\", label=\"{} trials, {} repeats, {} uncovered; "
                     "slice of {} of {} events (grey notes summarise the rest between them)\\n"
                     "box = write, ellipse = read, diamond = draw; dashed blue = a key trial's write seen by another's read; "
                     "red = a read that missed it (the race)\"];\n",
                     outcome.trials, outcome.repeats, outcome.uncovered, slice.events.size(), slice.total_events);
  out += "}\n";
  return out;
}

std::size_t dot_node_count(const std::string& dot) {
  std::size_t count = 0;
  std::size_t pos = 0;
  while (pos < dot.size()) {
    std::size_t end = dot.find('\n', pos);
    if (end == std::string::npos) end = dot.size();
    const std::string_view line(dot.data() + pos, end - pos);
    const std::size_t first = line.find_first_not_of(' ');
    if (first != std::string_view::npos) {
      const std::string_view body = line.substr(first);
      const std::size_t bracket = body.find(" [");
      const bool is_node = bracket != std::string_view::npos && body.find("->") == std::string_view::npos &&
                           body.substr(0, bracket) != "graph" && body.substr(0, bracket) != "node" &&
                           body.substr(0, bracket) != "edge";
      count += is_node ? 1 : 0;
    }
    pos = end + 1;
  }
  return count;
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

namespace {

// Writes all of `data` to `fd`; false on an error.
bool write_all(int fd, const std::string& data) {
  std::size_t done = 0;
  while (done < data.size()) {
    const ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    done += static_cast<std::size_t>(n);
  }
  return true;
}

[[noreturn]] void render_in_child(int fd, const std::string& dot) {
  int status = 0;
  try {
    status = write_all(fd, "S" + render_svg(dot)) ? 0 : 1;
  } catch (const std::exception& e) {
    status = write_all(fd, std::string("E") + e.what()) ? 0 : 1;
  }
  ::close(fd);
  ::_exit(status);  // no destructors, no atexit handlers of the parent
}

}  // namespace

std::optional<std::string> render_svg_within(const std::string& dot, std::chrono::milliseconds budget) {
  int fds[2];
  if (::pipe(fds) != 0) throw RenderError("graphviz: cannot create a pipe for the layout process");
  const pid_t child = ::fork();
  if (child < 0) {
    ::close(fds[0]);
    ::close(fds[1]);
    throw RenderError("graphviz: cannot start the layout process");
  }
  if (child == 0) {
    ::close(fds[0]);
    render_in_child(fds[1], dot);
  }
  ::close(fds[1]);
  const auto deadline = std::chrono::steady_clock::now() + budget;
  std::string reply;
  bool timed_out = false;
  char buffer[65536];
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      timed_out = true;
      break;
    }
    pollfd p{fds[0], POLLIN, 0};
    const int ready = ::poll(&p, 1, static_cast<int>(std::min<std::int64_t>(left.count(), 1000)));
    if (ready < 0 && errno == EINTR) continue;
    if (ready <= 0) continue;
    const ssize_t n = ::read(fds[0], buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;  // end of the reply
    reply.append(buffer, static_cast<std::size_t>(n));
  }
  ::close(fds[0]);
  if (timed_out) ::kill(child, SIGKILL);
  int status = 0;
  while (::waitpid(child, &status, 0) < 0 && errno == EINTR) {
  }
  if (timed_out) return std::nullopt;
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || reply.empty()) {
    throw RenderError("graphviz: the layout process failed");
  }
  if (reply[0] == 'E') throw RenderError(reply.substr(1));
  return reply.substr(1);
}

}  // namespace samplersim
