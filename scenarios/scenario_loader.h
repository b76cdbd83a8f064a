// Scenario loader: a TOML scenario file → a validated ScenarioSpec (schema: scenarios/SCHEMA.md).
//
// Contract:
// - Every invariant documented in sim/scenario_spec.h holds for a returned spec.
// - On invalid input it throws ScenarioError and nothing else: no other exception type, no
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

#include "sim/scenario_spec.h"
#include "sim/duration_dist.h"
#include "sim/virtual_time.h"

namespace samplersim {

// Largest duration a scenario may state (1e9 s, about 31.7 years). Far above any useful value,
// and small enough that the engine can add thousands of them without overflowing VirtualTime.
inline constexpr VirtualTime kMaxDurationUs = 1'000'000'000LL * kMicrosPerSecond;

// Largest scenario file the loader reads; a bigger one (or a device such as /dev/zero) is refused.
inline constexpr std::size_t kMaxScenarioFileBytes = 1 << 20;

// Longest accepted scenario `name`.
inline constexpr std::size_t kMaxScenarioNameLength = 100;

// Thrown for any invalid scenario. what() is one line:
//   "<file>:<line>: <key>: expected <what>, got <what>"       schema errors
//   "<file>:<line>:<col>: TOML syntax error: <description>"   TOML syntax errors
//   "<file>: <key>: expected <what>, got <what>"              line 0: the file as a whole
//                                                             (unreadable, too big)
// <line> is the line of the offending key or value; for a missing required key, the line of its
// table (1 for the top level). <key> is a dotted path such as "workers.processes" or
// "grid.x[2]". Control characters from the input are escaped, so what() never spans lines.
class ScenarioError : public std::runtime_error {
 public:
  ScenarioError(std::string file, int line, std::string key, std::string expected, std::string got);

  static ScenarioError syntax_error(std::string file, int line, int column,
                                    std::string description);

  const std::string& file() const noexcept { return detail_->file; }
  int line() const noexcept { return detail_->line; }               // 1-based; 0 = the whole file
  int column() const noexcept { return detail_->column; }           // syntax errors only, else 0
  const std::string& key() const noexcept { return detail_->key; }  // "" for syntax errors
  const std::string& expected() const noexcept { return detail_->expected; }
  const std::string& got() const noexcept { return detail_->got; }  // syntax: the description
  bool is_syntax_error() const noexcept { return detail_->syntax; }

 private:
  struct Detail {
    std::string file;
    int line = 0;
    int column = 0;
    std::string key;
    std::string expected;
    std::string got;
    bool syntax = false;
  };
  explicit ScenarioError(std::shared_ptr<const Detail> detail);
  static std::string message_of(const Detail& detail);

  std::shared_ptr<const Detail> detail_;  // shared: copying an exception must not throw
};

// Reads and validates the scenario file at `path`. `known_policies`: the names accepted in
// compare.policies. The spec's source_path is `path`; `name` defaults to the file stem.
ScenarioSpec load_scenario_file(const std::string& path,
                                const std::vector<std::string>& known_policies);

// Validates scenario text that did not come from a file of its own (a replay file, a test).
// `source_name` names it in errors and becomes source_path; `name` defaults to its stem.
ScenarioSpec parse_scenario_text(std::string_view toml_text, const std::string& source_name,
                                 const std::vector<std::string>& known_policies);

// Durations: "<number><unit>", unit us|ms|s|m|h, number a decimal integer or decimal fraction
// ("0.5s"), converted exactly to microseconds. Rejects values finer than 1us, negatives and
// values above kMaxDurationUs. No spaces inside. Throws std::invalid_argument("expected ...").
VirtualTime parse_duration(std::string_view text);

// Duration distributions: a duration (a constant) or "uniform A..B" with durations A <= B.
// Leading and trailing spaces are ignored, as are spaces around "..".
// Throws std::invalid_argument("expected ...").
DurationDist parse_duration_dist(std::string_view text);

}  // namespace samplersim
