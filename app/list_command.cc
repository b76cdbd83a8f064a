#include "app/list_command.h"

#include <string>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "app/exit_status.h"
#include "app/scenario_files.h"
#include "sim/errors.h"
#include "sim/sampler.h"

namespace samplersim {

namespace {

std::string first_line_of_description(const std::string& name) {
  std::string summary;
  try {
    summary = load_scenario(name).description;
  } catch (const BadInput& e) {
    summary = std::string("(invalid: ") + e.what() + ")";
  }
  const auto nl = summary.find('\n');
  if (nl != std::string::npos) summary.resize(nl);
  return summary;
}

int print_json() {
  nlohmann::json out;
  out["scenario_dir"] = builtin_scenario_dir();
  out["scenarios"] = nlohmann::json::array();
  for (const std::string& name : builtin_scenario_names()) {
    out["scenarios"].push_back({{"name", name}, {"description", first_line_of_description(name)}});
  }
  out["cases"] = nlohmann::json::array();
  for (const std::string& name : builtin_case_names()) {
    out["cases"].push_back({{"name", name}, {"description", first_line_of_description(name)}});
  }
  out["policies"] = nlohmann::json::array();
  for (const PolicyInfo* p : PolicyRegistry::all()) {
    out["policies"].push_back({{"name", p->name}, {"family", p->family}, {"summary", p->summary}});
  }
  out["seed_policies"] = {"none", "same:S", "distinct:S"};
  fmt::print("{}\n", out.dump(2));
  return kExitOk;
}

}  // namespace

int list_command(bool json) {
  if (json) return print_json();
  fmt::print("Built-in scenarios ({}):\n", builtin_scenario_dir());
  for (const std::string& name : builtin_scenario_names()) {
    fmt::print("  {:<22} {}\n", name, first_line_of_description(name));
  }
  const std::vector<std::string> cases = builtin_case_names();
  if (!cases.empty()) {
    fmt::print("\nBuilt-in cases, one per public report (cases/):\n");
    for (const std::string& name : cases) fmt::print("  {:<22} {}\n", name, first_line_of_description(name));
  }
  fmt::print("\nPolicies:\n");
  for (const PolicyInfo* p : PolicyRegistry::all()) {
    fmt::print("  {:<22} {:<28} {}\n", p->name, p->family, p->summary);
  }
  fmt::print("\nSeed policies: none | same:S | distinct:S (process i gets S+i)\n");
  return kExitOk;
}

}  // namespace samplersim
