// `samplersim report RESULTS.jsonl... --out DIR`: its arguments (app/report_command.h does the work).
#include <memory>

#include "app/report_command.h"
#include "cli/command.h"

namespace samplersim {

Command add_report_command(CLI::App& root) {
  auto opt = std::make_shared<ReportCommandOptions>();
  CLI::App* cmd = root.add_subcommand("report", "Write report.md and a self-contained report.html from results files");
  cmd->add_option("results", opt->results, "Results files (JSON Lines from sweep or run --json)")->required();
  cmd->add_option("--out", opt->out, "Output directory")->required();
  return {cmd, [opt] { return report_command(*opt); }};
}

}  // namespace samplersim
