// `samplersim check`: search a scenario's schedules for a violation of coverage, no-repeats or
// termination under one policy; exit 0 with what was explored, 1 with a shrunk counterexample
// written to --out (trace.txt, replay.json, interleaving.dot, interleaving.svg), 2 on bad input.
// The text trace and replay file are written as soon as a violation is found, again after
// shrinking, and before the diagram's layout (time-boxed). Progress goes to stderr only when
// stderr is a terminal.
// Under mpirun (app/mpi_world.h, README "Across machines"): random search is shared by the ranks
// (RankShare, app/check_explore.h) and gives the single-process answer (the smallest violating
// schedule, shrunk and written by rank 0 alone, which also prints; every rank exits with the same
// status); --strategy pct:D and exhaustive are refused with exit 2; errors as for sweep.
// The command line (cli/) only fills CheckCommandOptions; returns an exit status (app/exit_status.h).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace samplersim {

struct CheckCommandOptions {
  std::string scenario;
  std::string policy;
  std::string seed_policy;
  std::string property = "all";
  std::string strategy = "random";
  std::optional<int> preemption_bound;
  std::string reduction;                // "" = the default for the strategy and bound
  std::uint64_t budget = 1000;
  std::optional<std::uint64_t> seed;
  std::string out = "samplersim-counterexample";
  std::optional<double> time_limit_s;   // the whole check, wall clock
  bool json_format = false;             // --format json: one JSON object on stdout instead of text
};

int check_command(const CheckCommandOptions& options);

}  // namespace samplersim
