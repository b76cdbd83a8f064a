// Replay files: everything needed to re-run one simulated run bit for bit, in one JSON document.
//
// {"format": "samplersim-replay/1", "scenario_path", "scenario_source" (the exact TOML text),
//  "policy", "seed_policy", "rep", "run_seed", "strategy", "picks": [...], "trace_hash": "<hex>",
//  optionally "property" (the violated property of a `samplersim check` counterexample)}
// The scenario text is embedded so a replay needs no other file and cannot silently pick up an
// edited scenario. Reading validates every field; errors name the file and the key.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "sim/scenario_spec.h"

namespace samplersim {

struct ReplayRecord {
  std::string scenario_path;
  std::string scenario_source;
  std::string policy;
  std::string seed_policy;
  int rep = 0;
  std::uint64_t run_seed = 0;
  std::string strategy;
  std::vector<std::uint32_t> picks;
  std::uint64_t trace_hash = 0;
  // Optional (check counterexamples): the property that was violated, e.g. "no-repeats"; "" if none.
  std::string property;
};

std::string replay_to_json(const ReplayRecord& r);
// Throws BadInput "<file>: <key>: expected ..., got ..." (sim/errors.h); the embedded scenario is
// checked later, by the scenario loader.
ReplayRecord read_replay_file(const std::string& path);

}  // namespace samplersim
