// samplersim: simulate many hyperparameter-search workers sharing one study, deterministically.
// Thin front end: parse arguments, dispatch to a subcommand, map errors to exit statuses.
#include <cstdio>
#include <exception>
#include <iostream>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <fmt/ranges.h>

#include "app/build_info.h"
#include "app/mpi_world.h"
#include "cli/command.h"
#include "real/python_runtime.h"

namespace {

// Under mpirun every rank meets the same argument error: only rank 0 prints it (app/mpi_world.h),
// and the job's exit status is rank 0's. The other ranks exit 0: a rank exiting with an error makes
// the launcher end the job, and one that got there first (rank 0 still starting on a loaded machine)
// ended rank 0 before it had printed its line (seen: status 2, nothing on stderr).
int fail(int status, const std::string& message) {
  std::fflush(stdout);
  if (samplersim::mpi_quiet_rank()) return 0;
  std::fprintf(stderr, "samplersim: %s\n", samplersim::terminal_line(message).c_str());
  return status;
}

// CLI11's "The following argument was not expected: X" as one line in our style: which argument,
// what the command takes, and what it got.
std::string extras_message(const CLI::App& app, const std::vector<samplersim::Command>& commands) {
  const CLI::App* cmd = &app;
  for (const samplersim::Command& c : commands) {
    if (c.app->parsed()) cmd = c.app;
  }
  std::vector<std::string> extras = cmd->remaining(false);
  if (extras.empty()) extras = app.remaining(false);
  std::vector<std::string> positionals;
  for (const CLI::Option* o : cmd->get_options()) {
    if (!o->nonpositional()) positionals.push_back(o->get_name());
  }
  const std::string name = cmd == &app ? std::string("samplersim") : cmd->get_name();
  const std::string first = extras.empty() ? std::string("?") : extras.front();
  const std::string more = extras.size() > 1 ? fmt::format(" ({} extra arguments in all)", extras.size()) : "";
  if (!first.empty() && first.front() == '-') {
    return fmt::format("argument '{}': expected one of {}'s options (see {} --help), got an unknown option{}", first,
                       name, name, more);
  }
  return fmt::format("argument '{}': expected {}, got an extra argument{}", first,
                     positionals.empty() ? fmt::format("only {}'s options", name)
                                         : fmt::format("only {}'s {} and options", name, fmt::join(positionals, ", ")),
                     more);
}

}  // namespace

int main(int argc, char** argv) {
  using namespace samplersim;
  CLI::App app{
      "samplersim: deterministic simulation of hyperparameter-search workers sharing one study.\n"
      "Finds which grid combinations get evaluated twice or never, and which coordination fixes it."};
  app.require_subcommand(1);
  app.set_help_all_flag("--help-all", "Print help for every command");
  app.set_version_flag("--version", version_text(), "Print the version and the git commit it was built from");
  std::vector<Command> commands;
  commands.push_back(add_run_command(app));
  commands.push_back(add_list_command(app));
  commands.push_back(add_guarantees_command(app));
  commands.push_back(add_check_command(app));
  commands.push_back(add_replay_command(app));
  commands.push_back(add_audit_command(app));
  commands.push_back(add_sweep_command(app));
  commands.push_back(add_report_command(app));
  commands.push_back(add_export_trace_command(app));
  // Real-library mode (policy real:optuna, real/): which Python packages the embedded interpreter
  // imports first. Only for the commands that simulate.
  std::string python_path;
  for (const Command& c : commands) {
    const std::string& name = c.app->get_name();
    if (name == "run" || name == "check" || name == "replay" || name == "sweep") {
      c.app->add_option("--python-path", python_path,
                        "Directory put first on the embedded Python's sys.path, for real:optuna to import "
                        "another Optuna than the installed one")
          ->check(CLI::ExistingDirectory);
    }
  }

  if (argc > 1 && argv[1][0] != '-') {
    bool known = false;
    for (const Command& c : commands) known = known || c.app->get_name() == argv[1];
    if (!known) {
      std::vector<std::string> names;
      for (const Command& c : commands) names.push_back(c.app->get_name());
      return fail(kExitBadInput, fmt::format("unknown command '{}'; expected one of: {} (see --help)", argv[1],
                                             fmt::join(names, ", ")));
    }
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ExtrasError&) {
    return fail(kExitBadInput, extras_message(app, commands));
  } catch (const CLI::ParseError& e) {
    return fail(kExitBadInput, std::string(e.what()) + " (see --help)");
  }
  if (!python_path.empty() && !real::set_python_path(python_path)) {
    return fail(kExitBadInput, fmt::format("--python-path: expected a directory, got '{}'", python_path));
  }
  try {
    for (const Command& c : commands) {
      if (!c.app->parsed()) continue;
      // Only sweep and check split their work across the ranks of mpirun (README "Across machines");
      // any other command would run K times into the same outputs.
      const std::string& name = c.app->get_name();
      if (started_by_mpi_launcher() && name != "sweep" && name != "check") {
        return fail(kExitBadInput, fmt::format("mpirun: expected sweep or check under mpirun (the commands that split "
                                               "their work across ranks), got '{}'; run it without mpirun", name));
      }
      return c.action();
    }
    return fail(kExitBadInput, "no command given (see --help)");
  } catch (...) {
    const ExitReport report = exit_report_of_current_exception();
    return fail(report.status, report.message);
  }
}
