// The report of the built-in sweep (scenarios/sweeps/builtin.toml, what the README's main command
// writes), loaded in Debian's chromium, headless: the summary is the first section with a row for
// every sweep point, every point has its section, no chart label is clipped, the guarantees table
// has a cell per policy and fault class, and a screenshot is left in the build folder
// (builtin-report-screenshot.png). The sweep and report are made once by the CTest fixture
// builtin_report.sweep (tests/CMakeLists.txt) into SAMPLERSIM_BUILTIN_REPORT_DIR.
// Skipped, with a message, when chromium is not installed (scripts/setup.sh installs it; CI has it).
#include <gtest/gtest.h>

#include <filesystem>

#include "tests/browser/browser_util.h"
#include "tests/cli/cli_util.h"

#ifndef SAMPLERSIM_BUILTIN_REPORT_DIR
#error "SAMPLERSIM_BUILTIN_REPORT_DIR must be defined by the build (the builtin_report.sweep fixture's output)"
#endif

namespace samplersim::testing {
namespace {

namespace fs = std::filesystem;

TEST(BuiltinReportInBrowser, SummaryFirstEveryPointNothingClippedFullGuaranteesTable) {
  const std::string chromium = find_chromium();
  if (chromium.empty()) GTEST_SKIP() << "chromium is not installed (apt-get install chromium; scripts/setup.sh does)";
  const std::string dir = SAMPLERSIM_BUILTIN_REPORT_DIR;
  const std::string work = scratch_dir("browser-builtin");
  ASSERT_TRUE(fs::exists(dir + "/report/report.html")) << "made by the builtin_report.sweep fixture";
  // The built-in suite sweeps processes on two scenarios: at least 7 labelled points in all.
  std::size_t labelled = 0;
  for (const auto& [scenario, labels] : sweep_points(dir + "/results.jsonl")) {
    for (const std::string& label : labels) labelled += label.empty() ? 0 : 1;
  }
  EXPECT_GE(labelled, 7u);
  expect_report_reads_well_in_browser(chromium, dir + "/report/report.html", dir + "/results.jsonl",
                                      dir + "/guarantees.json", work,
                                      fs::path(SAMPLERSIM_BINARY).parent_path() / "builtin-report-screenshot.png");
}

}  // namespace
}  // namespace samplersim::testing
