// Finding and loading scenarios: a path, or the name of a built-in scenario in scenarios/.
#pragma once

#include <string>
#include <vector>

#include "sim/scenario_spec.h"

namespace samplersim {

// Directory of the built-in scenarios, found at run time (app/install_paths.h; SAMPLERSIM_SCENARIOS
// overrides). When none is found, the installed-layout path where they were expected.
std::string builtin_scenario_dir();
// Names (file stems) of the built-in scenarios, sorted.
std::vector<std::string> builtin_scenario_names();
// Names of the built-in cases (scenarios/cases/: one per public report), sorted.
std::vector<std::string> builtin_case_names();
// Loads `name_or_path`: an existing file, else a built-in scenario name, else a built-in case name.
// Throws BadInput.
ScenarioSpec load_scenario(const std::string& name_or_path);
// Parses scenario text embedded elsewhere (replay files). Throws BadInput.
ScenarioSpec load_scenario_text(const std::string& text, const std::string& source_name);
// The scenario a replay file embeds, its errors named after `replay_file` ("<replay_file> (embedded
// scenario):LINE: ..."), and named after the scenario it replays: its own `name` key, else the
// stem of the scenario file it was recorded from (`scenario_path`), as `run` and `check` named it;
// never after the replay file. Throws BadInput.
ScenarioSpec load_replayed_scenario(const std::string& text, const std::string& replay_file, const std::string& scenario_path);

}  // namespace samplersim
