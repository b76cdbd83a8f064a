// Output folders are created as needed (issue 13): `export-trace --out a/b/t.json`,
// `check --out a/b/c`, `run --json a/b/r.jsonl`, `sweep --out a/b/r.jsonl` and `report --out a/b`
// make the missing folders, parents included, only once the input has been read, so bad input
// still leaves nothing behind; a path under a regular file is a one-line output error (exit 4)
// naming that file. (`audit --report a/b`: tests/cli/audit_command_test.cc.)
#include <gtest/gtest.h>

#include <filesystem>

#include "tests/cli/cli_util.h"
#include "tests/cli/sweep_test_util.h"

namespace samplersim::testing {
namespace {

namespace fs = std::filesystem;

TEST(OutputDirs, ExportTraceCreatesTheMissingFoldersOfItsOutFile) {
  const std::string dir = scratch_dir("outdirs-export-trace");
  const std::string out = dir + "/new/deeper/trace.json";
  const CliResult r = run_cli("export-trace issue-5489 --policy optuna-3.6 --seed-policy none --out " + out, dir);
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_TRUE(fs::is_regular_file(out));
  EXPECT_NE(read_all(out).find("traceEvents"), std::string::npos);
}

TEST(OutputDirs, ExportTraceWithBadInputCreatesNoFolder) {
  const std::string dir = scratch_dir("outdirs-export-trace-bad");
  const CliResult r = run_cli("export-trace no-such-scenario --out " + dir + "/new/trace.json", dir);
  EXPECT_EQ(r.status, 2) << r.err;
  EXPECT_FALSE(fs::exists(dir + "/new"));
}

TEST(OutputDirs, CheckCreatesTheMissingFoldersOfItsOutDirectory) {
  const std::string dir = scratch_dir("outdirs-check");
  const std::string out = dir + "/new/deeper/cex";
  const CliResult r = run_cli("check issue-5489 --policy optuna-3.6 --seed-policy none --property no-repeats --budget 200 --out " + out, dir);
  ASSERT_EQ(r.status, 1) << r.err << r.out;  // issue 5489: optuna-3.6 with seed=None repeats
  EXPECT_TRUE(fs::is_regular_file(out + "/replay.json"));
}

TEST(OutputDirs, RunSweepAndReportCreateTheMissingFoldersOfTheirOutputs) {
  const std::string dir = scratch_dir("outdirs-run-sweep-report");
  const CliResult run = run_cli("run issue-5489 --reps 2 --policy optuna-4 --seed-policy none --json " + dir + "/a/b/runs.jsonl --trace " +
                                    dir + "/c/trace.txt --schedule " + dir + "/d/e/replay.json", dir);
  ASSERT_EQ(run.status, 0) << run.err;
  EXPECT_EQ(lines_of(read_all(dir + "/a/b/runs.jsonl")).size(), 2u);
  EXPECT_TRUE(fs::is_regular_file(dir + "/c/trace.txt"));
  EXPECT_TRUE(fs::is_regular_file(dir + "/d/e/replay.json"));

  write_text(dir + "/spec.toml", "reps = 1\n[[scenario]]\nscenario = \"issue-5489\"\npolicies = [\"optuna-4\"]\n");
  const CliResult sweep = run_cli("sweep " + dir + "/spec.toml --quiet --jobs 1 --out " + dir + "/s/t/r.jsonl", dir);
  ASSERT_EQ(sweep.status, 0) << sweep.err;
  EXPECT_FALSE(read_all(dir + "/s/t/r.jsonl").empty());

  const CliResult report = run_cli("report " + dir + "/a/b/runs.jsonl --out " + dir + "/r/s/report", dir);
  ASSERT_EQ(report.status, 0) << report.err;
  EXPECT_TRUE(fs::is_regular_file(dir + "/r/s/report/report.html"));
}

TEST(OutputDirs, BadInputCreatesNoFolderForRunSweepOrReport) {
  const std::string dir = scratch_dir("outdirs-bad-input");
  for (const std::string& args : {"run no-such-scenario --json " + dir + "/new/runs.jsonl",
                                  "sweep " + dir + "/no-such-spec.toml --out " + dir + "/new/r.jsonl",
                                  "report " + dir + "/no-such-results.jsonl --out " + dir + "/new/report"}) {
    const CliResult r = run_cli(args, dir);
    EXPECT_EQ(r.status, 2) << args << "\n" << r.err;
    EXPECT_FALSE(fs::exists(dir + "/new")) << args;
  }
}

TEST(OutputDirs, AnOutPathUnderARegularFileIsAOneLineError) {
  const std::string dir = scratch_dir("outdirs-under-file");
  write_text(dir + "/file", "x");
  for (const std::string& args : {std::string("export-trace issue-5489 --policy optuna-3.6 --seed-policy none --out ") + dir + "/file/sub/t.json",
                                  std::string("check issue-5489 --policy optuna-3.6 --budget 10 --out ") + dir + "/file/sub",
                                  std::string("report ") + dir + "/file --out " + dir + "/file/sub"}) {
    const CliResult r = run_cli(args, dir);
    EXPECT_EQ(r.status, 4) << args << "\n" << r.err;
    EXPECT_EQ(lines_of(r.err).size(), 1u) << r.err;
    EXPECT_NE(r.err.find(dir + "/file exists and is not a directory"), std::string::npos) << r.err;
    EXPECT_EQ(r.out, "") << args;
  }
  EXPECT_EQ(read_all(dir + "/file"), "x");
}

}  // namespace
}  // namespace samplersim::testing
