#include "app/report_command.h"

#include <unistd.h>

#include <cstdio>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "app/exit_status.h"
#include "app/report_files.h"
#include "sim/plural.h"

namespace samplersim {

int report_command(const ReportCommandOptions& opt) {
  // Progress on stderr when it is a terminal: the charts are most of the time (a gnuplot run each).
  const bool terminal = ::isatty(STDERR_FILENO) == 1;
  std::size_t shown = 0;
  const auto on_chart = [&](std::size_t drawn, std::size_t most) {
    const std::string line = fmt::format("report: drawing charts, {} of at most {}", drawn, most);
    std::fprintf(stderr, "\r%s", line.c_str());
    std::fflush(stderr);
    shown = line.size();
  };
  const ReportSummary s = write_report(opt.results, opt.out, terminal ? ChartProgress(on_chart) : ChartProgress());
  if (shown > 0) std::fprintf(stderr, "\r%*s\r", static_cast<int>(shown), "");
  fmt::print("report of {} over {}: {}", plural(s.runs, "run"), plural(s.scenarios, "scenario"), plural(s.charts_drawn, "chart"));
  if (s.charts_missing > 0) fmt::print(" ({} not drawn: {})", s.charts_missing, terminal_line(s.chart_problem));
  fmt::print("\n{}\n{}\n", s.markdown_path, s.html_path);
  return kExitOk;
}


}  // namespace samplersim
