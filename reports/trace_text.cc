#include "reports/trace_text.h"

#include <fmt/format.h>

#include "sim/faults.h"
#include "sim/grid_space.h"
#include "sim/python_error.h"
#include "sim/store_op.h"
#include "sim/trial_state.h"

namespace samplersim {

std::string trace_legend() {
  return "# legend: <t> = virtual seconds; wN = worker N (process/thread on its start line);\n"
         "#   pick i/n = choice point, the i-th (0-based) of n workers due at <t> ran;\n"
         "#   store <op> = store operation at its linearization instant (#k = trial k);\n"
         "#   draw = grid id chosen from a target list of the given size;\n"
         "#   eval #k = objective of trial k starts with {params} (grid_id g);\n"
         "#   tell #k = state written after after_trial; stop-flag = study.stop() in that process.\n";
}

std::string_view stop_reason_name(std::int64_t b) {
  switch (static_cast<StopReason>(b)) {
    case StopReason::kNTrials: return "n_trials reached";
    case StopReason::kStopFlag: return "stop flag";
    case StopReason::kPolicyDone: return "nothing left to run";
    case StopReason::kCrashed: return "crashed";
    case StopReason::kRaised: return "its process raised";
  }
  return "?";
}

std::string_view stop_cause_name(std::int64_t a) {
  return static_cast<StopCause>(a) == StopCause::kSampler ? "sampler after_trial" : "MaxTrialsCallback";
}

namespace {

const FaultInfo* fault_of_code(std::int64_t a) {
  for (const FaultInfo& f : kFaults) {
    if (f.trace_code != 0 && f.trace_code == a) return &f;
  }
  return nullptr;
}

}  // namespace

std::string fault_event_name(std::int64_t a) {
  const FaultInfo* f = fault_of_code(a);
  return f ? std::string(f->name) : fmt::format("fault {}", a);
}

std::string fault_event_detail(const TraceEvent& e, const ScenarioSpec& spec) {
  const FaultInfo* f = fault_of_code(e.a);
  if (!f) return std::to_string(e.b);
  if (f->trace_detail == "combination" && e.b >= 0 && e.b < objective_space_of(spec).size()) return format_combination(spec, e.b);
  return fmt::format("{} {}", f->trace_detail, e.b);
}

namespace {

std::string store_line(const TraceEvent& e) {
  const auto op = static_cast<StoreOp>(e.a);
  const std::string trial = e.trial >= 0 ? fmt::format(" #{}", e.trial) : "";
  switch (op) {
    case StoreOp::kCreateTrial: return fmt::format("store create_trial -> #{}", e.trial);
    case StoreOp::kListWaiting: return fmt::format("store list_waiting -> {} waiting", e.b);
    case StoreOp::kClaimWaiting: return fmt::format("store claim_waiting{} -> {}", trial, e.b ? "ok" : "lost");
    case StoreOp::kGetAllTrials: return fmt::format("store get_all_trials ({} trials)", e.b);
    case StoreOp::kSetTrialSystemAttr: return fmt::format("store set{} {}={}", trial, e.detail, e.b);
    case StoreOp::kSetTrialParam: return fmt::format("store set_param{} p{}={}", trial, e.b / 1000003, e.b % 1000003);
    case StoreOp::kSetTrialState:
      return fmt::format("store set_state{} {}{}", trial, to_string(static_cast<TrialState>(e.b / 2)),
                         e.b % 2 ? "" : " (refused: already finished)");
    case StoreOp::kGetStudyAttr: return fmt::format("store get_study_attr {} -> {}", e.detail, e.b);
    case StoreOp::kStudyAttrInsertIfAbsent:
      return fmt::format("store study_attr_insert_if_absent {} -> {}", e.detail, e.b);
    default: return fmt::format("store {}{}", to_string(op), trial);
  }
}

// Existing texts stay as they were ("stop flag" for every reason but n_trials before issue 11).
std::string event_line(const TraceEvent& e, const ScenarioSpec& spec) {
  switch (e.kind) {
    case TraceKind::kWorkerStart: return fmt::format("start (process {}, thread {})", e.a, e.b);
    case TraceKind::kWorkerStop:
      return fmt::format("stop after {} trials ({})", e.a, stop_reason_name(e.b));
    case TraceKind::kPick: return fmt::format("pick {}/{}", e.a, e.b);
    case TraceKind::kStoreOp: return store_line(e);
    case TraceKind::kObjectiveStart:
      return fmt::format("eval #{} {} (grid_id {})", e.trial, format_combination(spec, e.a), e.b);
    case TraceKind::kObjectiveEnd:
      return fmt::format("tell #{} {}", e.trial, to_string(static_cast<TrialState>(e.a)));
    case TraceKind::kStopFlag:
      return fmt::format("stop-flag process {} ({})", e.b, stop_cause_name(e.a));
    case TraceKind::kSamplerDraw: return fmt::format("draw grid_id {} of {} targets", e.a, e.b);
    case TraceKind::kFault:
      return fmt::format("fault {}{} {}", fault_event_name(e.a), e.trial >= 0 ? fmt::format(" #{}", e.trial) : "",
                         fault_event_detail(e, spec));
    case TraceKind::kProcessError:
      return fmt::format("{} {}", e.b ? "swallowed" : "process ends with",
                         py_error_info(static_cast<PyError>(e.a)).message);
  }
  return "?";
}

}  // namespace

std::string format_event(const TraceEvent& e, const ScenarioSpec& spec) { return event_line(e, spec); }

std::string format_trace_text(const Trace& trace, const ScenarioSpec& spec, const std::string& header) {
  std::string out = "# " + header + "\n" + trace_legend();
  for (const TraceEvent& e : trace.events()) {
    out += fmt::format("{:>12} w{:<3} {}\n", format_seconds(e.t_us), e.worker, event_line(e, spec));
  }
  out += fmt::format("# {} events, trace hash {}\n", trace.size(), format_hash(trace.hash()));
  return out;
}

}  // namespace samplersim
