// `samplersim guarantees` prints the matrix from its data, and the new built-in scenarios load and
// compare every policy of the matrix.
#include <gtest/gtest.h>

#include <set>
#include <sstream>

#include <fmt/format.h>

#include "app/guarantees.h"
#include "app/scenario_files.h"
#include "tests/cli/cli_util.h"

namespace samplersim {
namespace {

TEST(GuaranteesCommand, PrintsEveryRowWithItsCellsInOrder) {
  const auto dir = testing::scratch_dir("guarantees");
  const auto r = testing::run_cli("guarantees", dir);
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.err, "");
  for (const GuaranteeRow& row : guarantee_matrix()) {
    const std::string label = fmt::format("{}/{}", row.policy, row.seed_policy);
    const auto at = r.out.find(label + " ");
    ASSERT_NE(at, std::string::npos) << label;
    std::istringstream line(r.out.substr(at, r.out.find('\n', at) - at));
    std::string word;
    line >> word;
    for (const GuaranteeCell& cell : row.cells) {
      ASSERT_TRUE(line >> word) << label;
      const std::string expected = fmt::format("{}/{}", cell.coverage == Verdict::kHolds ? "holds" : "VIOLATED",
                                               cell.no_repeats == Verdict::kHolds ? "holds" : "VIOLATED");
      EXPECT_EQ(word, expected) << label;
    }
  }
  for (Fault c : kGuaranteeColumns) EXPECT_NE(r.out.find(std::string(to_string(c))), std::string::npos);
}

TEST(FaultScenarios, LoadAndCompareEveryMatrixPolicy) {
  std::set<std::string> matrix_policies;
  for (const GuaranteeRow& row : guarantee_matrix()) matrix_policies.insert(std::string(row.policy));
  for (const char* name : {"crash-recovery", "flaky-objective", "slow-store", "late-joiners"}) {
    const ScenarioSpec spec = load_scenario(name);
    EXPECT_TRUE(spec.faults.present) << name;
    EXPECT_FALSE(spec.faults.fault_free()) << name;
    const std::set<std::string> compared(spec.policies.begin(), spec.policies.end());
    EXPECT_EQ(compared, matrix_policies) << name;
  }
}

}  // namespace
}  // namespace samplersim
