// Golden transcripts (SimGrid's .tesh idea): the full text trace of fixed runs of the built-in
// scenarios, in virtual time, pinned in tests/data/golden/. Any change to the engine, the store
// model or an Optuna model that alters a run shows up here as a readable diff. When a change is
// intended, regenerate with the command in each case's comment and review the diff.
#include <gtest/gtest.h>

#include "tests/cli/cli_util.h"
#include "tests/param_names.h"

namespace samplersim {
namespace {

struct Golden {
  const char* file;
  const char* args;
};

class GoldenTranscript : public ::testing::TestWithParam<Golden> {};

TEST_P(GoldenTranscript, TraceIsUnchanged) {
  const auto dir = testing::scratch_dir("golden");
  const std::string out = dir + "/trace.txt";
  // regenerate: ./build/samplersim <args> --trace tests/data/golden/<file>
  const auto r = testing::run_cli(std::string(GetParam().args) + " --trace " + out, dir);
  ASSERT_EQ(r.status, 0) << r.err;
  const std::string expected =
      testing::read_all(std::string(SAMPLERSIM_SOURCE_DIR) + "/tests/data/golden/" + GetParam().file);
  ASSERT_FALSE(expected.empty());
  EXPECT_EQ(testing::read_all(out), expected);
}

void PrintTo(const Golden& g, std::ostream* os) { *os << g.file; }

INSTANTIATE_TEST_SUITE_P(
    Builtin, GoldenTranscript,
    ::testing::Values(Golden{"issue-5489-optuna-3.6-none-rep0.txt",
                             "run issue-5489 --policy optuna-3.6 --seed-policy none --reps 1"},
                      Golden{"grid-4x5-w4-optuna-3.2-same42-rep0.txt",
                             "run grid-4x5-w4 --policy optuna-3.2 --seed-policy same:42 --reps 1"}),
    [](const ::testing::TestParamInfo<Golden>& info) {
      const std::string file = info.param.file;
      return param_name(file.substr(0, file.rfind('.')));
    });

}  // namespace
}  // namespace samplersim
