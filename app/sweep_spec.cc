#include "app/sweep_spec.h"

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <stdexcept>

#include <fmt/format.h>
#include <toml++/toml.h>

#include "app/result_line.h"
#include "app/scenario_files.h"
#include "scenarios/scenario_loader.h"

namespace samplersim {

namespace {

namespace fs = std::filesystem;

constexpr std::size_t kMaxSpecBytes = 1 << 20;
constexpr int kMaxJsonDepth = 8;

int line_of(const toml::node& n) { return static_cast<int>(n.source().begin.line); }

[[noreturn]] void fail(const std::string& file, int line, const std::string& key, const std::string& what) {
  throw std::invalid_argument(fmt::format("{}:{}: {}: {}", file, line, key, what));
}

nlohmann::json json_of(const toml::node& n, int depth) {
  if (depth > kMaxJsonDepth) throw std::invalid_argument("nested too deeply");
  if (auto v = n.as_integer()) return v->get();
  if (auto v = n.as_floating_point()) return v->get();
  if (auto v = n.as_string()) return v->get();
  if (auto v = n.as_boolean()) return v->get();
  if (auto a = n.as_array()) {
    nlohmann::json out = nlohmann::json::array();
    for (const toml::node& e : *a) out.push_back(json_of(e, depth + 1));
    return out;
  }
  if (auto t = n.as_table()) {
    nlohmann::json out = nlohmann::json::object();
    for (auto&& [k, v] : *t) out[std::string(k.str())] = json_of(v, depth + 1);
    return out;
  }
  throw std::invalid_argument("a date or time value cannot be swept");
}

// TOML node for a JSON value made by json_of (so only the kinds above occur).
std::unique_ptr<toml::node> toml_of(const nlohmann::json& j) {
  if (j.is_boolean()) return std::make_unique<toml::value<bool>>(j.get<bool>());
  if (j.is_number_integer()) return std::make_unique<toml::value<std::int64_t>>(j.get<std::int64_t>());
  if (j.is_number_float()) return std::make_unique<toml::value<double>>(j.get<double>());
  if (j.is_string()) return std::make_unique<toml::value<std::string>>(j.get<std::string>());
  if (j.is_array()) {
    auto a = std::make_unique<toml::array>();
    for (const auto& e : j) {
      auto child = toml_of(e);
      a->push_back(std::move(*child));
    }
    return a;
  }
  if (j.is_object()) {
    auto t = std::make_unique<toml::table>();
    for (const auto& [k, v] : j.items()) {
      auto child = toml_of(v);
      t->insert_or_assign(k, std::move(*child));
    }
    return t;
  }
  throw std::invalid_argument("unsupported value");
}

std::vector<std::string> split_key(const std::string& key) {
  std::vector<std::string> parts;
  std::string cur;
  for (char c : key) {
    if (c == '.') {
      parts.push_back(cur);
      cur.clear();
    } else {
      cur += c;
    }
  }
  parts.push_back(cur);
  for (const std::string& p : parts) {
    if (p.empty()) throw std::invalid_argument("expected a dotted key such as \"workers.processes\"");
  }
  if (parts.size() > 4) throw std::invalid_argument("expected at most 4 dotted parts");
  return parts;
}

std::string read_spec_text(const std::string& path) {
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) fail(path, 0, "file", "expected a readable sweep spec file");
  std::ifstream in(path, std::ios::binary);
  std::string text;
  text.resize(kMaxSpecBytes + 1);
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  text.resize(static_cast<std::size_t>(in.gcount()));
  if (text.size() > kMaxSpecBytes) fail(path, 0, "file", fmt::format("expected at most {} bytes", kMaxSpecBytes));
  return text;
}

const std::set<std::string> kTopKeys = {"name", "reps", "scenario"};
const std::set<std::string> kEntryKeys = {"scenario", "reps", "seed", "policies", "seed_policies", "axes"};

void reject_unknown(const std::string& file, const toml::table& t, const std::set<std::string>& ok,
                    const std::string& prefix) {
  for (auto&& [k, v] : t) {
    if (!ok.count(std::string(k.str()))) {
      fail(file, line_of(v), prefix + std::string(k.str()),
           fmt::format("unknown key; expected one of: {}", fmt::join(ok, ", ")));
    }
  }
}

int read_reps(const std::string& file, const toml::node& n, const std::string& key) {
  auto v = n.as_integer();
  if (!v || v->get() < 1 || v->get() > ScenarioSpec::kMaxReps) {
    fail(file, line_of(n), key, fmt::format("expected an integer in [1, {}]", ScenarioSpec::kMaxReps));
  }
  return static_cast<int>(v->get());
}

std::vector<std::string> read_strings(const std::string& file, const toml::node& n, const std::string& key) {
  auto a = n.as_array();
  if (!a || a->empty()) fail(file, line_of(n), key, "expected a non-empty array of strings");
  std::vector<std::string> out;
  for (const toml::node& e : *a) {
    auto s = e.as_string();
    if (!s) fail(file, line_of(e), key, "expected a string");
    out.push_back(s->get());
  }
  return out;
}

struct Axis {
  std::string key;
  std::vector<nlohmann::json> values;
  int line = 0;
};

std::vector<Axis> read_axes(const std::string& file, const toml::node& n) {
  auto t = n.as_table();
  if (!t) fail(file, line_of(n), "scenario.axes", "expected a table of key = [values]");
  std::vector<Axis> axes;
  for (auto&& [k, v] : *t) {  // toml++ iterates keys sorted: a canonical order
    Axis axis{std::string(k.str()), {}, line_of(v)};
    const std::string where = "scenario.axes." + axis.key;
    try {
      split_key(axis.key);
    } catch (const std::invalid_argument& e) {
      fail(file, axis.line, where, e.what());
    }
    if (v.is_table()) fail(file, axis.line, where, "expected an array of values; write a dotted key such as \"workers.processes\" in quotes");
    auto a = v.as_array();
    if (!a || a->empty() || a->size() > kMaxAxisValues) {
      fail(file, axis.line, where, fmt::format("expected a non-empty array of at most {} values", kMaxAxisValues));
    }
    for (const toml::node& e : *a) {
      try {
        axis.values.push_back(json_of(e, 0));
      } catch (const std::invalid_argument& err) {
        fail(file, line_of(e), where, std::string("expected a value: ") + err.what());
      }
    }
    axes.push_back(std::move(axis));
  }
  return axes;
}

// A path (contains '/' or ends in .toml) is relative to the spec's directory; else a built-in name.
std::string resolve_scenario(const std::string& spec_path, const std::string& ref) {
  if (ref.find('/') == std::string::npos && !ref.ends_with(".toml")) return ref;
  if (fs::path(ref).is_absolute()) return ref;
  return (fs::path(spec_path).parent_path() / ref).string();
}

void add_points(const std::string& file, const toml::table& entry, int default_reps, SweepPlan& plan) {
  reject_unknown(file, entry, kEntryKeys, "scenario.");
  const toml::node* ref = entry.get("scenario");
  if (!ref || !ref->is_string()) {
    fail(file, ref ? line_of(*ref) : 1, "scenario.scenario", "expected a built-in scenario name or a path (a string)");
  }
  const int entry_line = line_of(*ref);
  const ScenarioSpec base = load_scenario(resolve_scenario(file, ref->as_string()->get()));
  const int reps = entry.contains("reps") ? read_reps(file, *entry.get("reps"), "scenario.reps") : default_reps;
  std::vector<std::string> policies;
  if (entry.contains("policies")) policies = read_strings(file, *entry.get("policies"), "scenario.policies");
  std::vector<SeedPolicy> seeds;
  if (entry.contains("seed_policies")) {
    const toml::node& n = *entry.get("seed_policies");
    for (const std::string& s : read_strings(file, n, "scenario.seed_policies")) {
      auto p = parse_seed_policy(s);
      if (!p) fail(file, line_of(n), "scenario.seed_policies", fmt::format("expected none, same:S or distinct:S, got '{}'", s));
      seeds.push_back(*p);
    }
  }
  std::optional<std::uint64_t> seed;
  if (entry.contains("seed")) {
    auto v = entry.get("seed")->as_integer();
    if (!v || v->get() < 0) fail(file, line_of(*entry.get("seed")), "scenario.seed", "expected a non-negative integer");
    seed = static_cast<std::uint64_t>(v->get());
  }
  std::vector<Axis> axes;
  if (entry.contains("axes")) axes = read_axes(file, *entry.get("axes"));

  std::vector<std::size_t> index(axes.size(), 0);
  for (int guard = 0; guard < 1'000'000; ++guard) {
    SweepPoint point;
    point.base_digest = scenario_digest(base);
    point.axes = nlohmann::json::object();
    std::string text = base.source_text;
    std::string where;
    for (std::size_t i = 0; i < axes.size(); ++i) {
      const nlohmann::json& value = axes[i].values[index[i]];
      point.axes[axes[i].key] = value;
      try {
        text = override_scenario_key(text, axes[i].key, value);
      } catch (const std::invalid_argument& e) {
        fail(file, axes[i].line, "scenario.axes." + axes[i].key, e.what());
      }
      where += fmt::format(" {}={}", axes[i].key, value.dump());
    }
    point.axes_text = point.axes.dump();
    if (axes.empty()) {
      point.spec = base;
    } else {
      try {
        // Errors name the overridden document (its lines are those of the rewritten text).
        point.spec = load_scenario_text(text, base.source_path + " [rewritten with" + where + "]");
        point.spec.name = base.name;
        point.spec.source_path = base.source_path;
      } catch (const ScenarioError& e) {
        fail(file, entry_line, "scenario.axes", fmt::format("the scenario with{} is invalid: {}", where, e.what()));
      }
    }
    if (seed) point.spec.seed = *seed;
    try {
      point.arms = arms_of(point.spec, policies, seeds);
    } catch (const std::invalid_argument& e) {
      fail(file, entry_line, "scenario", e.what());
    }
    point.reps = reps;
    plan.total_runs += point.runs();
    if (plan.total_runs > kMaxSweepRuns) fail(file, entry_line, "scenario", fmt::format("expected at most {} runs in a sweep", kMaxSweepRuns));
    plan.points.push_back(std::move(point));
    // Next axis point: last key fastest.
    std::size_t i = axes.size();
    while (i > 0) {
      --i;
      if (++index[i] < axes[i].values.size()) break;
      index[i] = 0;
      if (i == 0) return;
    }
    if (axes.empty()) return;
  }
}

}  // namespace

std::string override_scenario_key(const std::string& toml_text, const std::string& key, const nlohmann::json& value) {
  toml::table root = toml::parse(toml_text);
  const std::vector<std::string> parts = split_key(key);
  toml::table* t = &root;
  for (std::size_t i = 0; i + 1 < parts.size(); ++i) {
    toml::node* child = t->get(parts[i]);
    if (!child) {
      t->insert_or_assign(parts[i], toml::table{});
      child = t->get(parts[i]);
    }
    t = child->as_table();
    if (!t) throw std::invalid_argument(fmt::format("expected '{}' to be a table in the scenario", parts[i]));
  }
  auto node = toml_of(value);
  t->insert_or_assign(parts.back(), std::move(*node));
  std::ostringstream out;
  out << root << "\n";
  return out.str();
}

std::string run_key(const SweepPoint& point, const Arm& arm, int rep) {
  return fmt::format("{}|seed={}|{}|{}|rep={:08}", point.base_digest, point.spec.seed, arm.label(), point.axes_text, rep);
}

SweepPlan load_sweep_plan(const std::string& spec_path) {
  const std::string text = read_spec_text(spec_path);
  toml::table root;
  try {
    root = toml::parse(text, spec_path);
  } catch (const toml::parse_error& e) {
    fail(spec_path, static_cast<int>(e.source().begin.line), "toml", std::string("TOML syntax error: ") + std::string(e.description()));
  }
  reject_unknown(spec_path, root, kTopKeys, "");
  SweepPlan plan;
  plan.spec_path = spec_path;
  plan.name = fs::path(spec_path).stem().string();
  if (const toml::node* n = root.get("name")) {
    if (!n->is_string() || n->as_string()->get().empty() || n->as_string()->get().size() > 100) fail(spec_path, line_of(*n), "name", "expected a non-empty string of at most 100 characters");
    plan.name = n->as_string()->get();
  }
  int reps = 100;
  if (const toml::node* n = root.get("reps")) reps = read_reps(spec_path, *n, "reps");
  const toml::node* entries = root.get("scenario");
  const toml::array* list = entries ? entries->as_array() : nullptr;
  if (!list || list->empty()) fail(spec_path, entries ? line_of(*entries) : 1, "scenario", "expected one or more [[scenario]] tables");
  for (const toml::node& e : *list) {
    if (!e.is_table()) fail(spec_path, line_of(e), "scenario", "expected a [[scenario]] table");
    add_points(spec_path, *e.as_table(), reps, plan);
  }
  std::set<std::string> seen;
  for (const SweepPoint& p : plan.points) {
    for (const Arm& arm : p.arms) {
      if (!seen.insert(run_key(p, arm, 0)).second) {
        fail(spec_path, 1, "scenario", fmt::format("expected each run once, but {} {} with axes {} appears twice", p.spec.name, arm.label(), p.axes_text));
      }
    }
  }
  return plan;
}

}  // namespace samplersim
