#include "sim/properties.h"

#include <fmt/format.h>

namespace samplersim {

std::string_view to_string(Property p) {
  switch (p) {
    case Property::kCoverage: return "coverage";
    case Property::kNoRepeats: return "no-repeats";
    case Property::kTermination: return "termination";
  }
  return "?";
}

std::optional<Property> property_from_string(std::string_view name) {
  for (Property p : {Property::kCoverage, Property::kNoRepeats, Property::kTermination}) {
    if (to_string(p) == name) return p;
  }
  return std::nullopt;
}

std::optional<Violation> check_coverage(const RunOutcome& o) {
  if (o.uncovered == 0) return std::nullopt;
  std::vector<std::int32_t> completes(static_cast<std::size_t>(o.grid_size), 0);
  for (const Evaluation& e : o.evaluation_log) {
    if (e.state == TrialState::kComplete) ++completes[static_cast<std::size_t>(e.combination)];
  }
  for (std::size_t g = 0; g < completes.size(); ++g) {
    if (completes[g] == 0) {
      return Violation{Property::kCoverage,
                       fmt::format("combination {} has no COMPLETE trial ({} of {} combinations uncovered)",
                                   g, o.uncovered, o.grid_size)};
    }
  }
  return Violation{Property::kCoverage, fmt::format("{} combinations uncovered", o.uncovered)};
}

std::optional<Violation> check_no_repeats(const RunOutcome& o, RepeatRule rule) {
  std::vector<std::vector<int>> trials(static_cast<std::size_t>(o.grid_size));
  for (const Evaluation& e : o.evaluation_log) {
    if (rule == RepeatRule::kAtMostOneComplete && e.state != TrialState::kComplete) continue;
    trials[static_cast<std::size_t>(e.combination)].push_back(e.trial);
  }
  for (std::size_t g = 0; g < trials.size(); ++g) {
    if (trials[g].size() > 1) {
      return Violation{Property::kNoRepeats,
                       fmt::format("combination {} {} {} times (trials #{})", g,
                                   rule == RepeatRule::kAtMostOneComplete ? "completed" : "evaluated",
                                   trials[g].size(), fmt::join(trials[g], ", #"))};
    }
  }
  return std::nullopt;
}

std::optional<Violation> check_termination(const RunOutcome& o, const TerminationBounds& b) {
  if (o.trials > b.max_trials) {
    return Violation{Property::kTermination,
                     fmt::format("{} trials exceed the bound of {}", o.trials, b.max_trials)};
  }
  if (o.makespan_us > b.max_makespan_us) {
    return Violation{Property::kTermination,
                     fmt::format("last worker stopped at {} s, beyond the bound of {} s",
                                 format_seconds(o.makespan_us), format_seconds(b.max_makespan_us))};
  }
  return std::nullopt;
}

}  // namespace samplersim
