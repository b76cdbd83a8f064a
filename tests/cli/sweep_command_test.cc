// `samplersim sweep`: results independent of --jobs, kill -9 + --resume loses and duplicates
// nothing, bad specs and mismatched results files are refused with one line (exit 2), and axes
// really change the scenario.
#include <gtest/gtest.h>

#include <set>

#include "tests/cli/cli_util.h"
#include "tests/cli/sweep_test_util.h"

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

// A real kill -9 from outside the process: the sweep runs on one thread (so its file grows one
// line at a time), the test waits until the results file holds kKillAfterLines complete lines and
// sends SIGKILL. Nothing here depends on timing: the wait is for the file's content (polled, with
// a bound on the number of polls only so that a sweep that never writes fails instead of hanging).
constexpr int kKillAfterLines = 100;
constexpr int kMaxPolls = 600'000;  // of 1 ms each: far beyond any sane time to write 100 lines

TEST_F(SweepCommand, KillNineThenResumeGivesByteIdenticalResultsAndReport) {
  const CliResult full = run_cli("sweep " + spec_ + " --out " + dir_ + "/full.jsonl", dir_);
  ASSERT_EQ(full.status, 0) << full.err;
  const std::string a = read_all(dir_ + "/full.jsonl");
  const std::string resumed_path = dir_ + "/resumed.jsonl";

  const pid_t pid = start_cli("sweep " + spec_ + " --jobs 1 --quiet --out " + resumed_path, dir_);
  ASSERT_GT(pid, 0);
  int status = 0;
  bool ended_by_itself = false;
  for (int poll = 0; poll < kMaxPolls && complete_lines_in(resumed_path) < kKillAfterLines; ++poll) {
    if (::waitpid(pid, &status, WNOHANG) == pid) {
      ended_by_itself = true;
      break;
    }
    ::usleep(1000);
  }
  if (!ended_by_itself) {
    ASSERT_EQ(::kill(pid, SIGKILL), 0);
    ASSERT_EQ(::waitpid(pid, &status, 0), pid);
  }
  ASSERT_FALSE(ended_by_itself) << "the sweep ended (status " << status << ") before it had "
                                << kKillAfterLines << " lines to be killed at: " << read_all(dir_ + "/stderr.txt");
  ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL) << "status " << status;
  const std::string killed = read_all(resumed_path);
  const int kept = count_lines(killed);
  ASSERT_GE(kept, kKillAfterLines);
  ASSERT_LT(kept, count_lines(a)) << "the kill should have interrupted the sweep";

  const CliResult resumed = run_cli("sweep " + spec_ + " --resume --out " + resumed_path, dir_);
  ASSERT_EQ(resumed.status, 0) << resumed.err;
  EXPECT_NE(resumed.out.find(std::to_string(kept) + " already in"), std::string::npos) << resumed.out;
  EXPECT_EQ(resumed.out.find("removed a torn last line") != std::string::npos, killed.back() != '\n') << resumed.out;
  const std::string b = read_all(resumed_path);
  EXPECT_EQ(sorted_by_run_key(a), sorted_by_run_key(b));
  EXPECT_EQ(a, b) << "lines are appended in plan order, before and after the kill";

  // The aggregated results (the whole report) are byte-identical too.
  ASSERT_EQ(run_cli("report " + dir_ + "/full.jsonl --out " + dir_ + "/report-full", dir_).status, 0);
  ASSERT_EQ(run_cli("report " + resumed_path + " --out " + dir_ + "/report-resumed", dir_).status, 0);
  EXPECT_EQ(read_all(dir_ + "/report-full/report.md"), read_all(dir_ + "/report-resumed/report.md"));
  EXPECT_EQ(read_all(dir_ + "/report-full/report.html"), read_all(dir_ + "/report-resumed/report.html"));

  // Resuming a complete sweep runs nothing and changes nothing.
  const CliResult again = run_cli("sweep " + spec_ + " --resume --out " + resumed_path, dir_);
  ASSERT_EQ(again.status, 0) << again.err;
  EXPECT_NE(again.out.find(", 0 run now"), std::string::npos) << again.out;
  EXPECT_EQ(read_all(resumed_path), b);
}

// What a kill -9 in the middle of a write(2) leaves: a file cut inside a line. The test cuts a
// complete results file halfway through line 1235 and resumes it.
TEST_F(SweepCommand, ResumeDropsATornLastLineAndCompletesTheFile) {
  const CliResult full = run_cli("sweep " + spec_ + " --out " + dir_ + "/full.jsonl", dir_);
  ASSERT_EQ(full.status, 0) << full.err;
  const std::string a = read_all(dir_ + "/full.jsonl");
  std::size_t cut = 0;
  for (int line = 0; line < 1234; ++line) cut = a.find('\n', cut) + 1;
  const std::size_t next_end = a.find('\n', cut) + 1;
  const std::string torn = a.substr(0, cut + (next_end - cut) / 2);
  write_text(dir_ + "/resumed.jsonl", torn);
  ASSERT_FALSE(torn.empty());
  ASSERT_NE(torn.back(), '\n') << "the cut should leave a torn last line";
  ASSERT_EQ(count_lines(torn), 1234);
  // A torn file is not a valid report input.
  EXPECT_EQ(run_cli("report " + dir_ + "/resumed.jsonl --out " + dir_ + "/bad-report", dir_).status, 2);

  const CliResult resumed = run_cli("sweep " + spec_ + " --resume --out " + dir_ + "/resumed.jsonl", dir_);
  ASSERT_EQ(resumed.status, 0) << resumed.err;
  EXPECT_NE(resumed.out.find("removed a torn last line"), std::string::npos) << resumed.out;
  EXPECT_NE(resumed.out.find("1234 already in"), std::string::npos) << resumed.out;
  const std::string b = read_all(dir_ + "/resumed.jsonl");
  EXPECT_EQ(sorted_by_run_key(a), sorted_by_run_key(b));
  EXPECT_EQ(a, b);
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
      // An unknown axis key is blamed at its line and gets the nearest dotted key of the schema,
      // as an unknown key of a scenario file gets the nearest key of its table.
      {"[[scenario]]\nscenario = \"issue-5489\"\n[scenario.axes]\n\"processes\" = [2]\n",
       ":4: scenario[0].axes.\"processes\"[0]: expected one of "},
      {"[[scenario]]\nscenario = \"issue-5489\"\n[scenario.axes]\n\"processes\" = [2]\n",
       "got an unknown key (did you mean \"workers.processes\"?)"},
      {"[[scenario]]\nscenario = \"issue-5489\"\n[scenario.axes]\n\"worker.processes\" = [2]\n",
       ":4: scenario[0].axes.\"worker.processes\"[0]: expected one of "},
      {"[[scenario]]\nscenario = \"issue-5489\"\n[scenario.axes]\n\"worker.processes\" = [2]\n",
       "got an unknown table (did you mean \"workers.processes\"?)"},
      {"[[scenario]]\nscenario = \"issue-5489\"\n[scenario.axes]\n\"workers.procesess\" = [2]\n",
       "got an unknown key (did you mean \"workers.processes\"?)"},
      // The scenario's [run] reps is never what a sweep runs with: an axis of it is refused, not
      // ignored (it gave identical points).
      {"reps = 10\n[[scenario]]\nscenario = \"issue-5489\"\n[scenario.axes]\n\"run.reps\" = [5, 6]\n",
       ":5: scenario[0].axes.\"run.reps\": expected a key the sweep's runs read"},
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
