// Charts for reports, drawn by gnuplot (Debian gnuplot-nox) with its SVG terminal.
//
// A ChartSpec is plain data; gnuplot_script() turns it into a self-contained gnuplot script
// (data inline as datablocks, noenhanced text, every label passed through chart_label(), so no
// user text can inject gnuplot commands or SVG markup). render_chart() runs `gnuplot SCRIPT`
// (no shell) with stdout to the SVG file. The script is kept next to the SVG so a chart can be
// restyled and redrawn by hand. Never runs a simulation. Deterministic: same spec, same bytes.
#pragma once

#include <array>
#include <string>
#include <vector>

namespace samplersim {

struct ChartSeries {
  std::string label;
  std::vector<std::array<double, 4>> points;  // x, y, y_low, y_high (low/high unused for steps)
};

struct ChartSpec {
  enum class Kind { kLinesWithErrors, kBarsWithErrors, kSteps };
  Kind kind = Kind::kLinesWithErrors;
  std::string title;
  std::string x_label;
  std::string y_label;
  std::vector<ChartSeries> series;       // for bars: one series, x = 0..n-1
  std::vector<std::string> bar_labels;   // for bars: one per point
};

std::string gnuplot_script(const ChartSpec& chart);

// True if a `gnuplot` executable is on PATH.
bool gnuplot_available();

// Writes the script to `script_path` and the SVG to `svg_path`. Returns "" on success, else a
// one-line reason (gnuplot missing or failed); a failure leaves no SVG file.
std::string render_chart(const ChartSpec& chart, const std::string& script_path, const std::string& svg_path);

}  // namespace samplersim
