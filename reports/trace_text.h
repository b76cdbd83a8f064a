// Renders a kept Trace as compact text: one line per event, with a legend.
//
// Legend (also printed at the top of every trace file):
//   <t>         virtual time in seconds
//   wN          worker N; its process and thread are given on its "start" line
//   start/stop  a worker enters / leaves its optimize loop (stop says why)
//   pick i/n    a choice point: the strategy ran the i-th (0-based) of n workers due at <t>
//   store op    a store operation applied at its linearization instant; #k is a trial number
//   draw        the sampler chose a grid id from a target list of the given size
//   eval #k     trial k's objective starts with combination {name=value, ...} (grid_id g)
//   tell #k     trial k's state is written (after the sampler's after_trial)
//   stop-flag   study.stop() was called in this worker's process (by whom)
// Pure function of the trace and the scenario; never runs a simulation.
#pragma once

#include <string>
#include <string_view>

#include "sim/grid_space.h"  // format_combination
#include "sim/scenario_spec.h"
#include "sim/trace.h"

namespace samplersim {

std::string trace_legend();
// `header` is printed as a comment line first (e.g. "optuna-3.6/none rep 0 run seed ...").
std::string format_trace_text(const Trace& trace, const ScenarioSpec& spec, const std::string& header);
// One event as the text after "<t> wN" on its trace line (e.g. "store get_all_trials (2 trials)").
std::string format_event(const TraceEvent& e, const ScenarioSpec& spec);

// Why a worker left its loop, in words: "n_trials reached", "stop flag", "nothing left to run"
// (the policy's grid is exhausted), "crashed"; `b` of a kWorkerStop event.
std::string_view stop_reason_name(std::int64_t b);
// Who set a stop flag: "sampler after_trial" or "MaxTrialsCallback"; `a` of a kStopFlag event.
std::string_view stop_cause_name(std::int64_t a);
// The fault a kFault event records (`a` = its trace code, sim/faults.h): "crashes", ...; "fault <a>"
// for an unknown code.
std::string fault_event_name(std::int64_t a);
// What its `b` holds, named: the combination's values for crashes and objective failures,
// "age of the view (us) 1500" for a stale read, ...
std::string fault_event_detail(const TraceEvent& e, const ScenarioSpec& spec);

}  // namespace samplersim
