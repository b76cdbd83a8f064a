// OptunaGridSampler and its family table.
// - Every table row is registered as its policy, with its versions and summary.
// - The grid list each row builds (`_all_grids` as canonical ids) equals the reference's measured
//   example (shared/reference/optuna-grid-behaviour.md section 8, "4.0+ default sampler"): the
//   value order, the shuffle and seed=None are columns, so this pins each of them.
// - The label a trial's evaluation carries is the grid_id its sampler wrote for it, for every
//   Optuna family, several processes and threads; policies without grid ids report -1.
// - Shared permutations (issue 15): processes of one run with the same seed hold one permutation
//   object (pointer equality, one share entry), equal to a private build's grid list, inverse and
//   RNG state after construction, for every row, several seeds and a group's own grid; different
//   seeds (and entropy-seeded processes drawing different seeds) do not share.
#include <gtest/gtest.h>

#include <fmt/format.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "samplers/grid_family.h"
#include "samplers/optuna_attrs.h"
#include "samplers/optuna_grid.h"
#include "sim/sampler_share.h"
#include "sim/scenario_spec.h"
#include "sim/seed_policy.h"
#include "sim/simulation.h"
#include "sim/store_op.h"
#include "sim/strategy.h"

namespace samplersim {
namespace {

GridValue iv(std::int64_t v) { GridValue g; g.kind = GridValue::Kind::kInt; g.int_value = v; return g; }
GridValue sv(std::string v) { GridValue g; g.kind = GridValue::Kind::kString; g.string_value = std::move(v); return g; }

TEST(GridFamilyTable, EveryRowIsARegisteredPolicy) {
  ASSERT_GE(optuna_grid_families().size(), 5u);
  for (const GridFamily& f : optuna_grid_families()) {
    const PolicyInfo* info = PolicyRegistry::find(std::string(f.policy));
    ASSERT_NE(info, nullptr) << f.policy;
    EXPECT_EQ(info->family, f.versions) << f.policy;
    EXPECT_EQ(info->summary, f.summary) << f.policy;
    EXPECT_EQ(find_grid_family(f.policy), &f) << f.policy;
    EXPECT_EQ(f.target_order, TargetOrder::kCPythonSet) << f.policy;
  }
  EXPECT_EQ(find_grid_family("no-such-policy"), nullptr);
}

// {"y": ["a","b"], "x": [2,0,1]} (file order y, x). Canonical id = index of x in [2,0,1] × 2 +
// index of y in [a,b]. The reference lists `_all_grids` as points; here they are canonical ids:
// 4.0+ seed None/0: [(1,b),(0,a),(2,b),(0,b),(2,a),(1,a)] = [5,2,1,3,0,4];
// seed 42:          [(2,a),(2,b),(1,b),(0,a),(1,a),(0,b)] = [0,1,5,2,4,3];
// 3.0–3.3: unshuffled = identity; 2.x: values sorted, x [0,1,2]: [(0,a),(0,b),…,(2,b)] = [2,3,4,5,0,1].
TEST(OptunaGridSampler, GridListFollowsTheRow) {
  const std::vector<GridParam> values = {GridParam{"y", {sv("a"), sv("b")}}, GridParam{"x", {iv(2), iv(0), iv(1)}}};
  const GridSpace space({{"y", 2, 0}, {"x", 3, 1}});
  struct Case {
    const char* policy;
    std::optional<std::uint64_t> seed;
    std::vector<std::int32_t> grid_list;
  };
  const std::vector<Case> cases = {
      {"optuna-4", std::nullopt, {5, 2, 1, 3, 0, 4}}, {"optuna-4", 0, {5, 2, 1, 3, 0, 4}},
      {"optuna-4", 42, {0, 1, 5, 2, 4, 3}},           {"optuna-3.6", 42, {0, 1, 5, 2, 4, 3}},
      {"optuna-3.6", 0, {5, 2, 1, 3, 0, 4}},          {"optuna-3.2", 42, {0, 1, 2, 3, 4, 5}},
      {"optuna-3.1", std::nullopt, {0, 1, 2, 3, 4, 5}}, {"optuna-2", 42, {2, 3, 4, 5, 0, 1}},
  };
  for (const Case& c : cases) {
    SamplerSetup setup;
    setup.grid = &space;
    setup.seed = c.seed;
    setup.values = &values;
    const OptunaGridSampler sampler(*find_grid_family(c.policy), setup);
    EXPECT_EQ(sampler.grid_list(), c.grid_list) << c.policy << " seed " << c.seed.value_or(-1);
  }
}

// Shared permutations (issue 15): samplers of one run whose seeds give the same shuffle hold one
// GridPermutation object, and what each holds (grid list, inverse, RNG state after construction)
// equals what a sampler built without a share holds.
struct ShareFixture {
  std::vector<GridParam> values = {GridParam{"y", {sv("a"), sv("b"), sv("c")}},
                                   GridParam{"x", {iv(2), iv(0), iv(1), iv(7), iv(5)}}};
  GridSpace space{{{"y", 3, 0}, {"x", 5, 1}}};
  std::vector<GridParam> own = {GridParam{"y", {sv("c"), sv("a")}}, GridParam{"x", {iv(5), iv(2), iv(0)}}};

  SamplerSetup setup(std::optional<std::uint64_t> seed, int process, SamplerShare* share,
                     const std::vector<GridParam>* sampler_grid = nullptr) const {
    SamplerSetup s;
    s.grid = &space;
    s.seed = seed;
    s.run_seed = 7;
    s.process = process;
    s.values = &values;
    s.sampler_grid = sampler_grid;
    s.share = share;
    return s;
  }
};

// The next raw outputs of a sampler's RNG (on a copy: the sampler is untouched), with its draw count.
std::vector<std::uint64_t> next_draws(const OptunaGridSampler& sampler) {
  NumpyRandomState copy = sampler.rng().numpy();
  std::vector<std::uint64_t> out{copy.draws()};
  for (int i = 0; i < 8; ++i) out.push_back(copy.next32());
  return out;
}

void expect_same_as_private(const OptunaGridSampler& shared, const OptunaGridSampler& alone, const std::string& what) {
  EXPECT_EQ(shared.grid_list(), alone.grid_list()) << what;
  EXPECT_EQ(shared.permutation()->grid_id_of, alone.permutation()->grid_id_of) << what;
  EXPECT_EQ(shared.rng().construction_seed(), alone.rng().construction_seed()) << what;
  if (what.rfind("optuna-2", 0) != 0) {  // numpy rows (2.x's CPython random never shuffles)
    EXPECT_EQ(next_draws(shared), next_draws(alone)) << what;
  }
}

TEST(OptunaGridSampler, EqualSeedsShareOnePermutationWithPrivateResults) {
  const ShareFixture f;
  for (const char* policy : {"optuna-4", "optuna-3.6", "optuna-3.2", "optuna-3.1", "optuna-2"}) {
    for (const std::optional<std::uint64_t> seed : {std::optional<std::uint64_t>(0), std::optional<std::uint64_t>(42),
                                                    std::optional<std::uint64_t>(4294967295u)}) {
      for (const std::vector<GridParam>* own : {static_cast<const std::vector<GridParam>*>(nullptr), &f.own}) {
        const std::string what = fmt::format("{} seed {} own grid {}", policy, *seed, own != nullptr);
        const GridFamily& family = *find_grid_family(policy);
        SamplerShare share;
        const OptunaGridSampler first(family, f.setup(seed, 0, &share, own));
        const OptunaGridSampler second(family, f.setup(seed, 1, &share, own));
        const OptunaGridSampler third(family, f.setup(seed, 2, &share, own));
        EXPECT_EQ(first.permutation().get(), second.permutation().get()) << what;
        EXPECT_EQ(first.permutation().get(), third.permutation().get()) << what;
        EXPECT_EQ(share.size(), 1u) << what;
        const OptunaGridSampler alone(family, f.setup(seed, 1, nullptr, own));
        EXPECT_NE(alone.permutation().get(), first.permutation().get()) << what;
        expect_same_as_private(first, alone, what + " (builder)");
        expect_same_as_private(second, alone, what + " (taker)");
        expect_same_as_private(third, alone, what + " (taker)");
      }
    }
  }
}

// 4.x seed=None is seed 0 in every process (the 1,024 identical copies): one object.
TEST(OptunaGridSampler, Optuna4SeedNoneSharesAcrossProcesses) {
  const ShareFixture f;
  SamplerShare share;
  std::vector<std::unique_ptr<OptunaGridSampler>> samplers;
  for (int p = 0; p < 16; ++p) {
    samplers.push_back(std::make_unique<OptunaGridSampler>(*find_grid_family("optuna-4"), f.setup(std::nullopt, p, &share)));
  }
  EXPECT_EQ(share.size(), 1u);
  for (const auto& s : samplers) EXPECT_EQ(s->permutation().get(), samplers.front()->permutation().get());
  expect_same_as_private(*samplers.back(), OptunaGridSampler(*find_grid_family("optuna-4"), f.setup(std::nullopt, 15, nullptr)),
                         "optuna-4 seed None");
}

TEST(OptunaGridSampler, DifferentSeedsDoNotShareAShuffle) {
  const ShareFixture f;
  for (const char* policy : {"optuna-4", "optuna-3.6"}) {
    const GridFamily& family = *find_grid_family(policy);
    SamplerShare share;
    const OptunaGridSampler a(family, f.setup(1, 0, &share));
    const OptunaGridSampler b(family, f.setup(2, 1, &share));
    EXPECT_NE(a.permutation().get(), b.permutation().get()) << policy;
    EXPECT_EQ(share.size(), 2u) << policy;
    EXPECT_NE(a.grid_list(), b.grid_list()) << policy;  // the shuffles differ for this grid
    expect_same_as_private(a, OptunaGridSampler(family, f.setup(1, 0, nullptr)), std::string(policy) + " seed 1");
    expect_same_as_private(b, OptunaGridSampler(family, f.setup(2, 1, nullptr)), std::string(policy) + " seed 2");
    // The sampler's own grid is another key, even with the seed equal.
    const OptunaGridSampler c(family, f.setup(1, 2, &share, &f.own));
    EXPECT_NE(c.permutation().get(), a.permutation().get()) << policy;
    EXPECT_EQ(share.size(), 3u) << policy;
  }
  // 3.4–3.6 seed=None: each process's RNG is seeded from its own entropy draw, so processes share
  // only if the drawn seeds are equal (they differ here).
  const GridFamily& f36 = *find_grid_family("optuna-3.6");
  SamplerShare share;
  const OptunaGridSampler p0(f36, f.setup(std::nullopt, 0, &share));
  const OptunaGridSampler p1(f36, f.setup(std::nullopt, 1, &share));
  ASSERT_NE(p0.rng().construction_seed(), p1.rng().construction_seed());
  EXPECT_NE(p0.permutation().get(), p1.permutation().get());
  EXPECT_EQ(share.size(), 2u);
  expect_same_as_private(p1, OptunaGridSampler(f36, f.setup(std::nullopt, 1, nullptr)), "optuna-3.6 seed None p1");
  // Rows that never shuffle share across seeds: their permutation does not depend on the RNG.
  SamplerShare unshuffled;
  const OptunaGridSampler s1(*find_grid_family("optuna-3.2"), f.setup(1, 0, &unshuffled));
  const OptunaGridSampler s2(*find_grid_family("optuna-3.2"), f.setup(2, 1, &unshuffled));
  EXPECT_EQ(s1.permutation().get(), s2.permutation().get());
  EXPECT_FALSE(s1.permutation()->rng_after.has_value());
}

// Per trial, the last grid_id written to the store, and the label of each objective start.
struct Labels {
  std::map<int, std::int64_t> written;
  std::vector<std::pair<int, std::int64_t>> evaluated;  // (trial, label)
};

Labels labels_of(const std::string& policy, std::uint64_t run_seed) {
  ScenarioSpec spec;
  spec.name = "labels";
  spec.grid = {GridParam{"a", {iv(0), iv(1), iv(2), iv(3)}}, GridParam{"b", {iv(0), iv(1), iv(2)}}};
  spec.processes = 3;
  spec.threads = 2;
  spec.objective_duration = DurationDist::uniform(1000, 9000);
  spec.request_latency = DurationDist::uniform(100, 900);
  spec.response_latency = DurationDist::uniform(100, 900);
  RandomStrategy strategy(run_seed);
  Trace trace(true);
  simulate(RunRequest{&spec, PolicyRegistry::find(policy), *parse_seed_policy("none"), run_seed, &strategy}, &trace);
  Labels out;
  for (const TraceEvent& e : trace.events()) {
    if (e.kind == TraceKind::kStoreOp && e.a == static_cast<std::int64_t>(StoreOp::kSetTrialSystemAttr) &&
        e.detail == kGridIdAttr) {
      out.written[e.trial] = e.b;
    }
    if (e.kind == TraceKind::kObjectiveStart) out.evaluated.emplace_back(e.trial, e.b);
  }
  return out;
}

TEST(OptunaGridSampler, LabelIsTheGridIdWritten) {
  for (const char* policy : {"optuna-2", "optuna-3.1", "optuna-3.2", "optuna-3.6", "optuna-4", "shared-seed"}) {
    for (std::uint64_t seed = 1; seed <= 10; ++seed) {
      const Labels l = labels_of(policy, seed);
      ASSERT_GE(l.evaluated.size(), 12u) << policy << " run seed " << seed;
      for (const auto& [trial, label] : l.evaluated) {
        ASSERT_TRUE(l.written.count(trial)) << policy << " run seed " << seed << " trial " << trial;
        EXPECT_EQ(label, l.written.at(trial)) << policy << " run seed " << seed << " trial " << trial;
      }
    }
  }
}

TEST(OptunaGridSampler, PoliciesWithoutGridIdsLabelNothing) {
  for (const char* policy : {"atomic-claim", "enqueue-all"}) {
    const Labels l = labels_of(policy, 1);
    ASSERT_GE(l.evaluated.size(), 12u) << policy;
    EXPECT_TRUE(l.written.empty()) << policy;
    for (const auto& [trial, label] : l.evaluated) EXPECT_EQ(label, -1) << policy << " trial " << trial;
  }
}

// The tracked draw (samplers/set_order_tracker.h) is the built list's draw: runs whose late target
// lists wrap (the new set's table smaller than the largest free id), with enough processes for the
// copy path and few enough for the new-set path at the end, give the same trace, trials and repeats
// with the tracker as when every wrapped list is built; and the tracker answers many of the draws.
TEST(OptunaGridSampler, TrackedWrappedListsDrawWhatTheBuiltListDraws) {
  struct Case {
    const char* policy;
    int a;
    int b;
    int processes;
    std::uint64_t run_seed;
  };
  // optuna-3.2 (3.0-3.3): the rows after it take the trial-number shortcut or draw from no wrapped list.
  const Case cases[] = {{"optuna-3.2", 40, 50, 16, 1}, {"optuna-3.2", 30, 37, 64, 2}, {"optuna-3.2", 64, 64, 8, 3},
                        {"optuna-3.2", 33, 33, 12, 4}, {"optuna-3.2", 45, 23, 24, 5}, {"optuna-3.2", 7, 300, 3, 6}};
  for (const Case& c : cases) {
    ScenarioSpec spec;
    spec.name = "tracked";
    GridParam a{"a", {}};
    GridParam b{"b", {}};
    for (int v = 0; v < c.a; ++v) a.values.push_back(iv(v));
    for (int v = 0; v < c.b; ++v) b.values.push_back(iv(v));
    spec.grid = {a, b};
    spec.processes = c.processes;
    spec.objective_duration = DurationDist::uniform(50'000, 250'000);
    spec.request_latency = DurationDist::uniform(1000, 5000);
    spec.response_latency = DurationDist::uniform(1000, 5000);
    spec.limits.max_trials_per_run = 4 * c.a * c.b;
    const auto run = [&](bool tracked) {
      use_tracked_target_lists(tracked);
      RandomStrategy strategy(c.run_seed);
      const RunOutcome o =
          simulate(RunRequest{&spec, PolicyRegistry::find(c.policy), *parse_seed_policy("none"), c.run_seed, &strategy});
      use_tracked_target_lists(true);
      return o;
    };
    const std::int64_t before = tracked_target_draws();
    const RunOutcome with = run(true);
    const std::int64_t tracked = tracked_target_draws() - before;
    const RunOutcome built = run(false);
    EXPECT_EQ(tracked_target_draws() - before, tracked) << c.policy << ": the switch must turn the tracker off";
    // A run of N points takes ~0.3 N draws from wrapped lists under the copy path (measured: 35-45%).
    EXPECT_GT(tracked, c.a * c.b / 10) << c.policy << " " << c.a << "x" << c.b;
    EXPECT_EQ(with.trace_hash, built.trace_hash) << c.policy << " " << c.a << "x" << c.b;
    EXPECT_EQ(with.trials, built.trials) << c.policy;
    EXPECT_EQ(with.repeats, built.repeats) << c.policy;
    EXPECT_EQ(with.never_evaluated, built.never_evaluated) << c.policy;
  }
}

}  // namespace
}  // namespace samplersim
