// Schedule exploration for `samplersim check`: search a scenario's schedules for a property
// violation and shrink the one found.
//
// Strategies:
//   random      schedule i runs with run seed run_seed_for_rep(start_seed, i) and RandomStrategy
//   pct:D       as random, but PctStrategy(run seed, D, k) with k = choice points of the previous
//               run (first: of a probe run with default picks)
//   exhaustive  one run seed (run_seed_for_rep(start_seed, 0)); stateless depth-first search over
//               every choice point: each run follows a prefix of picks, then always pick 0, and
//               records the branching factor (ChoicePoint::runnable.size()) at each point; the next
//               prefix increments the deepest pick that has an unexplored sibling. Every schedule is
//               distinct (prefixes are visited in lexicographic order). With a preemption bound K,
//               only schedules with at most K non-default picks (pick != 0) are visited (delay
//               bounding). No partial-order reduction: equivalent interleavings are all run.
// Timing streams never depend on picks, so the tree is fixed by the run seed.
// Shrinking: the violating run's recorded picks, as a ChoicesStrategy vector on the same run seed,
// are minimised greedily (drop chunks, then lower single picks to 0 or 1) while the same property
// stays violated; at most `max_shrink_runs` runs. Cost: one simulation per schedule explored.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/arms.h"
#include "sim/scenario_spec.h"
#include "sim/properties.h"
#include "sim/run_outcome.h"
#include "sim/trace.h"

namespace samplersim {

enum class StrategyKind : std::uint8_t { kRandom, kPct, kExhaustive };

struct StrategyChoice {
  StrategyKind kind = StrategyKind::kRandom;
  int pct_depth = 3;  // pct:D, 1 <= D <= kMaxPctDepth
  std::string to_string() const;
  static constexpr int kMaxPctDepth = 64;
};
// "random", "pct:D" or "exhaustive"; nullopt on anything else.
std::optional<StrategyChoice> parse_strategy(std::string_view text);

struct CheckRequest {
  const ScenarioSpec* spec = nullptr;
  Arm arm;
  std::vector<Property> properties;  // coverage / no-repeats / termination
  StrategyChoice strategy;
  std::optional<int> preemption_bound;  // exhaustive only
  std::uint64_t budget = 1000;          // schedules to explore at most (>= 1)
  std::uint64_t start_seed = 1;
  bool shrink = true;
  std::uint64_t max_shrink_runs = 4000;
  std::function<void(std::uint64_t explored)> progress;  // after each schedule; may be empty
};

struct Counterexample {
  Violation violation{Property::kNoRepeats, {}};
  std::uint64_t run_seed = 0;
  std::uint64_t schedule_index = 0;           // 0-based index of the violating schedule
  std::vector<std::uint32_t> found_picks;     // picks of the violating run as found
  std::vector<std::uint32_t> choices;         // shrunk ChoicesStrategy vector
  std::uint64_t shrink_runs = 0;
  RunOutcome outcome;                         // of the shrunk run
  Trace trace{true};                          // events of the shrunk run
};

struct CheckResult {
  std::uint64_t schedules = 0;   // distinct schedules run (not counting shrinking)
  bool exhausted = false;        // exhaustive only: every schedule (within the bound) was run
  std::optional<Counterexample> counterexample;
};

CheckResult run_check(const CheckRequest& request);

// Re-runs `choices` on `run_seed` with the kept trace (what the shrinker's result is built from).
Counterexample rerun_choices(const CheckRequest& request, std::uint64_t run_seed,
                             const std::vector<std::uint32_t>& choices);

}  // namespace samplersim
