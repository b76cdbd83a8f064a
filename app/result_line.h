// Results lines: one JSON object per run (a line of results.jsonl) with every input that
// identifies the run and every per-run metric (RunMetrics). Keys are stable: reports/report_data.cc
// reads them back, sweeps resume from them. Times are written in seconds (microseconds / 10^6),
// which report_data.cc turns back into the same microseconds.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "app/arms.h"
#include "app/audit.h"
#include "app/rep_runner.h"
#include "sim/scenario_spec.h"

namespace samplersim {

// Hash of the scenario's source text: identifies exactly which scenario a line came from.
std::string scenario_digest(const ScenarioSpec& spec);

// A simulated run.
nlohmann::json result_line(const ScenarioSpec& spec, const Arm& arm, const std::string& strategy,
                           const RunSummary& run);

// An audited real study, as one line with "policy" real-study, so that `samplersim report` renders
// it in the same section as the simulations of its inferred scenario (`scenario`, `digest`).
nlohmann::json real_study_result_line(const AuditResult& audit, const std::string& scenario,
                                      const std::string& digest);

}  // namespace samplersim
