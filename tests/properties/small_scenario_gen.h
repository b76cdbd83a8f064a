// RapidCheck generators for small scenarios built in code, a choice vector, and helpers to run a
// generated case and check properties with RapidCheck's programmatic API.
//
// A case: 1–12 combinations over 1–3 parameters, 1–6 processes, 1–3 threads, timing and latency
// drawn from short lists whose first entries are constants (so latencies tie and shrinking moves
// toward constant timings), optional n_trials / MaxTrialsCallback caps, a run seed, and a choice
// vector for ChoicesStrategy. Everything shrinks toward the first/smallest choice.
#pragma once

#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/detail/Results.h>
#include <rapidcheck/detail/TestListenerAdapter.h>
#include <rapidcheck/detail/TestMetadata.h>
#include <rapidcheck/detail/TestParams.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <ostream>
#include <sstream>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "sim/properties.h"
#include "sim/sampler.h"
#include "sim/simulation.h"
#include "sim/strategy.h"

namespace samplersim::testing {

enum class Caps : std::uint8_t {
  kAny,          // n_trials and max_trials each on or off
  kNone,         // no caps: workers stop only through the sampler
  kBelowGrid,    // n_trials on with processes * n_trials <= grid size (every trial number < N)
};

struct GenOptions {
  Caps caps = Caps::kAny;
  int max_threads = 3;
};

struct SmallCase {
  ScenarioSpec spec;
  std::uint64_t run_seed = 0;
  std::vector<std::uint32_t> choices;
};

inline std::string describe(const SmallCase& c) {
  std::vector<int> counts;
  for (const GridParam& p : c.spec.grid) counts.push_back(static_cast<int>(p.values.size()));
  return fmt::format(
      "grid [{}] ({} combinations), {} processes x {} threads, objective {}, latency {}/{}, write service {}, "
      "stagger {}, jitter {}, n_trials {}, max_trials {}; run seed {}; choices [{}]",
      fmt::join(counts, "x"), c.spec.combinations(), c.spec.processes, c.spec.threads,
      c.spec.objective_duration.to_string(), c.spec.request_latency.to_string(), c.spec.response_latency.to_string(),
      c.spec.write_service.to_string(), format_duration(c.spec.start_stagger_us), c.spec.start_jitter.to_string(),
      c.spec.n_trials ? std::to_string(*c.spec.n_trials) : "off",
      c.spec.max_trials ? std::to_string(*c.spec.max_trials) : "off", c.run_seed, fmt::join(c.choices, ","));
}

inline std::ostream& operator<<(std::ostream& os, const SmallCase& c) { return os << describe(c); }

// Draws one case; call only inside a RapidCheck property.
inline SmallCase draw_case(const GenOptions& o) {
  constexpr VirtualTime ms = kMicrosPerMilli;
  SmallCase c;
  ScenarioSpec& s = c.spec;
  s.name = "rc-small";
  const int params = *rc::gen::inRange(1, 4);
  std::int64_t product = 1;
  for (int i = 0; i < params; ++i) {
    const int hi = static_cast<int>(std::min<std::int64_t>(4, 12 / product));
    const int count = *rc::gen::inRange(1, hi + 1);
    product *= count;
    GridParam p;
    p.name = std::string(1, static_cast<char>('a' + i));
    for (int v = 0; v < count; ++v) {
      GridValue gv;
      gv.int_value = v;
      p.values.push_back(gv);
    }
    s.grid.push_back(p);
  }
  s.processes = *rc::gen::inRange(1, 7);
  s.threads = *rc::gen::inRange(1, o.max_threads + 1);
  const DurationDist latency = *rc::gen::elementOf(std::vector<DurationDist>{
      DurationDist::constant(1 * ms), DurationDist::constant(0), DurationDist::uniform(1 * ms, 5 * ms)});
  s.request_latency = latency;
  s.response_latency = latency;
  s.write_service = *rc::gen::elementOf(std::vector<DurationDist>{DurationDist::constant(0), DurationDist::constant(1 * ms)});
  s.objective_duration = *rc::gen::elementOf(std::vector<DurationDist>{
      DurationDist::constant(1000 * ms), DurationDist::uniform(500 * ms, 2000 * ms), DurationDist::constant(0)});
  s.start_stagger_us = *rc::gen::elementOf(std::vector<VirtualTime>{0, 1 * ms, 500 * ms});
  s.start_jitter = *rc::gen::elementOf(std::vector<DurationDist>{DurationDist::constant(0), DurationDist::uniform(0, 40 * ms)});
  const std::int64_t n = s.combinations();
  switch (o.caps) {
    case Caps::kNone: break;
    case Caps::kAny:
      if (*rc::gen::inRange(0, 2) == 1) s.n_trials = *rc::gen::inRange(1, 6);
      if (*rc::gen::inRange(0, 2) == 1) {
        s.max_trials = *rc::gen::inRange(1, 13);
        s.max_trials_states = *rc::gen::inRange(0, 2) == 0 ? StateMask::only(TrialState::kComplete) : StateMask::all();
      }
      break;
    case Caps::kBelowGrid: {
      RC_PRE(s.processes <= n);
      s.n_trials = *rc::gen::inRange(1, static_cast<int>(n / s.processes) + 1);
      if (*rc::gen::inRange(0, 2) == 1) s.max_trials = *rc::gen::inRange(1, 13);
      break;
    }
  }
  c.run_seed = *rc::gen::inRange<std::uint64_t>(0, 1'000'000);
  c.choices = *rc::gen::container<std::vector<std::uint32_t>>(rc::gen::inRange<std::uint32_t>(0, 6));
  return c;
}

inline RunOutcome run_case(const SmallCase& c, const PolicyInfo* policy, const SeedPolicy& seed, Trace* trace = nullptr) {
  ChoicesStrategy strategy(c.choices);
  return simulate(RunRequest{&c.spec, policy, seed, c.run_seed, &strategy}, trace);
}

inline const PolicyInfo* policy(const std::string& name) {
  const PolicyInfo* p = PolicyRegistry::find(name);
  if (!p) throw std::invalid_argument("unknown policy " + name);
  return p;
}

// Runs `property` through RapidCheck with a fixed seed and case count; returns the result.
template <class Fn>
rc::detail::TestResult check_with(const std::string& id, Fn&& property, int cases, std::uint64_t seed) {
  rc::detail::TestParams params;
  params.seed = seed;
  params.maxSuccess = cases;
  params.maxSize = 100;
  params.maxDiscardRatio = 20;
  rc::detail::TestMetadata metadata;
  metadata.id = id;
  metadata.description = id;
  // A silent listener: the result is returned to the caller, and expected failures must not be
  // reported as "properties had failures" by RapidCheck's global reporter at exit.
  rc::detail::TestListenerAdapter listener;
  return rc::detail::checkTestable(std::forward<Fn>(property), metadata, params, listener);
}

inline std::string result_text(const rc::detail::TestResult& r) {
  std::ostringstream os;
  rc::detail::printResultMessage(r, os);
  return os.str();
}

// Asserts that `property` held on `cases` generated cases (failure message: the shrunk case, which
// names its run seed and choice vector, and the RapidCheck seed).
template <class Fn>
void expect_holds(const std::string& id, Fn&& property, int cases, std::uint64_t seed) {
  const rc::detail::TestResult r = check_with(id, std::forward<Fn>(property), cases, seed);
  rc::detail::SuccessResult success;
  ASSERT_TRUE(r.match(success)) << id << " (RapidCheck seed " << seed << "): " << result_text(r);
  EXPECT_GE(success.numSuccess, cases) << id;
}

}  // namespace samplersim::testing
