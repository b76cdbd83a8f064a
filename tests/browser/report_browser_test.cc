// A real browser loads report.html: Debian's chromium, headless. The report must render with no
// console message at all (no errors, no CSP violations), show its tables and charts, and leave a
// screenshot in the build directory (report-screenshot.png) as a build artifact.
// Skipped, with a message, when chromium is not installed (scripts/setup.sh installs it; CI has it).
#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>

#include <nlohmann/json.hpp>

#include "tests/cli/cli_util.h"
#include "tests/reports/hostile_results.h"
#include "tests/cli/sweep_test_util.h"

namespace samplersim::testing {
namespace {

namespace fs = std::filesystem;

std::string find_chromium() {
  for (const char* p : {"/usr/bin/chromium", "/usr/bin/chromium-browser"}) {
    if (::access(p, X_OK) == 0) return p;
  }
  return "";
}

struct BrowserRun {
  int status = -1;
  std::string dom;
  std::string log;
};

// Loads `html` headless with a fresh profile; `extra` adds e.g. --screenshot=PATH.
BrowserRun load_in_chromium(const std::string& chromium, const std::string& html, const std::string& work,
                            const std::string& mode) {
  const std::string profile = work + "/profile-" + std::to_string(::getpid());
  fs::remove_all(profile);
  fs::create_directories(profile);
  const std::string dom = work + "/dom.html";
  const std::string log = work + "/chromium.log";
  const std::string cmd = "timeout 120 " + chromium +
                          " --headless --no-sandbox --disable-gpu --disable-background-networking --disable-component-update"
                          " --disable-sync --no-first-run --user-data-dir=" + profile +
                          " --enable-logging=stderr --v=0 --window-size=1280,2600 " + mode + " file://" + html + " >" + dom +
                          " 2>" + log + " </dev/null";
  const int raw = std::system(cmd.c_str());
  fs::remove_all(profile);
  BrowserRun r;
  r.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : 128 + WTERMSIG(raw);
  r.dom = read_all(dom);
  r.log = read_all(log);
  return r;
}

// Console output of the page, as chromium logs it with --enable-logging=stderr
// ("...:INFO:CONSOLE:12] "message", source: ...") plus any uncaught exception.
std::string console_messages(const std::string& log) {
  std::string out;
  for (const std::string& line : lines_of(log)) {
    if (line.find(":CONSOLE") != std::string::npos || line.find("Uncaught") != std::string::npos) out += line + "\n";
  }
  return out;
}

std::size_t count_of(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (std::size_t p = text.find(what); p != std::string::npos; p = text.find(what, p + 1)) ++n;
  return n;
}

// A copy of `html` without its Content-Security-Policy and with a script that measures, in the
// browser's layout, every <text> of every <svg>: the body's data-clipped attribute lists the texts
// whose bounding box is not inside their SVG ("none" when all are), data-texts how many were measured.
std::string with_clip_probe(const std::string& html) {
  std::string out;
  for (const std::string& line : lines_of(html)) {
    if (line.find("Content-Security-Policy") == std::string::npos) out += line + "\n";
  }
  const std::string probe = R"(<script>
const bad = []; let texts = 0;
document.querySelectorAll('svg').forEach((svg, i) => {
  const r = svg.getBoundingClientRect();
  svg.querySelectorAll('text').forEach(t => {
    const b = t.getBoundingClientRect();
    if (b.width === 0 || t.textContent.trim() === '') return;
    ++texts;
    if (b.left < r.left - 0.5 || b.right > r.right + 0.5 || b.top < r.top - 0.5 || b.bottom > r.bottom + 0.5) {
      bad.push(i + ':' + t.textContent.trim());
    }
  });
});
document.body.setAttribute('data-clipped', bad.length ? bad.join('|') : 'none');
document.body.setAttribute('data-texts', String(texts));
</script>
)";
  const std::size_t end = out.rfind("</body>");
  return end == std::string::npos ? out : out.substr(0, end) + probe + out.substr(end);
}

std::string attribute(const std::string& dom, const std::string& name) {
  const std::size_t at = dom.find(name + "=\"");
  if (at == std::string::npos) return "";
  const std::size_t start = at + name.size() + 2;
  return dom.substr(start, dom.find('"', start) - start);
}

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
