// Where the built-in scenarios are found at run time (app/install_paths.h): SAMPLERSIM_SCENARIOS
// wins; a test program in build/tests finds the source tree's scenarios by its own location (the
// installed layout is tested end to end by tests/cli/install_test.sh).
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>

#include "app/install_paths.h"
#include "app/scenario_files.h"

namespace samplersim {
namespace {

namespace fs = std::filesystem;

class InstallPaths : public testing::Test {
 protected:
  void SetUp() override {
    if (const char* v = std::getenv("SAMPLERSIM_SCENARIOS")) saved_ = v;
    ::unsetenv("SAMPLERSIM_SCENARIOS");
  }
  void TearDown() override {
    if (saved_) ::setenv("SAMPLERSIM_SCENARIOS", saved_->c_str(), 1);
    else ::unsetenv("SAMPLERSIM_SCENARIOS");
  }
  std::optional<std::string> saved_;
};

TEST_F(InstallPaths, TheEnvironmentVariableWins) {
  ::setenv("SAMPLERSIM_SCENARIOS", "/nonexistent/scenarios", 1);
  const ScenarioDirLookup lookup = find_builtin_scenario_dir();
  ASSERT_TRUE(lookup.found);
  EXPECT_EQ(*lookup.found, "/nonexistent/scenarios");
  EXPECT_EQ(builtin_scenario_dir(), "/nonexistent/scenarios");
}

TEST_F(InstallPaths, AProgramInTheBuildTreeFindsTheSourceTreesScenarios) {
  const ScenarioDirLookup lookup = find_builtin_scenario_dir();
  ASSERT_TRUE(lookup.found) << "tried " << lookup.tried.size() << " folders";
  EXPECT_EQ(fs::canonical(*lookup.found), fs::canonical(fs::path(SAMPLERSIM_SOURCE_DIR) / "scenarios"));
  // The installed layout is looked at first.
  ASSERT_FALSE(lookup.tried.empty());
  EXPECT_NE(lookup.tried.front().find("share/samplersim/scenarios"), std::string::npos) << lookup.tried.front();
  EXPECT_EQ(fs::path(executable_dir()).filename(), "tests");
}

}  // namespace
}  // namespace samplersim
