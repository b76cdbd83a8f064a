// `report` also reads `run --json` files (no run_key): runs with different run seeds are kept
// apart, the same file twice counts once.
#include <gtest/gtest.h>

#include "tests/cli/cli_util.h"

namespace samplersim::testing {
namespace {

TEST(ReportInputs, ReadsRunJsonFilesAndKeepsDifferentSeedsApart) {
  const std::string dir = scratch_dir("report-run-json");
  ASSERT_EQ(run_cli("run issue-5489 --reps 20 --json " + dir + "/a.jsonl", dir).status, 0);
  ASSERT_EQ(run_cli("run issue-5489 --reps 20 --seed 2 --json " + dir + "/b.jsonl", dir).status, 0);
  const CliResult r = run_cli("report " + dir + "/a.jsonl " + dir + "/b.jsonl " + dir + "/a.jsonl --out " + dir + "/report", dir);
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("report of 240 runs"), std::string::npos) << r.out;
  EXPECT_NE(read_all(dir + "/report/report.md").find("| optuna-3.6 | none | 40 |"), std::string::npos);
}

}  // namespace
}  // namespace samplersim::testing
