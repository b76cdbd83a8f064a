#include "app/list_command.h"

#include <string>

#include <fmt/format.h>

#include "app/exit_status.h"
#include "app/scenario_files.h"
#include "sim/errors.h"
#include "sim/sampler.h"

namespace samplersim {

int list_command() {
  fmt::print("Built-in scenarios ({}):\n", builtin_scenario_dir());
  for (const std::string& name : builtin_scenario_names()) {
    std::string summary;
    try {
      summary = load_scenario(name).description;
    } catch (const BadInput& e) {
      summary = std::string("(invalid: ") + e.what() + ")";
    }
    const auto nl = summary.find('\n');
    if (nl != std::string::npos) summary.resize(nl);
    fmt::print("  {:<22} {}\n", name, summary);
  }
  fmt::print("\nPolicies:\n");
  for (const PolicyInfo* p : PolicyRegistry::all()) {
    fmt::print("  {:<22} {:<28} {}\n", p->name, p->family, p->summary);
  }
  fmt::print("\nSeed policies: none | same:S | distinct:S (process i gets S+i)\n");
  return kExitOk;
}

}  // namespace samplersim
