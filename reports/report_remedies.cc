#include "reports/report_remedies.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "reports/json_input.h"
#include "reports/json_key_lines.h"
#include "sim/errors.h"

namespace samplersim {

namespace {

constexpr std::size_t kMaxRankings = 100;
constexpr std::size_t kMaxRemediesPerRanking = 100;
constexpr const char* kWhat = "the JSON of `samplersim run SCENARIO --format json`";

// Every refusal names the line of the value at fault (or of the object missing a key), found in
// the text by its path (reports/json_key_lines.h).
using Path = std::vector<JsonPathStep>;

Path operator/(Path path, const char* key) {
  path.push_back(JsonPathStep{key, -1});
  return path;
}
Path operator/(Path path, std::size_t index) {
  path.push_back(JsonPathStep{"", static_cast<long>(index)});
  return path;
}

struct Reader {
  const std::string& file;
  std::string_view text;

  [[noreturn]] void fail(const Path& at, const std::string& key, const std::string& expected,
                         const std::string& got) const {
    throw BadInput(file, json_value_line(text, at), key, expected, got);
  }
  const nlohmann::json& child(const nlohmann::json& parent, const Path& parent_path, const char* key,
                              bool (nlohmann::json::*is)() const noexcept, const char* expected) const {
    if (!parent.is_object()) fail(parent_path, key, std::string("an object with ") + key, describe_json(parent));
    const auto it = parent.find(key);
    if (it == parent.end()) fail(parent_path, key, expected, "nothing (the key is missing)");
    if (!((*it).*is)()) fail(parent_path / key, key, expected, describe_json(*it));
    return *it;
  }
  std::string text_of(const nlohmann::json& parent, const Path& parent_path, const char* key) const {
    return child(parent, parent_path, key, &nlohmann::json::is_string, "a string").get<std::string>();
  }
};

}  // namespace

const ReportRemedy* ReportRemedyRanking::best(bool maintainers) const {
  for (const ReportRemedy& r : remedies) {
    if (r.recommended() && r.for_maintainers() == maintainers) return &r;
  }
  return nullptr;
}

const ReportRemedyRanking* ReportRemedies::for_arm(const std::string& arm) const {
  for (const ReportRemedyRanking& r : rankings) {
    if (r.arm == arm) return &r;
  }
  return nullptr;
}

ReportRemedies parse_report_remedies(const std::string& file, const std::string& text) {
  const JsonParse parsed = parse_json_bounded(text);
  if (!parsed.ok()) throw BadInput(file, parsed.error_line, "(file)", kWhat, parsed.problem);
  const Reader in{file, text};
  const nlohmann::json& j = parsed.value;
  const Path root;
  if (!j.is_object()) in.fail(root, "(file)", kWhat, describe_json(j));
  ReportRemedies out;
  const nlohmann::json& scenario = in.child(j, root, "scenario", &nlohmann::json::is_object, "an object");
  const Path scenario_path = root / "scenario";
  out.scenario = in.text_of(scenario, scenario_path, "name");
  out.digest = in.text_of(scenario, scenario_path, "digest");
  const auto reps =
      json_uint(in.child(scenario, scenario_path, "reps", &nlohmann::json::is_number, "a number of reps"), 1ULL << 40);
  if (!reps) in.fail(scenario_path / "reps", "reps", "a non-negative integer", describe_json(scenario["reps"]));
  out.reps = static_cast<long long>(*reps);
  const nlohmann::json& rankings = in.child(j, root, "remedies", &nlohmann::json::is_array, "an array of rankings");
  if (rankings.size() > kMaxRankings) {
    in.fail(root / "remedies", "remedies", fmt::format("at most {} rankings", kMaxRankings), "more");
  }
  for (std::size_t i = 0; i < rankings.size(); ++i) {
    const nlohmann::json& r = rankings[i];
    const Path at = root / "remedies" / i;
    ReportRemedyRanking ranking;
    ranking.arm = in.text_of(r, at, "arm");
    ranking.family = in.text_of(r, at, "family");
    const nlohmann::json& list = in.child(r, at, "remedies", &nlohmann::json::is_array, "an array of remedies");
    if (list.size() > kMaxRemediesPerRanking) {
      in.fail(at / "remedies", "remedies", fmt::format("at most {} remedies per arm", kMaxRemediesPerRanking), "more");
    }
    for (std::size_t k = 0; k < list.size(); ++k) {
      const nlohmann::json& x = list[k];
      const Path xp = at / "remedies" / k;
      ReportRemedy remedy{in.text_of(x, xp, "id"),     in.text_of(x, xp, "verdict"), in.text_of(x, xp, "level"),
                          in.text_of(x, xp, "group"),  in.text_of(x, xp, "title"),   in.text_of(x, xp, "simulated"),
                          in.text_of(x, xp, "change"), in.text_of(x, xp, "code"),    in.text_of(x, xp, "note")};
      ranking.remedies.push_back(std::move(remedy));
    }
    out.rankings.push_back(std::move(ranking));
  }
  return out;
}

}  // namespace samplersim
