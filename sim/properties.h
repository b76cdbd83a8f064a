// Properties of one run, as reusable checkers over a RunOutcome (and, for replay, a re-run).
//
// coverage       every combination has a COMPLETE trial when all workers have stopped
// no-repeats     no combination is evaluated twice; with crashes allowed (`kAtMostOneComplete`),
//                no combination COMPLETEs twice; under stalls and skew (`kNoStaleResult`), also no
//                COMPLETE from a holder whose lease was taken over while it evaluated
// no-stale-results  at most one COMPLETE per combination, none from a holder whose lease was taken
//                over before it completed (RepeatRule::kNoStaleResult)
// termination    every worker stopped within the stated bounds of trials and virtual time
// replay         re-running the recorded schedule reproduces the trace hash (check_replay)
// A checker returns nullopt when the property holds, else a one-line description of the violation
// naming the combination or bound. Pure functions of the outcome; O(grid size + trials).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sim/scenario_spec.h"
#include "sim/run_outcome.h"

namespace samplersim {

// kNoStaleResults is no-repeats under RepeatRule::kNoStaleResult (the guarantee a fenced lease
// gives under stalls and clock skew: one result per combination, never from a taken-over holder,
// duplicate work allowed); no-repeats implies it, so `all` does not list it.
enum class Property : std::uint8_t {
  kCoverage = 0,
  kNoRepeats = 1,
  kTermination = 2,
  kReplay = 3,
  kNoStaleResults = 4,
};
std::string_view to_string(Property p);
std::optional<Property> property_from_string(std::string_view name);

enum class RepeatRule : std::uint8_t {
  kNoEvaluationTwice = 0,  // fault-free: evaluations(g) <= 1
  kAtMostOneComplete = 1,  // under crashes/failures: completes(g) <= 1
  // under stalls and clock skew: completes(g) <= 1, and no COMPLETE evaluation of g has a claim
  // epoch smaller than another evaluation of g (Evaluation::claim_epoch; a done combination is
  // never claimed again, so the later holding took the lease over before the COMPLETE trial
  // completed: its result is stale). Evaluating g twice is allowed (duplicate work). Policies
  // that claim nothing (epoch -1) have no lease to lose: only completes(g) <= 1 applies to them.
  kNoStaleResult = 2,
};

struct TerminationBounds {
  std::int64_t max_trials = 0;            // study trials at the end must be <= this
  VirtualTime max_makespan_us = 0;        // last worker stop must be <= this
};

struct Violation {
  Property property;
  std::string detail;  // one line, e.g. "combination {x=1} evaluated 2 times (trials #0, #2)"
};

// With `spec`, the combination is named by its values ("{x=0, y='a'}", sim/grid_space.h), else
// by its canonical id ("combination 2").
std::optional<Violation> check_coverage(const RunOutcome& o, const ScenarioSpec* spec = nullptr);
std::optional<Violation> check_no_repeats(const RunOutcome& o, RepeatRule rule, const ScenarioSpec* spec = nullptr);
std::optional<Violation> check_termination(const RunOutcome& o, const TerminationBounds& bounds);
// The replayed run must have the recorded trace hash and use every recorded pick.
std::optional<Violation> check_replay(const RunOutcome& recorded, const RunOutcome& replayed);

// The termination bound samplersim states for a fault-free scenario (derivation in the .cc):
// trials <= min(processes * n_trials, workers * (grid size + 1)), and makespan <= latest start +
// (per-worker trial bound) * (objective max + store ops per trial * worst op time).
TerminationBounds termination_bounds_for(const ScenarioSpec& spec);

// Checks `properties` (coverage, no-repeats, termination; replay is checked by re-running) in that
// order and returns the first violation.
std::optional<Violation> check_properties(const RunOutcome& o, const ScenarioSpec& spec,
                                          const std::vector<Property>& properties);

// The combination a violation is about (repeated or never covered), or -1 (termination).
std::int64_t combination_of_violation(const RunOutcome& o, const Violation& v);

}  // namespace samplersim
