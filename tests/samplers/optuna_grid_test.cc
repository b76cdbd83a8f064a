// OptunaGridSampler and its family table.
// - Every table row is registered as its policy, with its versions and summary.
// - The grid list each row builds (`_all_grids` as canonical ids) equals the reference's measured
//   example (shared/reference/optuna-grid-behaviour.md section 8, "4.0+ default sampler"): the
//   value order, the shuffle and seed=None are columns, so this pins each of them.
// - The label a trial's evaluation carries is the grid_id its sampler wrote for it, for every
//   Optuna family, several processes and threads; policies without grid ids report -1.
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "samplers/grid_family.h"
#include "samplers/optuna_attrs.h"
#include "samplers/optuna_grid.h"
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
    std::vector<std::int64_t> grid_list;
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

}  // namespace
}  // namespace samplersim
