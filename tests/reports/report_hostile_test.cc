// Nothing a user writes can break or script the report: a results file full of hostile names and
// values renders with everything escaped (HTML and Markdown) and no user text in gnuplot scripts.
// Also: duplicate lines count once, conflicting or torn files are refused (exit 2).
#include <gtest/gtest.h>

#include <filesystem>

#include "reports/chart_gnuplot.h"
#include "reports/report_escape.h"
#include "tests/cli/cli_util.h"
#include "tests/reports/hostile_results.h"
#include "tests/cli/sweep_test_util.h"

namespace samplersim::testing {
namespace {

// True if `raw` occurs in `text` not preceded by a backslash.
bool has_unescaped(const std::string& text, const std::string& raw) {
  for (std::size_t p = text.find(raw); p != std::string::npos; p = text.find(raw, p + 1)) {
    if (p == 0 || text[p - 1] != '\\') return true;
  }
  return false;
}

TEST(ReportEscape, HtmlAndMarkdownEscapesNeutraliseMarkup) {
  EXPECT_EQ(html_escape("<script>\"'&"), "&lt;script&gt;&quot;&#39;&amp;");
  EXPECT_EQ(md_escape("a|b*c_<d>[e](f)`\n"), "a\\|b\\*c\\_\\<d\\>\\[e\\](f)\\` ");
  EXPECT_EQ(chart_label("x' ; system('rm')\n<svg>"), "x? ? system(?rm?)??svg?");
}

// Inside a code span a backslash is shown: "remedies/my\_grid.json" was what report.md displayed.
TEST(ReportEscape, CodeSpansAreLiteralUnlessTheTextCouldBeMarkup) {
  EXPECT_EQ(md_code_span("samplersim run my_grid --format json > remedies/my_grid.json"),
            "`samplersim run my_grid --format json > remedies/my_grid.json`");
  EXPECT_EQ(md_code_span("a*b#c[d]"), "`a*b#c[d]`");
  EXPECT_EQ(md_code_span("<script>"), "\\<script\\>");
  EXPECT_EQ(md_code_span("x`rm"), "x\\`rm");
  EXPECT_EQ(md_code_span("a|b"), "a\\|b");
  EXPECT_EQ(md_code_span("a\u202eb"), "a\\[U+202E\\]b");
}

TEST(ReportEscape, UnsafeCharactersAreShownNotApplied) {
  EXPECT_EQ(html_escape("a\u202eb\u2066c\u200bd\xef\xbb\xbf"), "a[U+202E]b[U+2066]c[U+200B]d[U+FEFF]");
  EXPECT_EQ(html_escape("esc\x1b csi\xc2\x9b bad\xff ok\xc3\xa9"), "esc\xef\xbf\xbd csi\xef\xbf\xbd bad\xef\xbf\xbd ok\xc3\xa9");
  EXPECT_EQ(md_escape("a\u202eb"), "a\\[U+202E\\]b");
  EXPECT_EQ(md_code_block("x ``` y\n"), "````text\nx ``` y\n````\n");
  EXPECT_EQ(md_code_block("plain"), "```text\nplain\n```\n");
}

TEST(ReportEscape, GnuplotScriptHasNoUserQuotesOrNewlines) {
  ChartSpec c;
  c.title = "t'\nset output '/etc/passwd'";
  c.series.push_back(ChartSeries{"s'\"`<>", {{1, 2, 1, 3}, {2, 3, 2, 4}}});
  const std::string script = gnuplot_script(c);
  EXPECT_EQ(script.find("/etc/passwd'"), std::string::npos) << script;
  EXPECT_EQ(script.find("\nset output"), std::string::npos) << "no user text may start a gnuplot command:\n" << script;
  EXPECT_EQ(script.find('`'), std::string::npos) << "backquotes run shell commands in gnuplot";
}

TEST(ReportCommand, HostileResultsAreEscapedEverywhere) {
  const std::string dir = scratch_dir("hostile-report");
  write_text(dir + "/hostile.jsonl", hostile_results_jsonl());
  const CliResult r = run_cli("report " + dir + "/hostile.jsonl --out " + dir + "/report", dir);
  ASSERT_EQ(r.status, 0) << r.err;
  const std::string html = read_all(dir + "/report/report.html");
  const std::string md = read_all(dir + "/report/report.md");
  // The payloads, raw, must not appear; their escaped forms must.
  for (const char* raw : {"<script>alert(1)</script>", "<img src=x onerror=alert(2)>", "</table><b>", "<b>", "</td><script>",
                          "href=\"javascript"}) {
    EXPECT_EQ(html.find(raw), std::string::npos) << raw;
  }
  EXPECT_NE(html.find("&lt;/table&gt;&lt;b&gt;"), std::string::npos);
  // The only links are in-page anchors (the nav, and gnuplot's own <use> references).
  for (std::size_t p = html.find("href="); p != std::string::npos; p = html.find("href=", p + 1)) {
    const std::string value = html.substr(p + 5, 2);
    EXPECT_TRUE(value == "\"#" || value == "'#") << html.substr(p, 40);
  }
  EXPECT_NE(html.find("a&lt;b&gt;=&lt;/td&gt;&lt;script&gt;"), std::string::npos);
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_NE(html.find("&lt;script&gt;alert(1)&lt;/script&gt;"), std::string::npos);
  EXPECT_NE(html.find("&lt;img src=x onerror=alert(2)&gt;"), std::string::npos);
  // Markdown: every markup character from the file is backslash-escaped.
  for (const char* raw : {"<script>", "<img", "| injected |", "[click]", "`rm"}) {
    EXPECT_FALSE(has_unescaped(md, raw)) << raw;
  }
  EXPECT_NE(md.find("\\<script\\>alert(1)\\</script\\>"), std::string::npos);
  // Bidirectional and zero-width characters are shown, never applied; ESC and C1 never pass.
  for (const char* raw : {"\u202e", "\u200b", "\x1b", "\xc2\x9b"}) {
    EXPECT_EQ(html.find(raw), std::string::npos) << "raw unsafe character in report.html";
    EXPECT_EQ(md.find(raw), std::string::npos) << "raw unsafe character in report.md";
  }
  EXPECT_NE(html.find("[U+202E][U+200B]"), std::string::npos);
  EXPECT_NE(md.find("\\[U+202E\\]\\[U+200B\\]"), std::string::npos);
  // Gnuplot scripts: no user quote can end a string.
  for (const auto& entry : std::filesystem::directory_iterator(dir + "/report/charts")) {
    if (entry.path().extension() != ".gp") continue;
    const std::string gp = read_all(entry.path().string());
    EXPECT_EQ(gp.find("<script"), std::string::npos) << entry.path();
    EXPECT_EQ(gp.find('`'), std::string::npos) << entry.path();
  }
}

TEST(ReportCommand, DuplicateLinesCountOnceAndConflictsAreRefused) {
  const std::string dir = scratch_dir("dup-report");
  write_text(dir + "/spec.toml", "reps = 20\n[[scenario]]\nscenario = \"issue-5489\"\n");
  ASSERT_EQ(run_cli("sweep " + dir + "/spec.toml --out " + dir + "/a.jsonl", dir).status, 0);
  const CliResult twice = run_cli("report " + dir + "/a.jsonl " + dir + "/a.jsonl --out " + dir + "/report", dir);
  ASSERT_EQ(twice.status, 0) << twice.err;
  EXPECT_NE(twice.out.find("report of 120 runs"), std::string::npos) << twice.out;

  std::string text = read_all(dir + "/a.jsonl");
  auto j = nlohmann::json::parse(lines_of(text).front());
  j["repeats"] = j["repeats"].get<int>() + 1;
  write_text(dir + "/b.jsonl", j.dump() + "\n");
  const CliResult conflict = run_cli("report " + dir + "/a.jsonl " + dir + "/b.jsonl --out " + dir + "/report2", dir);
  EXPECT_EQ(conflict.status, 2);
  EXPECT_NE(conflict.err.find("b.jsonl:1: run_key"), std::string::npos) << conflict.err;
  EXPECT_FALSE(std::filesystem::exists(dir + "/report2/report.md"));

  write_text(dir + "/c.jsonl", "{\"scenario\": 3}\n");
  const CliResult bad = run_cli("report " + dir + "/c.jsonl --out " + dir + "/report3", dir);
  EXPECT_EQ(bad.status, 2);
  EXPECT_NE(bad.err.find("c.jsonl:1: scenario: expected a string"), std::string::npos) << bad.err;
}

TEST(ReportCommand, IncludesGuaranteesAndCounterexamplesFoundNextToResults) {
  const std::string dir = scratch_dir("ext-report");
  write_text(dir + "/spec.toml", "reps = 5\n[[scenario]]\nscenario = \"issue-5489\"\n");
  ASSERT_EQ(run_cli("sweep " + dir + "/spec.toml --out " + dir + "/a.jsonl", dir).status, 0);
  write_text(dir + "/guarantees.md", "| policy | no repeats |\n|---|---|\n| x <b>bold</b> | yes |\n");
  std::filesystem::create_directories(dir + "/counterexamples");
  write_text(dir + "/counterexamples/optuna-3.6.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(3)</script></svg>");
  ASSERT_EQ(run_cli("report " + dir + "/a.jsonl --out " + dir + "/report", dir).status, 0);
  const std::string md = read_all(dir + "/report/report.md");
  const std::string html = read_all(dir + "/report/report.html");
  // guarantees.md is shown as written, in a fenced code block: its markup is not interpreted.
  EXPECT_NE(md.find("```text\n| policy | no repeats |\n|---|---|\n| x <b>bold</b> | yes |\n```\n"), std::string::npos) << md;
  EXPECT_NE(md.find("](counterexamples/c1.svg)"), std::string::npos);
  EXPECT_TRUE(std::filesystem::exists(dir + "/report/counterexamples/c1.svg"));
  EXPECT_NE(html.find("x &lt;b&gt;bold&lt;/b&gt;"), std::string::npos);
  // The diagram is embedded as an image (data: URI): scripts inside an <img> SVG never run.
  EXPECT_NE(html.find("<img alt=\"optuna-3.6.svg\" src=\"data:image/svg+xml;base64,"), std::string::npos);
  EXPECT_EQ(html.find("alert(3)"), std::string::npos);
}

}  // namespace
}  // namespace samplersim::testing
