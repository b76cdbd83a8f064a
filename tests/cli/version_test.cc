// `samplersim --version` prints the project version and the git commit the binary was built from
// (cmake/build_info.cmake): the same commit `git rev-parse` gives for the source tree, when git is
// there; "unknown" otherwise.
#include <gtest/gtest.h>

#include <cstdio>
#include <regex>

#include "tests/cli/cli_util.h"

namespace samplersim::testing {
namespace {

std::string git_head() {
  const std::string cmd = "git -C '" + std::string(SAMPLERSIM_SOURCE_DIR) + "' rev-parse --short=12 HEAD 2>/dev/null";
  FILE* p = ::popen(cmd.c_str(), "r");
  if (p == nullptr) return "";
  char buf[64] = {};
  const bool ok = std::fgets(buf, sizeof buf, p) != nullptr;
  const int status = ::pclose(p);
  std::string head = ok && status == 0 ? buf : "";
  while (!head.empty() && (head.back() == '\n' || head.back() == '\r')) head.pop_back();
  return head;
}

TEST(CliVersion, PrintsTheVersionAndTheCommitItWasBuiltFrom) {
  const auto dir = scratch_dir("version");
  const CliResult r = run_cli("--version", dir);
  ASSERT_EQ(r.status, 0) << r.err;
  std::smatch m;
  ASSERT_TRUE(std::regex_match(r.out, m, std::regex(R"(samplersim (\d+\.\d+\.\d+) \(commit ([0-9a-f]{12}(\+dirty)?|unknown)\)\n)")))
      << r.out;
  const std::string head = git_head();
  if (head.empty()) {
    EXPECT_EQ(m[2].str(), "unknown");
  } else {
    EXPECT_EQ(m[2].str().substr(0, 12), head) << "the binary was built from another commit; rebuild";
  }
}

}  // namespace
}  // namespace samplersim::testing
