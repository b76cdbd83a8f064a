// The ranked remedies in a report (reports/report_remedies.h): `run --format json` files in
// remedies/ next to the results put the user's arm's recommended remedies, with their code, in the
// scenario's section and the best of each level in the summary; a bad file is exit 2.
#include <gtest/gtest.h>

#include <filesystem>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "tests/cli/cli_util.h"
#include "tests/cli/sweep_test_util.h"

namespace samplersim::testing {
namespace {

TEST(ReportRemedies, TheUsersArmsRecommendedRemediesAppearInRankOrderAndLeadTheSummary) {
  const std::string dir = scratch_dir("report-remedies");
  write_text(dir + "/spec.toml", "reps = 100\n[[scenario]]\nscenario = \"issue-5489\"\n");
  ASSERT_EQ(run_cli("sweep " + dir + "/spec.toml --quiet --out " + dir + "/r.jsonl", dir).status, 0);
  std::filesystem::create_directories(dir + "/remedies");
  const CliResult run = run_cli("run issue-5489 --reps 400 --format json", dir);
  ASSERT_EQ(run.status, 0) << run.err;
  write_text(dir + "/remedies/issue-5489.json", run.out);
  const CliResult rep = run_cli("report " + dir + "/r.jsonl --out " + dir + "/report", dir);
  ASSERT_EQ(rep.status, 0) << rep.err;
  const std::string md = read_all(dir + "/report/report.md");
  const std::string html = read_all(dir + "/report/report.html");

  // The user's arm in issue-5489 is optuna-3.6/none (it alone repeats); its ranking from the file.
  const auto j = nlohmann::json::parse(run.out);
  const nlohmann::json* ranking = nullptr;
  for (const auto& r : j.at("remedies")) {
    if (r.at("arm") == "optuna-3.6/none") ranking = &r;
  }
  ASSERT_NE(ranking, nullptr);
  std::vector<std::string> recommended;
  std::string best_today;
  for (const auto& r : ranking->at("remedies")) {
    if (r.at("verdict") != "recommended") continue;
    recommended.push_back(r.at("title").get<std::string>());
    if (best_today.empty() && r.at("level") == "in your Optuna today") best_today = r.at("title").get<std::string>();
  }
  ASSERT_FALSE(recommended.empty()) << "issue 5489 has remedies in Optuna today (same seed, upgrade)";
  ASSERT_FALSE(best_today.empty());

  const std::size_t section = md.find("### What to change: your arm optuna-3.6/none");
  ASSERT_NE(section, std::string::npos) << md;
  // Markdown escapes punctuation such as '_' with a backslash: compare without the backslashes.
  const auto plain = [](std::string text) {
    std::erase(text, '\\');
    return text;
  };
  std::size_t last = section;
  for (std::size_t i = 0; i < recommended.size(); ++i) {
    const std::string item = fmt::format("\n{}. **", i + 1);
    const std::size_t at = md.find(item, last);
    ASSERT_NE(at, std::string::npos) << recommended[i];
    const std::size_t start = at + item.size();
    EXPECT_EQ(plain(md.substr(start, md.find("** (", start) - start)), recommended[i]) << "rank " << i + 1;
    last = start;
  }
  EXPECT_NE(md.find("```\n", section), std::string::npos) << "the code to write";
  // The summary (first section) names the best remedy in Optuna today.
  const std::size_t summary_end = md.find("## Scenario");
  EXPECT_LT(md.find("| optuna-3.6/none | "), summary_end);
  EXPECT_LT(plain(md.substr(0, summary_end)).find(best_today), summary_end) << best_today;
  EXPECT_NE(html.find("<table class=\"remedies\">"), std::string::npos);
}

TEST(ReportRemedies, WithoutAFileTheSectionSaysHowToMakeOne) {
  const std::string dir = scratch_dir("report-remedies-none");
  write_text(dir + "/spec.toml", "reps = 20\n[[scenario]]\nscenario = \"issue-5489\"\n");
  ASSERT_EQ(run_cli("sweep " + dir + "/spec.toml --quiet --out " + dir + "/r.jsonl", dir).status, 0);
  ASSERT_EQ(run_cli("report " + dir + "/r.jsonl --out " + dir + "/report", dir).status, 0);
  EXPECT_NE(read_all(dir + "/report/report.md").find("`samplersim run issue-5489 --format json > remedies/issue-5489.json`"),
            std::string::npos);
  // A user's own scenario is run by its path (its name alone is not found): the hint says so.
  EXPECT_NE(read_all(dir + "/report/report.md").find("the path of its file in place of its name"), std::string::npos);
}

TEST(ReportRemedies, ABadRemediesFileIsExitTwoNamingFileAndKeyAndWritesNothing) {
  const std::string dir = scratch_dir("report-remedies-bad");
  write_text(dir + "/spec.toml", "reps = 5\n[[scenario]]\nscenario = \"issue-5489\"\n");
  ASSERT_EQ(run_cli("sweep " + dir + "/spec.toml --quiet --out " + dir + "/r.jsonl", dir).status, 0);
  std::filesystem::create_directories(dir + "/remedies");
  write_text(dir + "/remedies/x.json", R"({"scenario":{"name":"issue-5489","digest":"d","reps":5},"remedies":[{"arm":"a","family":"f"}]})");
  const CliResult r = run_cli("report " + dir + "/r.jsonl --out " + dir + "/report", dir);
  EXPECT_EQ(r.status, 2) << r.err;
  EXPECT_NE(r.err.find("remedies/x.json"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("remedies: expected an array of remedies"), std::string::npos) << r.err;
  EXPECT_FALSE(std::filesystem::exists(dir + "/report"));
}

// A sweep that runs a scenario only at axis points (no point as written) still shows what to
// change: the ranking, from the scenario's remedies file, of the arm most points call "yours",
// with a note that the remedies were simulated on the scenario as written, not at each point.
// Before, the section was replaced by a hint to write the very file that was already there.
TEST(ReportRemedies, ASweepWithAxesOnlyShowsTheRemediesOfTheScenarioAsWritten) {
  const std::string dir = scratch_dir("report-remedies-axes");
  write_text(dir + "/spec.toml",
             "reps = 60\n[[scenario]]\nscenario = \"issue-5489\"\n[scenario.axes]\n\"workers.processes\" = [2, 4]\n");
  ASSERT_EQ(run_cli("sweep " + dir + "/spec.toml --quiet --out " + dir + "/r.jsonl", dir).status, 0);
  // Without the file, the hint says what the file would rank: the scenario as written.
  ASSERT_EQ(run_cli("report " + dir + "/r.jsonl --out " + dir + "/before", dir).status, 0);
  EXPECT_NE(read_all(dir + "/before/report.md")
                .find("`samplersim run issue-5489 --format json > remedies/issue-5489.json`"),
            std::string::npos);
  EXPECT_NE(read_all(dir + "/before/report.md").find("ranks the remedies for the scenario as written"), std::string::npos);

  std::filesystem::create_directories(dir + "/remedies");
  const CliResult run = run_cli("run issue-5489 --reps 200 --format json", dir);
  ASSERT_EQ(run.status, 0) << run.err;
  write_text(dir + "/remedies/issue-5489.json", run.out);
  const CliResult rep = run_cli("report " + dir + "/r.jsonl --out " + dir + "/report", dir);
  ASSERT_EQ(rep.status, 0) << rep.err;
  const std::string md = read_all(dir + "/report/report.md");
  const std::string html = read_all(dir + "/report/report.html");
  EXPECT_EQ(md.find("What to change: not available"), std::string::npos) << md;

  std::string plain = md;  // Markdown escapes punctuation with a backslash: compare without them
  std::erase(plain, '\\');
  const std::string heading = "### What to change: your arm ";
  const std::size_t section = plain.find(heading);
  ASSERT_NE(section, std::string::npos) << md;
  const std::size_t arm_start = section + heading.size();
  const std::string arm = plain.substr(arm_start, plain.find(' ', arm_start) - arm_start);
  // The arm's ranking in the file, and its first recommended remedy, shown first.
  const auto j = nlohmann::json::parse(run.out);
  std::string first;
  for (const auto& r : j.at("remedies")) {
    if (r.at("arm") != arm) continue;
    for (const auto& x : r.at("remedies")) {
      if (x.at("verdict") == "recommended" && first.empty()) first = x.at("title").get<std::string>();
    }
  }
  ASSERT_FALSE(first.empty()) << arm << " has a recommended remedy in issue-5489 as written";
  EXPECT_NE(plain.find("1. **" + first + "**", plain.find("### What to change")), std::string::npos) << first;
  EXPECT_NE(plain.find("This sweep's points set workers.processes; the remedies below were simulated on the scenario as "
                       "written, not at each point, for " + arm),
            std::string::npos)
      << md;
  EXPECT_NE(html.find("<table class=\"remedies\">"), std::string::npos);
  EXPECT_NE(html.find("simulated on the scenario as written, not at each point"), std::string::npos);
}

// A scenario whose name has an underscore: report.md showed `remedies/my\_grid.json` (a code span
// shows the backslash); and a remedies file made before the scenario changed was silently "not
// available": the report now says which digest the file was made for.
std::string my_grid(int processes) {
  return fmt::format("name = \"my_grid\"\n[grid]\nx = [0, 1, 2]\n[workers]\nprocesses = {}\n[objective]\n"
                     "duration = \"uniform 50ms..250ms\"\n[compare]\npolicies = [\"optuna-3.6\"]\n",
                     processes);
}

TEST(ReportRemedies, CodeSpansAreLiteralAndAFileForAnotherDigestSaysWhichDigest) {
  const std::string dir = scratch_dir("report-remedies-digest");
  write_text(dir + "/my_grid.toml", my_grid(3));
  ASSERT_EQ(run_cli("run " + dir + "/my_grid.toml --reps 20 --no-remedies --json " + dir + "/r.jsonl", dir).status, 0);
  ASSERT_EQ(run_cli("report " + dir + "/r.jsonl --out " + dir + "/before", dir).status, 0);
  const std::string before = read_all(dir + "/before/report.md");
  EXPECT_NE(before.find("--format json > remedies/my_grid.json`"), std::string::npos) << before;
  EXPECT_EQ(before.find("my\\_grid.json`"), std::string::npos) << before;

  // The remedies of the scenario as it is now (4 processes), beside results of its 3-process form.
  write_text(dir + "/my_grid.toml", my_grid(4));
  const CliResult run = run_cli("run " + dir + "/my_grid.toml --reps 20 --format json", dir);
  ASSERT_EQ(run.status, 0) << run.err;
  std::filesystem::create_directories(dir + "/remedies");
  write_text(dir + "/remedies/my_grid.json", run.out);
  const std::string made_for = nlohmann::json::parse(run.out).at("scenario").at("digest").get<std::string>();
  ASSERT_EQ(run_cli("report " + dir + "/r.jsonl --out " + dir + "/after", dir).status, 0);
  const std::string md = read_all(dir + "/after/report.md");
  EXPECT_NE(md.find("`remedies/my_grid.json` was made for scenario digest `" + made_for + "`, not `"), std::string::npos)
      << md;
  EXPECT_NE(read_all(dir + "/after/report.html").find("was made for scenario digest <code>" + made_for),
            std::string::npos);
}

// A malformed remedies file named no line ("x.json: verdict: expected a string"): the line of the
// value at fault, however deep.
TEST(ReportRemedies, AMalformedRemediesFileNamesTheLineOfTheBadValue) {
  const std::string dir = scratch_dir("report-remedies-line");
  write_text(dir + "/spec.toml", "reps = 5\n[[scenario]]\nscenario = \"issue-5489\"\n");
  ASSERT_EQ(run_cli("sweep " + dir + "/spec.toml --quiet --out " + dir + "/r.jsonl", dir).status, 0);
  std::filesystem::create_directories(dir + "/remedies");
  const nlohmann::json remedy = {{"id", "x"},     {"verdict", "recommended"}, {"level", "l"}, {"group", "g"},
                                 {"title", "t"},  {"simulated", "s"},         {"change", "c"}, {"code", "k"},
                                 {"note", ""}};
  nlohmann::json bad = remedy;
  bad["verdict"] = 7;
  const nlohmann::json doc = {{"scenario", {{"name", "issue-5489"}, {"digest", "d"}, {"reps", 5}}},
                              {"remedies", {{{"arm", "a"}, {"family", "f"}, {"remedies", {remedy, bad}}}}}};
  const std::string text = doc.dump(2);
  write_text(dir + "/remedies/x.json", text);
  // The line of `"verdict": 7` in the text as written.
  int line = 1;
  const std::size_t at = text.find("\"verdict\": 7");
  ASSERT_NE(at, std::string::npos);
  for (std::size_t i = 0; i < at; ++i) line += text[i] == '\n';
  const CliResult r = run_cli("report " + dir + "/r.jsonl --out " + dir + "/report", dir);
  EXPECT_EQ(r.status, 2) << r.err;
  EXPECT_EQ(count_lines(r.err), 1) << r.err;
  EXPECT_NE(r.err.find(fmt::format("remedies/x.json:{}: verdict: expected a string, got the integer 7", line)),
            std::string::npos)
      << r.err;
  EXPECT_TRUE(r.out.empty());
  EXPECT_FALSE(std::filesystem::exists(dir + "/report"));
  // A missing key names the line of the object that lacks it.
  nlohmann::json missing = doc;
  missing["remedies"][0]["remedies"][1].erase("title");
  const std::string text2 = missing.dump(2);
  write_text(dir + "/remedies/x.json", text2);
  const CliResult r2 = run_cli("report " + dir + "/r.jsonl --out " + dir + "/report", dir);
  EXPECT_EQ(r2.status, 2) << r2.err;
  EXPECT_NE(r2.err.find("remedies/x.json:"), std::string::npos) << r2.err;
  EXPECT_EQ(r2.err.find("remedies/x.json: "), std::string::npos) << r2.err;  // a line number, not none
}

}  // namespace
}  // namespace samplersim::testing
