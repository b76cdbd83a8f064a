// Replay files: everything needed to re-run one simulated run bit for bit, in one JSON document.
//
// {"format": "samplersim-replay/1", "scenario_path", "scenario_source" (the exact TOML text),
//  "policy", "seed_policy", "rep", "run_seed", "strategy", "picks": [...], "trace_hash": "<hex>",
//  optionally "property" (the violated property of a `samplersim check` counterexample) and
//  "omitted_processes" (ascending process indices a shrunk counterexample leaves out; sim/simulation.h)}
// The scenario text is embedded so a replay needs no other file and cannot silently pick up an
// edited scenario. Reading validates every field; errors name the file, the line and the key;
// unknown keys are refused.
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
  // Optional (shrunk check counterexamples): processes left out of the run, ascending; empty if none.
  std::vector<int> omitted_processes;
  // The line of "omitted_processes" in the file read (0: not read from a file), for later errors.
  int omitted_processes_line = 0;
};

std::string replay_to_json(const ReplayRecord& r);
// Throws BadInput "<file>:<line>: <key>: expected ..., got ..." (sim/errors.h; no line for a
// missing key or the file as a whole; "picks[k]" names the line of pick k): every field is checked
// (the policy is a registered one, the seed policy and property parse, numbers are integers of the
// field's range, picks fit 32 bits, omitted processes ascend); the embedded scenario is checked
// later, by the scenario loader (and omitted_processes against its process count, by
// check_omitted_processes). Limits: a file of at most 64 MiB, JSON nested at most 64 deep, names
// of at most 200 bytes.
ReplayRecord read_replay_file(const std::string& path);
// Throws BadInput naming `path`, the line of "omitted_processes" and the key unless every omitted process is below
// `processes` and at least one process is left.
void check_omitted_processes(const ReplayRecord& record, const std::string& path, int processes);

}  // namespace samplersim
