// `samplersim report RESULTS.jsonl... --out DIR`: aggregate results files into DIR/report.md and a
// self-contained DIR/report.html (tables with intervals, gnuplot charts, verdicts).
// The command line (cli/) only fills ReportCommandOptions; returns an exit status (app/exit_status.h).
#pragma once

#include <string>
#include <vector>

namespace samplersim {

struct ReportCommandOptions {
  std::vector<std::string> results;
  std::string out;
};

int report_command(const ReportCommandOptions& options);

}  // namespace samplersim
