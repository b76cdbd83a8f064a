#include "app/replay_file.h"


#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "scenarios/input_file.h"
#include "sim/errors.h"
#include "sim/trace.h"

namespace samplersim {

namespace {
constexpr const char* kFormat = "samplersim-replay/1";
// A replay file holds one scenario (at most 1 MiB) and one pick per choice point.
constexpr std::size_t kMaxReplayFileBytes = std::size_t{64} << 20;

[[noreturn]] void fail(const std::string& path, const std::string& key, const std::string& expected,
                       const std::string& got) {
  throw BadInput(path, 0, key, expected, got);
}

std::string describe(const nlohmann::json& v) {
  if (v.is_string()) return "a string";
  if (v.is_number_integer()) return fmt::format("the integer {}", v.dump());
  if (v.is_number()) return "a number";
  if (v.is_boolean()) return "a boolean";
  if (v.is_array()) return "an array";
  if (v.is_object()) return "an object";
  return "null";
}

template <class T>
T field(const nlohmann::json& j, const std::string& path, const char* key, const char* expected) {
  if (!j.contains(key)) fail(path, key, expected, "nothing (the key is missing)");
  try {
    return j.at(key).get<T>();
  } catch (const nlohmann::json::exception&) {
    fail(path, key, expected, describe(j.at(key)));
  }
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
  const nlohmann::json j = nlohmann::json::parse(text, nullptr, false);
  if (j.is_discarded()) fail(path, "(file)", "a replay file (JSON)", "text that is not JSON");
  if (!j.is_object()) fail(path, "(file)", "a replay file (a JSON object)", describe(j));
  const std::string format = field<std::string>(j, path, "format", "\"samplersim-replay/1\"");
  if (format != kFormat) fail(path, "format", fmt::format("\"{}\"", kFormat), fmt::format("\"{}\"", format));
  ReplayRecord r;
  r.scenario_path = field<std::string>(j, path, "scenario_path", "a string");
  r.scenario_source = field<std::string>(j, path, "scenario_source", "the scenario's TOML text");
  r.policy = field<std::string>(j, path, "policy", "a policy name");
  r.seed_policy = field<std::string>(j, path, "seed_policy", "none, same:S or distinct:S");
  r.rep = field<int>(j, path, "rep", "a non-negative integer");
  r.run_seed = field<std::uint64_t>(j, path, "run_seed", "an unsigned 64-bit integer");
  r.strategy = field<std::string>(j, path, "strategy", "a strategy name");
  r.picks = field<std::vector<std::uint32_t>>(j, path, "picks", "an array of non-negative pick indices");
  const std::string hash = field<std::string>(j, path, "trace_hash", "16 hex digits");
  if (hash.size() != 16 || hash.find_first_not_of("0123456789abcdef") != std::string::npos) {
    fail(path, "trace_hash", "16 lower-case hex digits", fmt::format("\"{}\"", hash));
  }
  r.trace_hash = std::stoull(hash, nullptr, 16);
  if (j.contains("property")) r.property = field<std::string>(j, path, "property", "a property name");
  if (r.rep < 0) fail(path, "rep", "a non-negative integer", describe(j.at("rep")));
  if (j.contains("omitted_processes")) {
    const char* expected = "an ascending array of distinct non-negative process indices";
    r.omitted_processes = field<std::vector<int>>(j, path, "omitted_processes", expected);
    for (std::size_t i = 0; i < r.omitted_processes.size(); ++i) {
      if (r.omitted_processes[i] < 0 || (i > 0 && r.omitted_processes[i] <= r.omitted_processes[i - 1])) {
        fail(path, "omitted_processes", expected, j.at("omitted_processes").dump());
      }
    }
  }
  return r;
}

void check_omitted_processes(const ReplayRecord& r, const std::string& path, int processes) {
  if (r.omitted_processes.empty()) return;
  if (r.omitted_processes.back() >= processes || static_cast<int>(r.omitted_processes.size()) >= processes) {
    fail(path, "omitted_processes", fmt::format("process indices below {} that leave at least one process", processes),
         nlohmann::json(r.omitted_processes).dump());
  }
}

}  // namespace samplersim
