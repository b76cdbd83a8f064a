#include "app/study_resume.h"

#include <optional>
#include <sstream>

#include <fmt/format.h>

#include "app/audit.h"
#include "app/scenario_files.h"
#include "scenarios/toml_reader.h"
#include "sim/errors.h"

namespace samplersim {

namespace {

// A grid value as the scenario schema writes it.
void put_value(toml::table& table, const std::string& key, const GridValue& v) {
  switch (v.kind) {
    case GridValue::Kind::kInt: table.insert_or_assign(key, v.int_value); return;
    case GridValue::Kind::kBool: table.insert_or_assign(key, v.bool_value); return;
    case GridValue::Kind::kString: table.insert_or_assign(key, v.string_value); return;
    case GridValue::Kind::kNone: table.insert_or_assign(key, toml::table{{"python", "None"}}); return;
    case GridValue::Kind::kFloat:
      if (v.is_nan()) {
        table.insert_or_assign(key, toml::table{{"python", "nan"}});
      } else {
        table.insert_or_assign(key, v.float_value);
      }
      return;
  }
}

// 3.0+ `_same_search_space`: names as sets, values position by position, NaN equal to NaN.
bool same_search_space(const nlohmann::json& stored, const ScenarioSpec& spec) {
  if (!stored.is_object() || stored.size() != spec.grid.size()) return false;
  for (const GridParam& p : spec.grid) {
    const auto it = stored.find(p.name);
    if (it == stored.end() || !it->is_array() || it->size() != p.values.size()) return false;
    for (std::size_t i = 0; i < p.values.size(); ++i) {
      try {
        if (!grid_value_of_json(p.name, it->at(i)).grid_equal(p.values[i])) return false;
      } catch (const BadInput&) {
        return false;
      }
    }
  }
  return true;
}

// The value index of `v` in `p`, or -1.
int index_in(const GridParam& p, const GridValue& v) {
  for (std::size_t i = 0; i < p.values.size(); ++i) {
    if (p.values[i].grid_equal(v)) return static_cast<int>(i);
  }
  return -1;
}

// The trial's grid_id if a GridSampler over `spec`'s own search space made it.
std::optional<std::int64_t> own_grid_id(const StoredTrial& t, const ScenarioSpec& spec) {
  const nlohmann::json* space = t.system_attr("search_space");
  const nlohmann::json* grid_id = t.system_attr("grid_id");
  const bool ours = space != nullptr && grid_id != nullptr && grid_id->is_number_integer() &&
                    same_search_space(*space, spec) && grid_id->get<std::int64_t>() >= 0 &&
                    grid_id->get<std::int64_t>() < spec.combinations();
  if (!ours) return std::nullopt;
  return grid_id->get<std::int64_t>();
}

toml::table initial_trial_table(const StoredTrial& t, const ScenarioSpec& spec) {
  toml::table params;
  const nlohmann::json* fixed = t.state == TrialState::kWaiting ? t.system_attr("fixed_params") : nullptr;
  for (const GridParam& p : spec.grid) {
    std::optional<GridValue> v;
    if (fixed != nullptr && fixed->is_object() && fixed->contains(p.name)) {
      try {
        v = grid_value_of_json(p.name, fixed->at(p.name));
      } catch (const BadInput&) {
      }
    } else {
      for (const StoredParam& sp : t.params) {
        if (sp.name == p.name) v = stored_param_value(sp);
      }
    }
    if (v && index_in(p, *v) >= 0) put_value(params, p.name, p.values[static_cast<std::size_t>(index_in(p, *v))]);
  }
  toml::table out;
  out.insert_or_assign("params", std::move(params));
  out.insert_or_assign("state", std::string(to_string(t.state)));
  const std::optional<std::int64_t> grid_id = own_grid_id(t, spec);
  out.insert_or_assign("sampler", grid_id ? "grid" : "none");
  if (grid_id) out.insert_or_assign("grid_id", *grid_id);
  return out;
}

}  // namespace

std::string initial_trials_toml(const StoredStudy& study, const ScenarioSpec& spec) {
  if (static_cast<std::int64_t>(study.trials.size()) > ScenarioSpec::kMaxInitialTrials) {
    throw BadInput(study.path, 0, fmt::format("study '{}'", study.name),
                   fmt::format("at most {} trials to resume from", ScenarioSpec::kMaxInitialTrials),
                   fmt::format("{} trials", study.trials.size()));
  }
  toml::array tables;
  for (const StoredTrial& t : study.trials) {
    tables.push_back(initial_trial_table(t, spec));
  }
  if (tables.empty()) return "";
  toml::table root;
  root.insert_or_assign("initial_trials", std::move(tables));
  std::ostringstream text;
  text << toml::toml_formatter(root);
  return text.str();
}

std::int64_t foreign_grid_trials(const StoredStudy& study, const ScenarioSpec& spec) {
  std::int64_t n = 0;
  for (const StoredTrial& t : study.trials) {
    if (t.system_attr("grid_id") != nullptr && t.system_attr("search_space") != nullptr && !own_grid_id(t, spec)) ++n;
  }
  return n;
}

ResumedSpec resume_from_db(const ScenarioSpec& spec, const std::string& db_path, const std::string& study_name) {
  if (!spec.initial_trials.empty()) {
    throw BadInput::argument("--from-db", "a scenario without [[initial_trials]] of its own",
                             fmt::format("{} with {} initial trials", spec.source_path, spec.initial_trials.size()));
  }
  const StoredStudy study = read_study(db_path, study_name);
  const std::string text = spec.source_text + "\n# --from-db " + db_path + " (study " + study.name + ")\n" +
                           initial_trials_toml(study, spec);
  ResumedSpec resumed{load_scenario_text(text, spec.source_path), study.name, foreign_grid_trials(study, spec)};
  resumed.spec.seed = spec.seed;
  return resumed;
}

}  // namespace samplersim
