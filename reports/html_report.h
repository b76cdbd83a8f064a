// report.html: the comparison report as one self-contained HTML file: inline CSS, inline SVG
// charts (gnuplot's output), attachments as data: URIs; no script, no network. A
// Content-Security-Policy meta tag (default-src 'none') forbids scripts and fetches even if an
// escaping bug let markup through. Every string from a results file goes through html_escape().
// Pure function of the model.
#pragma once

#include <string>

#include "reports/report_model.h"

namespace samplersim {

std::string render_html(const ReportModel& model);

// Base64 (RFC 4648) of `bytes`, for data: URIs.
std::string base64_encode(const std::string& bytes);

}  // namespace samplersim
