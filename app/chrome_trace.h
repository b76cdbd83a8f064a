// Chrome trace-event JSON of one kept Trace, for Perfetto (ui.perfetto.dev) or chrome://tracing.
//
// Layout: one pid per simulated process (pid = process + 1: trace viewers treat pid 0 as the idle
// process), one tid per worker (worker + 1, named "worker N (process P, thread T)").
// Trials' objectives are complete ("X") slices from objective start to end, named
// "trial #k {x=0, y=2}", with the combination, grid id and written state as args; a crashed
// worker's objective ends at the crash (state "crashed (the trial stays RUNNING)"); one that never
// ended is closed at the run's last event ("never ended"). Store operations (args under their
// names: key/value, param/value, state/applied, ...), sampler draws, choice points, stop flags
// (who set them), faults (by name, with the combination) and worker start/stop (with the reason:
// n_trials reached, stop flag, nothing left to run, crashed) are thread-scoped instants ("i").
// Flow arrows ("s"/"f") go from each grid_id write to the first get_all_trials or list_waiting of
// every other worker that came after it (the reads that saw it), at most 10,000.
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
