// One run with its full trace kept: what `run --trace`, `run --schedule` and replays use.
#pragma once

#include <memory>
#include <string>

#include "app/arms.h"
#include "app/replay_file.h"
#include "sim/run_outcome.h"
#include "sim/trace.h"

namespace samplersim {

struct TracedRun {
  RunOutcome outcome;
  Trace trace{true};
};

// Rep `rep` of `arm` under the seeded random strategy (the same run `run_reps` performs).
TracedRun run_traced(const ScenarioSpec& spec, const Arm& arm, int rep);

// Re-runs a recorded run with its exact picks. Throws ReplayDivergence if the picks do not fit.
TracedRun run_replay(const ScenarioSpec& spec, const Arm& arm, const ReplayRecord& record);

// The replay record of a traced run of rep `rep`.
ReplayRecord replay_record_of(const ScenarioSpec& spec, const Arm& arm, int rep, const TracedRun& run);

}  // namespace samplersim
