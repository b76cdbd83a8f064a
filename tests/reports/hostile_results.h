// A results file whose every string is an injection attempt (HTML, Markdown, gnuplot), used by
// the report and browser tests.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace samplersim::testing {

inline std::string hostile_results_jsonl() {
  std::string out;
  const char* policies[] = {"<img src=x onerror=alert(2)>", "pol' `rm -rf /` \"x"};
  for (int p = 0; p < 2; ++p) {
    for (int rep = 0; rep < 4; ++rep) {
      nlohmann::json j{
          {"scenario", "<script>alert(1)</script>"},
          {"scenario_digest", "</table><b>"},
          {"policy", policies[p]},
          // + RIGHT-TO-LEFT OVERRIDE, ZERO WIDTH SPACE, ESC and C1 CSI (U+009B): unsafe characters
          {"seed_policy", "| injected | [click](javascript:alert(4)) \u202e\u200b\u001b[31m\u009b"},
          {"processes", 3}, {"threads", 1}, {"grid_size", 3}, {"rep", rep},
          {"run_key", "k<" + std::to_string(p) + "|" + std::to_string(rep)},
          {"axes", {{"a<b>", "</td><script>"}}},
          {"trials", 3}, {"repeats", rep % 2}, {"never_evaluated", rep % 2}, {"uncovered", rep % 2},
          {"objective_time_s", 6.0}, {"wasted_time_s", 2.0 * (rep % 2)}, {"makespan_s", 3.0}, {"store_ops", 30},
      };
      if (rep == 0) j["coverage_curve"] = nlohmann::json::array({{1.0, 1, 1}, {2.0, 1, 2}, {3.0, 2, 3}});
      out += j.dump() + "\n";
    }
  }
  return out;
}

}  // namespace samplersim::testing
