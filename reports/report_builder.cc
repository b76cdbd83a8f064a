#include "reports/report_builder.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <stdexcept>

#include <fmt/format.h>

#include "reports/chart_gnuplot.h"
#include "sim/errors.h"

namespace samplersim {

namespace {

namespace fs = std::filesystem;

constexpr std::size_t kMaxAttachments = 50;
constexpr std::uintmax_t kMaxAttachmentBytes = 2u << 20;
constexpr std::uintmax_t kMaxGuaranteesBytes = 1u << 20;
constexpr const char* kProcessesKey = "workers.processes";

std::string read_whole(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

ChartSpec repeats_vs_processes(const ScenarioResult& sc) {
  ChartSpec c;
  c.kind = ChartSpec::Kind::kLinesWithErrors;
  c.title = "Repeats against processes: " + sc.name;
  c.x_label = "processes";
  c.y_label = "mean repeats per run (95% CI)";
  std::map<std::string, ChartSeries> by_arm;
  std::vector<std::string> order;
  for (const VariantResult& v : sc.variants) {
    if (v.axes.size() != 1 || !v.axes.contains(kProcessesKey)) continue;
    for (const ArmResult& a : v.arms) {
      if (!by_arm.count(a.label())) order.push_back(a.label());
      ChartSeries& s = by_arm[a.label()];
      s.label = a.label();
      const Interval i = a.stats.repeats.interval(0.95);
      s.points.push_back({static_cast<double>(v.processes), i.estimate, i.low, i.high});
    }
  }
  for (const std::string& label : order) {
    ChartSeries s = by_arm[label];
    std::sort(s.points.begin(), s.points.end());
    c.series.push_back(std::move(s));
  }
  return c;
}

ChartSpec wasted_compute(const ScenarioResult& sc) {
  const VariantResult& v = sc.variants.front();
  ChartSpec c;
  c.kind = ChartSpec::Kind::kBarsWithErrors;
  c.title = "Wasted compute: " + sc.name + " (" + v.describe() + ")";
  c.x_label = "";
  c.y_label = "wasted / useful objective time, % (95% CI)";
  ChartSeries s;
  s.label = "wasted";
  for (std::size_t i = 0; i < v.arms.size(); ++i) {
    const Interval in = v.arms[i].stats.wasted_share.interval(0.95);
    s.points.push_back({static_cast<double>(i), 100 * in.estimate, 100 * std::max(0.0, in.low), 100 * in.high});
    c.bar_labels.push_back(v.arms[i].label());
  }
  c.series.push_back(std::move(s));
  return c;
}

ChartSpec coverage_over_time(const ScenarioResult& sc) {
  const VariantResult& v = sc.variants.front();
  ChartSpec c;
  c.kind = ChartSpec::Kind::kSteps;
  c.title = "Coverage over virtual time, rep 0: " + sc.name + " (" + v.describe() + ")";
  c.x_label = "virtual time (s)";
  c.y_label = "distinct combinations evaluated";
  for (const ArmResult& a : v.arms) {
    if (!a.coverage_curve.is_array() || a.coverage_curve.empty()) continue;
    ChartSeries s;
    s.label = a.label();
    s.points.push_back({0, 0, 0, 0});
    for (const auto& p : a.coverage_curve) s.points.push_back({p[0].get<double>(), p[1].get<double>(), 0, 0});
    c.series.push_back(std::move(s));
  }
  return c;
}

bool has_points(const ChartSpec& c, std::size_t at_least) {
  for (const ChartSeries& s : c.series) {
    if (s.points.size() >= at_least) return true;
  }
  return false;
}

void find_extensions(const std::vector<std::string>& result_files, ReportModel& model) {
  std::set<fs::path> dirs;
  for (const std::string& f : result_files) dirs.insert(fs::absolute(fs::path(f)).parent_path());
  std::error_code ec;
  for (const fs::path& dir : dirs) {
    const fs::path g = dir / "guarantees.md";
    if (model.guarantees_markdown.empty() && fs::is_regular_file(g, ec) && fs::file_size(g, ec) <= kMaxGuaranteesBytes) {
      model.guarantees_markdown = read_whole(g);
      model.guarantees_source = "guarantees.md";
    }
    const fs::path cx = dir / "counterexamples";
    if (!fs::is_directory(cx, ec)) continue;
    std::vector<fs::path> svgs;
    for (const auto& entry : fs::directory_iterator(cx, ec)) {
      if (entry.path().extension() == ".svg" && entry.is_regular_file(ec) && entry.file_size(ec) <= kMaxAttachmentBytes) {
        svgs.push_back(entry.path());
      }
    }
    std::sort(svgs.begin(), svgs.end());
    for (const fs::path& p : svgs) {
      if (model.counterexamples.size() >= kMaxAttachments) break;
      const std::string file = fmt::format("counterexamples/c{}.svg", model.counterexamples.size() + 1);
      model.counterexamples.push_back(ReportAttachment{p.filename().string(), file, read_whole(p)});
    }
  }
}

}  // namespace

ReportModel build_report_model(const std::vector<std::string>& result_files, const std::string& out_dir) {
  ReportModel model;
  model.data = load_report_data(result_files);
  model.input_files = static_cast<int>(result_files.size());
  find_extensions(result_files, model);
  const fs::path charts_dir = fs::path(out_dir) / "charts";
  std::error_code ec;
  fs::create_directories(charts_dir, ec);
  if (ec) throw OutputError(charts_dir.string(), ec.message());
  for (std::size_t s = 0; s < model.data.scenarios.size(); ++s) {
    const ScenarioResult& sc = model.data.scenarios[s];
    std::vector<std::pair<std::string, ChartSpec>> specs;
    const ChartSpec rp = repeats_vs_processes(sc);
    if (has_points(rp, 2)) specs.emplace_back("repeats-vs-processes", rp);
    specs.emplace_back("wasted-compute", wasted_compute(sc));
    const ChartSpec cov = coverage_over_time(sc);
    if (has_points(cov, 2)) specs.emplace_back("coverage", cov);
    std::vector<ReportChart> charts;
    for (const auto& [slug, spec] : specs) {
      ReportChart chart;
      chart.title = spec.title;
      chart.file = fmt::format("charts/s{}-{}.svg", s + 1, slug);
      const fs::path svg = fs::path(out_dir) / chart.file;
      const fs::path script = fs::path(out_dir) / fmt::format("charts/s{}-{}.gp", s + 1, slug);
      chart.note = render_chart(spec, script.string(), svg.string());
      if (chart.note.empty()) chart.svg = read_whole(svg);
      charts.push_back(std::move(chart));
    }
    model.charts.push_back(std::move(charts));
  }
  return model;
}

}  // namespace samplersim
