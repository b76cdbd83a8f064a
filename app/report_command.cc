#include "app/report_command.h"

#include <string>
#include <vector>

#include <fmt/format.h>

#include "app/exit_status.h"
#include "app/report_files.h"

namespace samplersim {

namespace {

}  // namespace

int report_command(const ReportCommandOptions& opt) {
  const ReportSummary s = write_report(opt.results, opt.out);
  fmt::print("report of {} runs over {} scenario(s): {} charts", s.runs, s.scenarios, s.charts_drawn);
  if (s.charts_missing > 0) fmt::print(" ({} not drawn: {})", s.charts_missing, terminal_line(s.chart_problem));
  fmt::print("\n{}\n{}\n", s.markdown_path, s.html_path);
  return kExitOk;
}


}  // namespace samplersim
