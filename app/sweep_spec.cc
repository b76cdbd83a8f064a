#include "app/sweep_spec.h"

#include <algorithm>
#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <sstream>

#include <fmt/format.h>

#include "app/result_line.h"
#include "app/scenario_edit.h"
#include "app/scenario_files.h"
#include "scenarios/scenario_loader.h"
#include "scenarios/toml_reader.h"
#include "sim/errors.h"
#include "sim/invariant.h"

namespace samplersim {

namespace {

namespace fs = std::filesystem;

constexpr int kMaxValueDepth = 8;  // arrays and tables nested in one axis value
constexpr std::string_view kTopKeys[] = {"name", "reps", "scenario"};
constexpr std::string_view kEntryKeys[] = {"scenario", "reps", "seed", "policies", "seed_policies", "axes"};

// An axis value as recorded in results lines ({"workers.processes": 4}); only the kinds a scenario
// value can have. Returns nullopt for a date or time, or nesting deeper than kMaxValueDepth.
std::optional<nlohmann::json> json_of(const toml::node& n, int depth) {
  if (depth > kMaxValueDepth) return std::nullopt;
  if (auto v = n.as_integer()) return nlohmann::json(v->get());
  if (auto v = n.as_floating_point()) return nlohmann::json(v->get());
  if (auto v = n.as_string()) return nlohmann::json(v->get());
  if (auto v = n.as_boolean()) return nlohmann::json(v->get());
  if (auto a = n.as_array()) {
    nlohmann::json out = nlohmann::json::array();
    for (const toml::node& e : *a) {
      auto element = json_of(e, depth + 1);
      if (!element) return std::nullopt;
      out.push_back(*std::move(element));
    }
    return out;
  }
  if (auto t = n.as_table()) {
    nlohmann::json out = nlohmann::json::object();
    for (auto&& [k, v] : *t) {
      auto element = json_of(v, depth + 1);
      if (!element) return std::nullopt;
      out[std::string(k.str())] = *std::move(element);
    }
    return out;
  }
  return std::nullopt;
}

struct Axis {
  std::string key;                         // "workers.processes"
  std::vector<std::string> parts;          // {"workers", "processes"}
  std::vector<const toml::node*> values;   // nodes of the spec document
  std::vector<nlohmann::json> json_values;
  std::vector<int> lines;                  // of each value in the spec
  int line = 0;                            // of the axis key in the spec
};

std::vector<Axis> read_axes(const TomlDocument& spec, const TomlField& field) {
  const toml::table* t = field.node->as_table();
  if (t == nullptr) spec.fail(field.line, field.path, "a table of \"dotted.key\" = [values]", describe(*field.node));
  std::vector<Axis> axes;
  for (const TomlField& f : spec.fields_in_file_order(TomlTable{t, field.path, field.line})) {
    Axis axis;
    axis.key = std::string(f.name);
    axis.line = f.line;
    const auto parts = split_dotted_key(f.name);
    if (!parts) {
      spec.fail(f.line, f.path, fmt::format("a scenario key such as \"workers.processes\" (non-empty parts, at most {})", kMaxDottedParts),
                toml_quoted(f.name));
    }
    axis.parts = *parts;
    // A sweep runs every point with its own reps (this [[scenario]]'s or the spec's), never the
    // scenario's [run] reps: an axis of it would give identical points without a word.
    if (axis.parts == std::vector<std::string>{"run", "reps"}) {
      spec.fail(f.line, f.path,
                "a key the sweep's runs read (a sweep runs each point with reps = N of its [[scenario]] or of the "
                "spec, not the scenario's [run] reps: give each reps value its own [[scenario]])",
                toml_quoted(f.name));
    }
    if (f.node->is_table()) {
      spec.fail(f.line, f.path, "an array of values; write a dotted key such as \"workers.processes\" in quotes", "a table");
    }
    const toml::array* values = f.node->as_array();
    if (values == nullptr || values->empty() || values->size() > kMaxAxisValues) {
      spec.fail(f.line, f.path, fmt::format("a non-empty array of at most {} values", kMaxAxisValues), describe(*f.node));
    }
    for (const TomlField& e : spec.read_array(f, "a non-empty array of values")) {
      auto json = json_of(*e.node, 0);
      if (!json) {
        spec.fail(e.line, e.path, fmt::format("a scenario value (no date or time; nested at most {} deep)", kMaxValueDepth),
                  describe(*e.node));
      }
      axis.values.push_back(e.node);
      axis.json_values.push_back(*std::move(json));
      axis.lines.push_back(e.line);
    }
    axes.push_back(std::move(axis));
  }
  // Axis points are crossed in the order of the sorted keys (a canonical order).
  std::sort(axes.begin(), axes.end(), [](const Axis& a, const Axis& b) { return a.key < b.key; });
  return axes;
}

// A path (contains '/' or ends in .toml) is relative to the spec's directory; else a built-in name.
std::string resolve_scenario(const std::string& spec_path, const std::string& ref) {
  if (ref.find('/') == std::string::npos && !ref.ends_with(".toml")) return ref;
  if (fs::path(ref).is_absolute()) return ref;
  return (fs::path(spec_path).parent_path() / ref).string();
}

int read_reps(const TomlDocument& spec, const TomlField& field) {
  return static_cast<int>(spec.read_int(field, 1, ScenarioSpec::kMaxReps));
}

std::vector<std::string> read_strings(const TomlDocument& spec, const TomlField& field) {
  std::vector<std::string> out;
  for (const TomlField& e : spec.read_array(field, "a non-empty array of strings")) {
    out.emplace_back(spec.read_string(e, "a string"));
  }
  return out;
}

std::vector<SeedPolicy> read_seed_policies(const TomlDocument& spec, const TomlField& field) {
  std::vector<SeedPolicy> out;
  for (const TomlField& e : spec.read_array(field, "a non-empty array of seed policies")) {
    constexpr std::string_view kExpected = "a seed policy \"none\", \"same:S\" or \"distinct:S\" with 0 <= S < 2^32";
    const auto p = parse_seed_policy(spec.read_string(e, kExpected));
    if (!p) spec.fail(e.line, e.path, kExpected, describe(*e.node));
    out.push_back(*p);
  }
  return out;
}

// For an axis key the scenario schema does not have: the nearest dotted key of the schema, as
// the loader's suggestion reads (" (did you mean \"workers.processes\"?)"), found by the same
// helper: the whole key within two edits of a dotted key ("worker.processes"), else its last part
// within two edits of a key's name ("procesess", "processes"); "" when none is near.
std::string axis_key_suggestion(const std::string& axis_key) {
  std::vector<std::string> dotted;
  std::vector<std::string_view> names;
  for (const SchemaKeyDoc& k : scenario_schema_keys()) {
    dotted.push_back(k.table.empty() ? std::string(k.key) : fmt::format("{}.{}", k.table, k.key));
    names.push_back(k.key);
  }
  const std::vector<std::string_view> dotted_views(dotted.begin(), dotted.end());
  std::optional<std::size_t> best = nearest_name(axis_key, dotted_views);
  if (!best) {
    const std::size_t dot = axis_key.rfind('.');
    best = nearest_name(dot == std::string::npos ? std::string_view(axis_key) : std::string_view(axis_key).substr(dot + 1), names);
  }
  if (!best || dotted[*best] == axis_key) return "";
  return fmt::format(" (did you mean \"{}\"?)", dotted[*best]);
}

// The loader's verdict on a swept scenario, as an error of the spec: at the axis the loader
// blames (or at the entry), with the loader's expected/got and where it looked. An unknown key or
// table on an axis's path (the axis itself, or a table it names: "worker" of "worker.processes")
// is blamed on that axis, with the schema's nearest dotted key as the suggestion, as an unknown
// key of the scenario file gets one.
[[noreturn]] void fail_swept(const TomlDocument& spec, const TomlField& entry, const std::vector<Axis>& axes,
                             const std::vector<std::size_t>& index, const std::string& scenario, const BadInput& e) {
  std::string where;
  int line = entry.line;
  std::string key = entry.path + ".axes";
  std::string got = e.got();
  const bool unknown = got.starts_with("an unknown key") || got.starts_with("an unknown table");
  for (std::size_t i = 0; i < axes.size(); ++i) {
    const nlohmann::json& v = axes[i].json_values[index[i]];
    where += fmt::format(" {}={}", axes[i].key, v.dump());
    // The loader names the key as a path (parts quoted when not bare, unsafe characters escaped).
    std::string path;
    for (const std::string& part : axes[i].parts) path = join_path(path, part);
    path = one_line(path);
    const bool on_path = e.key() == path || (unknown && path.starts_with(e.key() + "."));
    if (on_path || e.key().starts_with(path + ".") || e.key().starts_with(path + "[")) {
      line = axes[i].lines[index[i]];
      key = fmt::format("{}.axes.{}[{}]", entry.path, toml_quoted(axes[i].key), index[i]);
      if (unknown && on_path) {
        const std::string suggestion = axis_key_suggestion(axes[i].key);
        if (!suggestion.empty()) got = got.substr(0, got.find(" (did you mean ")) + suggestion;
      }
    }
  }
  const std::string blamed = e.key().empty() ? "the TOML text" : e.key();
  spec.fail(line, key, fmt::format("{} at {} (scenario {} with{})", e.expected(), blamed, scenario, where), got);
}

// Points of an entry: the product of its axes' value counts (checked; kTooManyPoints when it
// exceeds 2^62), computed before any point is planned.
constexpr std::int64_t kTooManyPoints = std::int64_t{1} << 62;
std::int64_t axis_points(const std::vector<Axis>& axes) {
  std::int64_t points = 1;
  for (const Axis& axis : axes) {
    if (__builtin_mul_overflow(points, static_cast<std::int64_t>(axis.values.size()), &points) || points > kTooManyPoints) {
      return kTooManyPoints;
    }
  }
  return points;
}

// A path names an existing file, or a name a built-in scenario.
bool scenario_exists(const std::string& resolved) {
  std::error_code ec;
  if (fs::exists(resolved, ec)) return true;
  if (resolved.find('/') != std::string::npos) return false;
  const auto names = builtin_scenario_names();
  return std::find(names.begin(), names.end(), resolved) != names.end();
}

void add_points(const TomlDocument& spec, const TomlField& entry, int default_reps, SweepPlan& plan,
                std::int64_t& plan_points, std::int64_t max_points) {
  const toml::table* table = entry.node->as_table();
  if (table == nullptr) spec.fail(entry.line, entry.path, "a [[scenario]] table", describe(*entry.node));
  const TomlTable view{table, entry.path, entry.line};
  spec.reject_unknown_keys(view, kEntryKeys);
  constexpr std::string_view kScenarioExpected = "a built-in scenario name or a path (a string)";
  const TomlField ref = spec.require(view, "scenario", kScenarioExpected);
  const std::string ref_text(spec.read_string(ref, kScenarioExpected));
  const std::string resolved = resolve_scenario(spec.name(), ref_text);
  if (!scenario_exists(resolved)) {
    spec.fail(ref.line, ref.path,
              fmt::format("a built-in scenario ({}) or a scenario file (relative to the spec)", joined(builtin_scenario_names())),
              fmt::format("{}, which does not exist", toml_quoted(ref_text)));
  }
  const ScenarioSpec base = load_scenario(resolved);
  int reps = default_reps;
  if (const auto f = spec.find(view, "reps")) reps = read_reps(spec, *f);
  std::optional<std::uint64_t> seed;
  if (const auto f = spec.find(view, "seed")) seed = static_cast<std::uint64_t>(spec.read_int(*f, 0, kNoUpperBound));
  std::vector<std::string> policies;
  const std::optional<TomlField> policies_field = spec.find(view, "policies");
  if (policies_field) policies = read_strings(spec, *policies_field);
  std::vector<SeedPolicy> seeds;
  const std::optional<TomlField> seeds_field = spec.find(view, "seed_policies");
  if (seeds_field) seeds = read_seed_policies(spec, *seeds_field);
  std::vector<Axis> axes;
  const std::optional<TomlField> axes_field = spec.find(view, "axes");
  if (axes_field) axes = read_axes(spec, *axes_field);
  const std::int64_t points = axis_points(axes);  // 1 without axes; at most 2^62
  plan_points += points;                          // no overflow: plan_points <= max_points before
  if (points > max_points || plan_points > max_points) {
    const TomlField& blamed = axes_field ? *axes_field : entry;
    spec.fail(blamed.line, blamed.path,
              fmt::format("axes with at most {} points (the product of the value counts) in the whole sweep", max_points),
              points > max_points ? fmt::format("{} points", points == kTooManyPoints ? "more than 2^62" : std::to_string(points))
                                  : fmt::format("{} points in all", plan_points));
  }

  // Axis points are applied to a copy of the base scenario's parsed document, then validated.
  const TomlDocument base_doc(base.source_text, base.source_path);
  std::vector<std::size_t> index(axes.size(), 0);
  for (std::int64_t guard = 0; guard <= kMaxSweepPoints; ++guard) {
    SweepPoint point;
    point.base_digest = scenario_digest(base);
    point.axes = nlohmann::json::object();
    for (std::size_t i = 0; i < axes.size(); ++i) point.axes[axes[i].key] = axes[i].json_values[index[i]];
    point.axes_text = point.axes.dump();
    if (axes.empty()) {
      point.spec = base;
    } else {
      toml::table root = base_doc.root();
      for (std::size_t i = 0; i < axes.size(); ++i) {
        const std::string not_table = write_toml_at(root, axes[i].parts, *axes[i].values[index[i]]);
        if (!not_table.empty()) {
          spec.fail(axes[i].line, fmt::format("{}.axes.{}", entry.path, toml_quoted(axes[i].key)),
                    fmt::format("a key whose '{}' is a table in scenario {}", not_table, base.name), "a value there");
        }
      }
      try {
        point.spec = load_scenario_document(TomlDocument::from_table(std::move(root), base.source_path), PolicyRegistry::names());
      } catch (const BadInput& e) {
        fail_swept(spec, entry, axes, index, base.name, e);
      }
      point.spec.name = base.name;
      point.spec.source_path = base.source_path;
    }
    if (seed) point.spec.seed = *seed;
    try {
      point.arms = arms_of(point.spec, policies, seeds);
    } catch (const BadInput& e) {
      // A refusal of the scenario itself (its samplers would not fit in memory, a policy that cannot
      // simulate it) names the scenario file's key and line, or the axis value that set that key;
      // only a policy or seed-policy list is the spec's own line.
      if (!e.key().starts_with("--")) {
        if (axes.empty()) throw;
        fail_swept(spec, entry, axes, index, base.name, e);
      }
      const TomlField& blamed = e.key() == "--policy" && policies_field ? *policies_field : seeds_field ? *seeds_field : entry;
      spec.fail(blamed.line, blamed.path, e.expected(), e.got());
    }
    point.reps = reps;
    plan.total_runs += point.runs();
    if (plan.total_runs > kMaxSweepRuns) {
      spec.fail(entry.line, entry.path, fmt::format("at most {} runs in a sweep", kMaxSweepRuns),
                fmt::format("more ({} so far)", plan.total_runs));
    }
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
  SIM_ASSERT(false && "more axis points than axis_points() counted");
}

}  // namespace

std::string run_key(const SweepPoint& point, const Arm& arm, int rep) {
  return fmt::format("{}|seed={}|{}|{}|rep={:08}", point.base_digest, point.spec.seed, arm.label(), point.axes_text, rep);
}

SweepPlan load_sweep_plan(const std::string& spec_path, std::int64_t max_points) {
  const TomlDocument spec = TomlDocument::from_file(spec_path, "a readable sweep spec file");
  const TomlTable top = spec.top();
  spec.reject_unknown_keys(top, kTopKeys);
  SweepPlan plan;
  plan.spec_path = spec_path;
  plan.name = scenario_name_from_path(spec_path);
  if (const auto f = spec.find(top, "name")) {
    // The rule of a scenario's name: the sweep name reaches terminals, results and reports.
    const std::string expected = fmt::format("a name of 1 to {} characters from [A-Za-z0-9._-]", kMaxScenarioNameLength);
    const std::string_view name = spec.read_string(*f, expected);
    if (!is_valid_scenario_name(name)) spec.fail(f->line, f->path, expected, describe(*f->node));
    plan.name = name;
  }
  int reps = 100;
  if (const auto f = spec.find(top, "reps")) reps = read_reps(spec, *f);
  std::int64_t plan_points = 0;  // axis points of the entries so far
  const std::optional<TomlField> entries = spec.find(top, "scenario");
  if (!entries) spec.fail(1, "scenario", "one or more [[scenario]] tables", "nothing");
  for (const TomlField& entry : spec.read_array(*entries, "one or more [[scenario]] tables")) {
    add_points(spec, entry, reps, plan, plan_points, max_points);
  }
  std::set<std::string> seen;
  for (const SweepPoint& p : plan.points) {
    for (const Arm& arm : p.arms) {
      if (!seen.insert(run_key(p, arm, 0)).second) {
        spec.fail(1, "scenario", "each run once",
                  fmt::format("{} {} with axes {}, which appears twice", p.spec.name, arm.label(), p.axes_text));
      }
    }
  }
  return plan;
}

}  // namespace samplersim
