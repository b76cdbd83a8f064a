#include "reports/chart_gnuplot.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include <fmt/format.h>

#include "reports/report_escape.h"

extern char** environ;

namespace samplersim {

namespace {

// Okabe-Ito colour-blind-safe palette.
constexpr std::array<const char*, 8> kColours = {"#0072B2", "#D55E00", "#009E73", "#CC79A7",
                                                 "#E69F00", "#56B4E9", "#000000", "#F0E442"};

std::string num(double v) { return fmt::format("{:.6g}", v); }

}  // namespace

std::string gnuplot_script(const ChartSpec& chart) {
  std::string s;
  s += "# Drawn by samplersim report with gnuplot's SVG terminal; redraw with: gnuplot THIS > chart.svg.\n";
  s += "set terminal svg size 760,420 dynamic noenhanced font 'sans,12' background '#ffffff'\n";
  s += fmt::format("set title '{}'\n", chart_label(chart.title));
  s += fmt::format("set xlabel '{}'\nset ylabel '{}'\n", chart_label(chart.x_label), chart_label(chart.y_label));
  s += "set grid ytics lc '#dddddd'\nset border 3\nset tics nomirror\nset key outside right top\n";
  s += "set yrange [0:*]\n";
  for (std::size_t i = 0; i < chart.series.size(); ++i) {
    s += fmt::format("$d{} << EOD\n", i);
    const auto& pts = chart.series[i].points;
    for (std::size_t k = 0; k < pts.size(); ++k) {
      s += fmt::format("{} {} {} {}", num(pts[k][0]), num(pts[k][1]), num(pts[k][2]), num(pts[k][3]));
      if (chart.kind == ChartSpec::Kind::kBarsWithErrors) {
        s += fmt::format(" \"{}\"", k < chart.bar_labels.size() ? chart_label(chart.bar_labels[k]) : std::string());
      }
      s += "\n";
    }
    s += "EOD\n";
  }
  if (chart.series.empty()) {
    s += "set label 1 'no data' at graph 0.5,0.5 center\nplot 1/0 notitle\n";
    return s;
  }
  switch (chart.kind) {
    case ChartSpec::Kind::kLinesWithErrors: {
      s += "set offsets graph 0.05, graph 0.05, 0, 0\n";
      std::string plot = "plot ";
      for (std::size_t i = 0; i < chart.series.size(); ++i) {
        const char* colour = kColours[i % kColours.size()];
        const int dash = static_cast<int>(i / kColours.size()) + 1;
        if (i > 0) plot += ", \\\n     ";
        plot += fmt::format("$d{} using 1:2:3:4 with yerrorlines lw 2 dt {} pt {} lc rgb '{}' title '{}'", i, dash,
                            static_cast<int>(i % 7) + 1, colour, chart_label(chart.series[i].label));
      }
      s += plot + "\n";
      break;
    }
    case ChartSpec::Kind::kBarsWithErrors:
      s += "set style fill solid 0.8 border -1\nset boxwidth 0.7\nset xtics rotate by -35\nset key off\n";
      s += "set xrange [-0.6:*]\n";
      s += fmt::format("plot $d0 using 1:2:xtic(5) with boxes lc rgb '{}' notitle, \\\n     $d0 using 1:2:3:4 with yerrorbars lc rgb '#000000' pt 0 notitle\n",
                       kColours[0]);
      break;
    case ChartSpec::Kind::kSteps: {
      std::string plot = "plot ";
      for (std::size_t i = 0; i < chart.series.size(); ++i) {
        const char* colour = kColours[i % kColours.size()];
        const int dash = static_cast<int>(i / kColours.size()) + 1;
        if (i > 0) plot += ", \\\n     ";
        plot += fmt::format("$d{} using 1:2 with steps lw 2 dt {} lc rgb '{}' title '{}'", i, dash, colour,
                            chart_label(chart.series[i].label));
      }
      s += plot + "\n";
      break;
    }
  }
  return s;
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
