// Sweep specs: which runs a `samplersim sweep` performs, read from a TOML file, and the expanded,
// ordered list of points (scenario variant × arms × reps) it stands for.
//
// Format (documented in README "Sweeps and reports"):
//   name = "builtin"              # optional; default the file stem; [A-Za-z0-9._-], 1-100 chars
//   reps = 1000                   # default reps per arm and axis point
//   [[scenario]]                  # one or more
//   scenario = "issue-5489"       # built-in name, or a path relative to the spec file
//   reps = 2000                   # optional, overrides the top-level reps
//   seed = 7                      # optional, overrides the scenario's run.seed
//   policies = ["optuna-3.6"]     # optional subset of the scenario's policies
//   seed_policies = ["none"]      # optional, replaces the scenario's seed policies
//   [scenario.axes]               # optional: scenario key -> list of values, crossed
//   "workers.processes" = [2, 4, 8]
//
// An axis is generic: the value is written at that dotted key of the scenario's parsed document
// (scenarios/toml_reader.h) and the scenario loader validates that document, so any key the schema
// accepts can be swept (and one it does not accept fails with the loader's message, naming the
// spec line). A swept scenario's text is its document written back as TOML. Points with no axes use the
// scenario text unchanged, so their digest equals `samplersim run`'s.
// Expansion order is fixed: entries in file order, axis points in lexicographic order of the
// sorted axis keys (last key fastest), arms in scenario order, reps ascending.
// Every (base scenario digest, arm, axis values, rep) is unique within a sweep (checked).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "app/arms.h"
#include "sim/scenario_spec.h"

namespace samplersim {

// Largest number of runs one sweep may describe, and of values one axis may list.
inline constexpr std::int64_t kMaxSweepRuns = 50'000'000;
// Largest number of axis points (scenario variants) one sweep may describe, counted as the product
// of each entry's axis value counts before anything is planned (planning costs a scenario
// validation per point).
inline constexpr std::int64_t kMaxSweepPoints = 1'000'000;
inline constexpr std::size_t kMaxAxisValues = 256;

// One scenario variant with the arms and reps to run on it.
struct SweepPoint {
  ScenarioSpec spec;               // the effective (overridden) scenario
  std::string base_digest;         // digest of the scenario text before any override
  nlohmann::json axes;             // {"workers.processes": 4, ...}; {} when none
  std::string axes_text;           // axes.dump(): canonical (keys sorted)
  std::vector<Arm> arms;
  int reps = 0;
  std::int64_t runs() const { return static_cast<std::int64_t>(arms.size()) * reps; }
};

struct SweepPlan {
  std::string name;
  std::string spec_path;
  std::vector<SweepPoint> points;
  std::int64_t total_runs = 0;
};

// Reads and expands a sweep spec. Throws BadInput with one line
// "<spec>:<line>: <key>: expected ..., got ..." (BadInput, sim/errors.h), also when its axes
// describe more than `max_points` points (counted before any point is planned).
SweepPlan load_sweep_plan(const std::string& spec_path, std::int64_t max_points = kMaxSweepPoints);

// The identity of one run: "<base digest>|seed=<run.seed>|<policy>/<seed policy>|<axes json>|rep=<00000007>".
std::string run_key(const SweepPoint& point, const Arm& arm, int rep);

}  // namespace samplersim
