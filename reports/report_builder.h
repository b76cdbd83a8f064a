// Assembles a report: reads results files, draws the charts with gnuplot into DIR/charts/*.{gp,svg}
// and gathers extension files (guarantees.md, counterexamples/*.svg next to the results files).
// Reads results only; never runs a simulation. Writing report.md, report.html and the attachments
// is app/report_files.h's job.
// Throws BadInput for bad results files (before anything is written) and OutputError for a charts
// directory that cannot be created ("<path>: cannot write: <reason>").
#pragma once

#include <string>
#include <functional>
#include <vector>

#include "reports/report_model.h"

namespace samplersim {

// Called after each chart is drawn with (charts drawn, charts at most): for progress displays.
using ChartProgress = std::function<void(std::size_t drawn, std::size_t most)>;

// Builds the model (charts rendered into out_dir/charts).
ReportModel build_report_model(const std::vector<std::string>& result_files, const std::string& out_dir,
                               const ChartProgress& on_chart = {});

}  // namespace samplersim
