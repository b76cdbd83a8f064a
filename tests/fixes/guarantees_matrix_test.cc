// Every cell of the guarantees matrix (app/guarantees.h) against the model.
//
// "holds":    the property passes on all of kHoldsCases generated cases (tests/fixes/fix_check.h:
//             2x2..3x3 grids, 2–6 workers, random timings, fault draws and ChoicesStrategy picks).
// "violated": a counterexample is found within the first kSearchBudget generated cases, then shrunk
//             greedily (smaller shape, shorter picks, picks lowered); the shrunk case must still fail
//             and be no larger. The shrunk case is printed, so a reader can replay it.
// Deterministic: fixed case streams; no seed was chosen to make a cell pass.
#include <gtest/gtest.h>

#include <cctype>
#include <iostream>

#include "tests/fixes/fix_check.h"
#include "tests/param_names.h"

namespace samplersim {
namespace {

using fixcheck::Case;
using fixcheck::Cell;

constexpr std::uint64_t kHoldsCases = 1'000;
constexpr std::uint64_t kSearchBudget = 2'000;
constexpr std::uint64_t kStreamSeed = 20261128;

struct CellParam {
  Cell cell;
  Verdict expected;
};

std::vector<CellParam> all_cells() {
  std::vector<CellParam> out;
  for (const GuaranteeRow& row : guarantee_matrix()) {
    for (Fault fc : kGuaranteeColumns) {
      const GuaranteeCell& g = row.cell(fc);
      out.push_back({{std::string(row.policy), std::string(row.seed_policy), fc, Property::kCoverage}, g.coverage});
      out.push_back({{std::string(row.policy), std::string(row.seed_policy), fc, Property::kNoRepeats}, g.no_repeats});
    }
  }
  return out;
}

std::string cell_name(const testing::TestParamInfo<CellParam>& info) {
  const Cell& c = info.param.cell;
  return samplersim::param_name(
      fmt::format("{}_{}_{}_{}", c.policy, c.seed_policy, to_string(c.faults), to_string(c.property)));
}

void PrintTo(const CellParam& p, std::ostream* os) {
  *os << p.cell.policy << "/" << p.cell.seed_policy << " under " << to_string(p.cell.faults) << ": "
      << to_string(p.cell.property) << " " << to_string(p.expected);
}

class GuaranteeCellTest : public testing::TestWithParam<CellParam> {};

TEST_P(GuaranteeCellTest, MatchesTheModel) {
  const CellParam& p = GetParam();
  if (p.expected == Verdict::kHolds) {
    for (std::uint64_t i = 0; i < kHoldsCases; ++i) {
      const Case c = fixcheck::generate_case(kStreamSeed, i);
      const auto v = fixcheck::check_case(p.cell, c);
      ASSERT_FALSE(v) << "case " << i << " (" << fixcheck::describe_case(c) << "): " << v->detail;
    }
    return;
  }
  const std::optional<Case> found = fixcheck::find_counterexample(p.cell, kStreamSeed, kSearchBudget);
  ASSERT_TRUE(found) << "no counterexample in " << kSearchBudget << " cases";
  const Case shrunk = fixcheck::shrink(p.cell, *found);
  const auto v = fixcheck::check_case(p.cell, shrunk);
  ASSERT_TRUE(v) << "the shrunk case no longer fails";
  EXPECT_LE(shrunk.shape.size(), found->shape.size());
  EXPECT_LE(shrunk.picks.size(), found->picks.size());
  std::cout << "  " << p.cell.policy << "/" << p.cell.seed_policy << " " << to_string(p.cell.faults) << " "
            << to_string(p.cell.property) << " counterexample: " << fixcheck::describe_case(shrunk) << ": " << v->detail << "\n";
}

INSTANTIATE_TEST_SUITE_P(Matrix, GuaranteeCellTest, testing::ValuesIn(all_cells()), cell_name);

// The matrix covers exactly the rows the issue names, and every policy in it is registered.
TEST(GuaranteeMatrix, RowsAreThePoliciesCompared) {
  std::vector<std::string> rows;
  for (const GuaranteeRow& r : guarantee_matrix()) {
    EXPECT_NE(PolicyRegistry::find(std::string(r.policy)), nullptr) << r.policy;
    EXPECT_TRUE(parse_seed_policy(r.seed_policy)) << r.seed_policy;
    rows.push_back(fmt::format("{}/{}", r.policy, r.seed_policy));
  }
  EXPECT_EQ(rows, (std::vector<std::string>{"optuna-3.2/none", "optuna-3.6/none", "optuna-3.6/same:42",
                                            "optuna-4/none", "shared-seed/none", "atomic-claim/none",
                                            "enqueue-all/none", "leased-claim/none",
                                            "fenced-leased-claim/none"}));
}

}  // namespace
}  // namespace samplersim
