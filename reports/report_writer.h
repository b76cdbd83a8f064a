// `samplersim report`: reads results files, draws the charts with gnuplot, gathers extension
// files, and writes DIR/report.md, DIR/report.html, DIR/charts/*.{gp,svg} and
// DIR/counterexamples/*.svg. Reads results only; never runs a simulation.
// Throws BadInput for bad results files (before anything is written) and OutputError for an
// output that cannot be written ("<path>: cannot write: <reason>").
#pragma once

#include <string>
#include <vector>

#include "reports/report_model.h"

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

ReportSummary write_report(const std::vector<std::string>& result_files, const std::string& out_dir);

// Builds the model (charts rendered into out_dir/charts). Exposed for tests.
ReportModel build_report_model(const std::vector<std::string>& result_files, const std::string& out_dir);

}  // namespace samplersim
