// --python-path reaches the embedded interpreter: the Optuna found there is the one imported (a
// stand-in package that announces itself), a missing directory is bad input, and a Python that
// cannot import Optuna makes the run fail with the reason, never a crash.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "tests/cli/cli_util.h"

namespace samplersim {
namespace {

using testing::run_cli;
using testing::scratch_dir;

TEST(PythonPath, AMissingDirectoryIsBadInput) {
  const std::string dir = scratch_dir("python-path-missing");
  const testing::CliResult r = run_cli("run issue-5489 --policy real:optuna --reps 1 --python-path " + dir + "/nowhere", dir);
  EXPECT_EQ(r.status, 2) << r.err;
  EXPECT_NE(r.err.find("--python-path"), std::string::npos) << r.err;
  EXPECT_TRUE(r.out.empty());
}

TEST(PythonPath, TheOptunaFoundThereIsTheOneImported) {
  const std::string dir = scratch_dir("python-path-fake");
  std::filesystem::create_directories(dir + "/site/optuna");
  std::ofstream(dir + "/site/optuna/__init__.py") << "raise ImportError('stand-in optuna from --python-path')\n";
  const testing::CliResult r = run_cli("run issue-5489 --policy real:optuna --reps 1 --python-path " + dir + "/site", dir);
  EXPECT_EQ(r.status, 3) << r.err;
  EXPECT_NE(r.err.find("stand-in optuna from --python-path"), std::string::npos) << r.err;
  EXPECT_EQ(testing::count_lines(r.err), 1) << r.err;
}

}  // namespace
}  // namespace samplersim
