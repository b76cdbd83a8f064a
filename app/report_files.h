// `samplersim report`'s output directory: builds the report (reports/report_builder.h: results
// files, gnuplot charts in DIR/charts, extension files) and writes DIR/report.md, DIR/report.html
// and DIR/counterexamples/c<N>.svg, each whole or not at all (app/atomic_file.h).
// Throws BadInput for bad results files (before anything is written) and OutputError (sim/errors.h)
// for a directory or file that cannot be written.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "reports/report_builder.h"

namespace samplersim {

struct ReportSummary {
  std::string markdown_path;
  std::string html_path;
  std::int64_t runs = 0;
  int scenarios = 0;
  int charts_drawn = 0;
  int charts_missing = 0;
  std::string chart_problem;  // first reason a chart is missing
};

// Writes report.md, report.html and charts/ into out_dir; `on_chart` sees each chart drawn.
ReportSummary write_report(const std::vector<std::string>& result_files, const std::string& out_dir,
                           const ChartProgress& on_chart = {});

}  // namespace samplersim
