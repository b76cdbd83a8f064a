#include "reports/report_remedies.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "reports/json_input.h"
#include "sim/errors.h"

namespace samplersim {

namespace {

constexpr std::size_t kMaxRankings = 100;
constexpr std::size_t kMaxRemediesPerRanking = 100;
constexpr const char* kWhat = "the JSON of `samplersim run SCENARIO --format json`";

struct Reader {
  const std::string& file;

  [[noreturn]] void fail(const std::string& key, const std::string& expected, const std::string& got) const {
    throw BadInput(file, 0, key, expected, got);
  }
  const nlohmann::json& child(const nlohmann::json& parent, const char* key, bool (nlohmann::json::*is)() const noexcept,
                              const char* expected) const {
    if (!parent.is_object()) fail(key, std::string("an object with ") + key, describe_json(parent));
    const auto it = parent.find(key);
    if (it == parent.end()) fail(key, expected, "nothing (the key is missing)");
    if (!((*it).*is)()) fail(key, expected, describe_json(*it));
    return *it;
  }
  std::string text(const nlohmann::json& parent, const char* key) const {
    return child(parent, key, &nlohmann::json::is_string, "a string").get<std::string>();
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
  const Reader in{file};
  const nlohmann::json& j = parsed.value;
  if (!j.is_object()) in.fail("(file)", kWhat, describe_json(j));
  ReportRemedies out;
  const nlohmann::json& scenario = in.child(j, "scenario", &nlohmann::json::is_object, "an object");
  out.scenario = in.text(scenario, "name");
  out.digest = in.text(scenario, "digest");
  const auto reps = json_uint(in.child(scenario, "reps", &nlohmann::json::is_number, "a number of reps"), 1ULL << 40);
  if (!reps) in.fail("reps", "a non-negative integer", describe_json(scenario["reps"]));
  out.reps = static_cast<long long>(*reps);
  const nlohmann::json& rankings = in.child(j, "remedies", &nlohmann::json::is_array, "an array of rankings");
  if (rankings.size() > kMaxRankings) in.fail("remedies", fmt::format("at most {} rankings", kMaxRankings), "more");
  for (const nlohmann::json& r : rankings) {
    ReportRemedyRanking ranking;
    ranking.arm = in.text(r, "arm");
    ranking.family = in.text(r, "family");
    const nlohmann::json& list = in.child(r, "remedies", &nlohmann::json::is_array, "an array of remedies");
    if (list.size() > kMaxRemediesPerRanking) {
      in.fail("remedies", fmt::format("at most {} remedies per arm", kMaxRemediesPerRanking), "more");
    }
    for (const nlohmann::json& x : list) {
      ReportRemedy remedy{in.text(x, "id"),        in.text(x, "verdict"), in.text(x, "level"),
                          in.text(x, "group"),     in.text(x, "title"),   in.text(x, "simulated"),
                          in.text(x, "change"),    in.text(x, "code"),    in.text(x, "note")};
      ranking.remedies.push_back(std::move(remedy));
    }
    out.rankings.push_back(std::move(ranking));
  }
  return out;
}

}  // namespace samplersim
