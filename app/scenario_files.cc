#include "app/scenario_files.h"

#include <algorithm>
#include <filesystem>
#include <string_view>
#include <vector>

#include "app/install_paths.h"
#include "scenarios/scenario_loader.h"
#include "scenarios/toml_reader.h"
#include "sim/errors.h"
#include "sim/sampler.h"

namespace samplersim {

namespace fs = std::filesystem;

std::string builtin_scenario_dir() {
  const ScenarioDirLookup lookup = find_builtin_scenario_dir();
  if (lookup.found) return *lookup.found;
  return lookup.tried.empty() ? std::string("share/samplersim/scenarios") : lookup.tried.front();
}

namespace {
std::vector<std::string> toml_stems(const fs::path& dir) {
  std::vector<std::string> names;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    if (entry.path().extension() == ".toml") names.push_back(entry.path().stem().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}
}  // namespace

std::vector<std::string> builtin_scenario_names() { return toml_stems(builtin_scenario_dir()); }

std::vector<std::string> builtin_case_names() { return toml_stems(fs::path(builtin_scenario_dir()) / "cases"); }

ScenarioSpec load_scenario(const std::string& name_or_path) {
  std::error_code ec;
  std::string path = name_or_path;
  if (!fs::exists(path, ec) && name_or_path.find('/') == std::string::npos) {
    for (const fs::path& dir : {fs::path(builtin_scenario_dir()), fs::path(builtin_scenario_dir()) / "cases"}) {
      const fs::path builtin = dir / (name_or_path + ".toml");
      if (fs::exists(builtin, ec)) {
        path = builtin.string();
        break;
      }
    }
    if (!fs::exists(path, ec)) {
      // Neither a file here nor a built-in name: point at the built-in name it may have meant.
      std::vector<std::string> names = builtin_scenario_names();
      for (const std::string& c : builtin_case_names()) names.push_back(c);
      const std::vector<std::string_view> accepted(names.begin(), names.end());
      std::string stem = name_or_path;
      if (stem.size() > 5 && stem.ends_with(".toml")) stem.resize(stem.size() - 5);
      throw BadInput(name_or_path, 0, "(file)",
                     "a readable scenario file or a built-in scenario name" + did_you_mean(stem, accepted) +
                         " (`samplersim list` names them)",
                     "no such file");
    }
  }
  return load_scenario_file(path, PolicyRegistry::names());
}

ScenarioSpec load_scenario_text(const std::string& text, const std::string& source_name) {
  return parse_scenario_text(text, source_name, PolicyRegistry::names());
}

ScenarioSpec load_replayed_scenario(const std::string& text, const std::string& replay_file, const std::string& scenario_path) {
  ScenarioSpec spec = load_scenario_text(text, replay_file + " (embedded scenario)");
  const TomlDocument doc(text, replay_file);
  if (!scenario_path.empty() && !doc.find(doc.top(), "name")) spec.name = scenario_name_from_path(scenario_path);
  return spec;
}

}  // namespace samplersim
