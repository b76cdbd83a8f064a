// A real browser loads report.html: Debian's chromium, headless. The report must render with no
// console message at all (no errors, no CSP violations), show its tables and charts, and leave a
// screenshot in the build directory (report-screenshot.png) as a build artifact.
// Skipped, with a message, when chromium is not installed (scripts/setup.sh installs it; CI has it).
#include <gtest/gtest-spi.h>
#include <gtest/gtest.h>

#include <filesystem>

#include <nlohmann/json.hpp>

#include "tests/browser/browser_util.h"
#include "tests/cli/cli_util.h"
#include "tests/reports/hostile_results.h"
#include "tests/cli/sweep_test_util.h"

namespace samplersim::testing {
namespace {

namespace fs = std::filesystem;

class ReportInBrowser : public ::testing::Test {
 protected:
  void SetUp() override {
    chromium_ = find_chromium();
    if (chromium_.empty()) GTEST_SKIP() << "chromium is not installed (apt-get install chromium; scripts/setup.sh does)";
    dir_ = scratch_dir(std::string("browser-") + ::testing::UnitTest::GetInstance()->current_test_info()->name());
  }
  std::string chromium_;
  std::string dir_;
};

TEST_F(ReportInBrowser, ConsoleCheckCatchesAPageWithErrors) {
  // Control: the check below must be able to fail.
  write_text(dir_ + "/bad.html", "<!DOCTYPE html><html><body><p>x</p><script>console.error('boom'); undefined_fn();</script></body></html>");
  const BrowserRun r = load_in_chromium(chromium_, dir_ + "/bad.html", dir_, "--dump-dom");
  ASSERT_EQ(r.status, 0) << r.log;
  EXPECT_NE(console_messages(r.log).find("boom"), std::string::npos) << r.log;
  EXPECT_NE(console_messages(r.log).find("Uncaught"), std::string::npos) << r.log;
}

TEST_F(ReportInBrowser, ClipProbeCatchesATextOutsideItsSvg) {
  // Control: the clipping check below must be able to fail.
  write_text(dir_ + "/page.html", "<!DOCTYPE html><html><body><svg width=\"200\" height=\"100\" viewBox=\"0 0 200 100\">"
                                  "<text x=\"150\" y=\"50\">far too long a label</text><text x=\"10\" y=\"50\">ok</text>"
                                  "</svg></body></html>\n");
  write_text(dir_ + "/probe.html", with_clip_probe(read_all(dir_ + "/page.html")));
  const BrowserRun r = load_in_chromium(chromium_, dir_ + "/probe.html", dir_, "--dump-dom");
  ASSERT_EQ(r.status, 0) << r.log;
  EXPECT_EQ(attribute(r.dom, "data-clipped"), "0:far too long a label") << r.dom;
  EXPECT_EQ(attribute(r.dom, "data-texts"), "2");
}

TEST_F(ReportInBrowser, ReportRendersWithTablesChartsAndNoConsoleMessages) {
  write_text(dir_ + "/spec.toml", R"(reps = 200
[[scenario]]
scenario = "issue-5489"
[[scenario]]
scenario = "issue-5489"
reps = 50
[scenario.axes]
"workers.processes" = [2, 3, 4]
)");
  ASSERT_EQ(run_cli("sweep " + dir_ + "/spec.toml --out " + dir_ + "/r.jsonl", dir_).status, 0);
  const CliResult g = run_cli("guarantees --format json", dir_);
  ASSERT_EQ(g.status, 0);
  write_text(dir_ + "/guarantees.json", g.out);
  const CliResult rep = run_cli("report " + dir_ + "/r.jsonl --out " + dir_ + "/report", dir_);
  ASSERT_EQ(rep.status, 0) << rep.err;
  const std::string html = dir_ + "/report/report.html";

  const BrowserRun r = load_in_chromium(chromium_, html, dir_, "--dump-dom");
  ASSERT_EQ(r.status, 0) << r.log;
  EXPECT_EQ(console_messages(r.log), "");
  EXPECT_NE(r.dom.find("samplersim comparison report"), std::string::npos);
  EXPECT_GE(count_of(r.dom, "<table"), 2u) << "the comparison tables";
  // repeats-vs-processes, then wasted compute and coverage for each of the 4 sweep points.
  EXPECT_EQ(count_of(r.dom, "<svg"), 1u + 4u * 2u);
  EXPECT_NE(r.dom.find("Scenario issue-5489"), std::string::npos);
  EXPECT_EQ(count_of(r.dom, "class=\"verdict\""), 4u * 6u) << "a verdict for each of 6 arms at each of 4 points";
  // The guarantees matrix is a table with a cell per policy and fault class.
  const auto matrix = nlohmann::json::parse(g.out);
  EXPECT_EQ(count_of(r.dom, "<td class=\"g-"), matrix.at("rows").size() * matrix.at("columns").size());
  // No text of any chart lies outside its SVG, in the browser's own layout.
  write_text(dir_ + "/report/probe.html", with_clip_probe(read_all(html)));
  const BrowserRun probe = load_in_chromium(chromium_, dir_ + "/report/probe.html", dir_, "--dump-dom");
  ASSERT_EQ(probe.status, 0) << probe.log;
  EXPECT_EQ(attribute(probe.dom, "data-clipped"), "none");
  EXPECT_GT(std::stoi("0" + attribute(probe.dom, "data-texts")), 9 * 10) << "the probe measured the charts' labels";
  // The answer comes first: the summary is the first section of <main>, with a row per sweep point.
  const std::size_t main_at = r.dom.find("<main>");
  ASSERT_NE(main_at, std::string::npos);
  EXPECT_EQ(r.dom.find("<section", main_at), r.dom.find("<section id=\"summary\">", main_at)) << "summary first";
  const std::size_t summary_end = r.dom.find("</section>", main_at);
  for (const char* point : {"workers.processes=2", "workers.processes=3", "workers.processes=4"}) {
    const std::size_t at = r.dom.find(point, main_at);
    EXPECT_LT(at, summary_end) << point << " has a summary row";
  }

  const std::string screenshot = fs::path(SAMPLERSIM_BINARY).parent_path() / "report-screenshot.png";
  fs::remove(screenshot);
  const BrowserRun shot = load_in_chromium(chromium_, html, dir_, "--screenshot=" + screenshot);
  ASSERT_EQ(shot.status, 0) << shot.log;
  EXPECT_EQ(console_messages(shot.log), "");
  ASSERT_TRUE(fs::exists(screenshot)) << shot.log;
  EXPECT_GT(fs::file_size(screenshot), 10000u) << "a blank page would be a tiny PNG";
}

// A two-axis sweep (processes x n_trials, crossed: 4 points): every point has a summary row and a
// section, no chart label is clipped, the guarantees table is complete (issue 13's acceptance).
TEST_F(ReportInBrowser, TwoAxisSweepReportCoversEveryPointWithNothingClipped) {
  write_text(dir_ + "/spec.toml", R"(reps = 60
[[scenario]]
scenario = "grid-4x5-w4"
[scenario.axes]
"workers.processes" = [2, 4]
"optimize.n_trials" = [3, 8]
)");
  ASSERT_EQ(run_cli("sweep " + dir_ + "/spec.toml --quiet --out " + dir_ + "/r.jsonl", dir_).status, 0);
  ASSERT_EQ(sweep_points(dir_ + "/r.jsonl").at("grid-4x5-w4").size(), 4u) << "2 x 2 crossed points";
  const CliResult g = run_cli("guarantees --format json", dir_);
  ASSERT_EQ(g.status, 0);
  write_text(dir_ + "/guarantees.json", g.out);
  const CliResult rep = run_cli("report " + dir_ + "/r.jsonl --out " + dir_ + "/report", dir_);
  ASSERT_EQ(rep.status, 0) << rep.err;
  expect_report_reads_well_in_browser(chromium_, dir_ + "/report/report.html", dir_ + "/r.jsonl",
                                      dir_ + "/guarantees.json", dir_,
                                      fs::path(SAMPLERSIM_BINARY).parent_path() / "two-axis-report-screenshot.png");
}

// Control: the per-point check must be able to fail. The same results with one point's runs
// removed from the report's input, checked against the full results file: a point goes missing.
TEST_F(ReportInBrowser, PointCheckCatchesAReportMissingASweepPoint) {
  write_text(dir_ + "/spec.toml", R"(reps = 20
[[scenario]]
scenario = "issue-5489"
[scenario.axes]
"workers.processes" = [2, 3]
)");
  ASSERT_EQ(run_cli("sweep " + dir_ + "/spec.toml --quiet --out " + dir_ + "/r.jsonl", dir_).status, 0);
  std::string kept;
  for (const std::string& line : lines_of(read_all(dir_ + "/r.jsonl"))) {
    if (!line.empty() && line.find("\"workers.processes\":3") == std::string::npos) kept += line + "\n";
  }
  write_text(dir_ + "/partial.jsonl", kept);
  const CliResult g = run_cli("guarantees --format json", dir_);
  write_text(dir_ + "/guarantees.json", g.out);
  ASSERT_EQ(run_cli("report " + dir_ + "/partial.jsonl --out " + dir_ + "/report", dir_).status, 0);
  ::testing::TestPartResultArray failures;
  {
    ::testing::ScopedFakeTestPartResultReporter reporter(::testing::ScopedFakeTestPartResultReporter::INTERCEPT_ONLY_CURRENT_THREAD,
                                                         &failures);
    expect_report_reads_well_in_browser(chromium_, dir_ + "/report/report.html", dir_ + "/r.jsonl", dir_ + "/guarantees.json",
                                        dir_, dir_ + "/shot.png");
  }
  bool named = false;
  for (int i = 0; i < failures.size(); ++i) {
    named = named || std::string(failures.GetTestPartResult(i).message()).find("workers.processes=3") != std::string::npos;
  }
  EXPECT_TRUE(named) << failures.size() << " failures, none naming the missing point workers.processes=3";
}

TEST_F(ReportInBrowser, HostileReportRunsNoScriptAndShowsTheTextLiterally) {
  write_text(dir_ + "/hostile.jsonl", hostile_results_jsonl());
  ASSERT_EQ(run_cli("report " + dir_ + "/hostile.jsonl --out " + dir_ + "/report", dir_).status, 0);
  const BrowserRun r = load_in_chromium(chromium_, dir_ + "/report/report.html", dir_, "--dump-dom");
  ASSERT_EQ(r.status, 0) << r.log;
  // An injected script would either run (console/alert) or be blocked by the CSP (a console error).
  EXPECT_EQ(console_messages(r.log), "");
  EXPECT_EQ(count_of(r.dom, "<script"), 0u);
  EXPECT_EQ(count_of(r.dom, "<img"), 0u);
  EXPECT_NE(r.dom.find("&lt;script&gt;alert(1)&lt;/script&gt;"), std::string::npos);
}

}  // namespace
}  // namespace samplersim::testing
