// A new user's session (ux3): the messages and limits they met, each one line in our style
// (`<key or argument>: expected ..., got ...`, exit 2, nothing on stdout, no output file), and the
// numbers they could not trust at one rep.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "tests/cli/cli_util.h"
#include "tests/cli/sweep_test_util.h"

namespace samplersim::testing {
namespace {

const std::string kSource = SAMPLERSIM_SOURCE_DIR;
const std::string kTwoByTwo = kSource + "/tests/data/golden/two-by-two.toml";

void expect_bad_input(const CliResult& r, const std::string& expect, const std::string& args) {
  EXPECT_EQ(r.status, 2) << args << "\n" << r.out << r.err;
  EXPECT_EQ(count_lines(r.err), 1) << args << "\n" << r.err;
  EXPECT_TRUE(r.out.empty()) << args << "\n" << r.out;
  EXPECT_NE(r.err.find(expect), std::string::npos) << args << "\n" << r.err;
}

// `--policy optuna-4.0` suggested optuna-2.3 (as near by edit distance as optuna-4).
TEST(NewUserMessages, AMorePreciseVersionSuggestsItsRelease) {
  const auto dir = scratch_dir("ux3-did-you-mean");
  for (const auto& [given, meant] : {std::pair<std::string, std::string>{"optuna-4.0", "optuna-4"},
                                     {"optuna-3.6.1", "optuna-3.6"},
                                     {"optuna-4.2", "optuna-4"}}) {
    const std::string args = "run issue-5489 --reps 1 --policy " + given;
    expect_bad_input(run_cli(args, dir), "unknown policy '" + given + "' (did you mean \"" + meant + "\"?)", args);
  }
}

// `check --policy a --policy b` printed CLI11's "At Most 1 required but received 2".
TEST(NewUserMessages, CheckWithTwoPoliciesSaysOnePolicyPerCheck) {
  const auto dir = scratch_dir("ux3-check-two");
  const std::string out = " --budget 1 --out " + dir + "/cx";
  const std::string a = "check " + kTwoByTwo + " --policy optuna-4 --policy optuna-3.2" + out;
  expect_bad_input(run_cli(a, dir), "--policy: expected one policy per check (run check once per policy; run compares "
                                    "several), got 'optuna-4', 'optuna-3.2'", a);
  const std::string b = "check " + kTwoByTwo + " --policy optuna-4 --seed-policy none --seed-policy same:1" + out;
  expect_bad_input(run_cli(b, dir), "--seed-policy: expected one seed policy per check", b);
  EXPECT_FALSE(std::filesystem::exists(dir + "/cx"));
}

// An unexpected positional argument printed "The following argument was not expected: extra".
TEST(NewUserMessages, AnExtraArgumentIsOneLineNamingIt) {
  const auto dir = scratch_dir("ux3-extra");
  const std::string a = "run issue-5489 extra --reps 1";
  expect_bad_input(run_cli(a, dir), "argument 'extra': expected only run's scenario and options, got an extra argument", a);
  const std::string b = "check issue-5489 --policy optuna-4 more --out " + dir + "/cx";
  expect_bad_input(run_cli(b, dir), "argument 'more': expected only check's scenario and options", b);
  const std::string c = "list stray";
  expect_bad_input(run_cli(c, dir), "argument 'stray': expected only list's options, got an extra argument", c);
  const auto r = run_cli(a, dir);
  EXPECT_EQ(r.err.find("The following argument"), std::string::npos) << r.err;
}

// `--time-limit 1e9`, `.5` and `+5` were refused by a message that named their range.
TEST(NewUserMessages, TimeLimitTakesEveryNumberInRangeInAnyStandardSpelling) {
  const auto dir = scratch_dir("ux3-time-limit");
  for (const std::string limit : {"1e9", ".5", "+5", "5.", "2.5E1", "0.001", "1000000000"}) {
    const std::string args = "check " + kTwoByTwo + " --policy optuna-4 --seed-policy none --strategy exhaustive "
                             "--budget 1 --time-limit " + limit + " --out " + dir + "/cx";
    const auto r = run_cli(args, dir);
    EXPECT_NE(r.status, 2) << args << "\n" << r.err;
    EXPECT_EQ(r.err.find("--time-limit"), std::string::npos) << args << "\n" << r.err;
  }
  for (const std::string limit : {"1.1e9", "0.0001", "-5", "inf", "nan", "0x10", "1e", "e5", ".", "5 ", "++5", "abc"}) {
    const std::string args = "check " + kTwoByTwo + " --policy optuna-4 --budget 1 --time-limit '" + limit +
                             "' --out " + dir + "/bad";
    expect_bad_input(run_cli(args, dir),
                     "--time-limit: expected a number of seconds from 0.001 to 1000000000 such as 30 or 0.5, got '" +
                         limit + "'",
                     args);
  }
  EXPECT_FALSE(std::filesystem::exists(dir + "/bad"));
}

// `--policy a,,b` ran a and b: an empty name in a list is refused.
TEST(NewUserMessages, AnEmptyNameInAListIsRefused) {
  const auto dir = scratch_dir("ux3-empty-item");
  for (const std::string list : {"optuna-4,,optuna-3.2", ",optuna-4", "optuna-4,"}) {
    const std::string args = "run issue-5489 --reps 1 --policy " + list + " --json " + dir + "/out.jsonl";
    expect_bad_input(run_cli(args, dir),
                     "--policy: expected a name or a comma-separated list of names, none empty, got '" + list + "'", args);
  }
  const std::string s = "run issue-5489 --reps 1 --seed-policy none,,same:1";
  expect_bad_input(run_cli(s, dir), "--seed-policy: expected a name or a comma-separated list of names, none empty", s);
  EXPECT_FALSE(std::filesystem::exists(dir + "/out.jsonl"));
  // Lists still work, repeated or with commas.
  const auto ok = run_cli("run issue-5489 --reps 2 --no-remedies --policy optuna-4,optuna-3.2 --policy optuna-3.6", dir);
  EXPECT_EQ(ok.status, 0) << ok.err;
  EXPECT_NE(ok.out.find("optuna-3.6/none"), std::string::npos) << ok.out;
  EXPECT_NE(ok.out.find("optuna-3.2/none"), std::string::npos) << ok.out;
}

// `report SCENARIO.toml` said "line: expected a JSON object".
TEST(NewUserMessages, ReportGivenAScenarioFileSaysWhatItReads) {
  const auto dir = scratch_dir("ux3-report-toml");
  const std::string args = "report " + kSource + "/scenarios/grid-4x5-w4.toml --out " + dir + "/report";
  expect_bad_input(run_cli(args, dir),
                   "grid-4x5-w4.toml:1: (file): expected results (the JSON Lines that `samplersim run SCENARIO --json "
                   "FILE` or `samplersim sweep SPEC --out FILE` writes; run or sweep the scenario first), got a TOML "
                   "file (a scenario file or sweep spec)",
                   args);
  EXPECT_FALSE(std::filesystem::exists(dir + "/report"));
}

const std::string kBig = "[grid]\na = { range = [0, 1000] }\nb = { range = [0, 1000] }\n[workers]\nprocesses = 4096\n"
                         "[objective]\nduration = \"1s\"\n[compare]\npolicies = [\"optuna-3.6\"]\n";

// The sweep's memory refusal named `spec.toml:1: scenario[0]` instead of the scenario's line.
TEST(NewUserMessages, TheSweepsMemoryRefusalNamesTheScenariosProcessesLine) {
  const auto dir = scratch_dir("ux3-sweep-memory");
  write_text(dir + "/big.toml", kBig);
  write_text(dir + "/spec.toml", "[[scenario]]\nscenario = \"" + dir + "/big.toml\"\nreps = 1\n");
  const std::string args = "sweep " + dir + "/spec.toml --quiet --out " + dir + "/r.jsonl";
  expect_bad_input(run_cli(args, dir),
                   dir + "/big.toml:5: workers.processes: expected a run whose samplers fit in [run] "
                         "max_sampler_memory_mib = 8192 (at most 429 processes under optuna-3.6/none",
                   args);
  EXPECT_FALSE(std::filesystem::exists(dir + "/r.jsonl"));
  // Swept processes: the axis value that set them is named.
  write_text(dir + "/spec2.toml", "[[scenario]]\nscenario = \"" + dir + "/big.toml\"\nreps = 1\n[scenario.axes]\n"
                                  "\"workers.processes\" = [2, 4096]\n");
  const std::string args2 = "sweep " + dir + "/spec2.toml --quiet --out " + dir + "/r.jsonl";
  expect_bad_input(run_cli(args2, dir), "spec2.toml:5: scenario[0].axes.\"workers.processes\"[1]: expected a run whose "
                                        "samplers fit", args2);
}

// `[run] max_sampler_memory_mib` took up to 2^30 MiB, so a file could let a 76 GiB run start.
TEST(NewUserMessages, SamplerMemoryLimitIsCappedAtOneTebibyte) {
  const auto dir = scratch_dir("ux3-memory-cap");
  write_text(dir + "/big.toml", kBig + "[run]\nmax_sampler_memory_mib = 1048577\n");
  const std::string args = "run " + dir + "/big.toml --reps 1 --json " + dir + "/out.jsonl";
  expect_bad_input(run_cli(args, dir), "big.toml:11: run.max_sampler_memory_mib: expected an integer from 1 to 1048576",
                   args);
  EXPECT_FALSE(std::filesystem::exists(dir + "/out.jsonl"));
}

// The run.max_trials limit said it was reached, not which key to raise and to what.
TEST(NewUserMessages, TheTrialLimitSaysWhichKeyToRaiseAndToWhat) {
  const auto dir = scratch_dir("ux3-max-trials");
  write_text(dir + "/small.toml", "[grid]\nx = [0, 1, 2, 3, 4, 5]\n[workers]\nprocesses = 2\n[objective]\n"
                                  "duration = \"1s\"\n[compare]\npolicies = [\"optuna-4\"]\n[run]\nmax_trials = 3\n");
  const auto r = run_cli("run " + dir + "/small.toml --reps 1 --no-remedies", dir);
  EXPECT_NE(r.status, 0) << r.out << r.err;
  EXPECT_NE(r.err.find("the study reached 3 trials, the scenario's run.max_trials limit; raise it in the scenario's "
                       "[run] table, e.g. max_trials = 6"),
            std::string::npos)
      << r.err;
}

// --reps 1 printed "1.000 [1.000, 1.000]" and still recommended remedies by Welch intervals.
TEST(NewUserMessages, OneRepShowsNoIntervalAndRecommendsNothing) {
  const auto dir = scratch_dir("ux3-one-rep");
  // grid-4x5-w4 repeats in rep 0 (issue-5489 need not), so there is something to recommend.
  const auto r = run_cli("run grid-4x5-w4 --policy optuna-3.6 --seed-policy none --reps 1", dir);
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find(" n/a (1 rep)"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("no recommendation: with 1 run a change cannot be told from noise"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("  in your Optuna version:"), std::string::npos) << r.out;
}

}  // namespace
}  // namespace samplersim::testing
