// ReportData: the results of one or more JSON Lines files (from `sweep` or `run --json`), grouped
// scenario -> scenario variant (axis point) -> arm, with per-arm aggregates. Reads only; never
// runs a simulation.
//
// Contract:
// - A run is identified by its "run_key" (lines from `run --json`, which have none, get
//   "<scenario_digest>|run_seed=<run_seed>|<policy>/<seed policy>|{}|rep=<rep>"). A run found twice with the same
//   content is counted once; with different content it is an error.
// - Order: scenarios in the order they first appear (files in the order given, lines in file
//   order), which for a `sweep` results file is the spec's order of scenario entries, whatever
//   --jobs (sweep appends in a fixed order); variants with no axes first, then by processes, then by
//   axes text; arms by policy name, then seed policy (none, same:S, distinct:S; S ascending).
// - Files are read line by line (sim/input_file.h: regular files only, at most 64 GiB each, lines
//   of at most 1 MiB, 100 million lines in all), each line parsed with a depth limit
//   (reports/json_input.h). Memory is O(distinct runs): each run key is kept as two 64-bit FNV-1a
//   hashes (a chance collision of both, about n^2 / 2^129, would merge two runs), plus one
//   accumulator per (scenario, variant, arm): at most 1,000 scenarios and 1,000,000 groups.
// - Errors (unreadable file, a torn or non-JSON line, a missing or mistyped key, a limit) throw
//   BadInput "<file>:<line>: <key>: expected ..." (sim/errors.h).
// - Every string kept here comes from the files and is untrusted: renderers must escape it.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "reports/arm_stats.h"

namespace samplersim {

struct ArmResult {
  std::string policy;
  std::string seed_policy;
  std::string label() const { return policy + "/" + seed_policy; }
  ArmStats stats;
  double mean_objective_time_s = 0;
  nlohmann::json coverage_curve;  // rep 0's [[t_s, distinct, evaluations], ...]; null if absent
  std::uint64_t run_seed_rep0 = 0;
};

struct VariantResult {
  nlohmann::json axes;      // {} for the scenario as written
  std::string axes_text;    // axes.dump()
  std::int64_t processes = 0;
  std::int64_t threads = 0;
  std::int64_t grid_size = 0;
  std::vector<ArmResult> arms;
  std::string describe() const;  // "as written" or "workers.processes=4, ..."
  std::string setup() const;     // "4 processes × 1 thread, 20 combinations"
};

struct ScenarioResult {
  std::string name;
  std::string base_digest;
  std::vector<VariantResult> variants;
};

struct ReportData {
  std::vector<ScenarioResult> scenarios;
  std::int64_t runs = 0;             // distinct runs
  std::int64_t duplicate_lines = 0;  // identical lines seen again (ignored)
};

ReportData load_report_data(const std::vector<std::string>& result_files);

}  // namespace samplersim
