#include "app/check_explore.h"
#include "sim/invariant.h"

#include <algorithm>
#include <cassert>
#include <charconv>

#include <fmt/format.h>

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

RunOutcome run_with(const CheckRequest& req, std::uint64_t run_seed, Strategy& strategy, Trace* trace = nullptr) {
  return simulate(RunRequest{req.spec, req.arm.policy, req.arm.seed_policy, run_seed, &strategy}, trace);
}

std::optional<Violation> violation_of(const CheckRequest& req, const RunOutcome& o) {
  return check_properties(o, *req.spec, req.properties);
}

// Greedy minimisation of a choice vector on a fixed run seed (see the header).
std::vector<std::uint32_t> shrink_choices(const CheckRequest& req, std::uint64_t run_seed, Property property,
                                          std::vector<std::uint32_t> c, std::uint64_t& runs) {
  auto still_fails = [&](const std::vector<std::uint32_t>& cand) {
    if (runs >= req.max_shrink_runs) return false;
    ++runs;
    ChoicesStrategy s(cand);
    const auto v = violation_of(req, run_with(req, run_seed, s));
    return v && v->property == property;
  };
  // Trailing zeros are the default pick: dropping them never changes the run.
  auto trim = [](std::vector<std::uint32_t>& v) {
    while (!v.empty() && v.back() == 0) v.pop_back();
  };
  trim(c);
  for (bool changed = true; changed && runs < req.max_shrink_runs;) {
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

Counterexample finish(const CheckRequest& req, std::uint64_t run_seed, std::uint64_t index,
                      const RunOutcome& found, const Violation& v) {
  std::uint64_t runs = 0;
  std::vector<std::uint32_t> choices = found.schedule;
  if (req.shrink) choices = shrink_choices(req, run_seed, v.property, choices, runs);
  Counterexample cex = rerun_choices(req, run_seed, choices);
  cex.schedule_index = index;
  cex.found_picks = found.schedule;
  cex.shrink_runs = runs;
  // The shrinker only accepts vectors that keep the violation; without shrinking the run repeats.
  if (!violation_of(req, cex.outcome)) cex.violation = v;
  return cex;
}

CheckResult explore_seeded(const CheckRequest& req) {
  CheckResult result;
  std::uint64_t estimated_steps = 1;
  if (req.strategy.kind == StrategyKind::kPct) {
    ChoicesStrategy probe({});
    estimated_steps = std::max<std::uint64_t>(1, run_with(req, run_seed_for_rep(req.start_seed, 0), probe).choice_points);
  }
  for (std::uint64_t i = 0; i < req.budget; ++i) {
    const std::uint64_t run_seed = run_seed_for_rep(req.start_seed, i);
    RandomStrategy random(run_seed);
    PctStrategy pct(run_seed, req.strategy.pct_depth, estimated_steps);
    Strategy& s = req.strategy.kind == StrategyKind::kPct ? static_cast<Strategy&>(pct) : random;
    const RunOutcome o = run_with(req, run_seed, s);
    ++result.schedules;
    if (req.progress) req.progress(result.schedules);
    estimated_steps = std::max<std::uint64_t>(estimated_steps, o.choice_points);
    if (auto v = violation_of(req, o)) {
      result.counterexample = finish(req, run_seed, i, o, *v);
      return result;
    }
  }
  return result;
}

CheckResult explore_exhaustive(const CheckRequest& req) {
  CheckResult result;
  const std::uint64_t run_seed = run_seed_for_rep(req.start_seed, 0);
  std::vector<std::uint32_t> prefix;
  const auto bound = req.preemption_bound.value_or(-1);
  while (result.schedules < req.budget) {
    PrefixStrategy s(prefix);
    const RunOutcome o = run_with(req, run_seed, s);
    ++result.schedules;
    if (req.progress) req.progress(result.schedules);
    if (auto v = violation_of(req, o)) {
      result.counterexample = finish(req, run_seed, result.schedules - 1, o, *v);
      return result;
    }
    const std::vector<std::uint32_t>& picks = o.schedule;
    const std::vector<std::uint32_t>& branching = s.branching();
    SIM_ASSERT(picks.size() == branching.size());
    std::vector<int> deviations_before(picks.size() + 1, 0);
    for (std::size_t i = 0; i < picks.size(); ++i) deviations_before[i + 1] = deviations_before[i] + (picks[i] != 0);
    std::optional<std::size_t> next;
    for (std::size_t i = picks.size(); i-- > 0;) {
      if (picks[i] + 1 >= branching[i]) continue;
      if (bound >= 0 && deviations_before[i] + 1 > bound) continue;
      next = i;
      break;
    }
    if (!next) {
      result.exhausted = true;
      return result;
    }
    prefix.assign(picks.begin(), picks.begin() + static_cast<std::ptrdiff_t>(*next));
    prefix.push_back(picks[*next] + 1);
  }
  return result;
}

}  // namespace

Counterexample rerun_choices(const CheckRequest& req, std::uint64_t run_seed, const std::vector<std::uint32_t>& choices) {
  Counterexample cex;
  cex.run_seed = run_seed;
  cex.choices = choices;
  ChoicesStrategy s(choices);
  cex.outcome = run_with(req, run_seed, s, &cex.trace);
  if (auto v = violation_of(req, cex.outcome)) cex.violation = *v;
  return cex;
}

CheckResult run_check(const CheckRequest& req) {
  SIM_ASSERT(req.spec && req.arm.policy && req.budget >= 1);
  if (req.strategy.kind == StrategyKind::kExhaustive) return explore_exhaustive(req);
  return explore_seeded(req);
}

}  // namespace samplersim
