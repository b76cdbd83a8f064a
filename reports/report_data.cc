#include "reports/report_data.h"

#include <algorithm>
#include <cctype>
#include <climits>
#include <cmath>
#include <map>
#include <stdexcept>
#include <tuple>
#include <unordered_map>

#include <fmt/format.h>

#include "reports/json_input.h"
#include "sim/errors.h"
#include "sim/fnv1a.h"
#include "sim/input_file.h"
#include "sim/seed_policy.h"
#include "sim/plural.h"

namespace samplersim {

namespace {

// Limits (see the header): a results file of at most 64 GiB read line by line, lines of at most
// 1 MiB, 100 million lines in all.
constexpr std::uint64_t kMaxResultsFileBytes = std::uint64_t{64} << 30;
constexpr std::size_t kMaxResultLineBytes = std::size_t{1} << 20;
constexpr std::int64_t kMaxResultLines = 100'000'000;
constexpr std::size_t kMaxScenarios = 1000;
constexpr std::int64_t kMaxGroups = 1'000'000;
constexpr std::size_t kMaxCoveragePoints = 10'000;

// A run key as two 64-bit FNV-1a hashes from different offset bases.
constexpr std::uint64_t kSecondKeyBasis = 0x84222325cbf29ce4ULL;
using RunKeyHash = std::pair<std::uint64_t, std::uint64_t>;
struct RunKeyHasher {
  std::size_t operator()(const RunKeyHash& h) const noexcept { return static_cast<std::size_t>(h.first ^ (h.second * 31)); }
};

struct Line {
  std::string file;
  int number = 0;
  const nlohmann::json* j = nullptr;

  [[noreturn]] void fail(const std::string& key, const std::string& expected) const {
    const auto it = j->find(key);
    throw BadInput(file, number, key, expected, it == j->end() ? "nothing (the key is missing)" : describe_json(*it));
  }
  std::string str(const char* key) const {
    const auto it = j->find(key);
    if (it == j->end() || !it->is_string()) fail(key, "a string");
    return it->get<std::string>();
  }
  std::int64_t integer(const char* key) const {
    const auto it = j->find(key);
    if (it == j->end() || !it->is_number_integer() || (it->is_number_unsigned() && it->get<std::uint64_t>() > INT64_MAX)) {
      fail(key, "an integer");
    }
    return it->get<std::int64_t>();
  }
  std::int64_t count(const char* key) const {
    const std::int64_t n = integer(key);
    if (n < 0) fail(key, "a non-negative integer");
    return n;
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
  std::size_t first_seen = 0;  // order of first appearance across the files
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

std::string VariantResult::setup() const {
  return fmt::format("{} × {}, {}", plural(processes, "process", "processes"), plural(threads, "thread"),
                     plural(grid_size, "combination"));
}

namespace {

// The first line of a scenario file or sweep spec: a `.toml` name, or a line that is a TOML
// comment, [table] header or `key = value` (a results line starts with '{').
bool looks_like_toml(const std::string& path, std::string_view line) {
  if (path.ends_with(".toml")) return true;
  const std::size_t start = line.find_first_not_of(" \t");
  if (start == std::string_view::npos) return false;
  const auto bare = [](char k) { return std::isalnum(static_cast<unsigned char>(k)) || k == '_' || k == '-' || k == '.'; };
  if (line[start] == '#') return true;
  std::size_t i = start;
  if (line[start] == '[') {  // [table] or [[array.of.tables]]: a bare name, never "[[[" or "[1, 2"
    i += line.substr(start, 2) == "[[" ? 2 : 1;
    const std::size_t name = i;
    while (i < line.size() && bare(line[i])) ++i;
    return i > name && std::isalpha(static_cast<unsigned char>(line[name])) && i < line.size() && line[i] == ']';
  }
  while (i < line.size() && bare(line[i])) ++i;
  if (i == start) return false;
  while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
  return i < line.size() && line[i] == '=';
}

}  // namespace

ReportData load_report_data(const std::vector<std::string>& result_files) {
  std::map<std::pair<std::string, std::string>, ScenarioAccumulator> scenarios;
  // Run key -> hash of its line. Keys are kept as two 64-bit hashes (see the header), so memory
  // per distinct run is a few dozen bytes whatever the key's length.
  std::unordered_map<RunKeyHash, std::uint64_t, RunKeyHasher> seen;
  std::int64_t groups = 0;  // (variant, arm) accumulators
  ReportData data;
  std::int64_t lines_read = 0;
  for (const std::string& path : result_files) {
    constexpr std::string_view kExpected = "a readable results file (JSON Lines)";
    const LineScan scan = for_each_line(path, kExpected, kMaxResultsFileBytes, kMaxResultLineBytes, [&](std::string_view raw, std::int64_t number64) {
      const int number = static_cast<int>(std::min<std::int64_t>(number64, INT_MAX));
      if (++lines_read > kMaxResultLines) {
        throw BadInput(path, number, "(line)", fmt::format("at most {} run lines in all results files", kMaxResultLines), "more");
      }
      const JsonParse parsed = parse_json_bounded(raw);
      const nlohmann::json& j = parsed.value;
      Line line{path, number, &j};
      if (!parsed.ok() && number == 1 && looks_like_toml(path, raw)) {
        // A scenario or sweep spec given where results belong: say what report reads instead.
        throw BadInput(path, number, "(file)",
                       "results (the JSON Lines that `samplersim run SCENARIO --json FILE` or `samplersim sweep SPEC "
                       "--out FILE` writes; run or sweep the scenario first)",
                       "a TOML file (a scenario file or sweep spec)");
      }
      if (!parsed.ok()) throw BadInput(path, number, "line", "a JSON object", parsed.problem);
      if (!j.is_object()) throw BadInput(path, number, "line", "a JSON object", describe_json(j));
      const std::string scenario = line.str("scenario");
      const std::string digest = line.str("scenario_digest");
      const std::string policy = line.str("policy");
      const std::string seed_policy = line.str("seed_policy");
      const std::int64_t rep = line.count("rep");
      const std::string key = j.contains("run_key") ? line.str("run_key")
                                                    : fmt::format("{}|run_seed={}|{}/{}|{{}}|rep={:08}", digest,
                                                                  j.contains("run_seed") ? j["run_seed"].dump() : "?", policy,
                                                                  seed_policy, rep);
      const std::uint64_t h = fnv1a_64(raw);
      const auto [it, inserted] = seen.emplace(RunKeyHash{fnv1a_64(key), fnv1a_64(key, kSecondKeyBasis)}, h);
      if (!inserted) {
        if (it->second != h) line.fail("run_key", fmt::format("one result per run, but run '{}' appears with different results", key));
        ++data.duplicate_lines;
        return;
      }
      ++data.runs;
      const std::string base = j.contains("base_scenario_digest") ? line.str("base_scenario_digest") : digest;
      nlohmann::json axes = nlohmann::json::object();
      if (j.contains("axes")) {
        if (!j["axes"].is_object()) line.fail("axes", "an object");
        axes = j["axes"];
      }
      const auto scenario_key = std::make_pair(scenario, base);
      if (!scenarios.count(scenario_key) && scenarios.size() >= kMaxScenarios) {
        line.fail("scenario", fmt::format("at most {} different scenarios in one report", kMaxScenarios));
      }
      const bool new_scenario = !scenarios.count(scenario_key);
      ScenarioAccumulator& sc = scenarios[scenario_key];
      if (new_scenario) sc.first_seen = scenarios.size() - 1;
      sc.name = scenario;
      sc.base_digest = base;
      const std::string axes_text = axes.dump();
      const std::string label = policy + "/" + seed_policy;
      const auto variant_it = sc.variants.find(axes_text);
      if ((variant_it == sc.variants.end() || !variant_it->second.arms.count(label)) && ++groups > kMaxGroups) {
        line.fail("axes", fmt::format("at most {} different (scenario variant, policy/seed policy) groups in one report", kMaxGroups));
      }
      VariantAccumulator& va = sc.variants[axes_text];
      va.variant.axes = std::move(axes);
      va.variant.axes_text = axes_text;
      va.variant.processes = line.count("processes");
      va.variant.threads = line.count("threads");
      va.variant.grid_size = line.count("grid_size");
      ArmAccumulator& arm = va.arms[label];
      arm.result.policy = policy;
      arm.result.seed_policy = seed_policy;
      arm.result.stats.label = label;
      RunMetrics n;
      n.trials = line.count("trials");
      n.repeats = line.count("repeats");
      n.never_evaluated = line.count("never_evaluated");
      n.uncovered = line.count("uncovered");
      n.wasted_time_us = line.micros_of("wasted_time_s");
      n.objective_time_us = line.micros_of("objective_time_s");
      n.makespan_us = line.micros_of("makespan_s");
      n.store_ops = static_cast<std::uint64_t>(line.count("store_ops"));
      arm.result.stats.add(n);
      arm.objective_sum_s += static_cast<double>(n.objective_time_us) / kMicrosPerSecond;
      if (rep == 0 && j.contains("coverage_curve")) {
        const nlohmann::json& curve = j["coverage_curve"];
        constexpr const char* kCurve = "an array of at most 10000 [t_s, distinct, evaluations]";
        if (!curve.is_array() || curve.size() > kMaxCoveragePoints) line.fail("coverage_curve", kCurve);
        for (const auto& p : curve) {
          if (!p.is_array() || p.size() != 3 || !p[0].is_number() || !p[1].is_number() || !p[2].is_number()) {
            line.fail("coverage_curve", kCurve);
          }
        }
        arm.result.coverage_curve = curve;
      }
    });
    if (scan.bytes == 0) throw BadInput(path, 0, "(file)", "at least one run line", "an empty file");
    if (scan.torn_last_line()) {
      throw BadInput(path, 0, "(file)", "complete lines",
                     "a torn last line (an interrupted sweep? run `samplersim sweep --resume` first)");
    }
  }
  std::vector<ScenarioAccumulator*> in_order;
  for (auto& [k, sc] : scenarios) in_order.push_back(&sc);
  std::sort(in_order.begin(), in_order.end(),
            [](const ScenarioAccumulator* a, const ScenarioAccumulator* b) { return a->first_seen < b->first_seen; });
  for (ScenarioAccumulator* scp : in_order) {
    ScenarioAccumulator& sc = *scp;
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
