#include "app/replay_file.h"

#include <fstream>
#include <sstream>
#include <stdexcept>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "sim/trace.h"

namespace samplersim {

namespace {
constexpr const char* kFormat = "samplersim-replay/1";

template <class T>
T field(const nlohmann::json& j, const std::string& path, const char* key, const char* expected) {
  if (!j.contains(key)) throw std::invalid_argument(fmt::format("{}: {}: missing; expected {}", path, key, expected));
  try {
    return j.at(key).get<T>();
  } catch (const nlohmann::json::exception&) {
    throw std::invalid_argument(fmt::format("{}: {}: expected {}", path, key, expected));
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
  return j.dump(1) + "\n";
}

ReplayRecord read_replay_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::invalid_argument(fmt::format("{}: cannot read the replay file", path));
  std::stringstream buffer;
  buffer << in.rdbuf();
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(buffer.str());
  } catch (const nlohmann::json::parse_error& e) {
    throw std::invalid_argument(fmt::format("{}: not a replay file: JSON error at byte {}", path, e.byte));
  }
  if (!j.is_object()) throw std::invalid_argument(fmt::format("{}: not a replay file: expected a JSON object", path));
  if (field<std::string>(j, path, "format", "\"samplersim-replay/1\"") != kFormat) {
    throw std::invalid_argument(fmt::format("{}: format: expected \"{}\"", path, kFormat));
  }
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
    throw std::invalid_argument(fmt::format("{}: trace_hash: expected 16 lower-case hex digits", path));
  }
  r.trace_hash = std::stoull(hash, nullptr, 16);
  if (j.contains("property")) r.property = field<std::string>(j, path, "property", "a property name");
  if (r.rep < 0) throw std::invalid_argument(fmt::format("{}: rep: expected a non-negative integer", path));
  return r;
}

}  // namespace samplersim
