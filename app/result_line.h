// One JSON object per run (a line of results.jsonl) with every input that identifies the run and
// every per-run metric. Keys are stable; reports/ and sweeps read them back.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "app/arms.h"
#include "app/rep_runner.h"
#include "sim/scenario_spec.h"

namespace samplersim {

// Hash of the scenario's source text: identifies exactly which scenario a line came from.
std::string scenario_digest(const ScenarioSpec& spec);

nlohmann::json result_line(const ScenarioSpec& spec, const Arm& arm, const std::string& strategy,
                           const RunSummary& run);

}  // namespace samplersim
