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
#include "cli/command.h"

namespace {

int fail(int status, const std::string& message) {
  std::fflush(stdout);
  std::fprintf(stderr, "samplersim: %s\n", message.substr(0, message.find('\n')).c_str());
  return status;
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
  } catch (const CLI::ParseError& e) {
    return fail(kExitBadInput, std::string(e.what()) + " (see --help)");
  }
  try {
    for (const Command& c : commands) {
      if (c.app->parsed()) return c.action();
    }
    return fail(kExitBadInput, "no command given (see --help)");
  } catch (...) {
    const ExitReport report = exit_report_of_current_exception();
    return fail(report.status, report.message);
  }
}
