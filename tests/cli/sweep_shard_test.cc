// `samplersim sweep --shard I/K` and `--merge` (app/sweep_shard.h): the merged shard files are the
// unsharded results file byte for byte, for K = 1, 3, 7 and K larger than the number of runs, in
// any order of the files and after a shard is resumed; every bad shard or merge input is refused
// with one line, exit 2 and no output file.
#include <gtest/gtest.h>

#include <filesystem>

#include "tests/cli/cli_util.h"
#include "tests/cli/sweep_test_util.h"

namespace samplersim::testing {
namespace {


class SweepShard : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = scratch_dir(std::string("shard-") + ::testing::UnitTest::GetInstance()->current_test_info()->name());
    spec_ = dir_ + "/tiny.toml";
    write_text(spec_, tiny_spec_text("tiny"));
    const CliResult whole = run_cli("sweep " + spec_ + " --quiet --jobs 2 --out " + dir_ + "/whole.jsonl", dir_);
    ASSERT_EQ(whole.status, 0) << whole.err;
    whole_ = read_all(dir_ + "/whole.jsonl");
    ASSERT_EQ(count_lines(whole_), kTinyRuns);
  }
  std::string shard_path(int i, int k) const { return dir_ + "/shard-" + std::to_string(i) + "-of-" + std::to_string(k) + ".jsonl"; }
  // Runs shards 1..k; returns their paths in shard order.
  std::vector<std::string> run_shards(int k, const std::string& spec) {
    std::vector<std::string> paths;
    for (int i = 1; i <= k; ++i) {
      paths.push_back(shard_path(i, k));
      const CliResult r = run_cli("sweep " + spec + " --quiet --jobs 1 --shard " + std::to_string(i) + "/" + std::to_string(k) +
                                      " --out " + paths.back(),
                                  dir_);
      EXPECT_EQ(r.status, 0) << r.err;
    }
    return paths;
  }
  CliResult merge(const std::vector<std::string>& paths, const std::string& out) {
    std::string args = "sweep " + spec_ + " --out " + out + " --merge";
    for (const std::string& p : paths) args += " " + p;
    return run_cli(args, dir_);
  }
  // A refused merge: exit 2, one line naming `names` and `expect`, nothing on stdout, no output.
  void expect_refused(const CliResult& r, const std::string& out, const std::vector<std::string>& expect) {
    EXPECT_EQ(r.status, 2) << r.err;
    EXPECT_EQ(count_lines(r.err), 1) << r.err;
    EXPECT_EQ(r.err.rfind("samplersim: ", 0), 0u) << r.err;
    EXPECT_TRUE(r.out.empty()) << r.out;
    for (const std::string& e : expect) EXPECT_NE(r.err.find(e), std::string::npos) << "'" << e << "' not in: " << r.err;
    EXPECT_FALSE(std::filesystem::exists(out)) << out;
  }
  std::string dir_;
  std::string spec_;
  std::string whole_;
};

TEST_F(SweepShard, MergedShardsAreTheUnshardedFileByteForByte) {
  for (const int k : {1, 3, 7, kTinyRuns + 4}) {
    const std::vector<std::string> paths = run_shards(k, spec_);
    const std::string out = dir_ + "/merged-" + std::to_string(k) + ".jsonl";
    const CliResult r = merge(paths, out);
    ASSERT_EQ(r.status, 0) << r.err;
    EXPECT_NE(r.out.find("merged " + std::to_string(k) + (k == 1 ? " shard file" : " shard files") + ", 102 runs"),
              std::string::npos)
        << r.out;
    EXPECT_EQ(read_all(out), whole_) << k << " shards";
    // Each shard file: its header, then exactly its block of the unsharded lines.
    const std::vector<std::string> whole_lines = lines_of(whole_);
    int empty_shards = 0;
    for (int i = 1; i <= k; ++i) {
      const std::vector<std::string> lines = lines_of(read_all(paths[static_cast<std::size_t>(i - 1)]));
      ASSERT_FALSE(lines.empty());
      const nlohmann::json header = nlohmann::json::parse(lines[0]);
      EXPECT_EQ(header.at("samplersim_sweep_shard"), 1);
      EXPECT_EQ(header.at("sweep"), "tiny");
      EXPECT_EQ(header.at("shard"), i);
      EXPECT_EQ(header.at("shards"), k);
      EXPECT_EQ(header.at("total_runs"), kTinyRuns);
      const std::int64_t first = (i - 1) * kTinyRuns / k;
      const std::int64_t last = i * kTinyRuns / k;
      EXPECT_EQ(header.at("first_run"), first);
      EXPECT_EQ(header.at("runs"), last - first);
      ASSERT_EQ(static_cast<std::int64_t>(lines.size()) - 1, last - first) << "shard " << i << "/" << k;
      for (std::int64_t j = first; j < last; ++j) {
        EXPECT_EQ(lines[static_cast<std::size_t>(j - first + 1)], whole_lines[static_cast<std::size_t>(j)]);
      }
      empty_shards += first == last;
    }
    EXPECT_EQ(empty_shards, k > kTinyRuns ? k - kTinyRuns : 0);
  }
}

TEST_F(SweepShard, MergeTakesTheFilesInAnyOrder) {
  std::vector<std::string> paths = run_shards(3, spec_);
  std::swap(paths[0], paths[2]);
  const CliResult r = merge(paths, dir_ + "/merged.jsonl");
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(read_all(dir_ + "/merged.jsonl"), whole_);
}

// A preempted array task: its shard file cut inside a line (what kill -9 can leave) is completed
// by --resume with the same --shard, and the merge is still the unsharded file.
TEST_F(SweepShard, AResumedShardMergesToTheSameBytes) {
  const std::vector<std::string> paths = run_shards(3, spec_);
  const std::string shard2 = read_all(paths[1]);
  std::size_t cut = 0;
  for (int line = 0; line < 5; ++line) cut = shard2.find('\n', cut) + 1;  // header + 4 runs
  write_text(paths[1], shard2.substr(0, cut + 20));
  const CliResult refused = merge(paths, dir_ + "/merged.jsonl");
  expect_refused(refused, dir_ + "/merged.jsonl", {paths[1] + ":6: run_key", "all 34 runs of shard 2/3", "got 4 runs and a torn last line"});

  const CliResult resumed = run_cli("sweep " + spec_ + " --quiet --shard 2/3 --resume --out " + paths[1], dir_);
  ASSERT_EQ(resumed.status, 0) << resumed.err;
  EXPECT_NE(resumed.out.find("shard 2/3: 34 runs of 102 (from run 34; 4 points); 4 already in"), std::string::npos) << resumed.out;
  EXPECT_EQ(read_all(paths[1]), shard2);
  // A torn header alone is rewritten.
  write_text(paths[2], read_all(paths[2]).substr(0, 30));
  ASSERT_EQ(run_cli("sweep " + spec_ + " --quiet --shard 3/3 --resume --out " + paths[2], dir_).status, 0);
  const CliResult r = merge(paths, dir_ + "/merged.jsonl");
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(read_all(dir_ + "/merged.jsonl"), whole_);
  // Resuming shard 2's file as shard 1 is refused: its header is another shard's.
  const CliResult wrong = run_cli("sweep " + spec_ + " --quiet --shard 1/3 --resume --out " + paths[1], dir_);
  EXPECT_EQ(wrong.status, 2);
  EXPECT_NE(wrong.err.find(paths[1] + ":1: samplersim_sweep_shard: expected the header of this shard"), std::string::npos) << wrong.err;
  EXPECT_EQ(read_all(paths[1]), shard2);
}

TEST_F(SweepShard, MalformedShardArgumentsExitTwoWithOneLineBeforeAnyWork) {
  for (const char* bad : {"0/3", "4/3", "x/y", "1/0", "3", "1/3/5", ""}) {
    const std::string out = dir_ + "/r.jsonl";
    const CliResult r = run_cli(std::string("sweep ") + spec_ + " --shard '" + bad + "' --out " + out, dir_);
    expect_refused(r, out, {"--shard: expected I/K with 1 <= I <= K", std::string("got '") + bad + "'"});
  }
}

TEST_F(SweepShard, BadMergesExitTwoWithOneLineAndNoOutput) {
  const std::vector<std::string> three = run_shards(3, spec_);
  const std::vector<std::string> two = run_shards(2, spec_);
  const std::string out = dir_ + "/merged.jsonl";
  // A missing shard.
  expect_refused(merge({three[0], three[2]}, out), out,
                 {"--merge: expected the 3 shard files 1/3 to 3/3 of the sweep, each once", "got 2 files; missing shard 2/3"});
  // A shard twice.
  expect_refused(merge({three[0], three[1], three[1], three[2]}, out), out,
                 {three[1] + ":1: shard: expected each shard once", "shard 2/3 again (also " + three[1] + ")"});
  // Shards of different K.
  expect_refused(merge({three[0], two[1], three[2]}, out), out, {two[1] + ":1: shards: expected 3 shards, as in " + three[0], "got 2"});
  // A shard of another spec (here: the same scenarios under another sweep name).
  const std::string other_spec = dir_ + "/other.toml";
  write_text(other_spec, tiny_spec_text("other"));
  const CliResult other = run_cli("sweep " + other_spec + " --quiet --shard 2/3 --out " + dir_ + "/other-2.jsonl", dir_);
  ASSERT_EQ(other.status, 0) << other.err;
  expect_refused(merge({three[0], dir_ + "/other-2.jsonl", three[2]}, out), out,
                 {dir_ + "/other-2.jsonl:1: plan_digest: expected a shard of sweep 'tiny'", "of sweep \"other\""});
  // A results file that is not a shard file.
  expect_refused(merge({dir_ + "/whole.jsonl"}, out), out,
                 {dir_ + "/whole.jsonl:1: samplersim_sweep_shard: expected a shard file written by samplersim sweep --shard"});
  // A shard with a line of another run.
  std::vector<std::string> lines = lines_of(read_all(three[1]));
  std::swap(lines[3], lines[4]);
  std::string swapped;
  for (const std::string& l : lines) swapped += l + "\n";
  write_text(dir_ + "/swapped.jsonl", swapped);
  expect_refused(merge({three[0], dir_ + "/swapped.jsonl", three[2]}, out), out, {dir_ + "/swapped.jsonl:4: run_key: expected run 36 of the plan"});
  // --merge with --shard or --resume, and an existing output.
  const CliResult with_shard = run_cli("sweep " + spec_ + " --shard 1/3 --out " + out + " --merge " + three[0], dir_);
  expect_refused(with_shard, out, {"--merge: expected no --shard"});
  const CliResult with_resume = run_cli("sweep " + spec_ + " --resume --out " + out + " --merge " + three[0], dir_);
  expect_refused(with_resume, out, {"--merge: expected no --resume"});
  const CliResult exists = merge(three, dir_ + "/whole.jsonl");
  EXPECT_EQ(exists.status, 2);
  EXPECT_NE(exists.err.find("--out: expected a new results file"), std::string::npos) << exists.err;
  EXPECT_EQ(read_all(dir_ + "/whole.jsonl"), whole_);
}

}  // namespace
}  // namespace samplersim::testing
