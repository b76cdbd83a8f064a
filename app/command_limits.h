// The limits the command line checks while it parses arguments: the scenario schema's, named here
// so that cli/ needs nothing below app/.
#pragma once

#include "sim/scenario_spec.h"

namespace samplersim {

inline constexpr int kMaxRepsArgument = ScenarioSpec::kMaxReps;        // --reps; --rep below it
inline constexpr int kMaxWorkersArgument = ScenarioSpec::kMaxWorkers;  // --workers

}  // namespace samplersim
