// BruteForceSampler models (samplers/brute_force.h): numpy's choice(p=...) bit for bit, the
// single-process sequence of the facts probe, and each version's parallel behaviour on a tree
// built by hand (docs/optuna-facts.md section 7).
#include <gtest/gtest.h>

#include <vector>

#include "samplers/brute_force.h"
#include "samplers/numpy_random.h"

namespace samplersim {
namespace {

using Path = BruteForceSampler::TrialPath;

// numpy 1.24.2: r = RandomState(seed); [r.choice(len(p), p=p) for _ in range(12)].
TEST(NumpyChoiceWeighted, MatchesNumpy) {
  struct Case {
    std::uint32_t seed;
    std::vector<double> p;
    std::vector<std::size_t> expect;
  };
  const std::vector<Case> cases = {
      {0, {0.25, 0.25, 0.5}, {2, 2, 2, 2, 1, 2, 1, 2, 2, 1, 2, 2}},
      {7, {1.0 / 3, 1.0 / 3, 1.0 / 3}, {0, 2, 1, 2, 2, 1, 1, 0, 0, 1, 2, 2}},
      {12345, {0.1, 0.0, 0.2, 0.3, 0.4}, {4, 3, 2, 2, 3, 3, 4, 4, 4, 4, 4, 4}},
      {3, std::vector<double>(8, 0.125), {4, 5, 2, 4, 7, 7, 1, 1, 0, 3, 0, 3}},
  };
  for (const Case& c : cases) {
    NumpyRandomState rng(c.seed);
    std::vector<std::size_t> got;
    for (std::size_t i = 0; i < c.expect.size(); ++i) got.push_back(rng.choice_index_weighted(c.p));
    EXPECT_EQ(got, c.expect) << "seed " << c.seed;
  }
  NumpyRandomState rng(5);  // RandomState(5).random_sample() twice
  EXPECT_EQ(rng.random_sample(), 0.22199317108973948);
  EXPECT_EQ(rng.random_sample(), 0.8707323061773764);
}

struct Space {
  GridSpace grid;
  SamplerSetup setup;
  explicit Space(std::vector<GridSpace::Param> params, std::optional<std::uint64_t> seed = 0)
      : grid(std::move(params)) {
    setup.grid = &grid;
    setup.seed = seed;
  }
};

// The facts probe (calibration/data/probes/facts-*.json "sequential_tree"): a = suggest_int(0, 3),
// b = suggest_categorical(["p", "q"]), c = suggest_int(0, 1) only if a == 0; BruteForceSampler(seed=0),
// one process. Real 3.2.0, 3.4.0 and 4.9.0 all gave these 10 trials in this order (4.3 runs the
// 3.4 code when no trial is running, and is not probed).
TEST(BruteForceSampler, SequentialConditionalTreeMatchesTheProbe) {
  const std::vector<std::vector<int>> expect = {{2, 1, -1}, {2, 0, -1}, {1, 1, -1}, {1, 0, -1}, {3, 0, -1},
                                                {3, 1, -1}, {0, 1, 0},  {0, 0, 1},  {0, 1, 1},  {0, 0, 0}};
  for (BruteForceVersion v : {BruteForceVersion::k32, BruteForceVersion::k33, BruteForceVersion::k34,
                              BruteForceVersion::k43, BruteForceVersion::k49}) {
    Space s({{"a", 4, 0}, {"b", 2, 1}, {"c", 2, 2}});
    BruteForceSampler sampler(v, s.setup);
    std::vector<Path> trials;
    for (int n = 0; n < 100; ++n) {
      Path cur{n, TrialState::kRunning, {-1, -1, -1}};
      for (int p = 0; p < 3; ++p) {
        if (p == 2 && cur.params[0] != 0) break;
        const std::optional<int> value = sampler.choose(trials, cur.params, p);
        ASSERT_TRUE(value.has_value());
        cur.params[static_cast<std::size_t>(p)] = *value;
      }
      cur.state = TrialState::kComplete;
      trials.push_back(cur);
      const std::optional<bool> stop = sampler.stops(trials, n);
      ASSERT_TRUE(stop.has_value());
      if (*stop) break;
    }
    std::vector<std::vector<int>> got;
    for (const Path& t : trials) got.push_back(t.params);
    EXPECT_EQ(got, expect) << "version " << static_cast<int>(v);
  }
}

// #4948: another worker's RUNNING trial without params makes 3.2's root a leaf, and expanding the
// first name raises ValueError; PR #5022 (3.4) expands first and samples.
TEST(BruteForceSampler, RunningTrialWithoutParamsCrashesOnlyBefore34) {
  const std::vector<Path> others = {{0, TrialState::kRunning, {-1, -1}}};
  const std::vector<int> nothing = {-1, -1};
  for (BruteForceVersion v : {BruteForceVersion::k32, BruteForceVersion::k33}) {
    Space s({{"a", 4, 0}, {"b", 5, 1}});
    BruteForceSampler sampler(v, s.setup);
    EXPECT_FALSE(sampler.choose(others, nothing, 0).has_value());
    // The same at the second name: a running trial that has only this trial's `a`.
    const std::vector<Path> partial = {{0, TrialState::kRunning, {2, -1}}};
    EXPECT_FALSE(sampler.choose(partial, {2, -1}, 1).has_value());
    // A finished trial expands the root first: no crash.
    const std::vector<Path> mixed = {{0, TrialState::kComplete, {1, 1}}, {1, TrialState::kRunning, {-1, -1}}};
    EXPECT_TRUE(sampler.choose(mixed, nothing, 0).has_value());
  }
  for (BruteForceVersion v : {BruteForceVersion::k34, BruteForceVersion::k43, BruteForceVersion::k49}) {
    Space s({{"a", 4, 0}, {"b", 5, 1}});
    BruteForceSampler sampler(v, s.setup);
    EXPECT_TRUE(sampler.choose(others, nothing, 0).has_value());
    EXPECT_TRUE(sampler.choose({{0, TrialState::kRunning, {2, -1}}}, {2, -1}, 1).has_value());
  }
}

// 3.4–4.2: a RUNNING trial's partial path {a=1} is a leaf when nobody expanded it, so the subtree's
// other points count as done: after_trial stops with (1, 0) and (1, 1) never evaluated by anyone
// but the running trial, and sample_independent finding nothing left picks `a` uniformly.
TEST(BruteForceSampler, RunningPartialPathIsALeafFrom34) {
  const std::vector<Path> trials = {{0, TrialState::kComplete, {0, 0}},
                                    {1, TrialState::kComplete, {0, 1}},
                                    {2, TrialState::kRunning, {1, -1}}};
  for (BruteForceVersion v : {BruteForceVersion::k34, BruteForceVersion::k43, BruteForceVersion::k49}) {
    Space s({{"a", 2, 0}, {"b", 2, 1}});
    BruteForceSampler sampler(v, s.setup);
    EXPECT_EQ(sampler.stops(trials, -1), std::optional<bool>(true)) << static_cast<int>(v);
    // Uniform pick: over many draws both values of `a` come up (a = 0 repeats a finished subtree).
    int zeros = 0;
    for (int i = 0; i < 200; ++i) zeros += sampler.choose(trials, {-1, -1}, 0) == std::optional<int>(0) ? 1 : 0;
    // Binomial(200, 1/2): 0 or 200 has probability 2^-199.
    EXPECT_GT(zeros, 0);
    EXPECT_LT(zeros, 200);
  }
  // Without the running trial, (1, *) is open: no stop.
  Space s({{"a", 2, 0}, {"b", 2, 1}});
  BruteForceSampler sampler(BruteForceVersion::k34, s.setup);
  EXPECT_EQ(sampler.stops({trials[0], trials[1]}, -1), std::optional<bool>(false));
}

// PR #5893 (4.3+): a child another worker is running weighs 0 while a non-running child weighs.
// a has 3 values; (1, 0) finished and a running trial sits at {a=1}: 3.4 weighs a = 0, 1, 2 as
// 1, 1, 1 (the running partial path was expanded by (1, 0), so it is no leaf), 4.3 as 1, 0, 1.
TEST(BruteForceSampler, RunningChildWeighsZeroFrom43) {
  const std::vector<Path> others = {{0, TrialState::kComplete, {1, 0}}, {1, TrialState::kRunning, {1, -1}}};
  auto ones = [&](BruteForceVersion v) {
    Space s({{"a", 3, 0}, {"b", 2, 1}}, 11);
    BruteForceSampler sampler(v, s.setup);
    int n = 0;
    for (int i = 0; i < 300; ++i) n += sampler.choose(others, {-1, -1}, 0) == std::optional<int>(1) ? 1 : 0;
    return n;
  };
  // 3.4: Binomial(300, 1/3), mean 100, sd 8.2: outside [40, 160] with probability < 1e-12.
  const int with_34 = ones(BruteForceVersion::k34);
  EXPECT_GT(with_34, 40);
  EXPECT_LT(with_34, 160);
  EXPECT_EQ(ones(BruteForceVersion::k43), 0);
  EXPECT_EQ(ones(BruteForceVersion::k49), 0);
}

// 4.9 blends: counts 3 and 1 give p = 0.5·(3/4, 1/4) + 0.5·(1/2, 1/2) = (0.625, 0.375) instead of
// (0.75, 0.25). 4,000 draws: the share of the first child is within 0.05 of its p (sd 0.0077,
// 6.5 sd: false failure < 1e-10).
TEST(BruteForceSampler, Weights49BlendCountsWithUniform) {
  // a = 0 has 3 open b values of 4, a = 1 has 1: finished (0, 0), (1, 0), (1, 1), (1, 2).
  const std::vector<Path> others = {{0, TrialState::kComplete, {0, 0}},
                                    {1, TrialState::kComplete, {1, 0}},
                                    {2, TrialState::kComplete, {1, 1}},
                                    {3, TrialState::kComplete, {1, 2}}};
  auto share = [&](BruteForceVersion v) {
    Space s({{"a", 2, 0}, {"b", 4, 1}}, 3);
    BruteForceSampler sampler(v, s.setup);
    int zeros = 0;
    for (int i = 0; i < 4000; ++i) zeros += sampler.choose(others, {-1, -1}, 0) == std::optional<int>(0) ? 1 : 0;
    return zeros / 4000.0;
  };
  EXPECT_NEAR(share(BruteForceVersion::k43), 0.75, 0.05);
  EXPECT_NEAR(share(BruteForceVersion::k49), 0.625, 0.05);
}

// 3.2 reads only COMPLETE and RUNNING trials: a FAILed point is open again; 3.3 reads FAIL too.
TEST(BruteForceSampler, FailedPointsReopenOnlyIn32) {
  const std::vector<Path> trials = {{0, TrialState::kComplete, {0}}, {1, TrialState::kFail, {1}}};
  Space s32({{"a", 2, 0}});
  BruteForceSampler v32(BruteForceVersion::k32, s32.setup);
  EXPECT_EQ(v32.stops(trials, -1), std::optional<bool>(false));
  // The trial being told FAIL is still counted (the read saw it RUNNING; after_trial replaces it).
  EXPECT_EQ(v32.stops(trials, 1), std::optional<bool>(true));
  Space s33({{"a", 2, 0}});
  BruteForceSampler v33(BruteForceVersion::k33, s33.setup);
  EXPECT_EQ(v33.stops(trials, -1), std::optional<bool>(true));
}

}  // namespace
}  // namespace samplersim
