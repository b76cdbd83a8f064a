#include "reports/chart_gnuplot.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>

#include <fmt/format.h>

#include "reports/report_escape.h"

extern char** environ;

namespace samplersim {

namespace {

// Okabe-Ito's colour-blind-safe eight, then Paul Tol's muted eight.
constexpr std::array<const char*, kChartColourCount> kColours = {
    "#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442",
    "#332288", "#882255", "#44AA99", "#999933", "#AA4499", "#117733", "#661100", "#888888"};

constexpr int kWidthPx = 760;
constexpr int kLineHeightPx = 420;
constexpr int kKeyRowPx = 20;
constexpr int kCharPx = 8;  // a generous width of one 12 px sans character (gnuplot's own estimate is smaller)
constexpr std::size_t kKeyColumnsMax = 4;

std::string num(double v) { return fmt::format("{:.6g}", v); }

int colour_index(const ChartSeries& s, std::size_t position) {
  return s.colour >= 0 ? s.colour : static_cast<int>(position);
}

std::size_t longest_label(const std::vector<std::string>& labels) {
  std::size_t n = 0;
  for (const std::string& l : labels) n = std::max(n, chart_label(l).size());
  return n;
}

// Ticks of a count axis: at the x values themselves when there are few, else an integer step.
std::string integer_ticks(const ChartSpec& chart, bool x_axis) {
  std::set<double> values;
  double max_value = 0;
  for (const ChartSeries& s : chart.series) {
    for (const auto& p : s.points) {
      const double v = x_axis ? p[0] : std::max(p[1], p[3]);
      values.insert(v);
      max_value = std::max(max_value, v);
    }
  }
  const char* axis = x_axis ? "x" : "y";
  std::string out = fmt::format("set format {} '%.0f'\nset m{}tics 1\n", axis, axis);
  constexpr std::size_t kListedTicksMax = 12;
  bool all_integers = true;
  for (double v : values) all_integers = all_integers && v == std::floor(v);
  if (x_axis && all_integers && !values.empty() && values.size() <= kListedTicksMax) {
    std::vector<std::string> ticks;
    for (double v : values) ticks.push_back(num(v));
    return out + fmt::format("set xtics ({})\n", fmt::join(ticks, ", "));
  }
  return out + fmt::format("set {}tics 0, {}\n", axis, integer_tick_step(max_value));
}

// The key below the plot, in as many columns as fit the width.
std::string key_below(const ChartSpec& chart, int& height_px) {
  std::vector<std::string> labels;
  for (const ChartSeries& s : chart.series) labels.push_back(s.label);
  const std::size_t entry_px = (longest_label(labels) + 8) * kCharPx;
  const std::size_t columns = std::clamp<std::size_t>((kWidthPx - 40) / std::max<std::size_t>(entry_px, 1), 1, kKeyColumnsMax);
  const std::size_t rows = (labels.size() + columns - 1) / columns;
  height_px = kLineHeightPx + static_cast<int>(rows) * kKeyRowPx;
  return fmt::format("set key outside below left horizontal maxcols {} samplen 3 spacing 1.2\n", columns);
}

}  // namespace

const char* chart_colour(int i) { return kColours[static_cast<std::size_t>(i) % kColours.size()]; }

long long integer_tick_step(double max_value) {
  long long step = 1;
  for (int guard = 0; guard < 40; ++guard) {
    for (long long m : {1LL, 2LL, 5LL}) {
      if (max_value / static_cast<double>(step * m) <= 10.0) return step * m;
    }
    step *= 10;
  }
  return step;
}

std::string gnuplot_script(const ChartSpec& chart) {
  std::string body;
  body += fmt::format("set title '{}'\n", chart_label(chart.title));
  body += "set grid lc '#dddddd'\nset border 3\nset tics nomirror\n";
  for (std::size_t i = 0; i < chart.series.size(); ++i) {
    body += fmt::format("$d{} << EOD\n", i);
    const auto& pts = chart.series[i].points;
    for (std::size_t k = 0; k < pts.size(); ++k) {
      body += fmt::format("{} {} {} {}", num(pts[k][0]), num(pts[k][1]), num(pts[k][2]), num(pts[k][3]));
      if (chart.kind == ChartSpec::Kind::kBarsWithErrors) {
        const int colour = k < chart.bar_colours.size() ? chart.bar_colours[k] : 0;
        const unsigned rgb = static_cast<unsigned>(std::stoul(std::string(chart_colour(colour) + 1), nullptr, 16));
        body += fmt::format(" \"{}\" {}", k < chart.bar_labels.size() ? chart_label(chart.bar_labels[k]) : std::string(), rgb);
      }
      body += "\n";
    }
    body += "EOD\n";
  }
  int height_px = kLineHeightPx;
  if (chart.series.empty()) {
    body += "set label 1 'no data' at graph 0.5,0.5 center\nplot 1/0 notitle\n";
  } else if (chart.kind == ChartSpec::Kind::kTimeline) {
    // Trials as bars over time, one row each, the first on top; markers as dots on their row.
    double rows = 1;
    for (const ChartSeries& s : chart.series) {
      for (const auto& p : s.points) rows = std::max(rows, p[1] + 1);
    }
    constexpr int kRowPxMax = 14, kPlotPxMin = 160, kPlotPxMax = 1400;
    const int plot_px = std::clamp(static_cast<int>(rows) * kRowPxMax, kPlotPxMin, kPlotPxMax);
    body += fmt::format("set xlabel '{}'\nset ylabel '{}'\n", chart_label(chart.x_label), chart_label(chart.y_label));
    body += "set rmargin at screen 0.96\nset xrange [0:*]\nset style fill solid 0.85 noborder\n";
    body += fmt::format("set yrange [{}:-1] reverse\n", num(rows));
    body += key_below(chart, height_px);
    height_px += plot_px - kLineHeightPx + 120;
    body += integer_ticks(chart, false);
    std::string plot = "plot ";
    for (std::size_t i = 0; i < chart.series.size(); ++i) {
      const int colour = colour_index(chart.series[i], i);
      if (i > 0) plot += ", \\\n     ";
      if (chart.series[i].marker) {
        plot += fmt::format("$d{} using 1:2 with points pt 7 ps 0.7 lc rgb '{}' title '{}'", i, chart_colour(colour),
                            chart_label(chart.series[i].label));
      } else {
        plot += fmt::format("$d{} using (0.5*($1+$3)):2:1:3:($2-0.4):($2+0.4) with boxxyerror lc rgb '{}' title '{}'", i,
                            chart_colour(colour), chart_label(chart.series[i].label));
      }
    }
    body += plot + "\n";
  } else if (chart.kind == ChartSpec::Kind::kBarsWithErrors) {
    // Horizontal bars: one row per arm, its label on the left, read without rotation.
    const std::size_t rows = chart.series.front().points.size();
    height_px = std::max(200, 90 + static_cast<int>(rows) * 26);
    const double left = std::min(0.6, static_cast<double>(longest_label(chart.bar_labels) * kCharPx + 24) / kWidthPx);
    body += fmt::format("set xlabel '{}'\n", chart_label(chart.y_label));
    body += fmt::format("set lmargin at screen {:.4f}\nset rmargin at screen 0.95\n", left);
    body += "set grid noytics\nset key off\nset style fill solid 0.85 border -1\nset xrange [0:*]\n";
    body += fmt::format("set yrange [{}:-0.6] reverse\nset ytics scale 0\n", num(static_cast<double>(rows) - 0.4));
    body += "plot $d0 using (0.5*$2):1:(0):2:($1-0.35):($1+0.35):6:ytic(5) with boxxyerror lc rgb variable notitle, \\\n"
            "     $d0 using 2:1:3:4 with xerrorbars lc rgb '#000000' pt 0 notitle\n";
  } else {
    body += fmt::format("set xlabel '{}'\nset ylabel '{}'\n", chart_label(chart.x_label), chart_label(chart.y_label));
    body += "set yrange [0:*]\nset rmargin at screen 0.96\n";
    body += key_below(chart, height_px);
    if (chart.x_integer) body += integer_ticks(chart, true);
    if (chart.y_integer) body += integer_ticks(chart, false);
    const bool lines = chart.kind == ChartSpec::Kind::kLinesWithErrors;
    if (lines) body += "set offsets graph 0.05, graph 0.05, 0, 0\n";
    std::string plot = "plot ";
    for (std::size_t i = 0; i < chart.series.size(); ++i) {
      const int colour = colour_index(chart.series[i], i);
      const int dash = colour / kChartColourCount + 1;
      if (i > 0) plot += ", \\\n     ";
      if (lines) {
        plot += fmt::format("$d{} using 1:2:3:4 with yerrorlines lw 2 dt {} pt {} lc rgb '{}' title '{}'", i, dash,
                            colour % 7 + 1, chart_colour(colour), chart_label(chart.series[i].label));
      } else {
        plot += fmt::format("$d{} using 1:2 with steps lw 2 dt {} lc rgb '{}' title '{}'", i, dash, chart_colour(colour),
                            chart_label(chart.series[i].label));
      }
    }
    body += plot + "\n";
  }
  std::string s = "# Drawn by samplersim report with gnuplot's SVG terminal; redraw with: gnuplot THIS > chart.svg.\n";
  s += fmt::format("set terminal svg size {},{} dynamic noenhanced font 'sans,12' background '#ffffff'\n", kWidthPx, height_px);
  return s + body;
}

bool gnuplot_available() {
  const char* path = std::getenv("PATH");
  if (path == nullptr) return false;
  std::string p = path;
  std::size_t start = 0;
  for (int guard = 0; guard < 1000 && start <= p.size(); ++guard) {
    const std::size_t end = p.find(':', start);
    const std::string dir = p.substr(start, end == std::string::npos ? std::string::npos : end - start);
    if (!dir.empty() && ::access((dir + "/gnuplot").c_str(), X_OK) == 0) return true;
    if (end == std::string::npos) break;
    start = end + 1;
  }
  return false;
}

std::string render_chart(const ChartSpec& chart, const std::string& script_path, const std::string& svg_path) {
  {
    std::ofstream out(script_path, std::ios::binary);
    out << gnuplot_script(chart);
    if (!out) return fmt::format("cannot write {}", script_path);
  }
  if (!gnuplot_available()) return "gnuplot is not installed (apt-get install gnuplot-nox)";
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, svg_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  std::string arg0 = "gnuplot";
  std::string arg1 = script_path;
  char* argv[] = {arg0.data(), arg1.data(), nullptr};
  pid_t pid = 0;
  const int rc = posix_spawnp(&pid, "gnuplot", &actions, nullptr, argv, environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) return "cannot start gnuplot";
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) return "cannot wait for gnuplot";
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    std::error_code ec;
    std::filesystem::remove(svg_path, ec);
    return fmt::format("gnuplot failed on {}", script_path);
  }
  return "";
}

}  // namespace samplersim
