#include "reports/report_data.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>
#include <tuple>
#include <unordered_map>

#include <fmt/format.h>

#include "sim/errors.h"
#include "sim/fnv1a.h"
#include "sim/seed_policy.h"

namespace samplersim {

namespace {

constexpr std::size_t kMaxResultsFileBytes = std::size_t{4} << 30;

struct Line {
  std::string file;
  int number = 0;
  const nlohmann::json* j = nullptr;

  [[noreturn]] void fail(const std::string& key, const std::string& expected) const {
    throw BadInput(file, number, key, expected, "");
  }
  std::string str(const char* key) const {
    const auto it = j->find(key);
    if (it == j->end() || !it->is_string()) fail(key, "a string");
    return it->get<std::string>();
  }
  std::int64_t integer(const char* key) const {
    const auto it = j->find(key);
    if (it == j->end() || !it->is_number_integer()) fail(key, "an integer");
    return it->get<std::int64_t>();
  }
  double number_of(const char* key) const {
    const auto it = j->find(key);
    if (it == j->end() || !it->is_number()) fail(key, "a number");
    return it->get<double>();
  }
  // Seconds as written by result lines (microseconds / 10^6), back to exact microseconds.
  VirtualTime micros_of(const char* key) const {
    const double s = number_of(key);
    if (!(std::fabs(s) < kMaxSeconds)) fail(key, "a number of seconds below 10^9");
    return static_cast<VirtualTime>(std::llround(s * static_cast<double>(kMicrosPerSecond)));
  }
  static constexpr double kMaxSeconds = 1e9;
};

// Sort key of a seed policy: none < same:S < distinct:S, S ascending; unknown text last.
std::tuple<int, std::uint64_t, std::string> seed_order(const std::string& text) {
  const auto p = parse_seed_policy(text);
  if (!p) return {3, 0, text};
  return {static_cast<int>(p->kind), p->seed, text};
}

struct ArmAccumulator {
  ArmResult result;
  double objective_sum_s = 0;
};

struct VariantAccumulator {
  VariantResult variant;
  std::map<std::string, ArmAccumulator> arms;  // by label
};

struct ScenarioAccumulator {
  std::string name;
  std::string base_digest;
  std::map<std::string, VariantAccumulator> variants;  // by axes text
};

}  // namespace

std::string VariantResult::describe() const {
  if (axes.empty()) return "as written";
  std::string out;
  for (const auto& [k, v] : axes.items()) {
    if (!out.empty()) out += ", ";
    out += k + "=" + (v.is_string() ? v.get<std::string>() : v.dump());
  }
  return out;
}

ReportData load_report_data(const std::vector<std::string>& result_files) {
  std::map<std::pair<std::string, std::string>, ScenarioAccumulator> scenarios;
  std::unordered_map<std::string, std::uint64_t> seen;
  ReportData data;
  for (const std::string& path : result_files) {
    std::error_code ec;
    const std::filesystem::file_status status = std::filesystem::status(path, ec);
    if (status.type() == std::filesystem::file_type::not_found) {
      throw BadInput(path, 0, "(file)", "a readable results file (JSON Lines)", "no such file");
    }
    if (!std::filesystem::is_regular_file(status)) {  // a device or FIFO could be read for ever
      throw BadInput(path, 0, "(file)", "a readable results file (JSON Lines)", "not a regular file");
    }
    std::ifstream in(path, std::ios::binary);
    if (!in) throw BadInput(path, 0, "(file)", "a readable results file (JSON Lines)", "a file that cannot be opened");
    std::string text;
    {
      std::stringstream ss;
      ss << in.rdbuf();
      text = ss.str();
    }
    if (text.size() > kMaxResultsFileBytes) throw BadInput(path, 0, "(file)", "at most 4 GiB", "a larger file");
    if (text.empty()) throw BadInput(path, 0, "(file)", "at least one run line", "an empty file");
    if (text.back() != '\n') {
      throw BadInput(path, 0, "(file)", "complete lines",
                     "a torn last line (an interrupted sweep? run `samplersim sweep --resume` first)");
    }
    std::size_t start = 0;
    for (int number = 1; start < text.size(); ++number) {
      const std::size_t end = text.find('\n', start);
      const std::string raw = text.substr(start, end - start);
      start = end + 1;
      const nlohmann::json j = nlohmann::json::parse(raw, nullptr, false);
      Line line{path, number, &j};
      if (j.is_discarded() || !j.is_object()) line.fail("line", "a JSON object");
      const std::string scenario = line.str("scenario");
      const std::string digest = line.str("scenario_digest");
      const std::string policy = line.str("policy");
      const std::string seed_policy = line.str("seed_policy");
      const std::int64_t rep = line.integer("rep");
      std::string key = j.contains("run_key") ? line.str("run_key")
                                              : fmt::format("{}|run_seed={}|{}/{}|{{}}|rep={:08}", digest,
                                                            j.contains("run_seed") ? j["run_seed"].dump() : "?", policy,
                                                            seed_policy, rep);
      const std::uint64_t h = fnv1a_64(raw);
      const auto [it, inserted] = seen.emplace(key, h);
      if (!inserted) {
        if (it->second != h) line.fail("run_key", fmt::format("one result per run, but run '{}' appears with different results", key));
        ++data.duplicate_lines;
        continue;
      }
      ++data.runs;
      const std::string base = j.contains("base_scenario_digest") ? line.str("base_scenario_digest") : digest;
      nlohmann::json axes = nlohmann::json::object();
      if (j.contains("axes")) {
        if (!j["axes"].is_object()) line.fail("axes", "an object");
        axes = j["axes"];
      }
      ScenarioAccumulator& sc = scenarios[{scenario, base}];
      sc.name = scenario;
      sc.base_digest = base;
      VariantAccumulator& va = sc.variants[axes.dump()];
      va.variant.axes = axes;
      va.variant.axes_text = axes.dump();
      va.variant.processes = line.integer("processes");
      va.variant.threads = line.integer("threads");
      va.variant.grid_size = line.integer("grid_size");
      ArmAccumulator& arm = va.arms[policy + "/" + seed_policy];
      arm.result.policy = policy;
      arm.result.seed_policy = seed_policy;
      arm.result.stats.label = policy + "/" + seed_policy;
      RunMetrics n;
      n.trials = line.integer("trials");
      n.repeats = line.integer("repeats");
      n.never_evaluated = line.integer("never_evaluated");
      n.uncovered = line.integer("uncovered");
      n.wasted_time_us = line.micros_of("wasted_time_s");
      n.objective_time_us = line.micros_of("objective_time_s");
      n.makespan_us = line.micros_of("makespan_s");
      n.store_ops = static_cast<std::uint64_t>(line.integer("store_ops"));
      arm.result.stats.add(n);
      arm.objective_sum_s += static_cast<double>(n.objective_time_us) / kMicrosPerSecond;
      if (rep == 0 && j.contains("coverage_curve")) {
        if (!j["coverage_curve"].is_array()) line.fail("coverage_curve", "an array of [t_s, distinct, evaluations]");
        for (const auto& p : j["coverage_curve"]) {
          if (!p.is_array() || p.size() != 3 || !p[0].is_number() || !p[1].is_number() || !p[2].is_number()) {
            line.fail("coverage_curve", "an array of [t_s, distinct, evaluations]");
          }
        }
        arm.result.coverage_curve = j["coverage_curve"];
      }
    }
  }
  for (auto& [k, sc] : scenarios) {
    ScenarioResult out{sc.name, sc.base_digest, {}};
    for (auto& [axes_text, va] : sc.variants) {
      VariantResult v = va.variant;
      for (auto& [label, arm] : va.arms) {
        arm.result.mean_objective_time_s = arm.objective_sum_s / static_cast<double>(std::max<std::int64_t>(1, arm.result.stats.runs));
        v.arms.push_back(arm.result);
      }
      std::sort(v.arms.begin(), v.arms.end(), [](const ArmResult& a, const ArmResult& b) {
        return std::make_tuple(a.policy, seed_order(a.seed_policy)) < std::make_tuple(b.policy, seed_order(b.seed_policy));
      });
      out.variants.push_back(std::move(v));
    }
    std::sort(out.variants.begin(), out.variants.end(), [](const VariantResult& a, const VariantResult& b) {
      return std::make_tuple(!a.axes.empty(), a.processes, a.axes_text) < std::make_tuple(!b.axes.empty(), b.processes, b.axes_text);
    });
    data.scenarios.push_back(std::move(out));
  }
  return data;
}

}  // namespace samplersim
