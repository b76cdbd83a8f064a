// Where the built-in scenarios (and sweeps) are, found at run time; no path is compiled in, so the
// binary can be installed (`cmake --install build --prefix P`) and the prefix moved.
//
// Search order (the first that exists wins):
//   1. $SAMPLERSIM_SCENARIOS, if set and not empty (taken as given, even if it does not exist);
//   2. <directory of the executable>/../share/samplersim/scenarios: the installed layout
//      (P/bin/samplersim, P/share/samplersim/scenarios; CMakeLists.txt's install rules);
//   3. <directory of the executable>/../scenarios, then ../../scenarios, if it holds SCHEMA.md: the
//      source tree, for programs built in a build directory inside it (build/samplersim,
//      build/tests/*, build/bench/*).
// The executable is /proc/self/exe (Linux). Cost: a few stat(2) calls per lookup.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace samplersim {

struct ScenarioDirLookup {
  std::optional<std::string> found;
  std::vector<std::string> tried;  // every candidate, in search order
};

ScenarioDirLookup find_builtin_scenario_dir();

// Directory of the running executable ("" if /proc/self/exe cannot be read).
std::string executable_dir();

}  // namespace samplersim
