#include "app/check_explore.h"
#include "sim/invariant.h"

#include <algorithm>
#include <cassert>
#include <charconv>
#include <climits>
#include <cstdint>
#include <exception>
#include <set>

#include <fmt/format.h>

#include "app/dpor.h"
#include "sim/random_stream.h"
#include "sim/simulation.h"
#include "sim/strategy.h"
#include "sim/strategy_pct.h"

namespace samplersim {

std::string StrategyChoice::to_string() const {
  switch (kind) {
    case StrategyKind::kRandom: return "random";
    case StrategyKind::kPct: return fmt::format("pct:{}", pct_depth);
    case StrategyKind::kExhaustive: return "exhaustive";
  }
  return "?";
}

std::optional<StrategyChoice> parse_strategy(std::string_view text) {
  if (text == "random") return StrategyChoice{StrategyKind::kRandom, 3};
  if (text == "exhaustive") return StrategyChoice{StrategyKind::kExhaustive, 3};
  if (text.substr(0, 4) != "pct:" || text.size() == 4) return std::nullopt;
  int depth = 0;
  const std::string_view digits = text.substr(4);
  const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), depth);
  if (ec != std::errc{} || end != digits.data() + digits.size()) return std::nullopt;
  if (depth < 1 || depth > StrategyChoice::kMaxPctDepth) return std::nullopt;
  return StrategyChoice{StrategyKind::kPct, depth};
}

namespace {

// Follows a prefix of picks, then picks 0; records the branching factor of every choice point.
class PrefixStrategy final : public Strategy {
 public:
  explicit PrefixStrategy(const std::vector<std::uint32_t>& prefix) : prefix_(prefix) {}
  std::size_t pick(const ChoicePoint& cp) override {
    branching_.push_back(static_cast<std::uint32_t>(cp.runnable.size()));
    const std::size_t i = static_cast<std::size_t>(cp.index);
    if (i >= prefix_.size()) return 0;
    if (prefix_[i] >= cp.runnable.size()) {
      throw ReplayDivergence(fmt::format("exhaustive: pick {} at choice point {} has only {} runnable",
                                         prefix_[i], i, cp.runnable.size()));
    }
    return prefix_[i];
  }
  std::string name() const override { return "exhaustive"; }
  const std::vector<std::uint32_t>& branching() const { return branching_; }

 private:
  const std::vector<std::uint32_t>& prefix_;
  std::vector<std::uint32_t> branching_;
};

RunOutcome run_with(const CheckRequest& req, std::uint64_t run_seed, Strategy& strategy, Trace* trace = nullptr,
                    const std::vector<int>& omitted_processes = {}) {
  return simulate_without(RunRequest{req.spec, req.arm.policy, req.arm.seed_policy, run_seed, &strategy},
                          omitted_processes, trace);
}

std::optional<Violation> violation_of(const CheckRequest& req, const RunOutcome& o) {
  return check_properties(o, *req.spec, req.properties);
}

bool stop_requested(const CheckRequest& req) { return req.should_stop && req.should_stop(); }

// Greedy minimisation of a choice vector on a fixed run seed (see the header).
std::vector<std::uint32_t> shrink_choices(const CheckRequest& req, std::uint64_t run_seed, Property property,
                                          const std::vector<int>& omitted, std::vector<std::uint32_t> c,
                                          std::uint64_t& runs, bool& cut_short) {
  auto out_of_runs = [&] {
    if (runs >= req.max_shrink_runs || stop_requested(req)) cut_short = true;
    return cut_short;
  };
  auto still_fails = [&](const std::vector<std::uint32_t>& cand) {
    if (out_of_runs()) return false;
    ++runs;
    ChoicesStrategy s(cand);
    const auto v = violation_of(req, run_with(req, run_seed, s, nullptr, omitted));
    if (req.progress) req.progress(CheckProgress{CheckProgress::Phase::kShrinking, 0, 0, runs, c.size()});
    return v && v->property == property;
  };
  // Trailing zeros are the default pick: dropping them never changes the run.
  auto trim = [](std::vector<std::uint32_t>& v) {
    while (!v.empty() && v.back() == 0) v.pop_back();
  };
  trim(c);
  for (bool changed = true; changed && !out_of_runs();) {
    changed = false;
    for (std::size_t chunk = std::max<std::size_t>(c.size() / 2, 1); chunk >= 1 && !c.empty(); chunk /= 2) {
      for (std::size_t start = 0; start < c.size();) {
        std::vector<std::uint32_t> cand(c.begin(), c.begin() + static_cast<std::ptrdiff_t>(start));
        cand.insert(cand.end(), c.begin() + static_cast<std::ptrdiff_t>(std::min(start + chunk, c.size())), c.end());
        trim(cand);
        if (still_fails(cand)) {
          c = std::move(cand);
          changed = true;
        } else {
          start += chunk;
        }
      }
      if (chunk == 1) break;
    }
    for (std::size_t i = 0; i < c.size(); ++i) {
      for (std::uint32_t lower : {0u, 1u}) {
        if (c[i] <= lower) continue;
        std::vector<std::uint32_t> cand = c;
        cand[i] = lower;
        trim(cand);
        if (still_fails(cand)) {
          c = std::move(cand);
          changed = true;
          break;
        }
      }
    }
  }
  return c;
}

// Greedy removal of whole processes (chunks of the processes still in, halving down to one at a
// time) while the same property stays violated under `choices`; at least one process stays.
// Returns the omitted processes, ascending.
std::vector<int> shrink_processes(const CheckRequest& req, std::uint64_t run_seed, Property property,
                                  const std::vector<std::uint32_t>& choices, std::uint64_t& runs, bool& cut_short) {
  std::vector<int> kept(static_cast<std::size_t>(req.spec->processes));
  for (int p = 0; p < req.spec->processes; ++p) kept[static_cast<std::size_t>(p)] = p;
  auto omitted_without = [&](const std::vector<int>& in) {
    std::vector<int> omitted;
    for (int p = 0; p < req.spec->processes; ++p) {
      if (!std::binary_search(in.begin(), in.end(), p)) omitted.push_back(p);
    }
    return omitted;
  };
  auto still_fails = [&](const std::vector<int>& in) {
    if (runs >= req.max_shrink_runs || stop_requested(req)) cut_short = true;
    if (cut_short) return false;
    ++runs;
    ChoicesStrategy s(choices);
    const auto v = violation_of(req, run_with(req, run_seed, s, nullptr, omitted_without(in)));
    if (req.progress) req.progress(CheckProgress{CheckProgress::Phase::kShrinking, 0, 0, runs, choices.size()});
    return v && v->property == property;
  };
  for (std::size_t chunk = std::max<std::size_t>(kept.size() / 2, 1); kept.size() > 1 && !cut_short; chunk /= 2) {
    for (std::size_t start = 0; start < kept.size() && kept.size() > 1 && !cut_short;) {
      const std::size_t end = std::min(start + chunk, kept.size());
      if (end - start == kept.size()) break;  // never drop every process
      std::vector<int> cand(kept.begin(), kept.begin() + static_cast<std::ptrdiff_t>(start));
      cand.insert(cand.end(), kept.begin() + static_cast<std::ptrdiff_t>(end), kept.end());
      if (still_fails(cand)) {
        kept = std::move(cand);
      } else {
        start = end;
      }
    }
    if (chunk == 1) break;
  }
  return omitted_without(kept);
}

Counterexample finish(const CheckRequest& req, std::uint64_t run_seed, std::uint64_t index,
                      const RunOutcome& found, const Violation& v) {
  if (req.on_found) {
    Counterexample as_found = rerun_choices(req, run_seed, found.schedule);
    as_found.schedule_index = index;
    as_found.found_picks = found.schedule;
    as_found.shrink_cut_short = true;
    if (!violation_of(req, as_found.outcome)) as_found.violation = v;
    req.on_found(as_found);
  }
  std::uint64_t runs = 0;
  bool cut_short = false;
  std::vector<std::uint32_t> choices = found.schedule;
  std::vector<int> omitted;
  if (req.shrink) {
    // A repeat among fewer processes is still a repeat; a missed combination is not (fewer
    // processes have fewer trials to give under n_trials, and fewer to survive crashes).
    // A policy with its own worker driver (a real library, real/) runs every process it started.
    if ((v.property == Property::kNoRepeats || v.property == Property::kNoStaleResults) &&
        !req.arm.policy->make_driver) {
      omitted = shrink_processes(req, run_seed, v.property, choices, runs, cut_short);
    }
    choices = shrink_choices(req, run_seed, v.property, omitted, choices, runs, cut_short);
  }
  Counterexample cex = rerun_choices(req, run_seed, choices, omitted);
  cex.schedule_index = index;
  cex.found_picks = found.schedule;
  cex.shrink_runs = runs;
  cex.shrink_cut_short = cut_short;
  // The shrinker only accepts vectors that keep the violation; without shrinking the run repeats.
  if (!violation_of(req, cex.outcome)) cex.violation = v;
  return cex;
}

// The first violation of an exploration that goes on past it (stop_at_violation = false).
struct FirstViolation {
  std::uint64_t index = 0;
  RunOutcome outcome;
  Violation violation{Property::kNoRepeats, {}};
};

CheckResult explore_seeded(const CheckRequest& req) {
  CheckResult result;
  std::uint64_t estimated_steps = 1;
  if (req.strategy.kind == StrategyKind::kPct) {
    ChoicesStrategy probe({});
    estimated_steps = std::max<std::uint64_t>(1, run_with(req, run_seed_for_rep(req.start_seed, 0), probe).choice_points);
  }
  for (std::uint64_t i = 0; i < req.budget; ++i) {
    if (stop_requested(req)) {
      result.stopped = true;
      return result;
    }
    const std::uint64_t run_seed = run_seed_for_rep(req.start_seed, i);
    RandomStrategy random(run_seed);
    PctStrategy pct(run_seed, req.strategy.pct_depth, estimated_steps);
    Strategy& s = req.strategy.kind == StrategyKind::kPct ? static_cast<Strategy&>(pct) : random;
    const RunOutcome o = run_with(req, run_seed, s);
    ++result.schedules;
    if (req.progress) req.progress(CheckProgress{CheckProgress::Phase::kExploring, result.schedules, 0, 0, 0});
    estimated_steps = std::max<std::uint64_t>(estimated_steps, o.choice_points);
    const auto v = violation_of(req, o);
    if (req.on_run) req.on_run(ExploredRun{i, &o, 0, false, v});
    if (v) {
      result.counterexample = finish(req, run_seed, i, o, *v);
      return result;
    }
  }
  return result;
}

// A random search shared by the ranks of an MPI job (RankShare in the header).
CheckResult explore_shared(const CheckRequest& req) {
  const RankShare& share = *req.share;
  constexpr std::uint64_t kNone = UINT64_MAX;
  CheckResult result;
  std::uint64_t best = kNone;      // the smallest violating schedule any rank has reported
  std::uint64_t mine = kNone;      // this rank's first violating schedule
  std::uint64_t explored = 0;
  bool stopped = false;
  std::exception_ptr error;
  std::uint64_t next = static_cast<std::uint64_t>(share.rank);
  const std::uint64_t step = static_cast<std::uint64_t>(share.ranks);
  const auto active = [&] { return !error && !stopped && mine == kNone && next < req.budget && next < best; };
  for (;;) {
    for (std::uint64_t n = 0; n < kShareRoundSchedules && active(); ++n) {
      if (stop_requested(req)) {
        stopped = true;
        break;
      }
      try {
        const std::uint64_t run_seed = run_seed_for_rep(req.start_seed, next);
        RandomStrategy random(run_seed);
        const RunOutcome o = run_with(req, run_seed, random);
        ++explored;
        const auto v = violation_of(req, o);
        if (req.on_run) req.on_run(ExploredRun{next, &o, 0, false, v});
        if (v) mine = next;
      } catch (...) {
        error = std::current_exception();
      }
      if (req.progress) req.progress(CheckProgress{CheckProgress::Phase::kExploring, explored, 0, 0, 0});
      next += step;
    }
    // [smallest violation, 0 while some rank is still active, 0 when some rank failed]
    std::vector<std::uint64_t> round{mine, active() ? 0u : 1u, error ? 0u : 1u};
    share.min_all(round);
    best = round[0];
    if (round[1] != 0 || round[2] == 0) break;
  }
  std::vector<std::uint64_t> totals{explored, stopped ? 1u : 0u, error ? 1u : 0u};
  share.sum_all(totals);
  if (error) std::rethrow_exception(error);
  if (totals[2] != 0) return result;  // another rank failed: it reports the error
  result.violated = best != kNone;
  if (!result.violated) {
    result.schedules = totals[0];
    result.stopped = totals[1] != 0;
    return result;
  }
  result.schedules = best + 1;  // as a single process counts: every schedule up to the violation
  if (share.rank == 0) {
    const std::uint64_t run_seed = run_seed_for_rep(req.start_seed, best);
    RandomStrategy random(run_seed);
    const RunOutcome o = run_with(req, run_seed, random);
    const auto v = violation_of(req, o);
    SIM_ASSERT(v && "a schedule that violated on its rank violates when re-run");
    result.counterexample = finish(req, run_seed, best, o, *v);
  }
  return result;
}

// The next depth-first prefix after a run with these picks and branching factors, or nullopt when
// the (bounded) tree is exhausted.
std::optional<std::vector<std::uint32_t>> next_dfs_prefix(const std::vector<std::uint32_t>& picks,
                                                          const std::vector<std::uint32_t>& branching, int bound) {
  SIM_ASSERT(picks.size() == branching.size());
  std::vector<int> deviations_before(picks.size() + 1, 0);
  for (std::size_t i = 0; i < picks.size(); ++i) deviations_before[i + 1] = deviations_before[i] + (picks[i] != 0);
  for (std::size_t i = picks.size(); i-- > 0;) {
    if (picks[i] + 1 >= branching[i]) continue;
    if (bound >= 0 && deviations_before[i] + 1 > bound) continue;
    std::vector<std::uint32_t> prefix(picks.begin(), picks.begin() + static_cast<std::ptrdiff_t>(i));
    prefix.push_back(picks[i] + 1);
    return prefix;
  }
  return std::nullopt;
}

// Exhaustive search with either reduction; see the header.
CheckResult explore_exhaustive(const CheckRequest& req) {
  SIM_ASSERT(!(req.preemption_bound && req.reduction != Reduction::kNone) &&
             "a preemption bound applies to the full depth-first search only");
  CheckResult result;
  const std::uint64_t run_seed = run_seed_for_rep(req.start_seed, 0);
  const bool dpor_on = req.reduction == Reduction::kSourceDpor;
  SourceDpor dpor(req.spec->threads);
  std::vector<std::uint32_t> prefix;
  std::set<std::uint64_t> fingerprints;
  std::optional<FirstViolation> first;
  const int bound = req.preemption_bound.value_or(-1);
  while (result.schedules < req.budget) {
    if (stop_requested(req)) {
      result.stopped = true;
      break;
    }
    PrefixStrategy dfs(prefix);
    ClassFingerprint fingerprint(dpor_on ? &dpor.observer() : nullptr);
    Trace trace(false);
    trace.set_observer(&fingerprint);
    const RunOutcome o = run_with(req, run_seed, dpor_on ? dpor.strategy() : static_cast<Strategy&>(dfs), &trace);
    const std::uint64_t index = result.schedules++;
    std::optional<std::vector<std::uint32_t>> next;
    bool blocked = false;
    if (dpor_on) {
      const bool more = dpor.finish_run();
      blocked = dpor.last_run_blocked();
      result.classes = dpor.classes();
      result.sleep_blocked = dpor.blocked_runs();
      if (more) next.emplace();
    } else {
      fingerprints.insert(fingerprint.value());
      result.classes = fingerprints.size();
      next = next_dfs_prefix(o.schedule, dfs.branching(), bound);
    }
    if (req.progress) {
      req.progress(CheckProgress{CheckProgress::Phase::kExploring, result.schedules, result.classes, 0, 0});
    }
    const auto v = violation_of(req, o);
    if (req.on_run) req.on_run(ExploredRun{index, &o, fingerprint.value(), blocked, v});
    if (v && !first) {
      first = FirstViolation{index, o, *v};
      if (req.stop_at_violation) break;
    }
    if (!next) {
      result.exhausted = true;
      break;
    }
    if (!dpor_on) prefix = std::move(*next);
  }
  if (first) result.counterexample = finish(req, run_seed, first->index, first->outcome, first->violation);
  return result;
}

}  // namespace

Counterexample rerun_choices(const CheckRequest& req, std::uint64_t run_seed, const std::vector<std::uint32_t>& choices,
                             const std::vector<int>& omitted_processes) {
  Counterexample cex;
  cex.run_seed = run_seed;
  cex.choices = choices;
  cex.omitted_processes = omitted_processes;
  ChoicesStrategy s(choices);
  cex.outcome = run_with(req, run_seed, s, &cex.trace, omitted_processes);
  if (auto v = violation_of(req, cex.outcome)) cex.violation = *v;
  return cex;
}

std::string_view to_string(Reduction r) {
  switch (r) {
    case Reduction::kNone: return "none";
    case Reduction::kSourceDpor: return "source-dpor";
  }
  return "?";
}

std::optional<Reduction> parse_reduction(std::string_view text) {
  if (text == "none") return Reduction::kNone;
  if (text == "source-dpor") return Reduction::kSourceDpor;
  return std::nullopt;
}

CheckResult run_check(const CheckRequest& req) {
  SIM_ASSERT(req.spec && req.arm.policy && req.budget >= 1);
  if (req.share) {
    SIM_ASSERT(req.strategy.kind == StrategyKind::kRandom && req.share->ranks >= 1 && "only random search is shared");
    return explore_shared(req);
  }
  CheckResult result =
      req.strategy.kind == StrategyKind::kExhaustive ? explore_exhaustive(req) : explore_seeded(req);
  result.violated = result.counterexample.has_value();
  return result;
}

}  // namespace samplersim
