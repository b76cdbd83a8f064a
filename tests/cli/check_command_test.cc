// End-to-end tests of `samplersim check` and `samplersim replay` (exit statuses, files, output).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <utility>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cli_util.h"
#include "reports/interleaving_graph.h"

namespace samplersim {
namespace {

using testing::read_all;
using testing::run_cli;
using testing::scratch_dir;

const std::string kTwoByTwo = std::string(SAMPLERSIM_SOURCE_DIR) + "/tests/data/golden/two-by-two.toml";

TEST(CheckCommand, ViolationWritesAShrunkCounterexampleAndExitsOne) {
  const std::string dir = scratch_dir("check-violation");
  const auto r = run_cli("check " + kTwoByTwo + " --policy optuna-3.2 --seed-policy same:42 --property no-repeats "
                         "--strategy exhaustive --budget 100 --out " + dir + "/cex", dir);
  ASSERT_EQ(r.status, 1) << r.out << r.err;
  EXPECT_NE(r.out.find("VIOLATION of no-repeats at schedule 1 of 1 explored"), std::string::npos) << r.out;
  for (const char* f : {"trace.txt", "replay.json", "interleaving.dot", "interleaving.svg"}) {
    EXPECT_TRUE(std::filesystem::exists(dir + "/cex/" + f)) << f;
    EXPECT_NE(r.out.find(dir + "/cex/" + f), std::string::npos) << "stdout must say where " << f << " is";
  }
  EXPECT_NE(read_all(dir + "/cex/trace.txt").find("# legend:"), std::string::npos);
  EXPECT_NE(read_all(dir + "/cex/interleaving.svg").find("<svg"), std::string::npos);
  EXPECT_TRUE(r.err.empty()) << "no progress output when stderr is not a terminal: " << r.err;

  // The replay file reproduces the run and re-renders it.
  const auto again = run_cli("replay " + dir + "/cex/replay.json --out " + dir + "/again", dir);
  EXPECT_EQ(again.status, 0) << again.out << again.err;
  EXPECT_NE(again.out.find("reproduced: trace hash"), std::string::npos) << again.out;
  EXPECT_NE(again.out.find("no-repeats violated"), std::string::npos) << again.out;
  EXPECT_EQ(read_all(dir + "/again/interleaving.dot"), read_all(dir + "/cex/interleaving.dot"));
  EXPECT_EQ(read_all(dir + "/again/trace.txt"), read_all(dir + "/cex/trace.txt"));

  // Without --out, replay re-renders next to the replay file (an existing directory).
  const std::string dot_before = read_all(dir + "/cex/interleaving.dot");
  const auto in_place = run_cli("replay " + dir + "/cex/replay.json", dir);
  EXPECT_EQ(in_place.status, 0) << in_place.out << in_place.err;
  EXPECT_EQ(read_all(dir + "/cex/interleaving.dot"), dot_before);

  // Checking again into the same (existing) directory overwrites it with the same files.
  const auto rerun = run_cli("check " + kTwoByTwo + " --policy optuna-3.2 --seed-policy same:42 --property no-repeats "
                             "--strategy exhaustive --budget 100 --out " + dir + "/cex", dir);
  EXPECT_EQ(rerun.status, 1) << rerun.out << rerun.err;
  EXPECT_EQ(read_all(dir + "/cex/interleaving.dot"), dot_before);
}

// --format json: one JSON object on stdout with what the text says, for scripts and CI; the same
// exit statuses and files; replay --format json of its replay file says it reproduced.
TEST(CheckCommand, JsonFormatPrintsOneObjectWithTheViolationAndItsFiles) {
  const std::string dir = scratch_dir("check-json");
  const auto r = run_cli("check " + kTwoByTwo + " --policy optuna-3.2 --seed-policy same:42 --property no-repeats "
                         "--strategy exhaustive --budget 100 --format json --out " + dir + "/cex", dir);
  ASSERT_EQ(r.status, 1) << r.out << r.err;
  ASSERT_EQ(testing::count_lines(r.out), 1) << r.out;
  const nlohmann::json doc = nlohmann::json::parse(r.out);
  EXPECT_EQ(doc.at("policy"), "optuna-3.2");
  EXPECT_EQ(doc.at("seed_policy"), "same:42");
  EXPECT_EQ(doc.at("properties"), nlohmann::json::array({"no-repeats"}));
  EXPECT_EQ(doc.at("schedules"), 1);
  EXPECT_EQ(doc.at("violation").at("property"), "no-repeats");
  EXPECT_EQ(doc.at("violation").at("schedule"), 1);
  EXPECT_FALSE(doc.at("violation").at("detail").get<std::string>().empty());
  for (const char* f : {"trace", "replay", "dot", "svg"}) {
    EXPECT_TRUE(std::filesystem::exists(doc.at("files").at(f).get<std::string>())) << f;
  }
  EXPECT_GT(doc.at("files").at("diagram_nodes").get<int>(), 0);
  const auto again = run_cli("replay " + doc.at("files").at("replay").get<std::string>() + " --format json --out " + dir + "/again", dir);
  ASSERT_EQ(again.status, 0) << again.out << again.err;
  const nlohmann::json replayed = nlohmann::json::parse(again.out);
  EXPECT_TRUE(replayed.at("reproduced").get<bool>());
  EXPECT_EQ(replayed.at("recorded_trace_hash"), replayed.at("replayed_trace_hash"));
  EXPECT_EQ(replayed.at("violation").at("property"), "no-repeats");
  EXPECT_EQ(read_all(replayed.at("files").at("trace").get<std::string>()), read_all(dir + "/cex/trace.txt"));

  const auto clean = run_cli("check " + kTwoByTwo + " --policy optuna-4 --seed-policy none --property all "
                             "--strategy exhaustive --preemption-bound 1 --budget 100000 --format json --out " + dir + "/none", dir);
  ASSERT_EQ(clean.status, 0) << clean.out << clean.err;
  const nlohmann::json none = nlohmann::json::parse(clean.out);
  EXPECT_TRUE(none.at("violation").is_null());
  EXPECT_TRUE(none.at("exhausted").get<bool>());
  EXPECT_GT(none.at("schedules").get<int>(), 1);
}

TEST(CheckCommand, NoViolationReportsTheExploredSpaceAndExitsZero) {
  const std::string dir = scratch_dir("check-clean");
  const auto r = run_cli("check " + kTwoByTwo + " --policy optuna-4 --seed-policy none --property all "
                         "--strategy exhaustive --preemption-bound 1 --budget 100000 --out " + dir + "/cex", dir);
  ASSERT_EQ(r.status, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("no violation in"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("space exhausted: yes"), std::string::npos) << r.out;
  EXPECT_FALSE(std::filesystem::exists(dir + "/cex"));
  EXPECT_TRUE(r.err.empty()) << r.err;
}

TEST(CheckCommand, BudgetRunningOutIsReportedAsNotExhausted) {
  const std::string dir = scratch_dir("check-budget");
  const auto r = run_cli("check " + kTwoByTwo + " --policy optuna-4 --seed-policy none --strategy exhaustive "
                         "--reduction none --budget 3 --out " + dir + "/cex", dir);
  ASSERT_EQ(r.status, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("no violation in 3 schedules explored"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("space exhausted: no, the budget of 3 schedules ran out"), std::string::npos) << r.out;
}

// Partial-order reduction is the default: one schedule per class, and the classes are printed.
TEST(CheckCommand, ReducedExhaustiveSearchPrintsSchedulesAndClasses) {
  const std::string dir = scratch_dir("check-dpor");
  const std::string w3 = std::string(SAMPLERSIM_SOURCE_DIR) + "/tests/data/scenarios/grid-3x3-w3.toml";
  const auto r = run_cli("check " + w3 + " --policy optuna-4 --seed-policy none --property no-repeats "
                         "--strategy exhaustive --budget 1000 --out " + dir + "/cex", dir);
  ASSERT_EQ(r.status, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("reduction source-dpor"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("no violation in 6 schedules explored"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("classes: 6 Mazurkiewicz classes"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("space exhausted: yes"), std::string::npos) << r.out;
}

// The time limit stops the exploration (2^15 schedules take far longer than a millisecond).
TEST(CheckCommand, TimeLimitStopsTheExploration) {
  const std::string dir = scratch_dir("check-time-limit");
  const auto r = run_cli("check " + kTwoByTwo + " --policy optuna-4 --seed-policy none --strategy exhaustive "
                         "--reduction none --budget 100000 --time-limit 0.001 --out " + dir + "/cex", dir);
  ASSERT_EQ(r.status, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("space exhausted: no, the time limit of 0.001 s ran out"), std::string::npos) << r.out;
  EXPECT_FALSE(std::filesystem::exists(dir + "/cex"));
}

// Counterexample diagrams fit on a page: at most kMaxDiagramNodes nodes, for the long 16-process
// run of the cluster scenario (thousands of events) and for the 4x5 grid of issue 13.
TEST(CheckCommand, CounterexampleDiagramsAreBoundedCausalSlices) {
  const std::string dir = scratch_dir("check-slice");
  const std::string cluster = std::string(SAMPLERSIM_SOURCE_DIR) + "/tests/data/scenarios/cluster-6x8-w16.toml";
  for (const std::string& args : {"check " + cluster + " --policy optuna-3.6 --seed-policy none --property no-repeats",
                                  std::string("check grid-4x5-w4 --policy optuna-3.2 --seed-policy same:42")}) {
    const auto r = run_cli(args + " --out " + dir + "/cex", dir);
    ASSERT_EQ(r.status, 1) << args << "\n" << r.out << r.err;
    const std::string dot = read_all(dir + "/cex/interleaving.dot");
    const std::size_t nodes = dot_node_count(dot);
    EXPECT_LE(nodes, kMaxDiagramNodes) << args;
    EXPECT_GE(nodes, 10u) << args;  // the stories of the repeated combination's trials are there
    EXPECT_NE(r.out.find(fmt::format("({} nodes)", nodes)), std::string::npos) << r.out;
    EXPECT_NE(dot.find("evaluated by trials"), std::string::npos) << args;  // values, not ids
    EXPECT_NE(read_all(dir + "/cex/interleaving.svg").find("<svg"), std::string::npos) << args;
    EXPECT_NE(read_all(dir + "/cex/trace.txt").find("# legend:"), std::string::npos) << args;
  }
}

// A violation that random search finds with no choice point is shrunk all the same (to fewer
// processes), says so, names the combination by its values, and replays.
TEST(CheckCommand, TimingDecidedViolationIsShrunkAndReplays) {
  const std::string dir = scratch_dir("check-shrink-processes");
  const std::string cluster = std::string(SAMPLERSIM_SOURCE_DIR) + "/tests/data/scenarios/cluster-6x8-w16.toml";
  const auto r = run_cli("check " + cluster + " --policy optuna-3.6 --seed-policy none --property no-repeats --out " +
                         dir + "/cex", dir);
  ASSERT_EQ(r.status, 1) << r.out << r.err;
  EXPECT_NE(r.out.find("shrunk from 16 processes and 0 picks to "), std::string::npos) << r.out;
  EXPECT_NE(r.out.find(" left out)"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("  {lr="), std::string::npos) << r.out;  // not "combination 4"
  EXPECT_NE(read_all(dir + "/cex/replay.json").find("\"omitted_processes\""), std::string::npos);
  EXPECT_NE(read_all(dir + "/cex/trace.txt").find(" without processes "), std::string::npos);
  const auto replay = run_cli("replay " + dir + "/cex/replay.json --out " + dir + "/again", dir);
  ASSERT_EQ(replay.status, 0) << replay.out << replay.err;
  EXPECT_NE(replay.out.find("reproduced: trace hash"), std::string::npos) << replay.out;
  EXPECT_NE(replay.out.find(", without processes "), std::string::npos) << replay.out;
}

TEST(CheckCommand, PctFindsTheIssue5489Repeat) {
  const std::string dir = scratch_dir("check-pct");
  const auto r = run_cli("check issue-5489 --policy optuna-3.6 --seed-policy none --property no-repeats "
                         "--strategy pct:3 --budget 50 --out " + dir + "/cex", dir);
  ASSERT_EQ(r.status, 1) << r.out << r.err;
  EXPECT_NE(r.out.find("reproduce: samplersim replay " + dir + "/cex/replay.json"), std::string::npos) << r.out;
  EXPECT_NE(read_all(dir + "/cex/replay.json").find("\"strategy\": \"pct:3 (shrunk)\""), std::string::npos);
}

TEST(CheckCommand, BadInputExitsTwoWithOneLineAndNoOutput) {
  const std::string dir = scratch_dir("check-bad");
  const std::string base = "check " + kTwoByTwo + " --out " + dir + "/cex ";
  for (const std::string& args : {base + "--policy optuna-3.2 --property sometimes",
                                  base + "--policy optuna-3.2 --strategy pct:0",
                                  base + "--policy optuna-3.2 --strategy dfs",
                                  base + "--policy optuna-9",
                                  base + "--policy optuna-3.2 --seed-policy same:x",
                                  base + "--policy optuna-3.2 --preemption-bound 2",
                                  base + "--policy optuna-3.2 --strategy exhaustive --reduction sometimes",
                                  base + "--policy optuna-3.2 --reduction none",
                                  base + "--policy optuna-3.2 --strategy exhaustive --reduction source-dpor --preemption-bound 1",
                                  base + "--policy optuna-3.2 --time-limit 0",
                                  base + "--policy optuna-3.2 --budget 0",
                                  std::string("check no-such-scenario --policy optuna-3.2 --out ") + dir + "/cex"}) {
    const auto r = run_cli(args, dir);
    EXPECT_EQ(r.status, 2) << args << "\n" << r.out << r.err;
    EXPECT_EQ(testing::count_lines(r.err), 1) << args << "\n" << r.err;
    EXPECT_FALSE(std::filesystem::exists(dir + "/cex")) << args;
  }
  // Missing folders are created (tests/cli/output_dirs_test.cc), but an output directory under a
  // regular file is an output failure (exit 4), not bad input, and names the file; nothing is made.
  { std::ofstream(dir + "/file") << "x"; }
  const auto r = run_cli(std::string("check ") + kTwoByTwo + " --policy optuna-3.2 --out " + dir + "/file/deeper/cex", dir);
  EXPECT_EQ(r.status, 4) << r.out << r.err;
  EXPECT_EQ(testing::count_lines(r.err), 1) << r.err;
  EXPECT_NE(r.err.find(dir + "/file/deeper/cex"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find(dir + "/file exists and is not a directory"), std::string::npos) << r.err;
  EXPECT_TRUE(std::filesystem::is_regular_file(dir + "/file"));
}

// A replay that diverges, run without --out, writes next to the replay file: the recorded run's
// trace and diagram there stay as they were, the diverged run's go to diverged/ (they used to
// replace the recorded counterexample's files).
TEST(ReplayCommand, ADivergedReplayKeepsTheRecordedFiles) {
  const std::string dir = scratch_dir("replay-keeps");
  ASSERT_EQ(run_cli("check " + kTwoByTwo + " --policy optuna-3.2 --seed-policy same:42 --strategy exhaustive --out " +
                        dir + "/cex", dir).status, 1);
  const std::string recorded = read_all(dir + "/cex/trace.txt");
  std::string json = read_all(dir + "/cex/replay.json");
  const auto pos = json.find("\"trace_hash\": \"");
  ASSERT_NE(pos, std::string::npos);
  const std::size_t digit = pos + 15;
  json[digit] = json[digit] == '0' ? '1' : '0';
  std::ofstream(dir + "/cex/replay.json", std::ios::trunc) << json;
  const auto diverged = run_cli("replay " + dir + "/cex/replay.json", dir);
  EXPECT_EQ(diverged.status, 1) << diverged.out << diverged.err;
  EXPECT_NE(diverged.out.find("DIVERGED"), std::string::npos) << diverged.out;
  EXPECT_TRUE(read_all(dir + "/cex/trace.txt") == recorded) << "the recorded trace was replaced";
  EXPECT_TRUE(std::filesystem::exists(dir + "/cex/diverged/trace.txt"));
  EXPECT_NE(diverged.out.find(dir + "/cex/diverged/trace.txt"), std::string::npos) << diverged.out;
}

TEST(ReplayCommand, TamperedHashDivergesAndBadFileIsBadInput) {
  const std::string dir = scratch_dir("replay-bad");
  ASSERT_EQ(run_cli("check " + kTwoByTwo + " --policy optuna-3.2 --seed-policy same:42 --strategy exhaustive --out " +
                        dir + "/cex", dir).status, 1);
  std::string json = read_all(dir + "/cex/replay.json");
  const auto pos = json.find("\"trace_hash\": \"");
  ASSERT_NE(pos, std::string::npos);
  const std::size_t digit = pos + 15;
  json[digit] = json[digit] == '0' ? '1' : '0';
  std::ofstream(dir + "/tampered.json") << json;
  const auto diverged = run_cli("replay " + dir + "/tampered.json --out " + dir + "/t", dir);
  EXPECT_EQ(diverged.status, 1) << diverged.out << diverged.err;
  EXPECT_NE(diverged.out.find("DIVERGED"), std::string::npos) << diverged.out;

  std::ofstream(dir + "/broken.json") << "{\"format\": 3}";
  const auto bad = run_cli("replay " + dir + "/broken.json --out " + dir + "/b", dir);
  EXPECT_EQ(bad.status, 2) << bad.out << bad.err;
  EXPECT_EQ(testing::count_lines(bad.err), 1) << bad.err;
  EXPECT_FALSE(std::filesystem::exists(dir + "/b"));

  // Left-out processes must be ascending, below the process count, and leave one (two-by-two has 2).
  const std::string good = read_all(dir + "/cex/replay.json");
  for (const std::string omitted : {"[1, 0]", "[2]", "[0, 1]", "[-1]", "\"all\""}) {
    std::string text = good;
    text.insert(text.find('{') + 1, "\"omitted_processes\": " + omitted + ",");
    std::ofstream(dir + "/omitted.json") << text;
    const auto r = run_cli("replay " + dir + "/omitted.json --out " + dir + "/o", dir);
    EXPECT_EQ(r.status, 2) << omitted << r.out << r.err;
    EXPECT_EQ(testing::count_lines(r.err), 1) << r.err;
    // The key is on line 1 of this file; an element's error names it ("omitted_processes[1]").
    EXPECT_NE(r.err.find("omitted.json:1: omitted_processes"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find(": expected "), std::string::npos) << r.err;
    EXPECT_FALSE(std::filesystem::exists(dir + "/o"));
  }
}

// A replay is named after the scenario it replays (its file stem when it has no `name`), not after
// the replay file: replay and run --replay say "my-grid", and the re-rendered diagram is the one
// check drew (its title names the scenario).
TEST(ReplayCommand, NamesTheScenarioItReplaysNotTheReplayFile) {
  const std::string dir = scratch_dir("replay-name");
  std::string text = read_all(kTwoByTwo);
  const std::size_t name = text.find("\nname = \"two-by-two\"\n");
  ASSERT_NE(name, std::string::npos);
  text.erase(name + 1, std::string("name = \"two-by-two\"\n").size());
  std::ofstream(dir + "/my-grid.toml") << text;
  const auto check = run_cli("check " + dir + "/my-grid.toml --policy optuna-3.2 --seed-policy same:42 --property no-repeats "
                             "--strategy exhaustive --budget 100 --out " + dir + "/cex", dir);
  ASSERT_EQ(check.status, 1) << check.out << check.err;
  EXPECT_NE(check.out.find("check my-grid optuna-3.2/same:42"), std::string::npos) << check.out;

  const auto replay = run_cli("replay " + dir + "/cex/replay.json --out " + dir + "/again", dir);
  EXPECT_EQ(replay.status, 0) << replay.out << replay.err;
  EXPECT_EQ(replay.out.rfind("replay of my-grid optuna-3.2/same:42 ", 0), 0u) << replay.out;
  EXPECT_EQ(read_all(dir + "/again/interleaving.dot"), read_all(dir + "/cex/interleaving.dot"));
  const auto json = run_cli("replay " + dir + "/cex/replay.json --out " + dir + "/again --format json", dir);
  EXPECT_EQ(nlohmann::json::parse(json.out).at("scenario"), "my-grid") << json.out;
  const auto run = run_cli("run --replay " + dir + "/cex/replay.json", dir);
  EXPECT_EQ(run.status, 0) << run.out << run.err;
  EXPECT_NE(run.out.find("(my-grid)"), std::string::npos) << run.out;
  EXPECT_EQ(run.out.find("(replay)"), std::string::npos) << run.out;
}

// check explores one policy and one seed policy: a list is refused as such (not as an unknown
// policy), an unknown policy gets the nearest name, and --time-limit's refusal is the house line
// (the option, what was expected, what was given), never CLI11's "Value -1 not in range ...".
// Threads on a store preset: the GIL's hand-overs wake threads outside choice points, which
// source-DPOR's race reversal relies on (it used to stop with an internal error, exit 3). Refused
// by name, default or explicit, before any output; --reduction none searches it.
TEST(CheckCommand, SourceDporIsRefusedForThreadsOnAStorePreset) {
  const std::string dir = scratch_dir("check-dpor-gil");
  const std::string path = dir + "/threads-sqlite.toml";
  std::ofstream(path) << "[grid]\nx = [0, 1, 2, 3]\n[workers]\nprocesses = 2\nthreads = 2\n[objective]\nduration = \"1s\"\n"
                      << "[store]\nkind = \"sqlite\"\n[compare]\npolicies = [\"optuna-4\"]\n";
  for (const std::string reduction : {"", " --reduction source-dpor"}) {
    const auto r = run_cli("check " + path + " --policy optuna-4 --strategy exhaustive" + reduction + " --out " + dir + "/cex", dir);
    EXPECT_EQ(r.status, 2) << reduction << r.out << r.err;
    EXPECT_EQ(r.out, "");
    EXPECT_EQ(testing::count_lines(r.err), 1) << r.err;
    EXPECT_NE(r.err.find("--reduction: expected none for a scenario with threads on a store preset"), std::string::npos) << r.err;
    EXPECT_FALSE(std::filesystem::exists(dir + "/cex"));
  }
  const auto none = run_cli("check " + path + " --policy optuna-4 --strategy exhaustive --reduction none --budget 2000 --out " +
                                dir + "/cex",
                            dir);
  EXPECT_TRUE(none.status == 0 || none.status == 1) << none.out << none.err;
  EXPECT_EQ(none.err.find("internal error"), std::string::npos) << none.err;
}

TEST(CheckCommand, ArgumentErrorsSayWhatWasExpected) {
  const std::string dir = scratch_dir("check-args");
  const std::string base = "check " + kTwoByTwo + " --out " + dir + "/cex ";
  const std::string seconds = "--time-limit: expected a number of seconds from 0.001 to 1000000000 such as 30 or 0.5, got ";
  const std::pair<std::string, std::string> cases[] = {
      {"--policy optuna-3.2 --time-limit -1", seconds + "'-1'"},
      {"--policy optuna-3.2 --time-limit 0", seconds + "'0'"},
      {"--policy optuna-3.2 --time-limit abc", seconds + "'abc'"},
      {"--policy optuna-3.2 --time-limit nan", seconds + "'nan'"},
      // 1e3 is in range and accepted (tests/cli/new_user_messages_test.cc); 1e10 is not.
      {"--policy optuna-3.2 --time-limit 1e10", seconds + "'1e10'"},
      {"--policy optuna-3.2,optuna-4", "--policy: expected one policy per check (run check once per policy; run compares "
                                       "several), got 'optuna-3.2,optuna-4'"},
      {"--policy optuna-3.2 --seed-policy none,same:42", "--seed-policy: expected one seed policy per check"},
      {"--policy optuna-36", "got unknown policy 'optuna-36' (did you mean \"optuna-3.6\"?)"},
  };
  for (const auto& [args, expect] : cases) {
    const auto r = run_cli(base + args, dir);
    EXPECT_EQ(r.status, 2) << args << "\n" << r.out << r.err;
    EXPECT_EQ(r.out, "") << args;
    EXPECT_EQ(testing::count_lines(r.err), 1) << args << "\n" << r.err;
    EXPECT_EQ(r.err.rfind("samplersim: --", 0), 0u) << args << "\n" << r.err;
    EXPECT_NE(r.err.find(expect), std::string::npos) << args << "\n" << r.err;
    EXPECT_EQ(r.err.find("not in range"), std::string::npos) << r.err;
    EXPECT_FALSE(std::filesystem::exists(dir + "/cex")) << args;
  }
}

}  // namespace
}  // namespace samplersim
