// Plain-words verdicts for a report: one per arm of a scenario variant (the last column of its
// comparison table), plus scenario-level
// findings (seed-policy effects whose 95% intervals do not overlap; whether any arm is clean).
// Text only (the renderers escape it: labels come from results files). Pure functions.
#pragma once

#include <string>
#include <vector>

#include "reports/report_data.h"

namespace samplersim {

struct Verdict {
  std::string label;   // "optuna-3.6/none"
  bool clean = false;  // no run repeated a combination
  std::string text;    // "in rep 0 the first repeat comes after 2 of 3 combinations were covered; fix: use ..."
                       // (the numbers of the arm's table row are not repeated)
};

std::vector<Verdict> arm_verdicts(const VariantResult& variant);
std::vector<std::string> scenario_findings(const VariantResult& variant);

// How many distinct combinations rep 0 had covered when it first evaluated one again; -1 if it
// never repeated or has no curve.
long long covered_before_first_repeat(const ArmResult& arm);

}  // namespace samplersim
