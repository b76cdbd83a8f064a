// Chrome trace-event JSON of one kept Trace, for Perfetto (ui.perfetto.dev) or chrome://tracing.
//
// Layout: one pid per simulated process, one tid per worker (named "worker N (process P, thread T)").
// Trials' objectives are complete ("X") slices from objective start to end, named "trial #k",
// with the combination, grid id and written state as args; an objective that never ended is
// closed at the run's last event with state "never ended". Store operations, sampler draws,
// choice points, stop flags, faults and worker start/stop are thread-scoped instants ("i").
// Timestamps are virtual time in microseconds (the format's unit), so 1 s of simulated time
// shows as 1 s. Pure function of the trace and scenario; cost O(events).
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "sim/scenario_spec.h"
#include "sim/trace.h"

namespace samplersim {

// `run_info` goes to the document's "otherData" (scenario, policy, rep, run seed, ...).
nlohmann::json chrome_trace(const Trace& trace, const ScenarioSpec& spec, const nlohmann::json& run_info);

}  // namespace samplersim
