// Errors by kind (sim/errors.h, app/exit_status.h): every TOML input goes through the one guarded
// reader (a 50,000-part dotted key is exit 2 and one line for a scenario, a sweep spec and a
// replay file's embedded scenario alike), and an output that cannot be written is exit 4, names
// the path and leaves no partial file.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include <nlohmann/json.hpp>

#include "cli_util.h"

namespace samplersim {
namespace {

using testing::count_lines;
using testing::read_all;
using testing::run_cli;
using testing::scratch_dir;

const std::string kSource = SAMPLERSIM_SOURCE_DIR;

void write_text(const std::string& path, const std::string& text) { std::ofstream(path, std::ios::binary) << text; }

std::string deep_key(int parts) {
  std::string key = "a";
  for (int i = 1; i < parts; ++i) key += ".a";
  return key;
}

const std::string kScenario =
    "[grid]\nx = [0, 1]\n[workers]\nprocesses = 2\n[objective]\nduration = \"1s\"\n[compare]\npolicies = [\"optuna-4\"]\n";

void expect_one_line_bad_input(const testing::CliResult& r, const std::string& needle) {
  EXPECT_EQ(r.status, 2) << r.out << r.err;
  EXPECT_EQ(count_lines(r.err), 1) << r.err;
  EXPECT_LT(r.err.size(), 400u) << "the key is shortened: " << r.err.substr(0, 400);
  EXPECT_NE(r.err.find(needle), std::string::npos) << r.err.substr(0, 400);
}

TEST(OneTomlReader, FiftyThousandPartDottedKeyIsExitTwoForEveryInput) {
  const std::string dir = scratch_dir("deep-key");
  const std::string deep = deep_key(50'000) + " = 1\n";
  const std::string expected = "expected a dotted key of at most 8 parts, got 50000 parts";

  write_text(dir + "/deep.toml", kScenario + deep);
  expect_one_line_bad_input(run_cli("run " + dir + "/deep.toml --reps 1 --json " + dir + "/out.jsonl", dir), expected);
  EXPECT_FALSE(std::filesystem::exists(dir + "/out.jsonl"));

  write_text(dir + "/spec.toml", "reps = 1\n[[scenario]]\nscenario = \"issue-5489\"\n" + deep);
  expect_one_line_bad_input(run_cli("sweep " + dir + "/spec.toml --out " + dir + "/r.jsonl", dir), expected);
  EXPECT_FALSE(std::filesystem::exists(dir + "/r.jsonl"));

  // As an axis key of a sweep spec (a quoted key: one part for TOML, 50,000 for the scenario).
  write_text(dir + "/axis.toml", "[[scenario]]\nscenario = \"issue-5489\"\n[scenario.axes]\n\"" + deep_key(50'000) + "\" = [1]\n");
  expect_one_line_bad_input(run_cli("sweep " + dir + "/axis.toml --out " + dir + "/r.jsonl", dir), "axis.toml:4:");
  EXPECT_FALSE(std::filesystem::exists(dir + "/r.jsonl"));

  // A replay file whose embedded scenario has the key.
  ASSERT_EQ(run_cli("run " + kSource + "/tests/data/golden/two-by-two.toml --reps 1 --policy optuna-4 "
                    "--seed-policy none --schedule " + dir + "/replay.json", dir).status, 0);
  nlohmann::json replay = nlohmann::json::parse(read_all(dir + "/replay.json"));
  replay["scenario_source"] = replay["scenario_source"].get<std::string>() + deep;
  write_text(dir + "/deep-replay.json", replay.dump(1));
  expect_one_line_bad_input(run_cli("replay " + dir + "/deep-replay.json --out " + dir + "/rr", dir), expected);
  EXPECT_FALSE(std::filesystem::exists(dir + "/rr"));
  expect_one_line_bad_input(run_cli("run --replay " + dir + "/deep-replay.json", dir), "(embedded scenario)");
}

TEST(OneTomlReader, NonAsciiBareKeyIsASyntaxErrorForEveryInput) {
  const std::string dir = scratch_dir("cafe");
  write_text(dir + "/cafe.toml", "café = 1\n");
  expect_one_line_bad_input(run_cli("run " + dir + "/cafe.toml", dir), "cafe.toml:1:4: TOML syntax error");
  expect_one_line_bad_input(run_cli("sweep " + dir + "/cafe.toml --out " + dir + "/r.jsonl", dir),
                            "cafe.toml:1:4: TOML syntax error");
}

TEST(OneTomlReader, SweepSpecKeysGetDidYouMean) {
  const std::string dir = scratch_dir("sweep-dym");
  write_text(dir + "/spec.toml", "[[scenario]]\nscenario = \"issue-5489\"\npolices = [\"optuna-4\"]\n");
  expect_one_line_bad_input(run_cli("sweep " + dir + "/spec.toml --out " + dir + "/r.jsonl", dir),
                            "spec.toml:3: scenario[0].polices: expected one of scenario, reps, seed, policies, "
                            "seed_policies, axes in [scenario[0]], got an unknown key (did you mean \"policies\"?)");
  write_text(dir + "/top.toml", "rep = 3\n[[scenario]]\nscenario = \"issue-5489\"\n");
  expect_one_line_bad_input(run_cli("sweep " + dir + "/top.toml --out " + dir + "/r.jsonl", dir),
                            "(did you mean \"reps\"?)");
}

TEST(OneTomlReader, SweepAxisValueTheLoaderRefusesNamesTheSpecLine) {
  const std::string dir = scratch_dir("sweep-axis");
  write_text(dir + "/spec.toml", "[[scenario]]\nscenario = \"issue-5489\"\n[scenario.axes]\n\"workers.processes\" = [\n  2,\n  0,\n]\n");
  const auto r = run_cli("sweep " + dir + "/spec.toml --out " + dir + "/r.jsonl", dir);
  expect_one_line_bad_input(r, "spec.toml:6: scenario[0].axes.\"workers.processes\"[1]: expected an integer from 1 to 4096");
  EXPECT_NE(r.err.find("got integer 0"), std::string::npos) << r.err;
  EXPECT_FALSE(std::filesystem::exists(dir + "/r.jsonl"));
}

// ---- exit 4: output failures ----------------------------------------------------------------

// Runs samplersim with files limited to `kib` KiB and SIGXFSZ ignored, so a bigger write fails
// with EFBIG ("File too large"): a disk that fills up, reproducibly and without root.
testing::CliResult run_with_file_limit(const std::string& args, const std::string& dir, int kib) {
  const std::string script = dir + "/limited.sh";
  write_text(script, "ulimit -f " + std::to_string(kib) + "\ntrap '' XFSZ\nexec " SAMPLERSIM_BINARY " \"$@\"\n");
  return testing::run_cli(args, dir, "bash " + script);
}

TEST(OutputErrors, DiskFullIsExitFourNamingThePathWithNoPartialFile) {
  const std::string dir = scratch_dir("disk-full");
  const auto r = run_with_file_limit("run issue-5489 --reps 300 --json " + dir + "/runs.jsonl", dir, 64);
  EXPECT_EQ(r.status, 4) << r.out << r.err;
  EXPECT_EQ(count_lines(r.err), 1) << r.err;
  EXPECT_NE(r.err.find(dir + "/runs.jsonl: cannot write: File too large"), std::string::npos) << r.err;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    EXPECT_EQ(entry.path().filename().string().find("runs.jsonl"), std::string::npos)
        << "partial output left: " << entry.path();
  }
}

TEST(OutputErrors, SweepThatCannotAppendIsExitFour) {
  const std::string dir = scratch_dir("sweep-full");
  write_text(dir + "/spec.toml", "reps = 200\n[[scenario]]\nscenario = \"issue-5489\"\n");
  const auto r = run_with_file_limit("sweep " + dir + "/spec.toml --quiet --jobs 1 --out " + dir + "/r.jsonl", dir, 64);
  EXPECT_EQ(r.status, 4) << r.out << r.err;
  EXPECT_EQ(count_lines(r.err), 1) << r.err;
  EXPECT_NE(r.err.find(dir + "/r.jsonl: cannot write"), std::string::npos) << r.err;
}

// Missing output folders are created (tests/cli/output_dirs_test.cc); one that cannot be, because a
// component of its path is a regular file, is an output failure naming that file.
TEST(OutputErrors, OutputDirectoryThroughAFileIsExitFour) {
  const std::string dir = scratch_dir("no-dir");
  write_text(dir + "/file", "x");
  write_text(dir + "/spec.toml", "reps = 1\n[[scenario]]\nscenario = \"issue-5489\"\n");
  for (const std::string& args : {"run issue-5489 --reps 2 --json " + dir + "/file/missing/out.jsonl",
                                  "sweep " + dir + "/spec.toml --quiet --out " + dir + "/file/missing/r.jsonl",
                                  "export-trace issue-5489 --policy optuna-4 --seed-policy none --out " + dir + "/file/missing/t.json"}) {
    const auto r = run_cli(args, dir);
    EXPECT_EQ(r.status, 4) << args << "\n" << r.err;
    EXPECT_EQ(count_lines(r.err), 1) << r.err;
    EXPECT_NE(r.err.find(dir + "/file/missing/"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find(dir + "/file exists and is not a directory"), std::string::npos) << r.err;
    EXPECT_EQ(r.out, "") << args;
  }
  EXPECT_EQ(read_all(dir + "/file"), "x");
}

TEST(OutputErrors, ReportReadsNoDeviceAndNamesAnUnwritableOutDirectory) {
  const std::string dir = scratch_dir("report-kinds");
  const auto device = run_cli("report /dev/zero --out " + dir + "/r", dir);
  EXPECT_EQ(device.status, 2) << device.err;
  EXPECT_NE(device.err.find("/dev/zero: (file): expected a readable results file (JSON Lines), got a device"),
            std::string::npos) << device.err;

  ASSERT_EQ(run_cli("run issue-5489 --reps 3 --json " + dir + "/runs.jsonl", dir).status, 0);
  write_text(dir + "/plain-file", "x");
  const auto r = run_cli("report " + dir + "/runs.jsonl --out " + dir + "/plain-file/report", dir);
  EXPECT_EQ(r.status, 4) << r.err;
  EXPECT_EQ(count_lines(r.err), 1) << r.err;
  EXPECT_NE(r.err.find(dir + "/plain-file/report"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace samplersim
