// report.md: the comparison report as GitHub-flavoured Markdown. Every string that came from a
// results file goes through md_escape(). Charts are linked as image files (charts/*.svg).
// Pure function of the model; byte-identical for identical models.
#pragma once

#include <string>

#include "reports/report_model.h"
#include "reports/report_verdict.h"

namespace samplersim {

std::string render_markdown(const ReportModel& model);

// One comparison-table row for an arm: "| policy | seed | runs | ... | verdict |" (escaped); times
// in human units ("9.90 h").
std::string markdown_table_row(const ArmResult& arm, const Verdict& verdict);

}  // namespace samplersim
