// `samplersim export-trace SCENARIO --policy P --seed-policy S [--rep K] --out trace.json`: its arguments (app/export_trace_command.h does the work).
#include <memory>

#include "app/command_limits.h"
#include "app/export_trace_command.h"
#include "cli/arguments.h"
#include "cli/command.h"

namespace samplersim {

Command add_export_trace_command(CLI::App& root) {
  auto opt = std::make_shared<ExportTraceOptions>();
  CLI::App* cmd = root.add_subcommand("export-trace", "Write one run as Chrome trace-event JSON (Perfetto, chrome://tracing)");
  cmd->add_option("scenario", opt->scenario, "Scenario file, or the name of a built-in scenario")->required();
  cmd->add_option("--policy", opt->policy, "Policy (needed when the scenario compares several)");
  cmd->add_option("--seed-policy", opt->seed_policy, "Seed policy: none, same:S or distinct:S");
  cmd->add_option("--rep", opt->rep, "Which rep (default 0; the same run as `run` rep K)")
      ->check(decimal_in(0, kMaxRepsArgument - 1));
  cmd->add_option("--out", opt->out, "Output file (JSON)")->required();
  return {cmd, [opt] { return export_trace_command(*opt); }};
}

}  // namespace samplersim
