// Helpers for the reality tests: find a Python that imports the real Optuna, run a script, and
// build simulator scenarios from the grids the scripts report.
#pragma once

#include <sys/wait.h>

#include <cstdlib>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "app/audit.h"

#include "sim/scenario_spec.h"
#include "tests/cli/cli_util.h"

namespace samplersim::testing {

// The first interpreter that imports optuna: Debian's /usr/bin/python3 (python3-optuna), then the
// python3 on PATH. nullopt if none does (the reality tests then skip).
inline std::optional<std::string> python_with_optuna() {
  for (const char* candidate : {"/usr/bin/python3", "python3"}) {
    const std::string cmd = std::string(candidate) + " -c 'import optuna, numpy' >/dev/null 2>&1";
    const int raw = std::system(cmd.c_str());
    if (WIFEXITED(raw) && WEXITSTATUS(raw) == 0) return std::string(candidate);
  }
  return std::nullopt;
}

// Runs `python script args`; returns the exit status (stderr goes to `log`).
inline int run_python(const std::string& python, const std::string& script, const std::string& args,
                      const std::string& log) {
  const std::string cmd = python + " " + std::string(SAMPLERSIM_SOURCE_DIR) + "/tests/reality/" + script +
                          " " + args + " >" + log + " 2>&1 </dev/null";
  const int raw = std::system(cmd.c_str());
  return WIFEXITED(raw) ? WEXITSTATUS(raw) : 128 + WTERMSIG(raw);
}


// [[name, [values...]], ...] in file order.
inline std::vector<GridParam> grid_of(const nlohmann::json& grid) {
  std::vector<GridParam> params;
  for (const auto& dim : grid) {
    GridParam p;
    p.name = dim.at(0).get<std::string>();
    for (const auto& v : dim.at(1)) p.values.push_back(grid_value_of_json(p.name, v));
    params.push_back(std::move(p));
  }
  return params;
}

}  // namespace samplersim::testing
