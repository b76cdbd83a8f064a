#include "app/audit.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <map>
#include <sstream>

#include <fmt/format.h>
#include <toml++/toml.h>

#include "app/scenario_files.h"
#include "scenarios/scenario_loader.h"
#include "sim/errors.h"
#include "sim/simulation.h"
#include "sim/plural.h"

namespace samplersim {

GridValue grid_value_of_json(const std::string& name, const nlohmann::json& v) {
  GridValue g;
  if (v.is_null()) {
    g.kind = GridValue::Kind::kNone;
  } else if (v.is_boolean()) {
    g.kind = GridValue::Kind::kBool;
    g.bool_value = v.get<bool>();
  } else if (v.is_number_integer()) {
    g.kind = GridValue::Kind::kInt;
    g.int_value = v.get<std::int64_t>();
  } else if (v.is_number()) {
    g.kind = GridValue::Kind::kFloat;
    g.float_value = v.get<double>();
  } else if (v.is_string()) {
    g.kind = GridValue::Kind::kString;
    g.string_value = v.get<std::string>();
  } else {
    throw BadInput("", 0, "search_space." + name, "None, int, float, str or bool values", v.dump().substr(0, 40));
  }
  return g;
}

namespace {


bool same_value(const GridValue& a, const GridValue& b) {
  const bool a_num = a.kind == GridValue::Kind::kInt || a.kind == GridValue::Kind::kFloat;
  const bool b_num = b.kind == GridValue::Kind::kInt || b.kind == GridValue::Kind::kFloat;
  if (a_num && b_num) {
    const double x = a.kind == GridValue::Kind::kInt ? static_cast<double>(a.int_value) : a.float_value;
    const double y = b.kind == GridValue::Kind::kInt ? static_cast<double>(b.int_value) : b.float_value;
    return x == y || (std::isnan(x) && std::isnan(y));
  }
  return a == b;
}

}  // namespace

std::optional<GridValue> stored_param_value(const StoredParam& p) {
  const nlohmann::json& d = p.distribution;
  if (d.is_object() && d.value("name", "") == "CategoricalDistribution") {
    const auto attrs = d.find("attributes");
    if (attrs == d.end() || !attrs->contains("choices")) return std::nullopt;
    const nlohmann::json& choices = attrs->at("choices");
    const double idx = p.internal_value;
    if (!choices.is_array() || idx < 0 || idx >= static_cast<double>(choices.size()) || idx != std::floor(idx)) {
      return std::nullopt;
    }
    try {
      return grid_value_of_json(p.name, choices.at(static_cast<std::size_t>(idx)));
    } catch (const BadInput&) {
      return std::nullopt;
    }
  }
  GridValue g;
  g.kind = GridValue::Kind::kFloat;
  g.float_value = p.internal_value;
  return g;
}

namespace {

std::vector<GridParam> grid_of_search_space(const StoredStudy& study) {
  for (const StoredTrial& t : study.trials) {
    const nlohmann::json* space = t.system_attr("search_space");
    if (!space) continue;
    if (!space->is_object() || space->empty()) {
      throw BadInput(study.path, 0, fmt::format("study '{}': search_space", study.name), "an object of value lists",
                     space->dump().substr(0, 40));
    }
    std::vector<GridParam> grid;
    for (const auto& [name, values] : space->items()) {
      if (!values.is_array() || values.empty()) {
        throw BadInput(study.path, 0, fmt::format("study '{}': search_space.{}", study.name, name), "a non-empty list",
                       values.dump().substr(0, 40));
      }
      GridParam p;
      p.name = name;
      for (const auto& v : values) {
        try {
          p.values.push_back(grid_value_of_json(name, v));
        } catch (const BadInput& e) {
          throw BadInput(study.path, 0, fmt::format("study '{}': {}", study.name, e.key()), e.expected(), e.got());
        }
      }
      grid.push_back(std::move(p));
    }
    std::sort(grid.begin(), grid.end(), [](const GridParam& a, const GridParam& b) { return a.name < b.name; });
    // The same limit as a scenario's grid, checked before anything is sized by it (a stored space
    // of 10^20 combinations would overflow; one of 10^12 would not fit in memory).
    std::int64_t combinations = 1;
    bool over = false;
    for (const GridParam& p : grid) {
      over = over || __builtin_mul_overflow(combinations, static_cast<std::int64_t>(p.values.size()), &combinations) ||
             combinations > ScenarioSpec::kMaxCombinations;
    }
    if (over) {
      throw BadInput(study.path, 0, fmt::format("study '{}': search_space", study.name),
                     fmt::format("a grid of at most {} combinations", ScenarioSpec::kMaxCombinations),
                     fmt::format("{} parameters whose value counts multiply to more", grid.size()));
    }
    return grid;
  }
  throw BadInput(study.path, 0, fmt::format("study '{}'", study.name), "a trial with a GridSampler search_space system attribute",
                 "none");
}

void concurrency(const StoredStudy& study, AuditResult& out) {
  std::vector<std::pair<std::int64_t, int>> events;  // (time, +1 start / -1 end)
  std::int64_t last = 0;
  bool any = false;
  for (const StoredTrial& t : study.trials) {
    for (auto v : {t.start_us, t.complete_us}) {
      if (v) {
        last = any ? std::max(last, *v) : *v;
        any = true;
      }
    }
  }
  for (const StoredTrial& t : study.trials) {
    if (!t.start_us) continue;
    events.emplace_back(*t.start_us, +1);
    events.emplace_back(t.complete_us.value_or(last), -1);
  }
  std::sort(events.begin(), events.end());  // at equal times, ends (-1) before starts (+1)
  int running = 0;
  for (std::size_t i = 0; i < events.size(); ++i) {
    running += events[i].second;
    out.peak_running = std::max(out.peak_running, running);
    if (i + 1 < events.size()) {
      const auto k = static_cast<std::size_t>(std::max(running, 0));
      if (out.time_at_running_s.size() <= k) out.time_at_running_s.resize(k + 1, 0.0);
      out.time_at_running_s[k] += static_cast<double>(events[i + 1].first - events[i].first) / 1e6;
    }
  }
}

}  // namespace

AuditResult audit_study(const StoredStudy& study) {
  AuditResult out;
  out.db = study.path;
  out.study = study.name;
  out.library_version = study.library_version;
  out.store_kind = study.store_kind;
  out.grid = grid_of_search_space(study);
  ScenarioSpec spec;
  spec.grid = out.grid;
  const GridSpace space = grid_space_of(spec);  // names already sorted: sorted index == position
  out.metrics.grid_size = space.size();
  out.evaluations.assign(static_cast<std::size_t>(out.metrics.grid_size), 0);
  std::vector<std::int64_t> completes(static_cast<std::size_t>(out.metrics.grid_size), 0);

  std::vector<AuditedTrial>& evals = out.evaluated;
  std::int64_t first_start = 0, last_end = 0;
  bool any_time = false;
  for (const StoredTrial& t : study.trials) {
    ++out.metrics.trials;
    ++out.metrics.trials_by_state[static_cast<std::size_t>(t.state)];
    for (auto v : {t.start_us, t.complete_us}) {
      if (!v) continue;
      first_start = any_time ? std::min(first_start, *v) : *v;
      last_end = any_time ? std::max(last_end, *v) : *v;
      any_time = true;
    }
    if (t.state == TrialState::kComplete && t.start_us && t.complete_us) {
      const std::int64_t d = *t.complete_us - *t.start_us;
      out.min_duration_us = out.min_duration_us ? std::min(*out.min_duration_us, d) : d;
      out.max_duration_us = out.max_duration_us ? std::max(*out.max_duration_us, d) : d;
    }
    std::vector<int> values(out.grid.size(), -1);
    bool full = true;
    for (std::size_t p = 0; p < out.grid.size() && full; ++p) {
      const auto it = std::find_if(t.params.begin(), t.params.end(),
                                   [&](const StoredParam& sp) { return sp.name == out.grid[p].name; });
      const std::optional<GridValue> v = it == t.params.end() ? std::nullopt : stored_param_value(*it);
      if (!v) {
        full = false;
        break;
      }
      const auto& vals = out.grid[p].values;
      const auto pos = std::find_if(vals.begin(), vals.end(), [&](const GridValue& g) { return same_value(g, *v); });
      if (pos == vals.end()) full = false;
      else values[p] = static_cast<int>(pos - vals.begin());
    }
    if (!full) {
      if (t.state != TrialState::kWaiting) ++out.incomplete_params;
      continue;
    }
    const std::int64_t c = space.combination_of(values);
    ++out.evaluated_trials;
    ++out.evaluations[static_cast<std::size_t>(c)];
    if (t.state == TrialState::kComplete) ++completes[static_cast<std::size_t>(c)];
    AuditedTrial a;
    a.number = t.number;
    a.state = t.state;
    a.start_us = t.start_us;
    a.complete_us = t.complete_us;
    a.combination = c;
    if (const nlohmann::json* g = t.system_attr("grid_id"); g && g->is_number_integer()) a.grid_id = g->get<std::int64_t>();
    if (const nlohmann::json* f = t.system_attr("failed_trial"); f && f->is_number_integer()) {
      a.retry_of = static_cast<int>(std::clamp<std::int64_t>(f->get<std::int64_t>(), -1, 1'000'000'000));
    }
    a.enqueued = t.system_attr("fixed_params") != nullptr;
    evals.push_back(a);
  }
  std::sort(evals.begin(), evals.end(), [](const AuditedTrial& a, const AuditedTrial& b) {
    const std::int64_t sa = a.start_us.value_or(0), sb = b.start_us.value_or(0);
    return sa != sb ? sa < sb : a.number < b.number;
  });
  std::vector<std::uint8_t> seen(static_cast<std::size_t>(out.metrics.grid_size), 0);
  RunMetrics& n = out.metrics;
  for (const AuditedTrial& e : evals) {
    const std::int64_t duration_us = (e.start_us && e.complete_us) ? *e.complete_us - *e.start_us : 0;
    n.objective_time_us += duration_us;
    if (seen[static_cast<std::size_t>(e.combination)]) n.wasted_time_us += duration_us;
    seen[static_cast<std::size_t>(e.combination)] = 1;
  }
  if (any_time) out.first_start_us = first_start;
  for (std::size_t g = 0; g < out.evaluations.size(); ++g) {
    n.repeats += std::max<std::int64_t>(0, out.evaluations[g] - 1);
    n.never_evaluated += out.evaluations[g] == 0;
    n.uncovered += completes[g] == 0;
  }
  n.makespan_us = any_time ? last_end - first_start : 0;
  concurrency(study, out);
  return out;
}

std::string policy_for_library_version(const std::string& version) {
  int major = -1, minor = -1;
  if (std::sscanf(version.c_str(), "%d.%d", &major, &minor) != 2) return "";
  if (major == 2 && minor >= 9) return "optuna-2";
  if (major == 3 && minor <= 1) return "optuna-3.1";
  if (major == 3 && minor <= 3) return "optuna-3.2";
  if (major == 3 && minor <= 6) return "optuna-3.6";
  if (major == 4) return "optuna-4";
  return "";
}

ScenarioSpec scenario_of_audit(const AuditResult& audit, int workers, bool* editable) {
  std::string name = "audit-" + audit.study;
  for (char& c : name) {
    const bool ok = std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-';
    if (!ok) c = '_';
  }
  const DurationDist duration = audit.min_duration_us
                                    ? DurationDist::uniform(std::max<std::int64_t>(0, *audit.min_duration_us),
                                                            std::max<std::int64_t>(0, *audit.max_duration_us))
                                    : DurationDist::constant(kMicrosPerSecond);
  const int processes = std::clamp(workers, 1, ScenarioSpec::kMaxWorkers);
  // The inferred scenario as scenario text, read by the ordinary loader: the same validation as a
  // user's file, and text that scenario edits (remedies, app/scenario_edit.h) can change.
  toml::table grid;
  for (const GridParam& p : audit.grid) {
    toml::array values;
    for (const GridValue& v : p.values) {
      switch (v.kind) {
        case GridValue::Kind::kInt: values.push_back(v.int_value); break;
        case GridValue::Kind::kFloat:
          if (v.is_nan()) {
            values.push_back(toml::table{{"python", "nan"}});
          } else {
            values.push_back(v.float_value);
          }
          break;
        case GridValue::Kind::kString: values.push_back(v.string_value); break;
        case GridValue::Kind::kBool: values.push_back(v.bool_value); break;
        case GridValue::Kind::kNone: values.push_back(toml::table{{"python", "None"}}); break;
      }
    }
    grid.insert(p.name, std::move(values));
  }
  const std::string policy = policy_for_library_version(audit.library_version);
  // [run] max_virtual_time: the 24 h default stops a study of long trials (a real 26 h study's audit
  // failed with "passed [run] max_virtual_time" and no way to raise it); allow four times a run that
  // evaluates every combination, plus one trial per process, one after the other.
  toml::table run{{"reps", 1000}, {"seed", 1}};
  {
    constexpr std::int64_t kDefaultLimitS = 24 * 3600;
    const std::int64_t trials = audit.metrics.grid_size + processes;
    const std::int64_t longest_s = (duration.max_us + kMicrosPerSecond - 1) / kMicrosPerSecond;
    const std::int64_t bound_s = longest_s > 0 && trials <= kMaxDurationUs / kMicrosPerSecond / (4 * longest_s)
                                     ? 4 * trials * longest_s
                                     : kMaxDurationUs / kMicrosPerSecond;
    if (bound_s > kDefaultLimitS) run.insert("max_virtual_time", fmt::format("{}s", bound_s));
  }
  toml::table doc{
      {"name", name},
      {"description", "inferred from an Optuna study database"},
      {"grid", std::move(grid)},
      {"workers", toml::table{{"processes", processes}, {"threads", 1}}},
      {"objective", toml::table{{"duration", duration.to_string()}}},
      // The storage it was read from, with its calibrated costs (issue 12). The host is unknown:
      // one core per process (no CPU contention).
      {"store", toml::table{{"kind", std::string(to_string(audit.store_kind))}}},
      {"machine", toml::table{{"cores", processes}}},
      // The audit chooses its arms itself (--policy, else the study's version); this list only
      // makes the text a complete scenario.
      {"compare", toml::table{{"policies", toml::array{policy.empty() ? std::string("optuna-4") : policy}}}},
      {"run", std::move(run)},
  };
  std::ostringstream text;
  text << fmt::format("# samplersim audit of study '{}' in '{}' (Optuna {}; {} trials)\n", one_line(audit.study),
                      one_line(audit.db), audit.library_version.empty() ? "version not recorded" : one_line(audit.library_version),
                      audit.metrics.trials)
       << doc << "\n";
  try {
    ScenarioSpec spec = load_scenario_text(text.str(), "(scenario inferred from " + audit.db + ")");
    spec.policies.clear();  // every policy may be simulated (arms_of takes the audit's own list)
    if (editable != nullptr) *editable = true;
    return spec;
  } catch (const BadInput&) {
    // Names a scenario file may not hold (control characters in a parameter name, ...): the same
    // scenario built in code, which simulates alike but cannot be edited into remedies.
  }
  ScenarioSpec spec;
  spec.name = name;
  spec.description = "inferred from an Optuna study database";
  spec.grid = audit.grid;
  spec.processes = processes;
  spec.threads = 1;
  spec.objective_duration = duration;
  spec.store_kind = audit.store_kind;
  spec.machine.present = true;
  spec.reps = 1000;
  spec.seed = 1;
  spec.source_text = text.str();
  if (editable != nullptr) *editable = false;
  return spec;
}

std::string format_audit_summary(const AuditResult& a) {
  // Names from the database are shown escaped (one_line): they reach a terminal.
  std::string out = fmt::format("study {}: written by Optuna {}; grid of {} (", one_line(a.study),
                                a.library_version.empty() ? "?" : one_line(a.library_version),
                                plural(a.metrics.grid_size, "combination"));
  for (std::size_t p = 0; p < a.grid.size(); ++p) {
    out += fmt::format("{}{} x{}", p ? ", " : "", one_line(a.grid[p].name), a.grid[p].values.size());
  }
  out += ")\n";
  out += fmt::format("trials {}:", a.metrics.trials);
  for (TrialState s : kAllTrialStates) {
    out += fmt::format(" {} {}", to_string(s), a.metrics.state_count(s));
  }
  out += fmt::format("; evaluations {}, without a full grid combination {}\n", a.evaluated_trials, a.incomplete_params);
  out += fmt::format("repeats {}  never-evaluated {}  uncovered {}  wasted {:.3f} s  makespan {:.3f} s\n",
                     a.metrics.repeats, a.metrics.never_evaluated, a.metrics.uncovered,
                     static_cast<double>(a.metrics.wasted_time_us) / kMicrosPerSecond,
                     static_cast<double>(a.metrics.makespan_us) / kMicrosPerSecond);
  out += fmt::format("concurrency: peak {} running; time at k running:", a.peak_running);
  for (std::size_t k = 0; k < a.time_at_running_s.size(); ++k) {
    out += fmt::format(" {}:{:.3f}s", k, a.time_at_running_s[k]);
  }
  out += "\n";
  return out;
}

}  // namespace samplersim
