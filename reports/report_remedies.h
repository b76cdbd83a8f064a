// The ranked remedies in a report: what `samplersim run SCENARIO --format json` computed (the
// remedies of app/remedies.h, simulated and ranked by reports/remedy_ranking.h), read back from
// `remedies/*.json` next to the results files. The report never simulates; without such a file a
// scenario's section says how to make one.
//
// Matching: a remedies file belongs to the report's scenario with the same name and base digest
// (the scenario as written: `run` prints its digest, `sweep` writes it as base_scenario_digest).
// Shown per scenario: the ranking of the user's arm (the summary's "your arm" for the scenario as
// written, or, for a scenario swept only at axis points, the arm most points call yours, with a
// note that the remedies were simulated on the scenario as written: reports/report_summary.h), its
// recommended remedies in rank order with the exact code, then how many were trade-offs, not
// better or worse. The summary's "best in Optuna today" and "best library design" then name the
// best recommended remedy of each level (at an axis point, only where no arm compared there does
// better, and without numbers).
// Limits: at most 50 files of at most 2 MiB each; at most 100 rankings per file and 100 remedies
// per ranking. Errors (not the JSON `run --format json` writes) throw BadInput naming the file and
// key. Every string is untrusted: renderers escape it.
#pragma once

#include <string>
#include <vector>

namespace samplersim {

struct ReportRemedy {
  std::string id;         // "same-seed"
  std::string verdict;    // "recommended", "trade-off", "not better", "worse"
  std::string level;      // "in your Optuna today" | "for library maintainers"
  std::string group;      // "in your Optuna version", "after upgrading to Optuna 4.x", ...
  std::string title;      // one line in plain words
  std::string simulated;  // "optuna-3.6/same:42"
  std::string change;     // "uncovered 0.89 -> 0, repeats 0.89 -> 0, wasted 1.78 s -> 0 s per run"
  std::string code;       // Python, lines separated by '\n'
  std::string note;
  bool recommended() const { return verdict == "recommended"; }
  bool for_maintainers() const { return level == "for library maintainers"; }
};

struct ReportRemedyRanking {
  std::string arm;     // "optuna-3.6/none"
  std::string family;  // "Optuna 3.4–3.6"
  std::vector<ReportRemedy> remedies;  // in rank order (recommended first), as `run` ranked them

  const ReportRemedy* best(bool maintainers) const;  // the first recommended of that level, if any
};

struct ReportRemedies {
  std::string file;        // file name as found, "issue-5489.json"
  std::string scenario;    // scenario name
  std::string digest;      // scenario digest as written
  long long reps = 0;      // reps per arm that `run` simulated
  std::vector<ReportRemedyRanking> rankings;

  const ReportRemedyRanking* for_arm(const std::string& arm) const;
};

// Parses one `run --format json` document (BadInput "<file>:<line>: <key>: expected ..." otherwise).
ReportRemedies parse_report_remedies(const std::string& file, const std::string& text);

}  // namespace samplersim
