// The command-line front end's plumbing: each subcommand lives in its own cli/cmd_*.cc and adds
// itself to the root CLI11 app through a function listed in main.cc. The front end only parses
// arguments and calls app/, sim/, scenarios/ and reports/.
//
// Exit status, decided by the kind of error (sim/errors.h), always one line on stderr:
//   0 success; 1 a finding (a property violated, a replay that diverged);
//   2 bad input (BadInput: arguments, scenario, sweep spec, replay, results or study files), with
//     no partial output; 3 internal (a run that could not complete, a broken invariant, any other
//     exception), with the run seed where there is one; 4 an output could not be written
//     (OutputError: disk full, permission, missing directory), naming the path, no partial file.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "sim/errors.h"

namespace samplersim {

inline constexpr int kExitOk = 0;
inline constexpr int kExitFinding = 1;
inline constexpr int kExitBadInput = 2;
inline constexpr int kExitInternal = 3;
inline constexpr int kExitOutputFailed = 4;

// Prints whether a replay reproduced its recording (same trace hash); returns kExitOk or
// kExitFinding. Shared by `run --replay` and `replay`.
int print_replay_verdict(std::uint64_t recorded_hash, std::uint64_t replayed_hash);

struct Command {
  CLI::App* app = nullptr;
  std::function<int()> action;  // runs when this subcommand was given
};

Command add_run_command(CLI::App& root);
Command add_list_command(CLI::App& root);
Command add_guarantees_command(CLI::App& root);
Command add_check_command(CLI::App& root);
Command add_replay_command(CLI::App& root);
Command add_audit_command(CLI::App& root);
Command add_sweep_command(CLI::App& root);
Command add_report_command(CLI::App& root);
Command add_export_trace_command(CLI::App& root);

}  // namespace samplersim
