#include "app/replay_file.h"

#include <algorithm>
#include <cstdint>
#include <optional>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "reports/json_input.h"
#include "reports/json_key_lines.h"
#include "sim/input_file.h"
#include "scenarios/toml_reader.h"
#include "sim/errors.h"
#include "sim/properties.h"
#include "sim/sampler.h"
#include "sim/seed_policy.h"
#include "sim/trace.h"

namespace samplersim {

namespace {
constexpr const char* kFormat = "samplersim-replay/1";
// A replay file holds one scenario (at most 1 MiB) and one pick per choice point.
constexpr std::size_t kMaxReplayFileBytes = std::size_t{64} << 20;
constexpr std::size_t kMaxNameBytes = 200;  // policy, seed policy, strategy, property
constexpr std::string_view kKeys[] = {"format", "scenario_path", "scenario_source", "policy", "seed_policy", "rep",
                                      "run_seed", "strategy", "picks", "trace_hash", "property",
                                      "omitted_processes"};

// The file being read and where its keys are (reports/json_key_lines.h), so every refusal names
// "<file>:<line>: <key>" (line 0: the file as a whole, or a key that is missing).
struct Source {
  const std::string& path;
  JsonKeyLines lines;

  [[noreturn]] void fail(const std::string& key, const std::string& expected, const std::string& got,
                         long element = -1) const {
    const std::string shown = element < 0 ? key : fmt::format("{}[{}]", key, element);
    throw BadInput(path, lines.line_of(key, element), shown, expected, got);
  }
};

const nlohmann::json& require(const nlohmann::json& j, const Source& src, const char* key, const char* expected) {
  const auto it = j.find(key);
  if (it == j.end()) src.fail(key, expected, "nothing (the key is missing)");
  return *it;
}

std::string string_field(const nlohmann::json& j, const Source& src, const char* key, const char* expected,
                         std::size_t max_bytes) {
  const nlohmann::json& v = require(j, src, key, expected);
  if (!v.is_string()) src.fail(key, expected, describe_json(v));
  const auto& text = v.get_ref<const std::string&>();
  if (text.size() > max_bytes) {
    src.fail(key, fmt::format("{} of at most {} bytes", expected, max_bytes), fmt::format("{} bytes", text.size()));
  }
  return text;
}

std::uint64_t uint_field(const nlohmann::json& j, const Source& src, const char* key, const std::string& expected,
                         std::uint64_t max) {
  const nlohmann::json& v = require(j, src, key, expected.c_str());
  const std::optional<std::uint64_t> n = json_uint(v, max);
  if (!n) src.fail(key, expected, describe_json(v));
  return *n;
}

std::vector<std::uint32_t> picks_field(const nlohmann::json& j, const Source& src) {
  constexpr const char* kExpected = "an array of pick indices (integers from 0 to 4294967295)";
  const nlohmann::json& v = require(j, src, "picks", kExpected);
  if (!v.is_array()) src.fail("picks", kExpected, describe_json(v));
  std::vector<std::uint32_t> picks;
  picks.reserve(v.size());
  for (std::size_t i = 0; i < v.size(); ++i) {
    const std::optional<std::uint64_t> p = json_uint(v[i], UINT32_MAX);
    if (!p) src.fail("picks", "an integer from 0 to 4294967295", describe_json(v[i]), static_cast<long>(i));
    picks.push_back(static_cast<std::uint32_t>(*p));
  }
  return picks;
}

// Ascending, distinct process indices below kMaxWorkers (checked against the scenario's process
// count later, by check_omitted_processes).
std::vector<int> omitted_processes_field(const nlohmann::json& j, const Source& src) {
  constexpr const char* kKey = "omitted_processes";
  constexpr const char* kExpected = "an ascending array of distinct process indices";
  const nlohmann::json& v = require(j, src, kKey, kExpected);
  if (!v.is_array()) src.fail(kKey, kExpected, describe_json(v));
  if (v.size() >= static_cast<std::size_t>(ScenarioSpec::kMaxWorkers)) {
    src.fail(kKey, fmt::format("{} of fewer than {} elements", kExpected, ScenarioSpec::kMaxWorkers),
             fmt::format("{} elements", v.size()));
  }
  std::vector<int> omitted;
  omitted.reserve(v.size());
  for (std::size_t i = 0; i < v.size(); ++i) {
    const std::optional<std::uint64_t> p = json_uint(v[i], ScenarioSpec::kMaxWorkers - 1);
    if (!p) {
      src.fail(kKey, fmt::format("a process index from 0 to {}", ScenarioSpec::kMaxWorkers - 1), describe_json(v[i]),
               static_cast<long>(i));
    }
    if (!omitted.empty() && static_cast<int>(*p) <= omitted.back()) {
      src.fail(kKey, fmt::format("a process index above {} (ascending, distinct)", omitted.back()), describe_json(v[i]),
               static_cast<long>(i));
    }
    omitted.push_back(static_cast<int>(*p));
  }
  return omitted;
}

}  // namespace

std::string replay_to_json(const ReplayRecord& r) {
  nlohmann::json j{{"format", kFormat},       {"scenario_path", r.scenario_path},
                   {"policy", r.policy},      {"seed_policy", r.seed_policy},
                   {"rep", r.rep},            {"run_seed", r.run_seed},
                   {"strategy", r.strategy},  {"trace_hash", format_hash(r.trace_hash)},
                   {"picks", r.picks},        {"scenario_source", r.scenario_source}};
  if (!r.property.empty()) j["property"] = r.property;
  if (!r.omitted_processes.empty()) j["omitted_processes"] = r.omitted_processes;
  return j.dump(1) + "\n";
}

ReplayRecord read_replay_file(const std::string& path) {
  const std::string text = read_input_file(path, "a readable replay file", kMaxReplayFileBytes);
  const JsonParse parsed = parse_json_bounded(text);
  if (!parsed.ok()) {  // a syntax error is named by its line; nesting too deep by the whole file
    throw BadInput(path, parsed.error_line, parsed.error_line > 0 ? "(json)" : "(file)", "a replay file (JSON)",
                   parsed.problem);
  }
  const nlohmann::json& j = parsed.value;
  if (!j.is_object()) throw BadInput(path, 0, "(file)", "a replay file (a JSON object)", describe_json(j));
  const Source src{path, json_key_lines(text)};
  for (const auto& [key, value] : j.items()) {
    if (std::find(std::begin(kKeys), std::end(kKeys), key) == std::end(kKeys)) {
      src.fail(key, fmt::format("one of the keys {}", joined(kKeys)), "an unknown key");
    }
  }
  const std::string format = string_field(j, src, "format", "\"samplersim-replay/1\"", kMaxNameBytes);
  if (format != kFormat) src.fail("format", fmt::format("\"{}\"", kFormat), toml_quoted(format));
  ReplayRecord r;
  r.scenario_path = string_field(j, src, "scenario_path", "a string", 4096);
  r.scenario_source = string_field(j, src, "scenario_source", "the scenario's TOML text", kMaxTomlBytes);
  r.policy = string_field(j, src, "policy", "a policy name", kMaxNameBytes);
  if (PolicyRegistry::find(r.policy) == nullptr) {
    src.fail("policy", fmt::format("one of {}", joined(PolicyRegistry::names())), toml_quoted(r.policy));
  }
  r.seed_policy = string_field(j, src, "seed_policy", "none, same:S or distinct:S", kMaxNameBytes);
  if (!parse_seed_policy(r.seed_policy)) {
    src.fail("seed_policy", "none, same:S or distinct:S with 0 <= S < 2^32", toml_quoted(r.seed_policy));
  }
  r.rep = static_cast<int>(uint_field(j, src, "rep", fmt::format("a rep index from 0 to {}", ScenarioSpec::kMaxReps - 1),
                                      ScenarioSpec::kMaxReps - 1));
  r.run_seed = uint_field(j, src, "run_seed", "a run seed from 0 to 2^64-1", UINT64_MAX);
  r.strategy = string_field(j, src, "strategy", "a strategy name", kMaxNameBytes);
  r.picks = picks_field(j, src);
  const std::string hash = string_field(j, src, "trace_hash", "16 lower-case hex digits", kMaxNameBytes);
  if (hash.size() != 16 || hash.find_first_not_of("0123456789abcdef") != std::string::npos) {
    src.fail("trace_hash", "16 lower-case hex digits", toml_quoted(hash));
  }
  r.trace_hash = std::stoull(hash, nullptr, 16);
  if (j.contains("property")) {
    constexpr const char* kProperties = "coverage, no-repeats, no-stale-results or termination";
    r.property = string_field(j, src, "property", kProperties, kMaxNameBytes);
    const auto property = property_from_string(r.property);
    if (!property || *property == Property::kReplay) src.fail("property", kProperties, toml_quoted(r.property));
  }
  if (j.contains("omitted_processes")) {
    r.omitted_processes = omitted_processes_field(j, src);
    r.omitted_processes_line = src.lines.line_of("omitted_processes");
  }
  return r;
}

void check_omitted_processes(const ReplayRecord& r, const std::string& path, int processes) {
  if (r.omitted_processes.empty()) return;
  if (r.omitted_processes.back() >= processes || static_cast<int>(r.omitted_processes.size()) >= processes) {
    throw BadInput(path, r.omitted_processes_line, "omitted_processes",
                   fmt::format("process indices below {} that leave at least one process", processes),
                   nlohmann::json(r.omitted_processes).dump());
  }
}

}  // namespace samplersim
