#include "app/report_files.h"

#include <filesystem>

#include "app/atomic_file.h"
#include "reports/html_report.h"
#include "reports/report_builder.h"
#include "reports/report_markdown.h"

namespace samplersim {

namespace fs = std::filesystem;

ReportSummary write_report(const std::vector<std::string>& result_files, const std::string& out_dir,
                           const ChartProgress& on_chart) {
  std::error_code ec;
  check_directory_creatable(out_dir);  // refused before reading anything: unwritable, or through a file
  // build_report_model loads (and validates) every results file before it creates DIR or writes
  // any chart, so bad input leaves nothing behind.
  const ReportModel model = build_report_model(result_files, out_dir, on_chart);
  for (const auto* attachments : {&model.counterexamples, &model.timelines}) {
    for (const ReportAttachment& a : *attachments) {
      fs::create_directories((fs::path(out_dir) / a.file).parent_path(), ec);
      write_file_atomically((fs::path(out_dir) / a.file).string(), a.content);
    }
  }
  ReportSummary summary;
  summary.markdown_path = (fs::path(out_dir) / "report.md").string();
  summary.html_path = (fs::path(out_dir) / "report.html").string();
  write_file_atomically(summary.markdown_path, render_markdown(model));
  write_file_atomically(summary.html_path, render_html(model));
  summary.runs = model.data.runs;
  summary.scenarios = static_cast<int>(model.data.scenarios.size());
  const auto count = [&](const std::vector<ReportChart>& charts) {
    for (const ReportChart& c : charts) {
      if (c.svg.empty()) {
        ++summary.charts_missing;
        if (summary.chart_problem.empty()) summary.chart_problem = c.note;
      } else {
        ++summary.charts_drawn;
      }
    }
  };
  for (const auto& charts : model.charts) count(charts);
  for (const auto& scenario : model.variant_charts) {
    for (const auto& charts : scenario) count(charts);
  }
  return summary;
}

}  // namespace samplersim
