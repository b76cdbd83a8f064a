#include "sim/properties.h"

#include <algorithm>

#include <fmt/format.h>

#include "sim/grid_space.h"
#include "sim/trace.h"
#include "sim/plural.h"

namespace samplersim {

std::string_view to_string(Property p) {
  switch (p) {
    case Property::kCoverage: return "coverage";
    case Property::kNoRepeats: return "no-repeats";
    case Property::kTermination: return "termination";
    case Property::kReplay: return "replay";
    case Property::kNoStaleResults: return "no-stale-results";
  }
  return "?";
}

std::optional<Property> property_from_string(std::string_view name) {
  for (Property p : {Property::kCoverage, Property::kNoRepeats, Property::kTermination, Property::kReplay,
                     Property::kNoStaleResults}) {
    if (to_string(p) == name) return p;
  }
  return std::nullopt;
}

namespace {

std::string name_of(const ScenarioSpec* spec, std::size_t g) {
  const auto c = static_cast<std::int64_t>(g);
  return spec ? format_combination(*spec, c) : fmt::format("combination {}", c);
}

}  // namespace

std::optional<Violation> check_coverage(const RunOutcome& o, const ScenarioSpec* spec) {
  if (o.uncovered == 0) return std::nullopt;
  std::vector<std::int32_t> completes(static_cast<std::size_t>(o.grid_size), 0);
  for (const Evaluation& e : o.evaluation_log) {
    if (e.state == TrialState::kComplete) ++completes[static_cast<std::size_t>(e.combination)];
  }
  for (std::size_t g = 0; g < completes.size(); ++g) {
    if (completes[g] == 0) {
      return Violation{Property::kCoverage,
                       fmt::format("{} has no COMPLETE trial ({} of {} combinations uncovered)",
                                   name_of(spec, g), o.uncovered, o.grid_size)};
    }
  }
  return Violation{Property::kCoverage, plural(o.uncovered, "combination") + " uncovered"};
}

std::optional<Violation> check_no_repeats(const RunOutcome& o, RepeatRule rule, const ScenarioSpec* spec) {
  const bool completes_only = rule != RepeatRule::kNoEvaluationTwice;
  const Property property = rule == RepeatRule::kNoStaleResult ? Property::kNoStaleResults : Property::kNoRepeats;
  std::vector<std::vector<int>> trials(static_cast<std::size_t>(o.grid_size));
  for (const Evaluation& e : o.evaluation_log) {
    if (completes_only && e.state != TrialState::kComplete) continue;
    trials[static_cast<std::size_t>(e.combination)].push_back(e.trial);
  }
  for (std::size_t g = 0; g < trials.size(); ++g) {
    if (trials[g].size() > 1) {
      return Violation{property,
                       fmt::format("{} {} {} times (trials #{})", name_of(spec, g),
                                   completes_only ? "completed" : "evaluated",
                                   trials[g].size(), fmt::join(trials[g], ", #"))};
    }
  }
  if (rule == RepeatRule::kNoStaleResult) {
    // A done combination is never claimed again, so a holding with a larger epoch than a COMPLETE
    // trial's was taken before that trial completed: its lease had been taken over. O(evaluations²):
    // small runs only (checks and tests).
    for (const Evaluation& e : o.evaluation_log) {
      if (e.state != TrialState::kComplete || e.claim_epoch < 0) continue;
      for (const Evaluation& other : o.evaluation_log) {
        if (other.combination != e.combination || other.claim_epoch <= e.claim_epoch) continue;
        return Violation{property,
                         fmt::format("{} completed by trial #{} although trial #{} took its lease over before it "
                                     "completed (claim epoch {} after {}): a stale result",
                                     name_of(spec, static_cast<std::size_t>(e.combination)), e.trial, other.trial,
                                     other.claim_epoch, e.claim_epoch)};
      }
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

std::optional<Violation> check_replay(const RunOutcome& recorded, const RunOutcome& replayed) {
  if (recorded.trace_hash == replayed.trace_hash && recorded.schedule == replayed.schedule) return std::nullopt;
  return Violation{Property::kReplay,
                   fmt::format("replay gave trace hash {} ({} picks), the recording {} ({} picks)",
                               format_hash(replayed.trace_hash), replayed.schedule.size(),
                               format_hash(recorded.trace_hash), recorded.schedule.size())};
}

// Derivation of the bound (fault-free runs):
//  - trials: optimize(n_trials) caps each process at n_trials submissions. Without it, a worker
//    never completes the same grid id twice while some id is unfinished: its own finished ids are
//    excluded from every target list it reads (its state write precedes its next read), and
//    shortcut ids (3.4+) equal unique trial numbers. Only the "all ids" fallback can repeat, and the
//    after_trial of that trial sees every other id finished and stops the worker. So a worker runs
//    at most N + 1 trials.
//  - time: a worker's clock advances only by its own waits: start offset, objective durations,
//    and per store operation request + write-lock queue (at most one pending write per worker)
//    + response. A trial makes at most 10 + 2 * params store operations.
TerminationBounds termination_bounds_for(const ScenarioSpec& spec) {
  const std::int64_t n = spec.combinations();
  const std::int64_t workers = spec.workers();
  std::int64_t per_worker = n + 1;
  std::int64_t total = workers * (n + 1);
  if (spec.n_trials) {
    per_worker = std::min<std::int64_t>(per_worker, *spec.n_trials);
    total = std::min<std::int64_t>(total, static_cast<std::int64_t>(spec.processes) * *spec.n_trials);
  }
  VirtualTime worst_request = spec.request_latency.max_us;
  for (const auto& o : spec.request_latency_by_op) {
    if (o) worst_request = std::max(worst_request, o->max_us);
  }
  const VirtualTime worst_op = worst_request + workers * spec.write_service.max_us + spec.response_latency.max_us;
  const std::int64_t ops_per_trial = 10 + 2 * static_cast<std::int64_t>(spec.grid.size());
  const VirtualTime per_trial = spec.objective_duration.max_us + ops_per_trial * worst_op;
  const VirtualTime latest_start = (spec.processes - 1) * spec.start_stagger_us + spec.start_jitter.max_us;
  return TerminationBounds{total, latest_start + per_worker * per_trial};
}

std::optional<Violation> check_properties(const RunOutcome& o, const ScenarioSpec& spec,
                                          const std::vector<Property>& properties) {
  for (Property p : properties) {
    std::optional<Violation> v;
    switch (p) {
      case Property::kCoverage: v = check_coverage(o, &spec); break;
      case Property::kNoRepeats: v = check_no_repeats(o, RepeatRule::kNoEvaluationTwice, &spec); break;
      case Property::kTermination: v = check_termination(o, termination_bounds_for(spec)); break;
      case Property::kNoStaleResults: v = check_no_repeats(o, RepeatRule::kNoStaleResult, &spec); break;
      case Property::kReplay: break;  // needs a second run: check_replay
    }
    if (v) return v;
  }
  return std::nullopt;
}

std::int64_t combination_of_violation(const RunOutcome& o, const Violation& v) {
  if (v.property == Property::kNoStaleResults) {
    for (const Evaluation& e : o.evaluation_log) {
      if (e.state != TrialState::kComplete || e.claim_epoch < 0) continue;
      for (const Evaluation& other : o.evaluation_log) {
        if (other.combination == e.combination && other.claim_epoch > e.claim_epoch) return e.combination;
      }
    }
  }
  if (v.property == Property::kNoRepeats || v.property == Property::kNoStaleResults) {
    for (std::size_t g = 0; g < o.evaluations.size(); ++g) {
      if (o.evaluations[g] > 1) return static_cast<std::int64_t>(g);
    }
  }
  if (v.property == Property::kCoverage) {
    std::vector<int> completes(static_cast<std::size_t>(o.grid_size), 0);
    for (const Evaluation& e : o.evaluation_log) {
      if (e.state == TrialState::kComplete) ++completes[static_cast<std::size_t>(e.combination)];
    }
    for (std::size_t g = 0; g < completes.size(); ++g) {
      if (completes[g] == 0) return static_cast<std::int64_t>(g);
    }
  }
  return -1;
}

}  // namespace samplersim
