// Charts for reports, drawn by gnuplot (Debian gnuplot-nox) with its SVG terminal.
//
// A ChartSpec is plain data; gnuplot_script() turns it into a self-contained gnuplot script
// (data inline as datablocks, noenhanced text, every label passed through chart_label(), so no
// user text can inject gnuplot commands or SVG markup). Margins are fixed in screen fractions and
// the key sits below the plot, so labels stay inside the SVG whatever the font's real widths. render_chart() runs `gnuplot SCRIPT`
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
  int colour = -1;  // index into chart_colour(); -1: the series' position
  bool marker = false;  // timeline only: drawn as a dot at (x, y) instead of a bar
};

struct ChartSpec {
  // kTimeline: one horizontal bar per point from x = points[k][0] to points[k][2] on row
  // y = points[k][1] (row 0 on top), one colour per series (a trial state), and marker series as dots.
  enum class Kind { kLinesWithErrors, kBarsWithErrors, kSteps, kTimeline };
  Kind kind = Kind::kLinesWithErrors;
  std::string title;
  std::string x_label;
  std::string y_label;
  std::vector<ChartSeries> series;       // for bars: one series, x = 0..n-1
  std::vector<std::string> bar_labels;   // for bars: one per point
  std::vector<int> bar_colours;          // for bars: a chart_colour() index per point (empty: one colour)
  bool x_integer = false;                // x is a count (processes): ticks only at integers
  bool y_integer = false;                // y is a count (combinations): ticks only at integers
};

// Colour i of the palette: Okabe-Ito's eight, then Paul Tol's muted eight, all distinct; from 16 on
// the palette repeats and series differ by dash pattern. A report gives each arm of a scenario one
// index, so an arm keeps its colour across the scenario's charts.
inline constexpr int kChartColourCount = 16;
const char* chart_colour(int i);

// Tick step for a count axis whose values reach `max_value`: the smallest of 1, 2, 5, 10, 20, 50, ...
// giving at most 10 intervals. Always an integer >= 1.
long long integer_tick_step(double max_value);

std::string gnuplot_script(const ChartSpec& chart);

// True if a `gnuplot` executable is on PATH.
bool gnuplot_available();

// Writes the script to `script_path` and the SVG to `svg_path`. Returns "" on success, else a
// one-line reason (gnuplot missing or failed); a failure leaves no SVG file.
std::string render_chart(const ChartSpec& chart, const std::string& script_path, const std::string& svg_path);

}  // namespace samplersim
