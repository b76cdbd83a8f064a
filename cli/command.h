// The command-line front end's plumbing: each subcommand lives in its own cli/cmd_*.cc, binds its
// arguments (CLI11) to the options of an app/*_command.h and adds itself to the root CLI11 app
// through a function listed in main.cc. The front end only parses arguments and calls app/
// (README "Layers": cli/ includes nothing but app/, CLI11 and real/python_runtime.h for --python-path).
// Exit statuses and the error mapping: app/exit_status.h.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "app/exit_status.h"

namespace samplersim {

struct Command {
  CLI::App* app = nullptr;
  std::function<int()> action;  // runs when this subcommand was given; returns the exit status
};

// A repeatable option of several values: `--policy a --policy b` or `--policy a,b`. Each
// occurrence takes exactly one argument, so `--policy a SCENARIO` leaves SCENARIO positional.
CLI::Option* add_list_option(CLI::App* cmd, const std::string& name, std::vector<std::string>& values,
                             const std::string& description);

// `--format text|json` for a command that prints a table.
CLI::Option* add_format_option(CLI::App* cmd, std::string& format);

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
