#include "app/scenario_edit.h"

#include <fmt/format.h>

#include "scenarios/scenario_loader.h"
#include "scenarios/toml_reader.h"
#include "sim/errors.h"
#include "sim/sampler.h"

namespace samplersim {

namespace {

constexpr int kMaxValueDepth = 8;

// Integers in decimal and tables as standard tables, so the written text depends on the value only.
void make_plain(toml::node& n) {
  if (auto v = n.as_integer()) v->flags(toml::value_flags::none);
  if (auto a = n.as_array()) {
    for (toml::node& e : *a) make_plain(e);
  }
  if (auto t = n.as_table()) {
    t->is_inline(false);
    for (auto&& [k, v] : *t) make_plain(v);
  }
}

void append_json(toml::array& out, const nlohmann::json& v, int depth);

void insert_json(toml::table& out, const std::string& key, const nlohmann::json& v, int depth);

toml::table table_of(const nlohmann::json& v, int depth) {
  toml::table t;
  for (const auto& [k, e] : v.items()) insert_json(t, k, e, depth + 1);
  return t;
}

toml::array array_of(const nlohmann::json& v, int depth) {
  toml::array a;
  for (const auto& e : v) append_json(a, e, depth + 1);
  return a;
}

void check_depth(int depth) {
  if (depth > kMaxValueDepth) throw std::invalid_argument("scenario edit nested too deep");
}

void append_json(toml::array& out, const nlohmann::json& v, int depth) {
  check_depth(depth);
  if (v.is_boolean()) out.push_back(v.get<bool>());
  else if (v.is_number_integer()) out.push_back(v.get<std::int64_t>());
  else if (v.is_number()) out.push_back(v.get<double>());
  else if (v.is_string()) out.push_back(v.get<std::string>());
  else if (v.is_array()) out.push_back(array_of(v, depth));
  else if (v.is_object()) out.push_back(table_of(v, depth));
  else throw std::invalid_argument("scenario edit value of no TOML kind");
}

void insert_json(toml::table& out, const std::string& key, const nlohmann::json& v, int depth) {
  check_depth(depth);
  if (v.is_boolean()) out.insert_or_assign(key, v.get<bool>());
  else if (v.is_number_integer()) out.insert_or_assign(key, v.get<std::int64_t>());
  else if (v.is_number()) out.insert_or_assign(key, v.get<double>());
  else if (v.is_string()) out.insert_or_assign(key, v.get<std::string>());
  else if (v.is_array()) out.insert_or_assign(key, array_of(v, depth));
  else if (v.is_object()) out.insert_or_assign(key, table_of(v, depth));
  else throw std::invalid_argument("scenario edit value of no TOML kind");
}

// Removes `parts` from `root`; a missing key or parent is nothing to remove.
void remove_at(toml::table& root, const std::vector<std::string>& parts) {
  toml::table* t = &root;
  for (std::size_t i = 0; i + 1 < parts.size(); ++i) {
    toml::node* child = t->get(parts[i]);
    if (child == nullptr || !child->is_table()) return;
    t = child->as_table();
  }
  t->erase(parts.back());
}

}  // namespace

std::string write_toml_at(toml::table& root, const std::vector<std::string>& parts, const toml::node& value) {
  toml::table* t = &root;
  for (std::size_t i = 0; i + 1 < parts.size(); ++i) {
    toml::node* child = t->get(parts[i]);
    if (child == nullptr) child = &t->insert_or_assign(parts[i], toml::table{}).first->second;
    t = child->as_table();
    if (t == nullptr) return parts[i];
  }
  toml::node& written = t->insert_or_assign(parts.back(), value).first->second;
  make_plain(written);
  return "";
}

std::string canonical_scenario_text(const ScenarioSpec& spec) {
  const TomlDocument doc(spec.source_text, spec.source_path);
  return TomlDocument::from_table(doc.root(), spec.source_path).text();
}

ScenarioSpec apply_scenario_edits(const ScenarioSpec& base, const nlohmann::json& edits) {
  if (!edits.is_object()) throw std::invalid_argument("scenario edits must be a JSON object");
  if (edits.empty()) return base;
  const TomlDocument base_doc(base.source_text, base.source_path);
  toml::table root = base_doc.root();
  for (const auto& [key, value] : edits.items()) {  // nlohmann's objects iterate in key order
    const auto parts = split_dotted_key(key);
    if (!parts) throw BadInput(base.source_path, 0, key, "a dotted scenario key", "an edit of another form");
    if (value.is_null()) {
      remove_at(root, *parts);
      continue;
    }
    toml::table holder;
    insert_json(holder, "v", value, 0);
    const std::string not_table = write_toml_at(root, *parts, *holder.get("v"));
    if (!not_table.empty()) {
      throw BadInput(base.source_path, 0, key, fmt::format("a key whose '{}' is a table", not_table), "a value there");
    }
  }
  ScenarioSpec spec = load_scenario_document(TomlDocument::from_table(std::move(root), base.source_path),
                                             PolicyRegistry::names());
  spec.name = base.name;
  spec.source_path = base.source_path;
  spec.seed = base.seed;
  return spec;
}

}  // namespace samplersim
