// `samplersim sweep`: results independent of --jobs, kill -9 + --resume loses and duplicates
// nothing, bad specs and mismatched results files are refused with one line (exit 2), and axes
// really change the scenario.
#include <gtest/gtest.h>

#include <set>

#include "tests/cli/cli_util.h"
#include "tests/sweep/sweep_test_util.h"

namespace samplersim::testing {
namespace {

class SweepCommand : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = scratch_dir(std::string("sweep-") + ::testing::UnitTest::GetInstance()->current_test_info()->name());
    spec_ = dir_ + "/small.toml";
    write_text(spec_, small_spec_text());
  }
  std::string dir_;
  std::string spec_;
};

TEST_F(SweepCommand, JobsOneAndTwoGiveIdenticalResultsAfterSortingByRunKey) {
  const CliResult one = run_cli("sweep " + spec_ + " --jobs 1 --out " + dir_ + "/one.jsonl", dir_);
  ASSERT_EQ(one.status, 0) << one.err;
  const CliResult two = run_cli("sweep " + spec_ + " --jobs 2 --out " + dir_ + "/two.jsonl", dir_);
  ASSERT_EQ(two.status, 0) << two.err;
  const std::string a = read_all(dir_ + "/one.jsonl");
  const std::string b = read_all(dir_ + "/two.jsonl");
  // 300*6 + 2*100*6 + 100*2*3 runs.
  EXPECT_EQ(count_lines(a), 300 * 6 + 2 * 100 * 6 + 100 * 2 * 3);
  EXPECT_EQ(sorted_by_run_key(a), sorted_by_run_key(b));
  // Stronger contract of app/sweep_runner.h: lines are written in plan order, so even unsorted.
  EXPECT_EQ(a, b);
  std::set<std::string> keys;
  for (const std::string& l : lines_of(a)) keys.insert(nlohmann::json::parse(l).at("run_key").get<std::string>());
  EXPECT_EQ(keys.size(), static_cast<std::size_t>(count_lines(a))) << "run keys must be unique";
}

TEST_F(SweepCommand, KillNineMidLineThenResumeGivesByteIdenticalResultsAndReport) {
  const CliResult full = run_cli("sweep " + spec_ + " --out " + dir_ + "/full.jsonl", dir_);
  ASSERT_EQ(full.status, 0) << full.err;
  // SIGKILL after 1234 lines, halfway through writing line 1235 (see app/sweep_runner.h).
  const CliResult killed =
      run_cli_env("sweep " + spec_ + " --out " + dir_ + "/resumed.jsonl", dir_, "SAMPLERSIM_SWEEP_KILL_AFTER_RUNS=1235");
  ASSERT_EQ(killed.status, 128 + 9) << "the sweep should have been killed: " << killed.err;
  const std::string torn = read_all(dir_ + "/resumed.jsonl");
  ASSERT_FALSE(torn.empty());
  ASSERT_NE(torn.back(), '\n') << "the kill should leave a torn last line";
  ASSERT_EQ(count_lines(torn), 1234);
  // A torn file is not a valid report input.
  EXPECT_EQ(run_cli("report " + dir_ + "/resumed.jsonl --out " + dir_ + "/bad-report", dir_).status, 2);

  const CliResult resumed = run_cli("sweep " + spec_ + " --resume --out " + dir_ + "/resumed.jsonl", dir_);
  ASSERT_EQ(resumed.status, 0) << resumed.err;
  EXPECT_NE(resumed.out.find("removed a torn last line"), std::string::npos) << resumed.out;
  EXPECT_NE(resumed.out.find("1234 already in"), std::string::npos) << resumed.out;
  const std::string a = read_all(dir_ + "/full.jsonl");
  const std::string b = read_all(dir_ + "/resumed.jsonl");
  EXPECT_EQ(sorted_by_run_key(a), sorted_by_run_key(b));

  // The aggregated results (the whole report) are byte-identical too.
  ASSERT_EQ(run_cli("report " + dir_ + "/full.jsonl --out " + dir_ + "/report-full", dir_).status, 0);
  ASSERT_EQ(run_cli("report " + dir_ + "/resumed.jsonl --out " + dir_ + "/report-resumed", dir_).status, 0);
  EXPECT_EQ(read_all(dir_ + "/report-full/report.md"), read_all(dir_ + "/report-resumed/report.md"));
  EXPECT_EQ(read_all(dir_ + "/report-full/report.html"), read_all(dir_ + "/report-resumed/report.html"));

  // Resuming a complete sweep runs nothing and changes nothing.
  const CliResult again = run_cli("sweep " + spec_ + " --resume --out " + dir_ + "/resumed.jsonl", dir_);
  ASSERT_EQ(again.status, 0) << again.err;
  EXPECT_NE(again.out.find(", 0 run now"), std::string::npos) << again.out;
  EXPECT_EQ(read_all(dir_ + "/resumed.jsonl"), b);
}

TEST_F(SweepCommand, RefusesToOverwriteAndRefusesAnotherSpecsResults) {
  ASSERT_EQ(run_cli("sweep " + spec_ + " --out " + dir_ + "/r.jsonl", dir_).status, 0);
  const std::string before = read_all(dir_ + "/r.jsonl");
  const CliResult again = run_cli("sweep " + spec_ + " --out " + dir_ + "/r.jsonl", dir_);
  EXPECT_EQ(again.status, 2);
  EXPECT_NE(again.err.find("--resume"), std::string::npos) << again.err;
  EXPECT_EQ(count_lines(again.err), 1);
  EXPECT_EQ(read_all(dir_ + "/r.jsonl"), before);

  write_text(dir_ + "/other.toml", "reps = 10\n[[scenario]]\nscenario = \"issue-5489\"\nseed = 99\n");
  const CliResult other = run_cli("sweep " + dir_ + "/other.toml --resume --out " + dir_ + "/r.jsonl", dir_);
  EXPECT_EQ(other.status, 2);
  EXPECT_NE(other.err.find("r.jsonl:1: run_key"), std::string::npos) << other.err;
  EXPECT_EQ(read_all(dir_ + "/r.jsonl"), before);
}

TEST_F(SweepCommand, AxesOverrideScenarioKeysThroughTheLoader) {
  const CliResult r = run_cli("sweep " + spec_ + " --out " + dir_ + "/r.jsonl", dir_);
  ASSERT_EQ(r.status, 0) << r.err;
  std::set<std::int64_t> processes_with_axis;
  for (const std::string& l : lines_of(read_all(dir_ + "/r.jsonl"))) {
    const auto j = nlohmann::json::parse(l);
    if (j.at("axes").contains("workers.processes")) {
      EXPECT_EQ(j.at("processes"), j.at("axes").at("workers.processes"));
      processes_with_axis.insert(j.at("processes").get<std::int64_t>());
      EXPECT_NE(j.at("scenario_digest"), j.at("base_scenario_digest"));
    } else {
      EXPECT_EQ(j.at("scenario_digest"), j.at("base_scenario_digest"));
    }
    EXPECT_EQ(j.contains("coverage_curve"), j.at("rep") == 0);
  }
  EXPECT_EQ(processes_with_axis, (std::set<std::int64_t>{2, 4}));
}

struct BadSpec {
  const char* text;
  const char* expect;  // substring of the one-line error
};

TEST_F(SweepCommand, BadSpecsFailWithOneLineAndNoOutput) {
  const BadSpec cases[] = {
      {"reps = 10\n", "scenario: expected one or more [[scenario]] tables"},
      {"bogus = 1\n[[scenario]]\nscenario = \"issue-5489\"\n", ":1: bogus: expected one of name, reps, scenario at the top level, got an unknown key"},
      {"[[scenario]]\nscenario = \"no-such-scenario\"\n", "no-such-scenario"},
      {"[[scenario]]\nscenario = \"issue-5489\"\nreps = 0\n", "scenario[0].reps: expected an integer"},
      {"[[scenario]]\nscenario = \"issue-5489\"\n[scenario.axes]\n\"workers.processes\" = [0]\n", "workers.processes"},
      // A key the scenario schema does not have fails in the scenario loader, not silently.
      {"[[scenario]]\nscenario = \"issue-5489\"\n[scenario.axes]\n\"faults.no_such_rate\" = [0.1]\n", "faults"},
      {"[[scenario]]\nscenario = \"issue-5489\"\n[scenario.axes]\n\"workers.processes\" = []\n", "non-empty array"},
      {"[[scenario]]\nscenario = \"issue-5489\"\n[[scenario]]\nscenario = \"issue-5489\"\n", "appears twice"},
      {"[[scenario]\n", "TOML syntax error"},
  };
  int i = 0;
  for (const BadSpec& c : cases) {
    const std::string spec = dir_ + "/bad" + std::to_string(i) + ".toml";
    const std::string out = dir_ + "/bad" + std::to_string(i++) + ".jsonl";
    write_text(spec, c.text);
    const CliResult r = run_cli("sweep " + spec + " --out " + out, dir_);
    EXPECT_EQ(r.status, 2) << c.text;
    EXPECT_EQ(count_lines(r.err), 1) << r.err;
    EXPECT_NE(r.err.find(c.expect), std::string::npos) << "spec:\n" << c.text << "\nerror: " << r.err;
    EXPECT_FALSE(std::filesystem::exists(out)) << c.text;
  }
}

TEST_F(SweepCommand, ProgressOnAPipeIsAFewPlainLines) {
  const CliResult r = run_cli("sweep " + spec_ + " --out " + dir_ + "/r.jsonl", dir_);
  ASSERT_EQ(r.status, 0);
  EXPECT_LE(count_lines(r.err), 5) << r.err;
  EXPECT_EQ(r.err.find('\r'), std::string::npos) << "no carriage returns off a terminal";
  EXPECT_NE(r.err.find("runs/s"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace samplersim::testing
