// report.md: the comparison report as GitHub-flavoured Markdown. Every string that came from a
// results file goes through md_escape(). Charts are linked as image files (charts/*.svg).
// Pure function of the model; byte-identical for identical models.
#pragma once

#include <string>

#include "reports/report_model.h"

namespace samplersim {

std::string render_markdown(const ReportModel& model);

// One comparison-table row for an arm: "| policy | seed | runs | ... |" (escaped).
std::string markdown_table_row(const ArmResult& arm);

}  // namespace samplersim
