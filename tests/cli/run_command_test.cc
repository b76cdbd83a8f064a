// End-to-end tests of `samplersim run` and `samplersim list` through the built binary.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "tests/cli/cli_util.h"
#include "tests/param_names.h"

namespace samplersim {
namespace {

using testing::run_cli;
using testing::scratch_dir;

const std::string kSource = SAMPLERSIM_SOURCE_DIR;

TEST(CliRun, PrintsTheComparisonTable) {
  const auto dir = scratch_dir("table");
  const auto r = run_cli("run " + kSource + "/scenarios/issue-5489.toml --reps 300", dir);
  ASSERT_EQ(r.status, 0) << r.err;
  for (const char* arm : {"optuna-3.2/none", "optuna-3.6/none", "optuna-4/none", "optuna-3.2/same:42",
                          "optuna-3.6/same:42", "optuna-4/same:42"}) {
    EXPECT_NE(r.out.find(arm), std::string::npos) << arm;
  }
  EXPECT_NE(r.out.find("P(repeats>0) [95%]"), std::string::npos);
  EXPECT_TRUE(r.err.empty()) << r.err;
}

TEST(CliRun, BuiltinNameWorksLikeItsPath) {
  const auto dir = scratch_dir("builtin");
  const auto a = run_cli("run issue-5489 --reps 50 --policy optuna-3.6", dir);
  const auto b = run_cli("run " + kSource + "/scenarios/issue-5489.toml --reps 50 --policy optuna-3.6", dir);
  ASSERT_EQ(a.status, 0) << a.err;
  EXPECT_EQ(a.out.substr(a.out.find('\n')), b.out.substr(b.out.find('\n')));
}

TEST(CliRun, JsonLinesHaveOneLinePerRunAndDoNotDependOnJobs) {
  const auto dir = scratch_dir("json");
  const auto a = run_cli("run issue-5489 --reps 40 --jobs 1 --json " + dir + "/a.jsonl", dir);
  const auto b = run_cli("run issue-5489 --reps 40 --jobs 2 --json " + dir + "/b.jsonl", dir);
  ASSERT_EQ(a.status, 0) << a.err;
  ASSERT_EQ(b.status, 0) << b.err;
  const std::string ja = testing::read_all(dir + "/a.jsonl");
  EXPECT_EQ(testing::count_lines(ja), 40 * 6);
  EXPECT_EQ(ja, testing::read_all(dir + "/b.jsonl"));
  EXPECT_NE(ja.find("\"trace_hash\""), std::string::npos);
  EXPECT_NE(ja.find("\"run_seed\""), std::string::npos);
}

TEST(CliRun, ScheduleReplaysBitForBit) {
  const auto dir = scratch_dir("replay");
  const auto rec = run_cli("run grid-4x5-w4 --reps 3 --policy optuna-3.2 --seed-policy same:42 --trace-rep 2 "
                           "--trace " + dir + "/t.txt --schedule " + dir + "/s.json", dir);
  ASSERT_EQ(rec.status, 0) << rec.err;
  const auto rep = run_cli("run --replay " + dir + "/s.json --trace " + dir + "/t2.txt", dir);
  ASSERT_EQ(rep.status, 0) << rep.out << rep.err;
  EXPECT_NE(rep.out.find("reproduced"), std::string::npos);
  // The replayed trace equals the recorded one, event for event (only the header differs).
  auto body = [](std::string s) { return s.substr(s.find('\n')); };
  EXPECT_EQ(body(testing::read_all(dir + "/t.txt")), body(testing::read_all(dir + "/t2.txt")));
}

TEST(CliRun, TamperedReplayIsReported) {
  const auto dir = scratch_dir("tamper");
  ASSERT_EQ(run_cli("run grid-4x5-w4 --reps 1 --policy optuna-3.2 --seed-policy none --schedule " + dir + "/s.json", dir).status, 0);
  std::string text = testing::read_all(dir + "/s.json");
  const auto pos = text.find("\"trace_hash\": \"");
  ASSERT_NE(pos, std::string::npos);
  text[pos + 15] = text[pos + 15] == '0' ? '1' : '0';
  std::ofstream(dir + "/s.json") << text;
  const auto r = run_cli("run --replay " + dir + "/s.json", dir);
  EXPECT_EQ(r.status, 1) << r.out << r.err;
  EXPECT_NE(r.out.find("DIVERGED"), std::string::npos);
}

TEST(CliRun, ListShowsScenariosAndPolicies) {
  const auto dir = scratch_dir("list");
  const auto r = run_cli("list", dir);
  ASSERT_EQ(r.status, 0) << r.err;
  for (const char* s : {"issue-5489", "grid-4x5-w4", "optuna-3.2", "optuna-3.6", "optuna-4"}) {
    EXPECT_NE(r.out.find(s), std::string::npos) << s;
  }
}

TEST(CliRun, HelpOnEveryCommand) {
  const auto dir = scratch_dir("help");
  for (const char* cmd : {"--help", "run --help", "list --help"}) {
    const auto r = run_cli(cmd, dir);
    EXPECT_EQ(r.status, 0) << cmd;
    EXPECT_NE(r.out.find("Usage"), std::string::npos) << cmd;
  }
}

struct BadArgs {
  const char* args;
  const char* expect;  // substring of the one-line error
};

void PrintTo(const BadArgs& b, std::ostream* os) { *os << b.args; }

class CliBadArgs : public ::testing::TestWithParam<BadArgs> {};

TEST_P(CliBadArgs, OneLineErrorExitTwoNoOutputFile) {
  const auto dir = scratch_dir("badargs");
  const auto r = run_cli(std::string(GetParam().args) + " --json " + dir + "/out.jsonl", dir);
  EXPECT_EQ(r.status, 2) << r.out << r.err;
  EXPECT_EQ(testing::count_lines(r.err), 1) << r.err;
  EXPECT_NE(r.err.find(GetParam().expect), std::string::npos) << r.err;
  EXPECT_FALSE(std::filesystem::exists(dir + "/out.jsonl"));
}

INSTANTIATE_TEST_SUITE_P(
    Cases, CliBadArgs,
    ::testing::Values(BadArgs{"run issue-5489 --reps 0", "--reps"},
                      BadArgs{"run issue-5489 --reps abc", "--reps"},
                      BadArgs{"run issue-5489 --policy optuna-9", "unknown policy 'optuna-9'"},
                      BadArgs{"run issue-5489 --policy optuna-36", "unknown policy 'optuna-36' (did you mean \"optuna-3.6\"?)"},
                      BadArgs{"run issue-5489 --seed-policy same:-1", "--seed-policy"},
                      BadArgs{"run issue-5489 --bogus", "bogus"},
                      BadArgs{"run no-such-scenario", "no-such-scenario"},
                      BadArgs{"run issue-5489 --schedule /tmp/x.json", "--schedule"},
                      BadArgs{"run --replay /nonexistent/replay.json", "replay"},
                      BadArgs{"run issue-5489 --max-repeats -1", "--max-repeats: expected a number >= 0 such as 2 or 0.25, got '-1'"},
                      BadArgs{"run issue-5489 --max-uncovered 1e3", "--max-uncovered: expected a number >= 0"},
                      BadArgs{"run issue-5489 --max-uncovered nan", "got 'nan'"},
                      BadArgs{"frobnicate", "frobnicate"}),
    [](const ::testing::TestParamInfo<BadArgs>& info) { return param_name(info.param.args); });

// Options that would be silently ignored are refused (a new user's --replay with a scenario, a
// policy or --reps ran the replay and dropped them; --study without --from-db; audit's simulation
// options without --simulate). CLI11's needs/excludes: one line, exit 2, nothing run.
TEST(CliRun, OptionsThatWouldBeIgnoredAreRefused) {
  const auto dir = scratch_dir("ignored");
  const struct {
    std::string args;
    std::string expect;
  } cases[] = {
      {"run --replay " + dir + "/r.json issue-5489", "--replay"},
      {"run --replay " + dir + "/r.json --policy optuna-4", "--replay"},
      {"run --replay " + dir + "/r.json --reps 7", "--replay"},
      {"run --replay " + dir + "/r.json --from-db " + dir + "/s.db", "--replay"},
      {"run issue-5489 --study g", "--from-db"},
      {"audit " + dir + "/s.db --reps 5", "--simulate"},
      {"audit " + dir + "/s.db --workers 3", "--simulate"},
      {"audit " + dir + "/s.db --policy optuna-4", "--simulate"},
  };
  for (const auto& c : cases) {
    const auto r = run_cli(c.args, dir);
    EXPECT_EQ(r.status, 2) << c.args << "\n" << r.out << r.err;
    EXPECT_EQ(testing::count_lines(r.err), 1) << c.args << "\n" << r.err;
    EXPECT_NE(r.err.find(c.expect), std::string::npos) << c.args << "\n" << r.err;
    EXPECT_TRUE(r.out.empty()) << c.args << "\n" << r.out;
  }
}

// real:optuna cannot run n_jobs threads with faults yet: refused as bad input (file, line, key;
// exit 2) before anything runs, by run and check alike; it used to start and fail as a run (exit 3).
TEST(CliRun, RealOptunaRefusesWhatItCannotSimulateBeforeRunning) {
  const auto dir = scratch_dir("real-refuses");
  const std::string path = dir + "/threads.toml";
  std::ofstream(path) << "[grid]\nx = [0, 1]\n[workers]\nprocesses = 2\nthreads = 2\n[objective]\nduration = \"1s\"\n"
                      << "[faults]\nobjective_failure_probability = 0.1\n[compare]\npolicies = [\"optuna-3.1\"]\n";
  const auto run = run_cli("run " + path + " --policy real:optuna --reps 2 --json " + dir + "/out.jsonl", dir);
  EXPECT_EQ(run.status, 2) << run.out << run.err;
  EXPECT_EQ(run.out, "");
  EXPECT_EQ(testing::count_lines(run.err), 1) << run.err;
  EXPECT_NE(run.err.find(path + ":5: workers.threads: expected a scenario that real:optuna can simulate"), std::string::npos)
      << run.err;
  EXPECT_FALSE(std::filesystem::exists(dir + "/out.jsonl"));
  const auto check = run_cli("check " + path + " --policy real:optuna --budget 2 --out " + dir + "/cx", dir);
  EXPECT_EQ(check.status, 2) << check.out << check.err;
  EXPECT_EQ(testing::count_lines(check.err), 1) << check.err;
  EXPECT_NE(check.err.find(path + ":5: workers.threads"), std::string::npos) << check.err;
  EXPECT_FALSE(std::filesystem::exists(dir + "/cx"));
}

// One shuffled grid copy per process (optuna-3.6, seed=None) on a 10^6-point grid with 4,096
// processes would need about 76 GiB: run, check and sweep refuse it before anything runs (exit 2,
// file, line and key), where it used to grow past 8 GB; one seed for all processes runs.
TEST(CliRun, AnArmWhoseSamplersWouldNotFitIsRefusedBeforeRunning) {
  const auto dir = scratch_dir("sampler-memory");
  const std::string path = dir + "/big.toml";
  std::ofstream(path) << "[grid]\na = { range = [0, 1000] }\nb = { range = [0, 1000] }\n[workers]\nprocesses = 4096\n"
                      << "[objective]\nduration = \"1s\"\n[compare]\npolicies = [\"optuna-3.6\"]\n";
  const std::string expect = path + ":5: workers.processes: expected a run whose samplers fit in [run] "
                                    "max_sampler_memory_mib = 8192 (at most 429 processes under optuna-3.6/none";
  for (const std::string& args : {"run " + path + " --reps 1 --json " + dir + "/out.jsonl",
                                  "check " + path + " --policy optuna-3.6 --budget 1 --out " + dir + "/out.jsonl"}) {
    const auto r = run_cli(args, dir);
    EXPECT_EQ(r.status, 2) << args << "\n" << r.out << r.err;
    EXPECT_EQ(r.out, "") << args;
    EXPECT_EQ(testing::count_lines(r.err), 1) << args << "\n" << r.err;
    EXPECT_NE(r.err.find(expect), std::string::npos) << args << "\n" << r.err;
    EXPECT_FALSE(std::filesystem::exists(dir + "/out.jsonl")) << args;
  }
}

// A name that is neither a file nor a built-in scenario points at the built-in it may have meant
// (a new user typed `run issue5489`).
TEST(CliRun, AMistypedBuiltInScenarioNameGetsTheNearestOne) {
  const auto dir = scratch_dir("near-name");
  const auto r = run_cli("run issue5489 --reps 1", dir);
  EXPECT_EQ(r.status, 2) << r.out << r.err;
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(testing::count_lines(r.err), 1) << r.err;
  EXPECT_NE(r.err.find("issue5489: (file): expected a readable scenario file or a built-in scenario name (did you "
                       "mean \"issue-5489\"?)"),
            std::string::npos)
      << r.err;
  const auto far = run_cli("run nothing-like-it --reps 1", dir);
  EXPECT_EQ(far.status, 2) << far.err;
  EXPECT_EQ(far.err.find("did you mean"), std::string::npos) << far.err;
}

// An output may not overwrite an input or another output (a new user's --json small.toml replaced
// the scenario; --json f --trace f lost the JSON): one line, exit 2, the files untouched.
TEST(CliRun, OutputsThatWouldOverwriteAnInputOrEachOtherAreRefused) {
  const auto dir = scratch_dir("clash");
  const std::string scenario = dir + "/small.toml";
  std::ofstream(scenario) << "[grid]\nx = [0, 1]\n[workers]\nprocesses = 2\n[objective]\nduration = \"1s\"\n";
  const std::string before = testing::read_all(scenario);
  for (const auto& [args, expect] : std::vector<std::pair<std::string, std::string>>{
           {"--json " + scenario, "--json: expected a path other than the scenario file"},
           {"--trace " + dir + "/../" + std::filesystem::path(dir).filename().string() + "/small.toml",
            "--trace: expected a path other than the scenario file"},
           {"--json " + dir + "/same.txt --trace " + dir + "/same.txt", "--trace: expected a path other than --json's"}}) {
    const auto r = run_cli("run " + scenario + " --reps 2 " + args, dir);
    EXPECT_EQ(r.status, 2) << args << "\n" << r.out << r.err;
    EXPECT_EQ(testing::count_lines(r.err), 1) << r.err;
    EXPECT_NE(r.err.find(expect), std::string::npos) << r.err;
    EXPECT_EQ(r.out, "");
  }
  EXPECT_EQ(testing::read_all(scenario), before);
  EXPECT_FALSE(std::filesystem::exists(dir + "/same.txt"));
}

TEST(CliRun, UnwritableOutputFailsBeforeRunning) {
  const auto dir = scratch_dir("unwritable");
  { std::ofstream(dir + "/file") << "x"; }  // missing folders are created, but not under a file
  const auto r = run_cli("run issue-5489 --reps 10 --json " + dir + "/file/sub/out.jsonl", dir);
  EXPECT_EQ(r.status, 4) << r.err;  // an output failure, not bad input
  EXPECT_EQ(testing::count_lines(r.err), 1) << r.err;
  EXPECT_NE(r.err.find(dir + "/file/sub/out.jsonl"), std::string::npos) << r.err;
  EXPECT_TRUE(r.out.empty()) << r.out;
}

// Every malformed scenario in tests/data/bad-scenarios gives a one-line error naming the file and
// exit status 2, and writes no output.
TEST(CliRun, EveryBadScenarioFileIsRejectedCleanly) {
  const auto dir = scratch_dir("badscenarios");
  int files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(kSource + "/tests/data/bad-scenarios")) {
    ++files;
    const std::string path = entry.path().string();
    const auto r = run_cli("run " + path + " --reps 2 --json " + dir + "/out.jsonl", dir);
    EXPECT_EQ(r.status, 2) << path << ": " << r.err;
    EXPECT_EQ(testing::count_lines(r.err), 1) << path << ": " << r.err;
    EXPECT_NE(r.err.find(entry.path().filename().string()), std::string::npos) << r.err;
    EXPECT_TRUE(r.out.empty()) << path << ": " << r.out;
    EXPECT_FALSE(std::filesystem::exists(dir + "/out.jsonl")) << path;
  }
  EXPECT_GE(files, 15);
}

// Options may come before or after the scenario; a list option takes one value per occurrence
// (repeat it, or separate values with commas), so it never swallows the scenario name.
TEST(CliRun, OptionsBeforeOrAfterTheScenario) {
  const auto dir = scratch_dir("order");
  const auto after = run_cli("run issue-5489 --policy optuna-3.6 --seed-policy none --reps 30 --no-remedies", dir);
  const auto before = run_cli("run --policy optuna-3.6 --seed-policy none issue-5489 --reps 30 --no-remedies", dir);
  ASSERT_EQ(after.status, 0) << after.err;
  ASSERT_EQ(before.status, 0) << before.err;
  EXPECT_EQ(before.out, after.out);
  const auto two = run_cli("run --policy optuna-3.6,optuna-4 issue-5489 --seed-policy none --reps 30 --no-remedies", dir);
  const auto repeated =
      run_cli("run --policy optuna-3.6 --policy optuna-4 --seed-policy none issue-5489 --reps 30 --no-remedies", dir);
  ASSERT_EQ(two.status, 0) << two.err;
  EXPECT_EQ(two.out, repeated.out);
  EXPECT_NE(two.out.find("optuna-4/none"), std::string::npos);
  EXPECT_NE(two.out.find("optuna-3.6/none"), std::string::npos);
  EXPECT_EQ(two.out.find("optuna-3.2"), std::string::npos);
}

// The table shows combinations without a COMPLETE trial and times in human units.
TEST(CliRun, TableShowsUncoveredAndHumanUnits) {
  const auto dir = scratch_dir("columns");
  const auto r = run_cli("run flaky-objective --policy optuna-4 --seed-policy none --reps 40 --no-remedies", dir);
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("uncovered"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("wasted/run"), std::string::npos) << r.out;
  EXPECT_TRUE(r.out.find(" ms ") != std::string::npos || r.out.find(" s ") != std::string::npos) << r.out;
}

// --max-repeats / --max-uncovered: exit 1 with one line per exceeded limit when an arm's mean
// exceeds it, 0 otherwise; the table is printed either way. optuna-3.6 with seed=None repeats
// (and so leaves a combination uncovered) in 77.6% of issue-5489 runs; with a shared seed never.
TEST(CliRun, LimitsMakeTheExitStatusForCi) {
  const auto dir = scratch_dir("limits");
  const std::string base = "run issue-5489 --policy optuna-3.6 --reps 200 --no-remedies ";
  const auto over = run_cli(base + "--seed-policy none --max-repeats 0.5 --max-uncovered 0.5", dir);
  EXPECT_EQ(over.status, 1) << over.err;
  EXPECT_NE(over.out.find("optuna-3.6/none"), std::string::npos);
  EXPECT_EQ(testing::count_lines(over.err), 2) << over.err;
  EXPECT_NE(over.err.find("exceed --max-repeats 0.5"), std::string::npos) << over.err;
  EXPECT_NE(over.err.find("exceed --max-uncovered 0.5"), std::string::npos) << over.err;
  const auto under = run_cli(base + "--seed-policy none --max-repeats 2 --max-uncovered 2", dir);
  EXPECT_EQ(under.status, 0) << under.err;
  const auto clean = run_cli(base + "--seed-policy same:42 --max-repeats 0 --max-uncovered 0", dir);
  EXPECT_EQ(clean.status, 0) << clean.err;
  EXPECT_EQ(run_cli(base + "--max-repeats -1", dir).status, 2);
}

// --format json: one JSON object with the table's numbers and the ranked remedies, each with code.
TEST(CliRun, JsonFormatHasArmsAndRankedRemedies) {
  const auto dir = scratch_dir("jsonformat");
  const auto r = run_cli("run issue-5489 --policy optuna-3.6 --seed-policy none --reps 200 --format json", dir);
  ASSERT_EQ(r.status, 0) << r.err;
  const nlohmann::json j = nlohmann::json::parse(r.out);
  ASSERT_EQ(j["arms"].size(), 1u);
  EXPECT_EQ(j["arms"][0]["label"], "optuna-3.6/none");
  EXPECT_GT(j["arms"][0]["uncovered"]["mean"].get<double>(), 0.5);
  ASSERT_EQ(j["remedies"].size(), 1u);
  const nlohmann::json& remedies = j["remedies"][0]["remedies"];
  ASSERT_FALSE(remedies.empty());
  EXPECT_EQ(remedies[0]["verdict"], "recommended");
  bool same_seed = false;
  for (const auto& x : remedies) {
    if (x["id"] == "same-seed") {
      same_seed = true;
      EXPECT_EQ(x["verdict"], "recommended");
      EXPECT_NE(x["code"].get<std::string>().find("GridSampler(search_space, seed=42)"), std::string::npos);
      EXPECT_NE(x["code"].get<std::string>().find("{'x': [0, 1, 2]}"), std::string::npos);
    }
    EXPECT_NE(x["simulated"], "optuna-3.6/none");  // never the arm itself
  }
  EXPECT_TRUE(same_seed);
  for (const char* args : {"list --format json", "guarantees --format json"}) {
    const auto other = run_cli(args, dir);
    ASSERT_EQ(other.status, 0) << args << other.err;
    const nlohmann::json parsed = nlohmann::json::parse(other.out, nullptr, false);
    EXPECT_FALSE(parsed.is_discarded()) << args;
  }
  EXPECT_EQ(run_cli("run issue-5489 --format yaml", dir).status, 2);
}

// One of a thing is named in the singular (sim/plural.h): a new user's one-point sweep said
// "1 runs (1 points)", and its report "1 runs from 1 results file(s), 1 scenario(s)".
TEST(CliPlurals, OneOfAThingIsNamedInTheSingular) {
  const auto dir = scratch_dir("plurals");
  std::ofstream(dir + "/one.toml") << "reps = 1\n[[scenario]]\nscenario = \"issue-5489\"\npolicies = [\"optuna-3.6\"]\n"
                                   << "seed_policies = [\"none\"]\n";
  const auto sweep = run_cli("sweep " + dir + "/one.toml --quiet --out " + dir + "/one.jsonl", dir);
  ASSERT_EQ(sweep.status, 0) << sweep.err;
  EXPECT_NE(sweep.out.find("sweep one: 1 run (1 point); 0 already in "), std::string::npos) << sweep.out;
  EXPECT_NE(sweep.out.find(", 1 run now"), std::string::npos) << sweep.out;
  const auto report = run_cli("report " + dir + "/one.jsonl --out " + dir + "/report", dir);
  ASSERT_EQ(report.status, 0) << report.err;
  EXPECT_NE(report.out.find("report of 1 run over 1 scenario: "), std::string::npos) << report.out;
  const std::string md = testing::read_all(dir + "/report/report.md");
  EXPECT_NE(md.find("1 run from 1 results file, 1 scenario. "), std::string::npos) << md.substr(0, 400);
  EXPECT_NE(md.find("; 1 sweep point."), std::string::npos);
  const auto run = run_cli("run issue-5489 --reps 1 --policy optuna-3.6 --seed-policy none --no-remedies", dir);
  ASSERT_EQ(run.status, 0) << run.err;
  EXPECT_NE(run.out.find(", 1 rep, seed "), std::string::npos) << run.out;
  const auto check = run_cli(std::string("check ") + SAMPLERSIM_SOURCE_DIR + "/tests/data/golden/two-by-two.toml "
                             "--policy optuna-4 --seed-policy none --strategy random --budget 1 --out " + dir + "/cex", dir);
  ASSERT_EQ(check.status, 0) << check.out << check.err;
  EXPECT_NE(check.out.find("no violation in 1 schedule explored"), std::string::npos) << check.out;
  for (const std::string& out : {sweep.out, report.out, md, run.out, check.out}) {
    for (const char* wrong : {" 1 runs", " 1 points", " 1 reps", " 1 schedules", "file(s)", "scenario(s)"}) {
      EXPECT_EQ(out.find(wrong), std::string::npos) << wrong << " in:\n" << out.substr(0, 600);
    }
  }
}

}  // namespace
}  // namespace samplersim
