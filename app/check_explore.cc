#include "app/check_explore.h"
#include "sim/invariant.h"

#include <algorithm>
#include <cassert>
#include <charconv>
#include <climits>
#include <cstdint>
#include <exception>
#include <cstring>
#include <map>
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

// A shrinking candidate's violation. A candidate that reaches one of the run's limits (fewer
// processes can take far longer) is no counterexample of the property being shrunk: the shrinker
// keeps what it had, instead of the whole check failing after it found a violation.
std::optional<Violation> candidate_violation(const CheckRequest& req, std::uint64_t run_seed,
                                             const std::vector<std::uint32_t>& choices, const std::vector<int>& omitted) {
  ChoicesStrategy s(choices);
  try {
    return violation_of(req, run_with(req, run_seed, s, nullptr, omitted));
  } catch (const RunLimitReached&) {
    return std::nullopt;
  }
}

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
    const auto v = candidate_violation(req, run_seed, cand, omitted);
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
    const auto v = candidate_violation(req, run_seed, choices, omitted_without(in));
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

// Schedules per rank in round `round` of a shared search: kShareRoundSchedules, doubling each round
// up to 128 times that, so that short runs do not spend their time in the collectives (each costs
// a millisecond or more) while a violation early in the search still ends it after a few runs.
std::uint64_t share_round_schedules(std::uint64_t round) {
  return kShareRoundSchedules << std::min<std::uint64_t>(round, 7);
}

// The first schedule's choice points under default picks: pct's first estimate of the run length.
std::uint64_t probe_estimate(const CheckRequest& req) {
  ChoicesStrategy probe({});
  return std::max<std::uint64_t>(1, run_with(req, run_seed_for_rep(req.start_seed, 0), probe).choice_points);
}

CheckResult explore_seeded(const CheckRequest& req) {
  CheckResult result;
  std::uint64_t estimated_steps = req.strategy.kind == StrategyKind::kPct ? probe_estimate(req) : 1;
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

// A random or pct search shared by the ranks of an MPI job (RankShare in the header).
CheckResult explore_shared(const CheckRequest& req) {
  const RankShare& share = *req.share;
  constexpr std::uint64_t kNone = UINT64_MAX;
  const bool pct_on = req.strategy.kind == StrategyKind::kPct;
  const auto ranks = static_cast<std::uint64_t>(share.ranks);
  CheckResult result;
  std::uint64_t estimated = pct_on ? probe_estimate(req) : 1;  // pct's k, valid from `base` on
  std::uint64_t base = 0;       // every schedule below it ran with the estimate a single process uses
  std::uint64_t best = kNone;   // the smallest violating schedule, once every rank agrees on it
  std::uint64_t counted = 0;    // this rank's runs below the last agreed cut-off
  std::uint64_t explored = 0;   // this rank's runs (progress only)
  bool stopped = false;
  std::exception_ptr error;
  for (std::uint64_t rounds = 0; base < req.budget; ++rounds) {
    SIM_ASSERT(rounds <= req.budget && "each round moves base forward");
    const std::uint64_t end = base + std::min(req.budget - base, share_round_schedules(rounds) * ranks);
    std::uint64_t violation = kNone;  // this rank's first violating schedule in the round
    std::uint64_t overflow = kNone;   // pct: this rank's first schedule longer than the estimate
    std::uint64_t overflow_points = 0;
    std::vector<std::uint64_t> ran;
    for (std::uint64_t i = base + static_cast<std::uint64_t>(share.rank); i < end && !error && !stopped; i += ranks) {
      if (stop_requested(req)) {
        stopped = true;
        break;
      }
      try {
        const std::uint64_t run_seed = run_seed_for_rep(req.start_seed, i);
        RandomStrategy random(run_seed);
        PctStrategy pct(run_seed, req.strategy.pct_depth, estimated);
        const RunOutcome o = run_with(req, run_seed, pct_on ? static_cast<Strategy&>(pct) : random);
        ran.push_back(i);
        ++explored;
        const auto v = violation_of(req, o);
        if (req.on_run) req.on_run(ExploredRun{i, &o, 0, false, v});
        if (req.progress) req.progress(CheckProgress{CheckProgress::Phase::kExploring, explored, 0, 0, 0});
        if (v) {
          violation = i;
          break;
        }
        if (pct_on && o.choice_points > estimated) {
          // A single process runs every later schedule with a larger estimate: what this rank and
          // the others ran past it in this round is void, and the next round starts after it.
          overflow = i;
          overflow_points = o.choice_points;
          break;
        }
      } catch (...) {
        error = std::current_exception();
      }
    }
    // [smallest violation, smallest overflow, 0 when some rank stopped, 0 when some rank failed]
    std::vector<std::uint64_t> round{violation, overflow, stopped ? 0u : 1u, error ? 0u : 1u};
    share.min_all(round);
    // Schedules up to the first overflow ran with the right estimate (those before it kept it).
    const std::uint64_t cutoff = std::min(round[0], round[1]);
    counted += static_cast<std::uint64_t>(
        std::count_if(ran.begin(), ran.end(), [cutoff](std::uint64_t i) { return i <= cutoff; }));
    if (round[0] < round[1]) {
      best = round[0];
      break;
    }
    if (round[2] == 0 || round[3] == 0) break;
    if (round[1] != kNone) {
      std::vector<std::uint64_t> points{overflow == round[1] ? overflow_points : 0u};
      share.sum_all(points);
      SIM_ASSERT(points[0] > estimated);
      estimated = points[0];
      base = round[1] + 1;
    } else {
      base = end;
    }
  }
  std::vector<std::uint64_t> totals{counted, stopped ? 1u : 0u, error ? 1u : 0u};
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
    PctStrategy pct(run_seed, req.strategy.pct_depth, estimated);
    const RunOutcome o = run_with(req, run_seed, pct_on ? static_cast<Strategy&>(pct) : random);
    const auto v = violation_of(req, o);
    SIM_ASSERT(v && "a schedule that violated on its rank violates when re-run");
    result.counterexample = finish(req, run_seed, best, o, *v);
  }
  return result;
}

// The next depth-first prefix after a run with these picks and branching factors that changes a
// pick at a depth in [lo, hi) (and keeps the picks above it), or nullopt when there is none. Over
// [0, picks.size()) it is the next prefix of the whole (bounded) tree, nullopt when it is exhausted.
std::optional<std::vector<std::uint32_t>> next_dfs_prefix(const std::vector<std::uint32_t>& picks,
                                                          const std::vector<std::uint32_t>& branching, int bound,
                                                          std::size_t lo, std::size_t hi) {
  SIM_ASSERT(picks.size() == branching.size() && lo <= hi);
  hi = std::min(hi, picks.size());
  std::vector<int> deviations_before(hi + 1, 0);
  for (std::size_t i = 0; i < hi; ++i) deviations_before[i + 1] = deviations_before[i] + (picks[i] != 0);
  for (std::size_t i = hi; i-- > lo;) {
    if (picks[i] + 1 >= branching[i]) continue;
    if (bound >= 0 && deviations_before[i] + 1 > bound) continue;
    std::vector<std::uint32_t> prefix(picks.begin(), picks.begin() + static_cast<std::ptrdiff_t>(i));
    prefix.push_back(picks[i] + 1);
    return prefix;
  }
  return std::nullopt;
}

std::optional<std::vector<std::uint32_t>> next_dfs_prefix(const std::vector<std::uint32_t>& picks,
                                                          const std::vector<std::uint32_t>& branching, int bound) {
  return next_dfs_prefix(picks, branching, bound, 0, picks.size());
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

// ---- The depth-first search (reduction none) shared by the ranks of an MPI job (RankShare in the
// header). The tree is cut at a split depth d: a subtree is the schedules sharing their first d
// picks (a schedule with fewer choice points is a subtree of its own), the subtrees are numbered in
// depth-first order, and rank r explores subtree s iff s % K == r. Each subtree's schedules are
// contiguous in the single-process order, so rank 0 rebuilds that order from the subtrees' sizes.

// Subtrees per rank the split depth aims at (the first run's branching factors decide it).
constexpr std::uint64_t kSubtreesPerRank = 16;

// The split depth, from the first run's branching factors (taken as the tree's shape): the shallowest
// depth at which the path fans out into kSubtreesPerRank * ranks nodes and below which a subtree
// holds at most budget / (kSubtreesPerRank * ranks) schedules, so that the schedules within the
// budget are spread over the ranks even when the budget is a small corner of the tree.
std::size_t split_depth(const std::vector<std::uint32_t>& branching, std::uint64_t ranks, std::uint64_t budget) {
  const std::uint64_t parts = kSubtreesPerRank * ranks;
  const auto times = [](std::uint64_t a, std::uint32_t b) {  // saturating
    const std::uint64_t f = std::max<std::uint32_t>(1, b);
    return a > UINT64_MAX / f ? UINT64_MAX : a * f;
  };
  std::size_t fan_out = 0;
  for (std::uint64_t nodes = 1; fan_out < branching.size() && nodes < parts;) nodes = times(nodes, branching[fan_out++]);
  // below[d]: the product of branching[d..]
  std::vector<std::uint64_t> below(branching.size() + 1, 1);
  for (std::size_t d = branching.size(); d-- > 0;) below[d] = times(below[d + 1], branching[d]);
  std::size_t small = 0;
  while (small < branching.size() && below[small] > std::max<std::uint64_t>(1, budget / parts)) ++small;
  return std::max(fan_out, small);
}

// What one rank saw of one subtree it owns, in depth-first order.
struct SubtreeWalk {
  std::uint64_t index = 0;                   // among all subtrees, depth-first
  bool complete = false;                     // every schedule of the subtree ran
  std::vector<std::uint64_t> fingerprints;   // one per schedule run
  std::uint64_t violation = UINT64_MAX;      // local index of its first violating schedule
  std::vector<std::uint32_t> violation_picks;
};

void put_word(std::string& out, std::uint64_t v) { out.append(reinterpret_cast<const char*>(&v), sizeof v); }

class WordReader {
 public:
  explicit WordReader(const std::string& bytes) : bytes_(bytes) {}
  bool done() const { return at_ == bytes_.size(); }
  std::uint64_t next() {
    SIM_ASSERT(at_ + sizeof(std::uint64_t) <= bytes_.size());
    std::uint64_t v = 0;
    std::memcpy(&v, bytes_.data() + at_, sizeof v);
    at_ += sizeof v;
    return v;
  }

 private:
  const std::string& bytes_;
  std::size_t at_ = 0;
};

// One rank's walk over the subtrees (see above), advanced one run at a time.
class SharedDfs {
 public:
  static constexpr std::uint64_t kNone = UINT64_MAX;

  explicit SharedDfs(const CheckRequest& req)
      : req_(req),
        ranks_(static_cast<std::uint64_t>(req.share->ranks)),
        rank_(static_cast<std::uint64_t>(req.share->rank)),
        run_seed_(run_seed_for_rep(req.start_seed, 0)),
        bound_(req.preemption_bound.value_or(-1)) {}

  // Whether this rank has schedules left to run below the agreed violation horizon.
  bool active() const {
    if (ended_ || own_runs_ >= req_.budget) return false;
    if (horizon_ == kNone) return true;
    return inner_ ? walk_.index <= horizon_ : subtree_ <= horizon_;
  }

  // One run: the next schedule of the subtree being walked, or the first of the next subtree.
  void advance() {
    SIM_ASSERT(active());
    if (inner_) {
      run_owned(*inner_);
      return;
    }
    if (!top_) {
      ended_ = true;
      return;
    }
    std::vector<std::uint32_t> prefix = std::move(*top_);
    const std::uint64_t s = subtree_++;
    const bool mine = s % ranks_ == rank_;
    if (!mine && depth_ != kNone && prefix.size() == depth_ && known_.size() >= depth_) {
      // A sibling at the split depth: the branching above it is the previous subtree's.
      top_ = next_dfs_prefix(prefix, std::vector<std::uint32_t>(known_.begin(), known_.begin() + static_cast<std::ptrdiff_t>(depth_)),
                             bound_, 0, depth_);
      if (!top_) total_subtrees_ = subtree_;
      return;
    }
    if (mine) {
      walk_ = SubtreeWalk{};
      walk_.index = s;
      run_owned(prefix);
    } else {
      PrefixStrategy dfs(prefix);
      const RunOutcome o = run_with(req_, run_seed_, dfs);
      learn_top(o.schedule, dfs.branching());
    }
  }

  // A later subtree need not run: a violation in subtree `s` ends the single-process search there.
  void set_horizon(std::uint64_t s) {
    if (req_.stop_at_violation) horizon_ = std::min(horizon_, s);
  }
  // Nothing after the schedules run so far in subtree `s` need run: the rest is past the budget.
  void cut_after(std::uint64_t s) {
    horizon_ = std::min(horizon_, s);
    if (inner_ && walk_.index == s) close_walk(false);
    if (inner_ && walk_.index > s) close_walk(false);
  }
  // The first subtree this rank owns and has not completed (kNone: none is left).
  std::uint64_t first_open_subtree() const {
    if (inner_) return walk_.index;
    for (const SubtreeWalk& w : walks_) {
      if (!w.complete) return w.index;
    }
    if (ended_) return kNone;
    const std::uint64_t next = subtree_ + (rank_ + ranks_ - subtree_ % ranks_) % ranks_;
    return total_subtrees_ != kNone && next >= total_subtrees_ ? kNone : next;
  }
  // Schedules this rank ran in subtrees up to `s` (complete below it, any at it).
  std::uint64_t schedules_up_to(std::uint64_t s) const {
    std::uint64_t n = inner_ && walk_.index == s ? walk_.fingerprints.size() : 0;
    for (const SubtreeWalk& w : walks_) {
      if (w.index <= s) n += w.fingerprints.size();
    }
    return n;
  }
  std::uint64_t own_violation_subtree() const { return own_violation_; }
  std::uint64_t runs() const { return runs_; }

  // This rank's subtrees as words: [total subtrees or kNone, walks, then per walk: index, complete,
  // schedules, violation, picks, picks..., fingerprints...].
  std::string serialize() {
    if (inner_) close_walk(false);
    std::string out;
    put_word(out, total_subtrees_);
    put_word(out, walks_.size());
    for (const SubtreeWalk& w : walks_) {
      put_word(out, w.index);
      put_word(out, w.complete ? 1 : 0);
      put_word(out, w.fingerprints.size());
      put_word(out, w.violation);
      put_word(out, w.violation_picks.size());
      for (std::uint32_t p : w.violation_picks) put_word(out, p);
      for (std::uint64_t f : w.fingerprints) put_word(out, f);
    }
    return out;
  }

 private:
  void run_owned(const std::vector<std::uint32_t>& prefix) {
    PrefixStrategy dfs(prefix);
    ClassFingerprint fingerprint(nullptr);
    Trace trace(false);
    trace.set_observer(&fingerprint);
    const RunOutcome o = run_with(req_, run_seed_, dfs, &trace);
    ++own_runs_;
    ++runs_;
    const bool first_of_subtree = walk_.fingerprints.empty();
    walk_.fingerprints.push_back(fingerprint.value());
    const auto v = violation_of(req_, o);
    if (req_.on_run) req_.on_run(ExploredRun{kNone, &o, fingerprint.value(), false, v});
    if (req_.progress) req_.progress(CheckProgress{CheckProgress::Phase::kExploring, runs_, 0, 0, 0});
    if (first_of_subtree) learn_top(o.schedule, dfs.branching());
    if (v && walk_.violation == kNone) {
      walk_.violation = walk_.fingerprints.size() - 1;
      walk_.violation_picks = o.schedule;
      own_violation_ = std::min(own_violation_, walk_.index);
      if (req_.stop_at_violation) {
        close_walk(false);
        return;
      }
    }
    inner_ = next_dfs_prefix(o.schedule, dfs.branching(), bound_, static_cast<std::size_t>(depth_), o.schedule.size());
    if (!inner_) {
      close_walk(true);
    } else if (own_runs_ >= req_.budget) {
      close_walk(false);
    }
  }

  void close_walk(bool complete) {
    walk_.complete = complete;
    walks_.push_back(std::move(walk_));
    walk_ = SubtreeWalk{};
    inner_.reset();
  }

  // The first schedule of a subtree: fixes the split depth (first run) and the next subtree.
  void learn_top(const std::vector<std::uint32_t>& picks, const std::vector<std::uint32_t>& branching) {
    if (depth_ == kNone) depth_ = split_depth(branching, ranks_, req_.budget);
    known_ = branching;
    top_ = next_dfs_prefix(picks, branching, bound_, 0, static_cast<std::size_t>(depth_));
    if (!top_) total_subtrees_ = subtree_;  // the subtree just entered is the last
  }

  const CheckRequest& req_;
  const std::uint64_t ranks_;
  const std::uint64_t rank_;
  const std::uint64_t run_seed_;
  const int bound_;
  std::uint64_t depth_ = kNone;
  std::optional<std::vector<std::uint32_t>> top_ = std::vector<std::uint32_t>{};  // next subtree's prefix
  std::vector<std::uint32_t> known_;   // branching along the last subtree's first run
  std::uint64_t subtree_ = 0;          // index of the next subtree to enter
  std::optional<std::vector<std::uint32_t>> inner_;  // next prefix inside the owned subtree
  SubtreeWalk walk_;
  std::vector<SubtreeWalk> walks_;
  std::uint64_t own_runs_ = 0;
  std::uint64_t runs_ = 0;
  bool ended_ = false;
  std::uint64_t total_subtrees_ = kNone;
  std::uint64_t horizon_ = kNone;
  std::uint64_t own_violation_ = kNone;
};

// Rank 0's merge: the single-process order rebuilt from every rank's walks.
struct MergedDfs {
  std::uint64_t schedules = 0;
  std::uint64_t classes = 0;
  bool exhausted = false;
  std::uint64_t violation_index = SharedDfs::kNone;
  std::vector<std::uint32_t> violation_picks;
};

MergedDfs merge_walks(const CheckRequest& req, const std::string& gathered, bool stopped) {
  constexpr std::uint64_t kNone = SharedDfs::kNone;
  std::map<std::uint64_t, SubtreeWalk> walks;
  std::uint64_t total = kNone;
  WordReader in(gathered);
  while (!in.done()) {
    total = std::min(total, in.next());
    for (std::uint64_t n = in.next(); n > 0; --n) {
      SubtreeWalk w;
      w.index = in.next();
      w.complete = in.next() != 0;
      const std::uint64_t schedules = in.next();
      w.violation = in.next();
      w.violation_picks.resize(in.next());
      for (std::uint32_t& p : w.violation_picks) p = static_cast<std::uint32_t>(in.next());
      w.fingerprints.resize(schedules);
      for (std::uint64_t& f : w.fingerprints) f = in.next();
      walks.emplace(w.index, std::move(w));
    }
  }
  MergedDfs m;
  std::set<std::uint64_t> fingerprints;
  if (stopped) {
    // The time limit ended some walk midway: count what every rank ran, report the earliest violation.
    for (const auto& [index, w] : walks) {
      if (w.violation != kNone && m.violation_index == kNone) {
        m.violation_index = m.schedules + w.violation;
        m.violation_picks = w.violation_picks;
      }
      m.schedules += w.fingerprints.size();
      fingerprints.insert(w.fingerprints.begin(), w.fingerprints.end());
    }
    m.classes = fingerprints.size();
    return m;
  }
  for (std::uint64_t s = 0;; ++s) {
    const auto it = walks.find(s);
    if (it == walks.end()) {
      // Only past the budget, past the violation, or past the last subtree.
      SIM_ASSERT((m.schedules >= req.budget || m.violation_index != kNone || s == total) && "a subtree before the end was not walked");
      break;
    }
    const SubtreeWalk& w = it->second;
    bool done = false;
    for (std::uint64_t j = 0; j < w.fingerprints.size() && !done; ++j) {
      if (m.schedules >= req.budget) {
        done = true;
        break;
      }
      ++m.schedules;
      fingerprints.insert(w.fingerprints[j]);
      if (j == w.violation && m.violation_index == kNone) {
        m.violation_index = m.schedules - 1;
        m.violation_picks = w.violation_picks;
        if (req.stop_at_violation) done = true;
      }
      if (!done && w.complete && j + 1 == w.fingerprints.size() && s + 1 == total) {
        m.exhausted = true;
        done = true;
      }
    }
    if (done) break;
    SIM_ASSERT((w.complete || m.schedules >= req.budget) && "a walk cut short before the budget");
    if (!w.complete) break;
  }
  m.classes = fingerprints.size();
  return m;
}

CheckResult explore_exhaustive_shared(const CheckRequest& req) {
  SIM_ASSERT(req.reduction == Reduction::kNone && "source-DPOR is one sequential walk");
  const RankShare& share = *req.share;
  constexpr std::uint64_t kNone = SharedDfs::kNone;
  SharedDfs dfs(req);
  bool stopped = false;
  std::exception_ptr error;
  for (std::uint64_t rounds = 0;; ++rounds) {
    for (std::uint64_t n = 0; n < share_round_schedules(rounds) && dfs.active() && !error && !stopped; ++n) {
      if (stop_requested(req)) {
        stopped = true;
        break;
      }
      try {
        dfs.advance();
      } catch (...) {
        error = std::current_exception();
      }
    }
    const bool active = dfs.active() && !error && !stopped;
    // [smallest subtree with a violation, 0 while some rank is active, 0 when some rank stopped or
    // failed, the first subtree some rank has not completed]
    std::vector<std::uint64_t> round{dfs.own_violation_subtree(), active ? 0u : 1u, stopped || error ? 0u : 1u,
                                     dfs.first_open_subtree()};
    share.min_all(round);
    if (round[0] != kNone) dfs.set_horizon(round[0]);
    if (round[1] != 0 || round[2] == 0) break;
    // Every subtree below the first open one is complete, so the schedules run up to it are a prefix
    // of the single-process order: once they hold the budget, the rest is past it.
    std::vector<std::uint64_t> prefix{round[3] == kNone ? 0u : dfs.schedules_up_to(round[3])};
    share.sum_all(prefix);
    if (round[3] != kNone && prefix[0] >= req.budget) dfs.cut_after(round[3]);
  }
  std::vector<std::uint64_t> totals{stopped ? 1u : 0u, error ? 1u : 0u};
  share.sum_all(totals);
  if (error) std::rethrow_exception(error);
  CheckResult result;
  if (totals[1] != 0) return result;  // another rank failed: it reports the error
  const std::string gathered = share.gather_to_root(error ? std::string() : dfs.serialize());
  // Rank 0 merges and tells every rank: [violated, schedules, classes, exhausted, stopped].
  std::vector<std::uint64_t> verdict(5, 0);
  MergedDfs merged;
  if (share.rank == 0) {
    merged = merge_walks(req, gathered, totals[0] != 0);
    verdict = {merged.violation_index != kNone ? 1u : 0u, merged.schedules, merged.classes, merged.exhausted ? 1u : 0u,
               totals[0] != 0 ? 1u : 0u};
  }
  share.sum_all(verdict);
  result.violated = verdict[0] != 0;
  result.schedules = verdict[1];
  result.classes = verdict[2];
  result.exhausted = verdict[3] != 0;
  result.stopped = verdict[4] != 0;
  if (share.rank == 0 && result.violated) {
    const std::uint64_t run_seed = run_seed_for_rep(req.start_seed, 0);
    PrefixStrategy again(merged.violation_picks);
    const RunOutcome o = run_with(req, run_seed, again);
    const auto v = violation_of(req, o);
    SIM_ASSERT(v && "a schedule that violated on its rank violates when re-run");
    result.counterexample = finish(req, run_seed, merged.violation_index, o, *v);
  }
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
    SIM_ASSERT(req.share->ranks >= 1);
    return req.strategy.kind == StrategyKind::kExhaustive ? explore_exhaustive_shared(req) : explore_shared(req);
  }
  CheckResult result =
      req.strategy.kind == StrategyKind::kExhaustive ? explore_exhaustive(req) : explore_seeded(req);
  result.violated = result.counterexample.has_value();
  return result;
}

}  // namespace samplersim
