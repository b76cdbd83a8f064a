// Checking a guarantees-matrix cell: generated cases, a property per case, counterexample search,
// greedy shrinking, and a depth-bounded exhaustive walk over schedules.
//
// A case is (shape, run seed, picks): a small scenario shape (grid 2x2 .. 3x3, 2–3 processes,
// 1–2 threads, objectives 10–50 ms, store latency 1–5 ms), the run seed (timings and fault draws)
// and a ChoicesStrategy pick vector (which tied worker runs next). Cases come from a fixed stream,
// so every test is deterministic. Shrinking is greedy: smaller shapes first, then a shorter pick
// vector, then each pick lowered to 0; a step is kept only if the property still fails.
// Self-contained (no RapidCheck, nothing from other branches). Cost: one simulate() per case.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "app/guarantees.h"
#include "sim/scenario_spec.h"
#include "sim/properties.h"
#include "sim/random_stream.h"
#include "sim/sampler.h"
#include "sim/simulation.h"
#include "sim/strategy.h"

namespace samplersim::fixcheck {

constexpr VirtualTime kMs = 1'000;

struct Shape {
  int dim_x = 2;
  int dim_y = 2;
  int processes = 2;
  int threads = 1;
  int size() const { return dim_x * dim_y * 10 + processes * threads; }  // for "not larger"
  std::string to_string() const { return fmt::format("{}x{} grid, {}x{} workers", dim_x, dim_y, processes, threads); }
};

struct Case {
  Shape shape;
  std::uint64_t run_seed = 0;
  std::vector<std::uint32_t> picks;
};

struct Cell {
  std::string policy;
  std::string seed_policy;
  Fault faults = Fault::kNone;
  Property property = Property::kCoverage;
};

inline ScenarioSpec make_spec(const Shape& shape, const FaultSpec& faults, bool constant_timing = false) {
  ScenarioSpec spec;
  spec.name = "fixcheck";
  for (int d = 0; d < 2; ++d) {
    GridParam p;
    p.name = d == 0 ? "x" : "y";
    const int n = d == 0 ? shape.dim_x : shape.dim_y;
    for (int v = 0; v < n; ++v) {
      GridValue gv;
      gv.int_value = v;
      p.values.push_back(gv);
    }
    spec.grid.push_back(p);
  }
  spec.processes = shape.processes;
  spec.threads = shape.threads;
  if (constant_timing) {
    spec.objective_duration = DurationDist::constant(10 * kMs);
    spec.request_latency = DurationDist::constant(1 * kMs);
    spec.response_latency = DurationDist::constant(1 * kMs);
  } else {
    spec.start_jitter = DurationDist::uniform(0, 20 * kMs);
    spec.objective_duration = DurationDist::uniform(10 * kMs, 50 * kMs);
    spec.request_latency = DurationDist::uniform(1 * kMs, 5 * kMs);
    spec.response_latency = DurationDist::uniform(1 * kMs, 5 * kMs);
  }
  spec.faults = faults;
  spec.limits.max_trials_per_run = 10'000;
  spec.limits.max_virtual_time_us = 3600LL * 1'000'000;
  return spec;
}

// Case `i` of the stream `stream_seed`: shapes cycle through a small set, seeds and picks random.
inline Case generate_case(std::uint64_t stream_seed, std::uint64_t i) {
  static const Shape kShapes[] = {{2, 2, 2, 1}, {2, 2, 3, 1}, {2, 3, 2, 1}, {2, 2, 2, 2},
                                  {3, 3, 3, 1}, {2, 3, 3, 1}, {3, 3, 2, 2}, {1, 3, 3, 1}};
  RandomStream s = RandomStream::derive(stream_seed, StreamPurpose::kUser, 41, i);
  Case c;
  c.shape = kShapes[s.uniform_inclusive(std::size(kShapes) - 1)];
  c.run_seed = s.next_u64();
  const std::size_t n = static_cast<std::size_t>(s.uniform_inclusive(64));
  for (std::size_t k = 0; k < n; ++k) c.picks.push_back(static_cast<std::uint32_t>(s.uniform_inclusive(3)));
  return c;
}

// Runs `c` for `cell`; the violation, if the property fails.
inline std::optional<Violation> check_case(const Cell& cell, const Case& c, RunOutcome* out = nullptr) {
  const ScenarioSpec spec = make_spec(c.shape, fault_spec_for(cell.faults));
  ChoicesStrategy strategy(c.picks);
  RunRequest req;
  req.spec = &spec;
  req.policy = PolicyRegistry::find(cell.policy);
  req.seed_policy = *parse_seed_policy(cell.seed_policy);
  req.run_seed = c.run_seed;
  req.strategy = &strategy;
  const RunOutcome o = simulate(req);
  if (out) *out = o;
  return cell.property == Property::kCoverage ? check_coverage(o) : check_no_repeats(o, repeat_rule_for(cell.faults));
}

// The first failing case among cases [0, budget) of `stream_seed`, if any.
inline std::optional<Case> find_counterexample(const Cell& cell, std::uint64_t stream_seed, std::uint64_t budget) {
  for (std::uint64_t i = 0; i < budget; ++i) {
    Case c = generate_case(stream_seed, i);
    if (check_case(cell, c)) return c;
  }
  return std::nullopt;
}

// Greedy shrinking of a failing case; the result still fails and is no larger.
inline Case shrink(const Cell& cell, Case c) {
  const Shape smaller[] = {{1, 2, 2, 1}, {2, 2, 2, 1}, {1, 3, 2, 1}, {2, 2, 3, 1}, {2, 3, 2, 1}, {2, 2, 2, 2}};
  for (const Shape& s : smaller) {
    if (s.size() >= c.shape.size()) continue;
    Case t = c;
    t.shape = s;
    if (check_case(cell, t)) {
      c = t;
      break;  // smallest first: the first that fails is kept
    }
  }
  // Shorter pick vector: halve while it fails, then drop from the end one by one (bounded).
  for (int round = 0; round < 64 && !c.picks.empty(); ++round) {
    Case t = c;
    t.picks.resize(c.picks.size() / 2);
    if (!check_case(cell, t)) break;
    c = t;
  }
  for (int round = 0; round < 64 && !c.picks.empty(); ++round) {
    Case t = c;
    t.picks.pop_back();
    if (!check_case(cell, t)) break;
    c = t;
  }
  for (std::size_t k = 0; k < c.picks.size(); ++k) {
    if (c.picks[k] == 0) continue;
    Case t = c;
    t.picks[k] = 0;
    if (check_case(cell, t)) c = t;
  }
  return c;
}

// A strategy that follows a pick prefix, then always picks 0, and records branching factors.
class PrefixStrategy final : public Strategy {
 public:
  explicit PrefixStrategy(std::vector<std::uint32_t> prefix) : prefix_(std::move(prefix)) {}
  std::size_t pick(const ChoicePoint& cp) override {
    const std::size_t i = branching_.size();
    branching_.push_back(static_cast<std::uint32_t>(cp.runnable.size()));
    return i < prefix_.size() ? prefix_[i] % cp.runnable.size() : 0;
  }
  std::string name() const override { return "prefix"; }
  const std::vector<std::uint32_t>& branching() const { return branching_; }

 private:
  std::vector<std::uint32_t> prefix_;
  std::vector<std::uint32_t> branching_;
};

// One run of `shape` with constant timing under a PrefixStrategy.
inline RunOutcome run_constant(const Cell& cell, const Shape& shape, std::uint64_t run_seed,
                               PrefixStrategy& strategy) {
  const ScenarioSpec spec = make_spec(shape, fault_spec_for(cell.faults), /*constant_timing=*/true);
  RunRequest req;
  req.spec = &spec;
  req.policy = PolicyRegistry::find(cell.policy);
  req.seed_policy = *parse_seed_policy(cell.seed_policy);
  req.run_seed = run_seed;
  req.strategy = &strategy;
  return simulate(req);
}

// The first `n` run seeds >= 1 whose default schedule (all picks 0) has a fault visible in the
// outcome (a FAIL trial or an evaluation that did not complete); scans at most 1,000 seeds.
inline std::vector<std::uint64_t> seeds_with_faults(const Cell& cell, const Shape& shape, std::size_t n) {
  std::vector<std::uint64_t> out;
  for (std::uint64_t seed = 1; seed <= 1'000 && out.size() < n; ++seed) {
    PrefixStrategy strategy({});
    const RunOutcome o = run_constant(cell, shape, seed, strategy);
    bool faulted = o.state_count(TrialState::kFail) > 0;
    for (const Evaluation& e : o.evaluation_log) faulted = faulted || e.state != TrialState::kComplete;
    if (faulted) out.push_back(seed);
  }
  return out;
}

struct DfsResult {
  std::uint64_t runs = 0;
  bool complete = false;  // every pick vector over the first `depth` choice points was run
  std::optional<std::string> violation;
};

// Depth-first over all picks at the first `depth` choice points (picks beyond: 0), constant
// timing (so ties, i.e. choice points, abound), fixed run seed; checks coverage and no-repeats.
// Stops at the first violation or after `max_runs` runs.
inline DfsResult exhaustive(const Cell& cell, const Shape& shape, std::uint64_t run_seed, std::size_t depth,
                            std::uint64_t max_runs) {
  DfsResult r;
  std::vector<std::uint32_t> prefix;
  for (;;) {
    if (r.runs >= max_runs) return r;
    PrefixStrategy strategy(prefix);
    const RunOutcome o = run_constant(cell, shape, run_seed, strategy);
    ++r.runs;
    auto v = check_coverage(o);
    if (!v) v = check_no_repeats(o, repeat_rule_for(cell.faults));
    if (v) {
      r.violation = v->detail;
      return r;
    }
    // Next prefix: the full pick vector this run took (up to depth), incremented like an odometer.
    std::vector<std::uint32_t> picks(strategy.branching().size() < depth ? strategy.branching().size() : depth);
    for (std::size_t i = 0; i < picks.size(); ++i) picks[i] = i < prefix.size() ? prefix[i] : 0;
    std::size_t i = picks.size();
    while (i > 0 && picks[i - 1] + 1 >= strategy.branching()[i - 1]) --i;
    if (i == 0) {
      r.complete = true;
      return r;
    }
    picks[i - 1] += 1;
    picks.resize(i);
    prefix = picks;
  }
}

inline std::string describe_case(const Case& c) {
  return fmt::format("{}, run seed {}, picks [{}]", c.shape.to_string(), c.run_seed, fmt::join(c.picks, ","));
}

}  // namespace samplersim::fixcheck
