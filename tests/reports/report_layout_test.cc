// The report's layout (issue 13): scenarios in the order the results list them (a sweep's order),
// a verdict for every arm of every sweep point, the guarantees matrix as a table, and charts whose
// count axes have integer ticks and whose arms have distinct colours.
#include <gtest/gtest.h>

#include <set>

#include <fmt/format.h>

#include "reports/chart_gnuplot.h"
#include "reports/html_report.h"
#include "reports/report_data.h"
#include "reports/report_markdown.h"
#include "reports/report_verdict.h"
#include "tests/cli/cli_util.h"
#include "tests/cli/sweep_test_util.h"

namespace samplersim::testing {
namespace {

// One results line, as `sweep` writes it (only the keys the report reads).
std::string line(const std::string& scenario, const std::string& policy, const std::string& seed, int rep,
                 std::int64_t processes, std::int64_t repeats, const std::string& axes = "{}") {
  return fmt::format(R"({{"scenario":"{0}","scenario_digest":"d-{0}-{4}","base_scenario_digest":"d-{0}","axes":{6},)"
                     R"("run_key":"d-{0}|{1}/{2}|p={4}|rep={3}","policy":"{1}","seed_policy":"{2}","rep":{3},"processes":{4},)"
                     R"("threads":1,"grid_size":20,"trials":20,"repeats":{5},"never_evaluated":0,"uncovered":0,)"
                     R"("wasted_time_s":0.5,"objective_time_s":10.0,"makespan_s":3.0,"store_ops":100}})",
                     scenario, policy, seed, rep, processes, repeats, axes) +
         "\n";
}

std::vector<std::string> scenario_names(const ReportData& d) {
  std::vector<std::string> out;
  for (const ScenarioResult& s : d.scenarios) out.push_back(s.name);
  return out;
}

TEST(ReportLayout, ScenariosInTheOrderTheResultsListThemNotAlphabetical) {
  const std::string dir = scratch_dir("report-layout-order");
  std::string text;
  for (const char* name : {"zeta", "alpha", "mid"}) {
    for (int rep = 0; rep < 3; ++rep) text += line(name, "optuna-3.6", "none", rep, 4, rep);
  }
  // A later line of the first scenario does not move it.
  text += line("zeta", "optuna-4", "none", 0, 4, 1);
  write_text(dir + "/r.jsonl", text);
  const ReportData d = load_report_data({dir + "/r.jsonl"});
  EXPECT_EQ(scenario_names(d), (std::vector<std::string>{"zeta", "alpha", "mid"}));
  ReportModel model;
  model.data = d;
  const std::string md = render_markdown(model);
  EXPECT_LT(md.find("## Scenario zeta"), md.find("## Scenario alpha"));
  EXPECT_LT(md.find("## Scenario alpha"), md.find("## Scenario mid"));
  const std::string html = render_html(model);
  EXPECT_LT(html.find("Scenario zeta</h2>"), html.find("Scenario alpha</h2>"));
  EXPECT_LT(html.find("Scenario alpha</h2>"), html.find("Scenario mid</h2>"));
}

TEST(ReportLayout, TheBuiltInSweepsScenariosComeInItsOrder) {
  const std::string dir = scratch_dir("report-layout-builtin-order");
  // The built-in sweep's scenario entries, each cut to 2 reps and one policy (the order is the point).
  std::string spec = "reps = 2\n";
  const std::vector<std::string> order = {"issue-5489", "grid-4x5-w4", "crash-recovery", "flaky-objective", "slow-store", "late-joiners"};
  for (const std::string& s : order) spec += "[[scenario]]\nscenario = \"" + s + "\"\npolicies = [\"optuna-4\"]\n";
  write_text(dir + "/spec.toml", spec);
  ASSERT_EQ(run_cli("sweep " + dir + "/spec.toml --quiet --out " + dir + "/r.jsonl", dir).status, 0);
  ASSERT_EQ(run_cli("report " + dir + "/r.jsonl --out " + dir + "/report", dir).status, 0);
  const std::string md = read_all(dir + "/report/report.md");
  std::size_t last = 0;
  for (const std::string& s : order) {
    const std::size_t at = md.find("## Scenario " + s + "\n");
    ASSERT_NE(at, std::string::npos) << s;
    EXPECT_GT(at, last) << s << " comes after the scenario before it in the sweep spec";
    last = at;
  }
}

TEST(ReportLayout, EverySweepPointHasATableWithAVerdictForEveryArm) {
  const std::string dir = scratch_dir("report-layout-points");
  std::string text;
  for (int p : {2, 4, 8}) {
    for (const char* policy : {"optuna-3.6", "leased-claim"}) {
      for (int rep = 0; rep < 4; ++rep) {
        text += line("grid", policy, "none", rep, p, std::string(policy) == "leased-claim" ? 0 : p / 2 + rep % 2,
                     fmt::format(R"({{"workers.processes":{}}})", p));
      }
    }
  }
  write_text(dir + "/r.jsonl", text);
  ReportModel model;
  model.data = load_report_data({dir + "/r.jsonl"});
  ASSERT_EQ(model.data.scenarios.size(), 1u);
  ASSERT_EQ(model.data.scenarios[0].variants.size(), 3u);
  const std::string md = render_markdown(model);
  const std::string html = render_html(model);
  for (int p : {2, 4, 8}) {
    const std::string heading = fmt::format("### workers.processes={} — {} processes × 1 thread, 20 combinations", p, p);
    const std::size_t at = md.find(heading);
    ASSERT_NE(at, std::string::npos) << heading;
    const std::size_t end = md.find("\n### ", at + 1);
    const std::string section = md.substr(at, end == std::string::npos ? std::string::npos : end - at);
    EXPECT_NE(section.find("| optuna-3.6 | none | 4 |"), std::string::npos) << section;
    EXPECT_NE(section.find("| **repeats**: "), std::string::npos) << "the dirty arm's verdict: " << section;
    EXPECT_NE(section.find("| clean: never evaluates a combination twice in 4 runs"), std::string::npos) << section;
    EXPECT_NE(section.find("fix: use leased-claim/none"), std::string::npos) << section;
    EXPECT_NE(html.find(fmt::format("id=\"s1-p{}\"", p == 2 ? 1 : p == 4 ? 2 : 3)), std::string::npos);
  }
  // One verdict cell per arm per point in the HTML too.
  std::size_t cells = 0;
  for (std::size_t at = html.find("class=\"verdict\""); at != std::string::npos; at = html.find("class=\"verdict\"", at + 1)) ++cells;
  EXPECT_EQ(cells, 3u * 2u);
}

ArmResult arm(const char* policy, const char* seed, std::int64_t repeats, std::int64_t uncovered) {
  ArmResult a;
  a.policy = policy;
  a.seed_policy = seed;
  for (int i = 0; i < 10; ++i) {
    RunMetrics m;
    m.repeats = repeats + i % 2;
    m.uncovered = uncovered;
    m.trials = 20;
    m.objective_time_us = 1'000'000;
    a.stats.add(m);
  }
  return a;
}

TEST(ReportLayout, AVerdictNeverRecommendsTheArmItselfOrOneNoBetter) {
  VariantResult v;
  v.axes = nlohmann::json::object();
  v.grid_size = 20;
  // No arm is clean; two arms tie for the fewest repeats with full coverage.
  v.arms = {arm("optuna-3.6", "same:42", 3, 0), arm("optuna-4", "none", 3, 0), arm("optuna-3.2", "none", 5, 0),
            arm("optuna-3.6", "none", 2, 4)};
  const std::vector<Verdict> verdicts = arm_verdicts(v);
  ASSERT_EQ(verdicts.size(), 4u);
  for (const Verdict& verdict : verdicts) {
    EXPECT_EQ(verdict.text.find("fix: " + verdict.label), std::string::npos) << verdict.text;
    EXPECT_EQ(verdict.text.find("fix: use " + verdict.label), std::string::npos) << verdict.text;
  }
  // The tied best arms are told nothing does better, not to switch to each other.
  EXPECT_NE(verdicts[0].text.find("no policy compared here does better"), std::string::npos) << verdicts[0].text;
  EXPECT_NE(verdicts[1].text.find("no policy compared here does better"), std::string::npos) << verdicts[1].text;
  EXPECT_NE(verdicts[2].text.find("fix: optuna-3.6/same:42 completes every combination"), std::string::npos) << verdicts[2].text;
  // Fewer repeats but 4 combinations uncovered: nothing with full coverage has fewer repeats.
  EXPECT_NE(verdicts[3].text.find("fix: none of the policies compared here does better"), std::string::npos) << verdicts[3].text;
}

ArmResult constant_arm(const char* policy, const char* seed, std::int64_t repeats, std::int64_t uncovered, int runs = 10) {
  ArmResult a;
  a.policy = policy;
  a.seed_policy = seed;
  for (int i = 0; i < runs; ++i) {
    RunMetrics m;
    m.repeats = repeats;
    m.uncovered = uncovered;
    m.trials = 20;
    m.objective_time_us = 1'000'000;
    a.stats.add(m);
  }
  return a;
}

// atomic-claim is itself a coordinating policy: its verdict said "a coordinating policy is needed".
TEST(ReportLayout, ACoordinationFixIsNotToldItNeedsACoordinatingPolicy) {
  VariantResult v;
  v.axes = nlohmann::json::object();
  v.grid_size = 20;
  v.arms = {arm("atomic-claim", "none", 1, 2), arm("optuna-3.6", "none", 5, 3)};
  const std::vector<Verdict> verdicts = arm_verdicts(v);
  ASSERT_EQ(verdicts.size(), 2u);
  EXPECT_EQ(verdicts[0].text.find("a coordinating policy is needed"), std::string::npos) << verdicts[0].text;
  EXPECT_NE(verdicts[0].text.find("atomic-claim already coordinates the workers"), std::string::npos) << verdicts[0].text;
  // The Optuna arm still is told so.
  EXPECT_NE(verdicts[1].text.find("a coordinating policy is needed"), std::string::npos) << verdicts[1].text;
}

// The verdict named optuna-3.2 (a downgrade) first where optuna-4 was as clean: newest first, and
// no downgrade when a release as new or newer is clean.
TEST(ReportLayout, AFixIsTheNewestCleanReleaseNeverADowngradeWhenANewerIsAsClean) {
  VariantResult v;
  v.axes = nlohmann::json::object();
  v.grid_size = 20;
  v.arms = {constant_arm("optuna-3.2", "none", 0, 0), constant_arm("optuna-3.2", "same:42", 0, 0),
            constant_arm("optuna-3.6", "none", 5, 0), constant_arm("optuna-4", "none", 0, 0),
            constant_arm("optuna-4", "same:42", 0, 0)};
  const std::vector<Verdict> verdicts = arm_verdicts(v);
  ASSERT_EQ(verdicts.size(), 5u);
  EXPECT_NE(verdicts[2].text.find("fix: use optuna-4/none or optuna-4/same:42 ("), std::string::npos) << verdicts[2].text;
  EXPECT_EQ(verdicts[2].text.find("optuna-3.2"), std::string::npos) << verdicts[2].text;
}

// Two equal runs a side gave zero-width intervals, and a "makes it worse" finding from them.
TEST(ReportLayout, NoSeedPolicyFindingFromTooFewRuns) {
  VariantResult v;
  v.axes = nlohmann::json::object();
  v.grid_size = 20;
  v.arms = {constant_arm("optuna-3.2", "none", 3, 0, 2), constant_arm("optuna-3.2", "same:42", 5, 0, 2)};
  for (const std::string& f : scenario_findings(v)) EXPECT_EQ(f.find("makes optuna-3.2"), std::string::npos) << f;
  // With runs that vary, the finding stands.
  v.arms = {arm("optuna-3.2", "none", 3, 0), arm("optuna-3.2", "same:42", 9, 0)};
  bool worse = false;
  for (const std::string& f : scenario_findings(v)) worse = worse || f.find("makes optuna-3.2 worse") != std::string::npos;
  EXPECT_TRUE(worse);
}

GuaranteesTable two_by_two() {
  GuaranteesTable g;
  g.columns = {{"none", "no faults"}, {"crashes", "workers <crash>"}};
  g.rows = {{"optuna-3.6/none", {{false, false}, {false, false}}, "issue 5489"},
            {"leased-claim/none", {{true, true}, {true, true}}, "leases"}};
  return g;
}

TEST(ReportLayout, GuaranteesMatrixIsAnHtmlTableAndAMarkdownTable) {
  ReportModel model;
  model.guarantees = two_by_two();
  model.guarantees_source = "guarantees.json";
  const std::string html = render_html(model);
  const std::size_t table = html.find("<table class=\"guarantees\">");
  ASSERT_NE(table, std::string::npos);
  EXPECT_EQ(html.find("<pre>", table), std::string::npos) << "no monospace text";
  const std::string body = html.substr(table, html.find("</table>", table) - table);
  std::size_t cells = 0;
  for (std::size_t at = body.find("<td class=\"g-"); at != std::string::npos; at = body.find("<td class=\"g-", at + 1)) ++cells;
  EXPECT_EQ(cells, 4u) << "a cell per policy and fault class";
  EXPECT_NE(body.find("<td class=\"g-none\">coverage VIOLATED<br>no repeats VIOLATED</td>"), std::string::npos);
  EXPECT_NE(body.find("<td class=\"g-both\">coverage holds<br>no repeats holds</td>"), std::string::npos);
  EXPECT_NE(html.find("workers &lt;crash&gt;"), std::string::npos) << "descriptions are escaped";
  const std::string md = render_markdown(model);
  EXPECT_NE(md.find("| policy / seed policy | none | crashes | why |\n|---|---|---|---|\n"), std::string::npos) << md;
  EXPECT_NE(md.find("| leased-claim/none | coverage holds, no repeats holds | coverage holds, no repeats holds | leases |"),
            std::string::npos)
      << md;
}

TEST(ReportLayout, ABadGuaranteesJsonIsOneLineBadInputNamingTheFileAndKey) {
  const std::string dir = scratch_dir("report-layout-bad-guarantees");
  write_text(dir + "/r.jsonl", line("g", "optuna-4", "none", 0, 4, 1));
  write_text(dir + "/guarantees.json", R"({"columns":[{"name":"none","description":"x"}],"rows":[{"policy":"p","seed_policy":"none","note":"","cells":[{"coverage":"maybe","no_repeats":"holds"}]}]})");
  const CliResult r = run_cli("report " + dir + "/r.jsonl --out " + dir + "/report", dir);
  EXPECT_EQ(r.status, 2) << r.err;
  EXPECT_NE(r.err.find("guarantees.json"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("coverage"), std::string::npos) << r.err;
  EXPECT_FALSE(std::filesystem::exists(dir + "/report")) << "nothing written";
}

TEST(ChartTicks, CountAxesHaveIntegerTicks) {
  EXPECT_EQ(integer_tick_step(3), 1);
  EXPECT_EQ(integer_tick_step(10), 1);
  EXPECT_EQ(integer_tick_step(20), 2);
  EXPECT_EQ(integer_tick_step(48), 5);
  EXPECT_EQ(integer_tick_step(101), 20);
  ChartSpec c;
  c.kind = ChartSpec::Kind::kLinesWithErrors;
  c.x_integer = true;
  c.series = {{"a", {{2, 0.5, 0.4, 0.6}, {3, 0.7, 0.6, 0.8}, {6, 1.5, 1.2, 1.8}}, -1}};
  const std::string s = gnuplot_script(c);
  EXPECT_NE(s.find("set xtics (2, 3, 6)\n"), std::string::npos) << s;
  EXPECT_NE(s.find("set format x '%.0f'\n"), std::string::npos) << s;
  c.kind = ChartSpec::Kind::kSteps;
  c.x_integer = false;
  c.y_integer = true;
  c.series = {{"a", {{0, 0, 0, 0}, {0.4, 1, 0, 0}, {1.3, 3, 0, 0}}, -1}};
  EXPECT_NE(gnuplot_script(c).find("set ytics 0, 1\n"), std::string::npos) << gnuplot_script(c);
}

TEST(ChartTicks, AThreePointCountAxisDrawnByGnuplotHasNoFractionalLabel) {
  if (!gnuplot_available()) GTEST_SKIP() << "gnuplot is not installed (scripts/setup.sh installs gnuplot-nox)";
  const std::string dir = scratch_dir("chart-integer-ticks");
  ChartSpec c;
  c.kind = ChartSpec::Kind::kSteps;
  c.title = "coverage";
  c.y_integer = true;
  c.series = {{"a", {{0, 0, 0, 0}, {0.4, 1, 0, 0}, {1.3, 3, 0, 0}}, -1}};
  ASSERT_EQ(render_chart(c, dir + "/c.gp", dir + "/c.svg"), "");
  const std::string svg = read_all(dir + "/c.svg");
  // Without integer ticks gnuplot labels this axis 0, 0.5, 1, ... 3.
  EXPECT_EQ(svg.find(">0.5<"), std::string::npos);
  EXPECT_EQ(svg.find(">2.5<"), std::string::npos);
  EXPECT_NE(svg.find(">3<"), std::string::npos);
}

TEST(ChartColours, SixteenDistinctColoursAndEachArmKeepsItsOwn) {
  std::set<std::string> colours;
  for (int i = 0; i < kChartColourCount; ++i) colours.insert(chart_colour(i));
  EXPECT_EQ(colours.size(), static_cast<std::size_t>(kChartColourCount));
  ChartSpec c;
  c.kind = ChartSpec::Kind::kSteps;
  for (int i = 0; i < 14; ++i) c.series.push_back({fmt::format("arm{}", i), {{0, 0, 0, 0}, {1, 1, 0, 0}}, 13 - i});
  const std::string s = gnuplot_script(c);
  for (int i = 0; i < 14; ++i) {
    EXPECT_NE(s.find(fmt::format("lc rgb '{}' title 'arm{}'", chart_colour(13 - i), i)), std::string::npos) << i;
  }
}

}  // namespace
}  // namespace samplersim::testing
