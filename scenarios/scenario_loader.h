// Scenario loader: a TOML scenario file → a validated ScenarioSpec (schema: scenarios/SCHEMA.md).
//
// Contract:
// - Every invariant documented in sim/scenario_spec.h holds for a returned spec.
// - On invalid input it throws BadInput and nothing else: no other exception type, no
//   crash, no hang (file reads are bounded), no output to any stream, no global state.
// - The first error found is reported, in a fixed order (unknown keys of a table before its
//   fields; fields in schema order), so the same file always gives the same message.
// - It knows nothing of the policy registry: the caller passes the accepted policy names.
#pragma once

#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "sim/errors.h"
#include "sim/scenario_spec.h"
#include "sim/duration_dist.h"
#include "sim/virtual_time.h"

namespace samplersim {

class TomlDocument;

// Largest duration a scenario may state (1e9 s, about 31.7 years). Far above any useful value,
// and small enough that the engine can add thousands of them without overflowing VirtualTime.
inline constexpr VirtualTime kMaxDurationUs = 1'000'000'000LL * kMicrosPerSecond;

// Largest scenario file the loader reads; a bigger one (or a device such as /dev/zero) is refused.
inline constexpr std::size_t kMaxScenarioFileBytes = 1 << 20;

// Longest accepted scenario `name`.
inline constexpr std::size_t kMaxScenarioNameLength = 100;

// A name (of a scenario or a sweep): 1 to kMaxScenarioNameLength characters from [A-Za-z0-9._-],
// so it is safe in file names, terminals and reports.
bool is_valid_scenario_name(std::string_view name);
// The default name: the file stem with every other character replaced by '_' (cut to the limit).
std::string scenario_name_from_path(const std::string& source_name);

// Errors: BadInput (sim/errors.h), what() one line:
//   "<file>:<line>: <key>: expected <what>, got <what>"       schema errors
//   "<file>:<line>:<col>: TOML syntax error: <description>"   TOML syntax errors
//   "<file>: <key>: expected <what>, got <what>"              line 0: the file as a whole
//                                                             (unreadable, too big)
// <line> is the line of the offending key or value; for a missing required key, the line of its
// table (1 for the top level). <key> is a dotted path such as "workers.processes" or
// "grid.x[2]". Control characters from the input are escaped, so what() never spans lines.

// Reads and validates the scenario file at `path`. `known_policies`: the names accepted in
// compare.policies. The spec's source_path is `path`; `name` defaults to the file stem.
ScenarioSpec load_scenario_file(const std::string& path,
                                const std::vector<std::string>& known_policies);

// Validates scenario text that did not come from a file of its own (a replay file, a test).
// `source_name` names it in errors and becomes source_path; `name` defaults to its stem.
ScenarioSpec parse_scenario_text(std::string_view toml_text, const std::string& source_name,
                                 const std::vector<std::string>& known_policies);

// Validates a parsed document (scenarios/toml_reader.h), e.g. one a sweep wrote values into.
// The spec's source_text is the document's text and source_path its name.
ScenarioSpec load_scenario_document(const TomlDocument& document, const std::vector<std::string>& known_policies);

// The scenario schema, declared once in scenario_loader.cc as data; the loader validates from it
// and scenarios/SCHEMA.md shows it (a test compares them).
struct SchemaKeyDoc {
  std::string_view table;          // "workers"; "" for the top level
  std::string_view key;
  std::string_view type;           // as SCHEMA.md names it: "integer", "duration distribution", ...
  std::string_view default_value;  // as SCHEMA.md shows it; "required" for a required key
  std::int64_t min;                // integers: the accepted range (else 0, 0)
  std::int64_t max;
  std::string_view doc;            // one line: what it means, further rules
};
struct SchemaTableDoc {
  std::string_view name;  // "" for the top level
  bool required;
  bool free_keys;         // its keys are names, not schema keys ([grid])
  bool array = false;     // an array of tables ([[group]]); each element is read with the rows
};
// Keys in validation order; tables in validation order.
std::vector<SchemaKeyDoc> scenario_schema_keys();
std::vector<SchemaTableDoc> scenario_schema_tables();
// The Markdown key table of one schema table ("| key | type | default | rules |" rows), as
// scenarios/SCHEMA.md must show it.
std::string scenario_schema_markdown(std::string_view table);

// Durations: "<number><unit>", unit us|ms|s|m|h, number a decimal integer or decimal fraction
// ("0.5s"), converted exactly to microseconds. Rejects values finer than 1us, negatives and
// values above kMaxDurationUs. No spaces inside. Throws std::invalid_argument("expected ...").
VirtualTime parse_duration(std::string_view text);

// Duration distributions: a duration (a constant) or "uniform A..B" with durations A <= B.
// Leading and trailing spaces are ignored, as are spaces around "..".
// Throws std::invalid_argument("expected ...").
DurationDist parse_duration_dist(std::string_view text);

}  // namespace samplersim
