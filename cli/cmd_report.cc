// `samplersim report RESULTS.jsonl... --out DIR`: aggregate results files into DIR/report.md and a
// self-contained DIR/report.html (tables with intervals, gnuplot charts, verdicts).
#include <memory>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "cli/command.h"
#include "reports/report_writer.h"

namespace samplersim {

namespace {

struct ReportOptions {
  std::vector<std::string> results;
  std::string out;
};

int report(const ReportOptions& opt) {
  const ReportSummary s = write_report(opt.results, opt.out);
  fmt::print("report of {} runs over {} scenario(s): {} charts", s.runs, s.scenarios, s.charts_drawn);
  if (s.charts_missing > 0) fmt::print(" ({} not drawn: {})", s.charts_missing, s.chart_problem);
  fmt::print("\n{}\n{}\n", s.markdown_path, s.html_path);
  return kExitOk;
}

}  // namespace

Command add_report_command(CLI::App& root) {
  auto opt = std::make_shared<ReportOptions>();
  CLI::App* cmd = root.add_subcommand("report", "Write report.md and a self-contained report.html from results files");
  cmd->add_option("results", opt->results, "Results files (JSON Lines from sweep or run --json)")->required();
  cmd->add_option("--out", opt->out, "Output directory")->required();
  return {cmd, [opt] { return report(*opt); }};
}

}  // namespace samplersim
