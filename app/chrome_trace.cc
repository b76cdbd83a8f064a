#include "app/chrome_trace.h"

#include <map>
#include <vector>

#include <fmt/format.h>

#include "sim/python_error.h"

#include "reports/trace_text.h"
#include "sim/faults.h"
#include "sim/grid_space.h"
#include "sim/store_op.h"
#include "sim/trial_state.h"

namespace samplersim {

namespace {

struct OpenSlice {
  VirtualTime start_us = 0;
  int trial = -1;
  std::int64_t combination = -1;
  std::int64_t grid_id = -1;
};

std::string store_op_name(std::int64_t a) {
  if (a < 0 || a >= kStoreOpCount) return fmt::format("store op {}", a);
  return std::string(to_string(static_cast<StoreOp>(a)));
}

std::string state_name(std::int64_t a) {
  if (a < 0 || a >= kTrialStateCount) return fmt::format("state {}", a);
  return std::string(to_string(static_cast<TrialState>(a)));
}

// A store operation's arguments under their own names (sim/store_client.cc encodes them in `b`).
nlohmann::json store_args(const TraceEvent& e, const ScenarioSpec& spec, const GridSpace& grid) {
  nlohmann::json args = nlohmann::json::object();
  if (e.trial >= 0) args["trial"] = e.trial;
  switch (e.a >= 0 && e.a < kStoreOpCount ? static_cast<StoreOp>(e.a) : StoreOp::kCreateTrial) {
    case StoreOp::kSetTrialSystemAttr:
      args["key"] = std::string(e.detail);
      args["value"] = e.b;
      break;
    case StoreOp::kSetTrialParam: {
      const std::int64_t p = e.b / 1000003, v = e.b % 1000003;
      if (p >= 0 && p < grid.param_count()) {
        const GridParam& src = spec.grid[static_cast<std::size_t>(grid.params()[static_cast<std::size_t>(p)].file_position)];
        args["param"] = src.name;
        if (v >= 0 && v < static_cast<std::int64_t>(src.values.size())) args["value"] = src.values[static_cast<std::size_t>(v)].repr();
      }
      break;
    }
    case StoreOp::kSetTrialState:
      args["state"] = state_name(e.b / 2);
      args["applied"] = e.b % 2 == 1;
      break;
    case StoreOp::kGetAllTrials: args["trials_seen"] = e.b; break;
    case StoreOp::kListWaiting: args["waiting"] = e.b; break;
    case StoreOp::kClaimWaiting: args["claimed"] = e.b != 0; break;
    case StoreOp::kGetStudyAttr:
    case StoreOp::kStudyAttrInsertIfAbsent:
      args["key"] = std::string(e.detail);
      args["result"] = e.b;
      break;
    default: args["result"] = e.b; break;
  }
  args["what"] = format_event(e, spec);
  return args;
}

bool is_grid_id_write(const TraceEvent& e) {
  return e.kind == TraceKind::kStoreOp && e.a == static_cast<std::int64_t>(StoreOp::kSetTrialSystemAttr) &&
         e.detail == "grid_id";
}

bool is_decision_read(const TraceEvent& e) {
  return e.kind == TraceKind::kStoreOp && (e.a == static_cast<std::int64_t>(StoreOp::kGetAllTrials) ||
                                           e.a == static_cast<std::int64_t>(StoreOp::kListWaiting));
}

constexpr std::size_t kMaxFlows = 10'000;

}  // namespace

nlohmann::json chrome_trace(const Trace& trace, const ScenarioSpec& spec, const nlohmann::json& run_info) {
  const GridSpace grid = grid_space_of(spec);
  nlohmann::json events = nlohmann::json::array();
  std::map<WorkerId, int> pid_of_worker;
  const auto pid_of_process = [](std::int64_t process) { return static_cast<int>(process) + 1; };  // pid 0 is special
  for (const TraceEvent& e : trace.events()) {
    if (e.kind != TraceKind::kWorkerStart) continue;
    pid_of_worker[e.worker] = pid_of_process(e.a);
    events.push_back({{"ph", "M"}, {"name", "thread_name"}, {"pid", pid_of_process(e.a)}, {"tid", e.worker + 1},
                      {"args", {{"name", fmt::format("worker {} (process {}, thread {})", e.worker, e.a, e.b)}}}});
    events.push_back({{"ph", "M"}, {"name", "thread_sort_index"}, {"pid", pid_of_process(e.a)}, {"tid", e.worker + 1},
                      {"args", {{"sort_index", e.worker}}}});
  }
  for (int p = 0; p < spec.processes; ++p) {
    events.push_back({{"ph", "M"}, {"name", "process_name"}, {"pid", pid_of_process(p)}, {"tid", 0},
                      {"args", {{"name", fmt::format("process {}", p)}}}});
  }
  auto pid_of = [&](WorkerId w) {
    const auto it = pid_of_worker.find(w);
    return it == pid_of_worker.end() ? 1 : it->second;
  };
  auto instant = [&](const TraceEvent& e, const std::string& name, nlohmann::json args) {
    events.push_back({{"ph", "i"}, {"s", "t"}, {"name", name}, {"cat", std::string(to_string(e.kind))},
                      {"ts", e.t_us}, {"pid", pid_of(e.worker)}, {"tid", e.worker + 1}, {"args", std::move(args)}});
  };
  auto slice = [&](WorkerId w, const OpenSlice& s, VirtualTime end_us, const std::string& state) {
    events.push_back({{"ph", "X"}, {"name", fmt::format("trial #{} {}", s.trial, format_combination(spec, s.combination))},
                      {"cat", "objective"}, {"ts", s.start_us}, {"dur", end_us - s.start_us}, {"pid", pid_of(w)},
                      {"tid", w + 1},
                      {"args", {{"trial", s.trial}, {"combination", format_combination(spec, s.combination)},
                                {"grid_id", s.grid_id}, {"state", state}}}});
  };
  std::map<WorkerId, OpenSlice> open;
  // Flow arrows: each grid_id write to the first decision read of every other worker that saw it.
  struct PendingWrite {
    VirtualTime t_us;
    WorkerId worker;
    int trial;
    std::int64_t grid_id;
    std::map<WorkerId, bool> seen_by;
  };
  std::vector<PendingWrite> pending;
  std::size_t flows = 0;
  VirtualTime last_us = 0;
  for (const TraceEvent& e : trace.events()) {
    last_us = std::max(last_us, e.t_us);
    switch (e.kind) {
      case TraceKind::kObjectiveStart:
        open[e.worker] = OpenSlice{e.t_us, e.trial, e.a, e.b};
        break;
      case TraceKind::kObjectiveEnd: {
        const auto it = open.find(e.worker);
        if (it == open.end()) break;
        slice(e.worker, it->second, e.t_us, state_name(e.a));
        open.erase(it);
        break;
      }
      case TraceKind::kStoreOp:
        if (is_decision_read(e)) {
          for (PendingWrite& w : pending) {
            if (w.worker == e.worker || w.seen_by[e.worker] || flows >= kMaxFlows) continue;
            w.seen_by[e.worker] = true;
            const std::size_t id = ++flows;
            events.push_back({{"ph", "s"}, {"id", id}, {"name", "read by"}, {"cat", "flow"}, {"ts", w.t_us},
                              {"pid", pid_of(w.worker)}, {"tid", w.worker + 1},
                              {"args", {{"trial", w.trial}, {"grid_id", w.grid_id}}}});
            events.push_back({{"ph", "f"}, {"bp", "e"}, {"id", id}, {"name", "read by"}, {"cat", "flow"},
                              {"ts", e.t_us}, {"pid", pid_of(e.worker)}, {"tid", e.worker + 1}});
          }
        }
        if (is_grid_id_write(e) && pending.size() < kMaxFlows) pending.push_back({e.t_us, e.worker, e.trial, e.b, {}});
        instant(e, store_op_name(e.a), store_args(e, spec, grid));
        break;
      case TraceKind::kSamplerDraw:
        instant(e, fmt::format("draw grid_id {}", e.a), {{"grid_id", e.a}, {"target_list_size", e.b}});
        break;
      case TraceKind::kPick:
        instant(e, "pick", {{"chosen", e.a}, {"runnable", e.b}});
        break;
      case TraceKind::kStopFlag:
        instant(e, "stop flag", {{"set_by", std::string(stop_cause_name(e.a))}, {"process", e.b}});
        break;
      case TraceKind::kWorkerStart:
        instant(e, "start", {{"process", e.a}, {"thread", e.b}});
        break;
      case TraceKind::kWorkerStop: {
        const std::string reason(stop_reason_name(e.b));
        instant(e, "stop: " + reason, {{"trials", e.a}, {"reason", reason}});
        break;
      }
      case TraceKind::kFault: {
        const std::string name = fault_event_name(e.a);
        nlohmann::json args{{"fault", name}, {"detail", fault_event_detail(e, spec)}};
        if (e.trial >= 0) args["trial"] = e.trial;
        if (e.a == trace_code(Fault::kCrash)) {  // the trial stays RUNNING, but its objective ends here
          const auto it = open.find(e.worker);
          if (it != open.end()) {
            slice(e.worker, it->second, e.t_us, "crashed (the trial stays RUNNING)");
            open.erase(it);
          }
        }
        instant(e, name, std::move(args));
        break;
      }
      case TraceKind::kProcessError:
        instant(e, e.b ? "stop error swallowed" : "process raised",
                {{"exception", std::string(py_error_info(static_cast<PyError>(e.a)).message)}});
        break;
    }
  }
  for (const auto& [w, s] : open) slice(w, s, last_us, "never ended");
  return nlohmann::json{{"traceEvents", std::move(events)}, {"displayTimeUnit", "ms"}, {"otherData", run_info}};
}

}  // namespace samplersim
