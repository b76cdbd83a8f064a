#include "app/chrome_trace.h"

#include <map>

#include <fmt/format.h>

#include "reports/trace_text.h"
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

}  // namespace

nlohmann::json chrome_trace(const Trace& trace, const ScenarioSpec& spec, const nlohmann::json& run_info) {
  nlohmann::json events = nlohmann::json::array();
  std::map<WorkerId, int> process_of;
  for (const TraceEvent& e : trace.events()) {
    if (e.kind != TraceKind::kWorkerStart) continue;
    process_of[e.worker] = static_cast<int>(e.a);
    events.push_back({{"ph", "M"}, {"name", "thread_name"}, {"pid", e.a}, {"tid", e.worker},
                      {"args", {{"name", fmt::format("worker {} (process {}, thread {})", e.worker, e.a, e.b)}}}});
    events.push_back({{"ph", "M"}, {"name", "thread_sort_index"}, {"pid", e.a}, {"tid", e.worker},
                      {"args", {{"sort_index", e.worker}}}});
  }
  for (int p = 0; p < spec.processes; ++p) {
    events.push_back({{"ph", "M"}, {"name", "process_name"}, {"pid", p}, {"tid", 0},
                      {"args", {{"name", fmt::format("process {}", p)}}}});
  }
  auto pid_of = [&](WorkerId w) {
    const auto it = process_of.find(w);
    return it == process_of.end() ? 0 : it->second;
  };
  auto instant = [&](const TraceEvent& e, const std::string& name, nlohmann::json args) {
    events.push_back({{"ph", "i"}, {"s", "t"}, {"name", name}, {"cat", std::string(to_string(e.kind))},
                      {"ts", e.t_us}, {"pid", pid_of(e.worker)}, {"tid", e.worker}, {"args", std::move(args)}});
  };
  std::map<WorkerId, OpenSlice> open;
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
        const OpenSlice s = it->second;
        open.erase(it);
        events.push_back({{"ph", "X"}, {"name", fmt::format("trial #{}", s.trial)}, {"cat", "objective"},
                          {"ts", s.start_us}, {"dur", e.t_us - s.start_us}, {"pid", pid_of(e.worker)}, {"tid", e.worker},
                          {"args", {{"combination", format_combination(spec, s.combination)}, {"grid_id", s.grid_id},
                                    {"state", state_name(e.a)}}}});
        break;
      }
      case TraceKind::kStoreOp:
        instant(e, store_op_name(e.a), {{"trial", e.trial}, {"value", e.b}});
        break;
      case TraceKind::kSamplerDraw:
        instant(e, fmt::format("draw grid id {}", e.a), {{"grid_id", e.a}, {"target_list_size", e.b}});
        break;
      case TraceKind::kPick:
        instant(e, "pick", {{"chosen", e.a}, {"runnable", e.b}});
        break;
      case TraceKind::kStopFlag:
        instant(e, "stop flag", {{"cause", e.a == 0 ? "sampler" : "MaxTrialsCallback"}});
        break;
      case TraceKind::kWorkerStart:
        instant(e, "start", {{"process", e.a}, {"thread", e.b}});
        break;
      case TraceKind::kWorkerStop:
        instant(e, "stop", {{"trials", e.a}, {"reason", e.b == 0 ? "n_trials" : "stop flag"}});
        break;
      case TraceKind::kFault:
        instant(e, "fault", {{"kind", e.a}, {"detail", e.b}});
        break;
    }
  }
  for (const auto& [w, s] : open) {
    events.push_back({{"ph", "X"}, {"name", fmt::format("trial #{}", s.trial)}, {"cat", "objective"},
                      {"ts", s.start_us}, {"dur", last_us - s.start_us}, {"pid", pid_of(w)}, {"tid", w},
                      {"args", {{"combination", format_combination(spec, s.combination)}, {"grid_id", s.grid_id},
                                {"state", "never ended"}}}});
  }
  return nlohmann::json{{"traceEvents", std::move(events)}, {"displayTimeUnit", "ms"}, {"otherData", run_info}};
}

}  // namespace samplersim
