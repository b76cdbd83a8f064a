// Scenario edits: values written at dotted keys of a scenario's parsed TOML document (or keys
// removed), after which the scenario loader validates the edited document again. What a sweep's
// axis point does (app/sweep_spec.h) and what a remedy does to the user's scenario
// (app/remedies.h), so both produce scenario text the loader accepts and a digest that depends on
// the values only.
//
// Edits are a JSON object {"dotted.key": value, ...}: a value is an integer, float, string,
// boolean, array or object (written as a TOML value, integers in decimal, tables as standard
// tables); null removes the key. Keys are applied in sorted order; a key whose parent is not a
// table is refused. The edited scenario keeps the base's name and source path.
// Throws BadInput (the loader's message) for an edit the schema refuses.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <toml++/toml.h>

#include "sim/scenario_spec.h"

namespace samplersim {

// Writes a copy of `value` at `parts` of `root`, creating tables on the way, in plain form.
// Returns the first part that is not a table, or "" on success.
std::string write_toml_at(toml::table& root, const std::vector<std::string>& parts, const toml::node& value);

// The scenario's document written back as TOML (as an edited scenario's text is written): two
// scenarios with equal canonical text are the same scenario, whatever their comments and layout.
std::string canonical_scenario_text(const ScenarioSpec& spec);

// The base scenario with `edits` applied (the base itself when `edits` is empty).
ScenarioSpec apply_scenario_edits(const ScenarioSpec& base, const nlohmann::json& edits);

}  // namespace samplersim
