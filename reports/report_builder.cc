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
#include "reports/json_input.h"
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

// One colour per arm of a scenario (its position among the scenario's arms), so an arm keeps its
// colour in every chart of the scenario.
std::map<std::string, int> arm_colours(const ScenarioResult& sc) {
  std::map<std::string, int> colours;
  for (const VariantResult& v : sc.variants) {
    for (const ArmResult& a : v.arms) colours.emplace(a.label(), static_cast<int>(colours.size()));
  }
  return colours;
}

ChartSpec repeats_vs_processes(const ScenarioResult& sc, const std::map<std::string, int>& colours) {
  ChartSpec c;
  c.kind = ChartSpec::Kind::kLinesWithErrors;
  c.title = "Repeats against processes";
  c.x_label = "processes";
  c.y_label = "mean repeats per run (95% CI)";
  c.x_integer = true;
  std::map<std::string, ChartSeries> by_arm;
  std::vector<std::string> order;
  for (const VariantResult& v : sc.variants) {
    if (v.axes.size() != 1 || !v.axes.contains(kProcessesKey)) continue;
    for (const ArmResult& a : v.arms) {
      if (!by_arm.count(a.label())) order.push_back(a.label());
      ChartSeries& s = by_arm[a.label()];
      s.label = a.label();
      s.colour = colours.at(a.label());
      const Interval i = a.stats.repeats.count_interval(0.95);
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

ChartSpec wasted_compute(const VariantResult& v, const std::map<std::string, int>& colours) {
  ChartSpec c;
  c.kind = ChartSpec::Kind::kBarsWithErrors;
  c.title = "Wasted compute";
  c.x_label = "";
  c.y_label = "wasted / useful objective time, % (95% CI)";
  ChartSeries s;
  s.label = "wasted";
  for (std::size_t i = 0; i < v.arms.size(); ++i) {
    const Interval in = v.arms[i].stats.wasted_share.count_interval(0.95);
    s.points.push_back({static_cast<double>(i), 100 * in.estimate, 100 * in.low, 100 * in.high});
    c.bar_labels.push_back(v.arms[i].label());
    c.bar_colours.push_back(colours.at(v.arms[i].label()));
  }
  c.series.push_back(std::move(s));
  return c;
}

ChartSpec coverage_over_time(const VariantResult& v, const std::map<std::string, int>& colours) {
  ChartSpec c;
  c.kind = ChartSpec::Kind::kSteps;
  c.title = "Coverage over virtual time (rep 0)";
  c.x_label = "virtual time (s)";
  c.y_label = "distinct combinations evaluated";
  c.y_integer = true;
  for (const ArmResult& a : v.arms) {
    if (!a.coverage_curve.is_array() || a.coverage_curve.empty()) continue;
    ChartSeries s;
    s.label = a.label();
    s.colour = colours.at(a.label());
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

// guarantees.json as `samplersim guarantees --format json` writes it; anything else is BadInput
// naming the file and key.
GuaranteesTable read_guarantees(const fs::path& path) {
  const std::string file = path.string();
  const JsonParse parsed = parse_json_bounded(read_whole(path));
  if (!parsed.ok()) throw BadInput(file, parsed.error_line, "(file)", "the JSON of `samplersim guarantees --format json`", parsed.problem);
  const nlohmann::json& j = parsed.value;
  const auto need = [&](const nlohmann::json& parent, const char* key, bool (nlohmann::json::*is)() const noexcept,
                        const char* what) -> const nlohmann::json& {
    if (!parent.is_object() || !parent.contains(key) || !(parent[key].*is)()) {
      throw BadInput(file, 0, key, what, parent.is_object() && parent.contains(key) ? describe_json(parent[key]) : "nothing");
    }
    return parent[key];
  };
  constexpr std::size_t kMaxEntries = 200;
  GuaranteesTable t;
  for (const auto& c : need(j, "columns", &nlohmann::json::is_array, "an array of fault classes")) {
    if (t.columns.size() >= kMaxEntries) throw BadInput(file, 0, "columns", "at most 200 columns", "more");
    t.columns.push_back({need(c, "name", &nlohmann::json::is_string, "a string").get<std::string>(),
                         need(c, "description", &nlohmann::json::is_string, "a string").get<std::string>()});
  }
  const auto holds = [&](const nlohmann::json& cell, const char* key) {
    const std::string v = need(cell, key, &nlohmann::json::is_string, "\"holds\" or \"violated\"").get<std::string>();
    if (v != "holds" && v != "violated") throw BadInput(file, 0, key, "\"holds\" or \"violated\"", "another string");
    return v == "holds";
  };
  for (const auto& r : need(j, "rows", &nlohmann::json::is_array, "an array of policy rows")) {
    if (t.rows.size() >= kMaxEntries) throw BadInput(file, 0, "rows", "at most 200 rows", "more");
    GuaranteesTable::Row row;
    row.arm = need(r, "policy", &nlohmann::json::is_string, "a string").get<std::string>() + "/" +
              need(r, "seed_policy", &nlohmann::json::is_string, "a string").get<std::string>();
    row.note = need(r, "note", &nlohmann::json::is_string, "a string").get<std::string>();
    const nlohmann::json& cells = need(r, "cells", &nlohmann::json::is_array, "an array of cells, one per column");
    if (cells.size() != t.columns.size()) throw BadInput(file, 0, "cells", "one cell per column", fmt::format("{} cells", cells.size()));
    for (const auto& c : cells) row.cells.push_back({holds(c, "coverage"), holds(c, "no_repeats")});
    t.rows.push_back(std::move(row));
  }
  return t;
}

// The *.svg files of `folder` (at most kMaxAttachments in all, each at most kMaxAttachmentBytes), by
// name, appended to `into` with their copy's name in the report folder (`pattern`: "dir/x{}.svg").
void add_svg_attachments(const fs::path& folder, const char* pattern, std::vector<ReportAttachment>& into) {
  std::error_code ec;
  if (!fs::is_directory(folder, ec)) return;
  std::vector<fs::path> svgs;
  for (const auto& entry : fs::directory_iterator(folder, ec)) {
    if (entry.path().extension() == ".svg" && entry.is_regular_file(ec) && entry.file_size(ec) <= kMaxAttachmentBytes) {
      svgs.push_back(entry.path());
    }
  }
  std::sort(svgs.begin(), svgs.end());
  for (const fs::path& p : svgs) {
    if (into.size() >= kMaxAttachments) break;
    const std::string file = fmt::format(fmt::runtime(pattern), into.size() + 1);
    into.push_back(ReportAttachment{p.filename().string(), file, read_whole(p)});
  }
}

void find_extensions(const std::vector<std::string>& result_files, ReportModel& model) {
  std::set<fs::path> dirs;
  for (const std::string& f : result_files) dirs.insert(fs::absolute(fs::path(f)).parent_path());
  std::error_code ec;
  for (const fs::path& dir : dirs) {
    const fs::path gj = dir / "guarantees.json";
    if (model.guarantees.empty() && fs::is_regular_file(gj, ec) && fs::file_size(gj, ec) <= kMaxGuaranteesBytes) {
      model.guarantees = read_guarantees(gj);
      model.guarantees_source = "guarantees.json";
    }
    const fs::path g = dir / "guarantees.md";
    if (model.guarantees.empty() && model.guarantees_markdown.empty() && fs::is_regular_file(g, ec) &&
        fs::file_size(g, ec) <= kMaxGuaranteesBytes) {
      model.guarantees_markdown = read_whole(g);
      model.guarantees_source = "guarantees.md";
    }
    const fs::path rd = dir / "remedies";
    if (fs::is_directory(rd, ec)) {
      std::vector<fs::path> files;
      for (const auto& entry : fs::directory_iterator(rd, ec)) {
        if (entry.path().extension() == ".json" && entry.is_regular_file(ec)) files.push_back(entry.path());
      }
      std::sort(files.begin(), files.end());
      for (const fs::path& p : files) {
        if (model.remedies.size() >= kMaxAttachments) break;
        if (fs::file_size(p, ec) > kMaxAttachmentBytes) {
          throw BadInput(p.string(), 0, "(file)", "at most 2 MiB", "a larger file");
        }
        model.remedies.push_back(parse_report_remedies(p.string(), read_whole(p)));
        model.remedies.back().file = p.filename().string();
      }
    }
    add_svg_attachments(dir / "counterexamples", "counterexamples/c{}.svg", model.counterexamples);
    add_svg_attachments(dir / "audit-timelines", "timelines/t{}.svg", model.timelines);
  }
}

}  // namespace

ReportModel build_report_model(const std::vector<std::string>& result_files, const std::string& out_dir,
                               const ChartProgress& on_chart) {
  ReportModel model;
  model.data = load_report_data(result_files);
  model.input_files = static_cast<int>(result_files.size());
  find_extensions(result_files, model);
  const fs::path charts_dir = fs::path(out_dir) / "charts";
  std::error_code ec;
  fs::create_directories(charts_dir, ec);
  if (ec) throw OutputError(charts_dir.string(), ec.message());
  std::size_t most = 0, drawn = 0;  // at most one repeats chart per scenario and two charts per point
  for (const ScenarioResult& sc : model.data.scenarios) most += 1 + 2 * sc.variants.size();
  const auto draw = [&](const ChartSpec& spec, const std::string& slug) {
    ReportChart chart;
    chart.title = spec.title;
    chart.file = "charts/" + slug + ".svg";
    const fs::path svg = fs::path(out_dir) / chart.file;
    const fs::path script = fs::path(out_dir) / ("charts/" + slug + ".gp");
    chart.note = render_chart(spec, script.string(), svg.string());
    if (chart.note.empty()) chart.svg = read_whole(svg);
    if (on_chart) on_chart(++drawn, most);
    return chart;
  };
  for (std::size_t s = 0; s < model.data.scenarios.size(); ++s) {
    const ScenarioResult& sc = model.data.scenarios[s];
    const std::map<std::string, int> colours = arm_colours(sc);
    std::vector<ReportChart> charts;
    const ChartSpec rp = repeats_vs_processes(sc, colours);
    if (has_points(rp, 2)) charts.push_back(draw(rp, fmt::format("s{}-repeats-vs-processes", s + 1)));
    model.charts.push_back(std::move(charts));
    std::vector<std::vector<ReportChart>> per_variant;
    for (std::size_t v = 0; v < sc.variants.size(); ++v) {
      std::vector<ReportChart> vc;
      vc.push_back(draw(wasted_compute(sc.variants[v], colours), fmt::format("s{}-p{}-wasted-compute", s + 1, v + 1)));
      const ChartSpec cov = coverage_over_time(sc.variants[v], colours);
      if (has_points(cov, 2)) vc.push_back(draw(cov, fmt::format("s{}-p{}-coverage", s + 1, v + 1)));
      per_variant.push_back(std::move(vc));
    }
    model.variant_charts.push_back(std::move(per_variant));
  }
  return model;
}

}  // namespace samplersim
