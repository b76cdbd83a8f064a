// `samplersim audit` on hand-built Optuna databases (schema as Optuna 3.1's RDBStorage creates it,
// reduced to the tables and columns the audit reads): known metrics, read-only access, and one-line
// errors with exit 2 for files that are not (readable) Optuna databases. Also `run --from-db` on the
// same hand-built databases (ResumeCli).
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <filesystem>
#include <fstream>
#include <regex>

#include <nlohmann/json.hpp>

#include "tests/cli/cli_util.h"

namespace samplersim::testing {
namespace {

constexpr const char* kSchema = R"sql(
CREATE TABLE studies (study_id INTEGER NOT NULL, study_name VARCHAR(512) NOT NULL, PRIMARY KEY (study_id));
CREATE TABLE version_info (version_info_id INTEGER NOT NULL, schema_version INTEGER, library_version VARCHAR(256), PRIMARY KEY (version_info_id));
CREATE TABLE trials (trial_id INTEGER NOT NULL, number INTEGER, study_id INTEGER, state VARCHAR(8) NOT NULL,
  datetime_start DATETIME, datetime_complete DATETIME, PRIMARY KEY (trial_id));
CREATE TABLE trial_params (param_id INTEGER NOT NULL, trial_id INTEGER, param_name VARCHAR(512), param_value FLOAT,
  distribution_json TEXT, PRIMARY KEY (param_id));
CREATE TABLE trial_system_attributes (trial_system_attribute_id INTEGER NOT NULL, trial_id INTEGER, "key" VARCHAR(512),
  value_json TEXT, PRIMARY KEY (trial_system_attribute_id));
INSERT INTO version_info VALUES (1, 12, '3.1.0');
)sql";

void exec(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  char* err = nullptr;
  const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err);
  const std::string message = err ? err : "";
  sqlite3_free(err);
  sqlite3_close(db);
  ASSERT_EQ(rc, SQLITE_OK) << message;
}

constexpr const char* kDistA =
    R"({"name": "CategoricalDistribution", "attributes": {"choices": [0, 1]}})";
constexpr const char* kDistB =
    R"({"name": "CategoricalDistribution", "attributes": {"choices": ["x", "y"]}})";

// Study `name` (id `sid`) on grid a in [0, 1], b in ["x", "y"]; rows: (state, a index, b index) with
// -1 = no params. Trial k starts at second k and (if finished) ends 1.5 s later.
std::string study_sql(int sid, const std::string& name, const std::vector<std::tuple<std::string, int, int>>& rows) {
  std::string sql = "INSERT INTO studies VALUES (" + std::to_string(sid) + ", '" + name + "');\n";
  for (std::size_t k = 0; k < rows.size(); ++k) {
    const auto& [state, a, b] = rows[k];
    const std::string id = std::to_string(sid * 1000 + static_cast<int>(k));
    const std::string start = "'2026-01-01 00:00:" + std::to_string(10 + k) + ".000000'";
    const std::string end = state == "RUNNING" ? "NULL" : "'2026-01-01 00:00:" + std::to_string(11 + k) + ".500000'";
    sql += "INSERT INTO trials VALUES (" + id + ", " + std::to_string(k) + ", " + std::to_string(sid) + ", '" + state +
           "', " + start + ", " + end + ");\n";
    sql += "INSERT INTO trial_system_attributes (trial_id, key, value_json) VALUES (" + id +
           R"(, 'search_space', '{"a": [0, 1], "b": ["x", "y"]}');)" + "\n";
    if (a >= 0) {
      sql += "INSERT INTO trial_params (trial_id, param_name, param_value, distribution_json) VALUES (" + id + ", 'a', " +
             std::to_string(a) + ", '" + kDistA + "');\n";
      sql += "INSERT INTO trial_params (trial_id, param_name, param_value, distribution_json) VALUES (" + id + ", 'b', " +
             std::to_string(b) + ", '" + kDistB + "');\n";
    }
  }
  return sql;
}

// (a0,x) twice, (a1,x) once, (a0,y) FAIL, one RUNNING trial without params: 4 evaluations of 4
// combinations -> repeats 1, never-evaluated 1 (a1,y), uncovered 2 ((a0,y) failed, (a1,y)).
std::string known_db(const std::string& dir) {
  const std::string path = dir + "/known.db";
  exec(path, kSchema);
  exec(path, study_sql(1, "grid", {{"COMPLETE", 0, 0}, {"COMPLETE", 1, 0}, {"COMPLETE", 0, 0}, {"FAIL", 0, 1},
                                   {"RUNNING", -1, -1}}));
  return path;
}

void expect_bad_input(const CliResult& r, const std::string& needle) {
  EXPECT_EQ(r.status, 2) << r.err;
  EXPECT_EQ(r.out, "") << "no partial output";
  EXPECT_EQ(count_lines(r.err), 1) << r.err;
  EXPECT_NE(r.err.find(needle), std::string::npos) << r.err;
}

TEST(AuditCli, ReportsTheKnownMetricsAndLeavesTheFileUnchanged) {
  const std::string dir = scratch_dir("audit-known");
  const std::string db = known_db(dir);
  const std::string before = read_all(db);
  const auto mtime = std::filesystem::last_write_time(db);
  const CliResult r = run_cli("audit " + db, dir);
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("repeats 1  never-evaluated 1  uncovered 2"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("trials 5: RUNNING 1 COMPLETE 3 PRUNED 0 FAIL 1 WAITING 0"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("Optuna 3.1.0"), std::string::npos) << r.out;
  // trials run [10, 11.5], [11, 12.5], [12, 13.5], [13, 14.5], [14, end=14.5]: at most 2 at once
  EXPECT_NE(r.out.find("peak 2 running"), std::string::npos) << r.out;
  EXPECT_TRUE(std::regex_search(r.out, std::regex(R"(\nreal\s+1\s+1\.000 )"))) << r.out;
  EXPECT_EQ(read_all(db), before);
  EXPECT_EQ(std::filesystem::last_write_time(db), mtime);
  EXPECT_FALSE(std::filesystem::exists(db + "-journal"));
}

TEST(AuditCli, ReadsWhileAnotherConnectionIsWriting) {
  // A writer holds the RESERVED lock with an uncommitted new trial (as an Optuna process between
  // statements of a transaction): the audit still reads, and sees the committed state only.
  const std::string dir = scratch_dir("audit-busy");
  const std::string db = known_db(dir);
  sqlite3* writer = nullptr;
  ASSERT_EQ(sqlite3_open(db.c_str(), &writer), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(writer,
                         "BEGIN IMMEDIATE; INSERT INTO trials VALUES (999, 5, 1, 'COMPLETE', NULL, NULL); "
                         "INSERT INTO trial_params (trial_id, param_name, param_value, distribution_json) "
                         "VALUES (999, 'a', 1, '{\"name\": \"CategoricalDistribution\", \"attributes\": {\"choices\": [0, 1]}}');",
                         nullptr, nullptr, nullptr),
            SQLITE_OK);
  const CliResult r = run_cli("audit " + db, dir);
  EXPECT_EQ(sqlite3_exec(writer, "ROLLBACK", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(writer);
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("trials 5: RUNNING 1 COMPLETE 3"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("repeats 1  never-evaluated 1  uncovered 2"), std::string::npos) << r.out;
}

TEST(AuditCli, SimulateAddsRowsForTheInferredScenario) {
  const std::string dir = scratch_dir("audit-sim");
  const std::string db = known_db(dir);
  const CliResult r = run_cli("audit " + db + " --simulate --reps 20 --jobs 1", dir);
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("simulated: 2 processes x 1 thread"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("sim optuna-3.1/none"), std::string::npos) << r.out;  // from version 3.1.0
  const CliResult w = run_cli("audit " + db + " --simulate --workers 3 --reps 5 --policy optuna-2 --jobs 1", dir);
  ASSERT_EQ(w.status, 0) << w.err;
  EXPECT_NE(w.out.find("simulated: 3 processes"), std::string::npos) << w.out;
  EXPECT_NE(w.out.find("sim optuna-2/none"), std::string::npos) << w.out;
}

TEST(AuditCli, ChoosesAStudyByName) {
  const std::string dir = scratch_dir("audit-two");
  const std::string db = known_db(dir);
  exec(db, study_sql(2, "other", {{"COMPLETE", 1, 1}}));
  expect_bad_input(run_cli("audit " + db, dir), "--study");
  const CliResult r = run_cli("audit " + db + " --study other", dir);
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("repeats 0  never-evaluated 3  uncovered 3"), std::string::npos) << r.out;
  expect_bad_input(run_cli("audit " + db + " --study nope", dir), "--study: expected one of the 2 studies (grid, other), got 'nope'");
}

TEST(AuditCli, RefusesFilesThatAreNotOptunaDatabases) {
  const std::string dir = scratch_dir("audit-bad");
  expect_bad_input(run_cli("audit " + dir + "/missing.db", dir), "missing.db");
  {
    std::ofstream(dir + "/text.db") << "this is not a database\nat all\n";
    expect_bad_input(run_cli("audit " + dir + "/text.db", dir), "text.db");
  }
  {
    std::ofstream(dir + "/empty.db");
    expect_bad_input(run_cli("audit " + dir + "/empty.db", dir), "empty.db: (file): expected a readable Optuna RDB SQLite database, got a file that is not an SQLite database");
  }
  exec(dir + "/other.db", "CREATE TABLE foo (x INTEGER); INSERT INTO foo VALUES (1);");
  expect_bad_input(run_cli("audit " + dir + "/other.db", dir), "expected an Optuna RDB database, got no table 'studies'");
  // An Optuna database cut short: every prefix that loses pages must fail cleanly.
  const std::string whole = read_all(known_db(dir));
  ASSERT_GT(whole.size(), 4096u * 3);
  for (std::size_t keep : {std::size_t{100}, std::size_t{4096}, whole.size() / 2, whole.size() - 4096}) {
    const std::string cut = dir + "/cut-" + std::to_string(keep) + ".db";
    std::ofstream(cut, std::ios::binary) << whole.substr(0, keep);
    SCOPED_TRACE(cut);
    const CliResult r = run_cli("audit " + cut, dir);
    EXPECT_EQ(r.status, 2) << r.err;
    EXPECT_EQ(r.out, "");
    EXPECT_EQ(count_lines(r.err), 1) << r.err;
  }
  // Garbage inside the database: a malformed JSON attribute.
  const std::string bad_json = dir + "/badjson.db";
  exec(bad_json, kSchema);
  exec(bad_json, study_sql(1, "grid", {{"COMPLETE", 0, 0}}) +
                     "UPDATE trial_system_attributes SET value_json = '{\"a\": [0, 1' ;");
  expect_bad_input(run_cli("audit " + bad_json, dir), "expected JSON");
  // An Optuna database whose study was not run with GridSampler.
  const std::string no_grid = dir + "/nogrid.db";
  exec(no_grid, kSchema);
  exec(no_grid, "INSERT INTO studies VALUES (1, 'tpe'); INSERT INTO trials VALUES (1, 0, 1, 'COMPLETE', NULL, NULL);");
  expect_bad_input(run_cli("audit " + no_grid, dir), "search_space");
}

}  // namespace
}  // namespace samplersim::testing

namespace samplersim::testing {
namespace {

// --report writes the report command's section for the study: the real study as a row
// ("real-study") beside the simulated arms of its inferred scenario, in report.md and report.html,
// with the same metrics the table prints.
TEST(AuditCli, ReportPutsTheRealStudyBesideItsSimulation) {
  const std::string dir = scratch_dir("audit-report");
  const std::string db = known_db(dir);
  const CliResult r = run_cli("audit " + db + " --simulate --reps 30 --jobs 1 --report " + dir, dir);
  ASSERT_EQ(r.status, 0) << r.err;
  const std::string md = read_all(dir + "/report.md");
  EXPECT_NE(md.find("| real-study | optuna-3.1.0 | 1 | 1.000"), std::string::npos) << md;
  EXPECT_NE(md.find("| optuna-3.1 | none | 30 |"), std::string::npos) << md;
  EXPECT_NE(read_all(dir + "/report.html").find("real-study"), std::string::npos);
  EXPECT_EQ(count_lines(read_all(dir + "/audit.results.jsonl")), 31);
  // A missing --report directory is created, parents included.
  const CliResult nested = run_cli("audit " + db + " --report " + dir + "/new/dir", dir);
  ASSERT_EQ(nested.status, 0) << nested.err;
  EXPECT_TRUE(std::filesystem::exists(dir + "/new/dir/report.html"));
  // One that cannot be created (its parent is a file): an output failure (exit 4), one line naming
  // it, nothing written.
  const CliResult bad = run_cli("audit " + db + " --report " + db + "/sub", dir);
  EXPECT_EQ(bad.status, 4) << bad.err;
  EXPECT_NE(bad.err.find(db + "/sub"), std::string::npos) << bad.err;
  EXPECT_EQ(count_lines(bad.err), 1) << bad.err;
  EXPECT_EQ(bad.out, "");
}

// With --simulate, audit ranks the remedies of the simulated Optuna arm as `run` does (text, JSON
// and the report), and --report adds the study's timeline: its trials as bars over time by state,
// the repeat marked (known.db: trial 2 repeats trial 0's combination).
TEST(AuditCli, SimulateRanksRemediesAndTheReportShowsTheTimeline) {
  const std::string dir = scratch_dir("audit-remedies");
  const std::string db = known_db(dir);
  const CliResult r = run_cli("audit " + db + " --simulate --reps 30 --jobs 1 --report " + dir + "/r", dir);
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("What to change (each change simulated with the same 30 reps"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("optuna-3.1/none (Optuna"), std::string::npos) << r.out;
  const nlohmann::json remedies = nlohmann::json::parse(read_all(dir + "/r/remedies/audit-grid.json"));
  ASSERT_FALSE(remedies.at("remedies").empty());
  EXPECT_EQ(remedies.at("remedies")[0].at("arm"), "optuna-3.1/none");
  const CliResult j = run_cli("audit " + db + " --simulate --reps 30 --jobs 1 --format json", dir);
  ASSERT_EQ(j.status, 0) << j.err;
  EXPECT_EQ(nlohmann::json::parse(j.out).at("remedies"), remedies.at("remedies")) << "the same reps, the same ranking";
  const CliResult none = run_cli("audit " + db + " --simulate --reps 30 --jobs 1 --no-remedies --format json", dir);
  ASSERT_EQ(none.status, 0) << none.err;
  EXPECT_TRUE(nlohmann::json::parse(none.out).at("remedies").empty());
  const std::string gp = read_all(dir + "/r/audit-timelines/audit-grid.gp");
  EXPECT_NE(gp.find("boxxyerror"), std::string::npos) << gp;
  EXPECT_NE(gp.find("title 'COMPLETE'"), std::string::npos) << gp;
  EXPECT_NE(gp.find("title 'FAIL'"), std::string::npos) << gp;
  EXPECT_NE(gp.find("title 'repeat'"), std::string::npos) << gp;
  // The repeat marker: one point, at trial 2's start (second 2 of the study, read through SQLite's
  // julianday: within 0.1 ms) on row 2.
  EXPECT_TRUE(std::regex_search(gp, std::regex(R"(<< EOD\n2\.000\d* 2 0 0\nEOD\n)"))) << gp;
  const std::string html = read_all(dir + "/r/report.html");
  EXPECT_NE(html.find("<section id=\"timelines\">"), std::string::npos);
  EXPECT_NE(html.find("<figcaption>audit-grid.svg</figcaption>"), std::string::npos);
  EXPECT_NE(read_all(dir + "/r/report.md").find("## Timelines of audited studies"), std::string::npos);
  EXPECT_NE(html.find("What to change: your arm"), std::string::npos) << "the remedies under the audited scenario";
}

// Auditing into the same report folder again shows the study's timeline once: the report's own
// copies (timelines/tN.svg) are never read back as sources. Another study audited into the same
// folder replaces the results file, so its timeline replaces the first study's too.
TEST(AuditCli, ReauditIntoTheSameFolderShowsEachTimelineOnce) {
  const std::string dir = scratch_dir("audit-reaudit");
  const std::string db = known_db(dir);
  exec(db, study_sql(2, "other", {{"COMPLETE", 1, 1}}));
  const auto figures = [&] {
    const std::string html = read_all(dir + "/r/report.html");
    std::size_t n = 0;
    for (std::size_t at = html.find("<figcaption>audit-"); at != std::string::npos; at = html.find("<figcaption>audit-", at + 1)) ++n;
    return n;
  };
  const auto svgs = [&] {
    std::size_t n = 0;
    for (const auto& e : std::filesystem::directory_iterator(dir + "/r/timelines")) n += e.path().extension() == ".svg";
    return n;
  };
  ASSERT_EQ(run_cli("audit " + db + " --study grid --report " + dir + "/r", dir).status, 0);
  ASSERT_EQ(figures(), 1U);
  ASSERT_EQ(run_cli("audit " + db + " --study grid --report " + dir + "/r", dir).status, 0);
  EXPECT_EQ(figures(), 1U) << "a re-audit replaces the figure";
  EXPECT_EQ(svgs(), 1U);
  ASSERT_EQ(run_cli("audit " + db + " --study other --report " + dir + "/r", dir).status, 0);
  EXPECT_EQ(figures(), 1U) << "the report shows the audited study only";
  EXPECT_NE(read_all(dir + "/r/report.html").find("<figcaption>audit-other.svg</figcaption>"), std::string::npos);
  EXPECT_EQ(svgs(), 1U);
}

// Two audited studies get distinct scenario digests, so one report keeps both.
TEST(AuditCli, TwoStudiesHaveDistinctDigests) {
  const std::string dir = scratch_dir("audit-digests");
  const std::string db = known_db(dir);
  exec(db, study_sql(2, "other", {{"COMPLETE", 1, 1}}));
  ASSERT_EQ(run_cli("audit " + db + " --study grid --report " + dir + "/a", dir).status, 0);
  ASSERT_EQ(run_cli("audit " + db + " --study other --report " + dir + "/b", dir).status, 0);
  const auto digest = [](const std::string& file) {
    const std::string text = read_all(file);
    return nlohmann::json::parse(text.substr(0, text.find('\n'))).at("scenario_digest").get<std::string>();
  };
  EXPECT_NE(digest(dir + "/a/audit.results.jsonl"), digest(dir + "/b/audit.results.jsonl"));
  const CliResult both =
      run_cli("report " + dir + "/a/audit.results.jsonl " + dir + "/b/audit.results.jsonl --out " + dir + "/both", dir);
  ASSERT_EQ(both.status, 0) << both.err;
  const std::string md = read_all(dir + "/both/report.md");
  EXPECT_NE(md.find("audit-grid"), std::string::npos) << md;
  EXPECT_NE(md.find("audit-other"), std::string::npos) << md;
}

// Every repeated combination is listed by its values with its trials and a cause per repeat; the
// storage may be named by its SQLAlchemy URL; other URL schemes are refused in one line.
TEST(AuditCli, ListsRepeatedCombinationsWithTheirTrials) {
  const std::string dir = scratch_dir("audit-repeats");
  const std::string db = known_db(dir);
  const CliResult r = run_cli("audit " + db, dir);
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("repeated combinations: 1 (1 repeat: 1 unknown)\n  {a=0, b='x'}: 2 trials\n"), std::string::npos)
      << r.out;
  EXPECT_TRUE(std::regex_search(r.out, std::regex(R"(\n    #0 +COMPLETE +\+0 s \.\. \+1\.50 s +first evaluation\n)"))) << r.out;
  EXPECT_TRUE(std::regex_search(r.out, std::regex(R"(\n    #2 +COMPLETE +\+2\.00 s \.\. \+3\.50 s +unknown: no grid_id)"))) << r.out;
  const CliResult j = run_cli("audit --format json " + db, dir);
  ASSERT_EQ(j.status, 0) << j.err;
  const nlohmann::json out = nlohmann::json::parse(j.out);
  ASSERT_EQ(out.at("repeated").size(), 1u);
  EXPECT_EQ(out["repeated"][0]["values"], "{a=0, b='x'}");
  EXPECT_EQ(out["repeated"][0]["trials"][1]["number"], 2);
  EXPECT_EQ(out["arms"][0]["repeats"]["mean"], 1.0);

  const CliResult url = run_cli("audit sqlite:///" + db + "?timeout=20", dir);
  ASSERT_EQ(url.status, 0) << url.err;
  EXPECT_EQ(url.out, r.out);
  expect_bad_input(run_cli("audit mysql://user@host/db", dir), "expected a SQLite or journal file, a sqlite:/// URL or a postgresql:// URL");
}


// `run --from-db` reads the study the same way (app/study_db.h). The known study's four trials with
// params get GridSampler's grid_id; resumed by a scenario over the same [grid] they are the grid's
// own trials, and by one over another grid (a third value of a) GridSampler 3.0+ ignores them:
// the user who picked the wrong grid file is told, once, on stderr. The run itself is the same.
std::string resume_scenario(const std::string& dir, const std::string& name, const std::string& a_values) {
  const std::string path = dir + "/" + name + ".toml";
  std::ofstream(path) << "[grid]\na = " << a_values << "\nb = [\"x\", \"y\"]\n[workers]\nprocesses = 2\n"
                      << "[objective]\nduration = \"1s\"\n[compare]\npolicies = [\"optuna-4\"]\nseed_policies = [\"none\"]\n";
  return path;
}

// A password given as a URI parameter, or quoted back by libpq, never reaches the message (a new
// user found both in clear). Port 1: the connection is refused at once, no server needed.
TEST(AuditCli, PasswordsNeverReachTheErrorLine) {
  const std::string dir = scratch_dir("audit-pg-secret");
  for (const char* url : {"'postgresql://u@127.0.0.1:1/db?password=hunter2&sslmode=disable'",
                          "'postgresql://u:hunter2@[::1:1/db'"}) {
    const CliResult r = run_cli(std::string("audit ") + url, dir);
    EXPECT_EQ(r.status, 2) << r.err;
    EXPECT_EQ(count_lines(r.err), 1) << r.err;
    EXPECT_EQ(r.err.find("hunter2"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("***"), std::string::npos) << r.err;
  }
}

TEST(ResumeCli, FromDbOfAnotherGridSaysItsTrialsAreIgnored) {
  const std::string dir = scratch_dir("resume-foreign");
  const std::string db = known_db(dir);
  exec(db, "INSERT INTO trial_system_attributes (trial_id, key, value_json) VALUES "
           "(1000, 'grid_id', '0'), (1001, 'grid_id', '2'), (1002, 'grid_id', '0'), (1003, 'grid_id', '1');");
  const CliResult same = run_cli("run " + resume_scenario(dir, "same", "[0, 1]") + " --from-db " + db + " --reps 5", dir);
  ASSERT_EQ(same.status, 0) << same.err;
  EXPECT_NE(same.out.find("resumed study: 5 initial trials"), std::string::npos) << same.out;
  EXPECT_EQ(same.err, "") << "the study's grid is the scenario's";

  const CliResult other = run_cli("run " + resume_scenario(dir, "other", "[0, 1, 2]") + " --from-db " + db + " --reps 5", dir);
  ASSERT_EQ(other.status, 0) << other.err;
  EXPECT_NE(other.out.find("resumed study: 5 initial trials"), std::string::npos) << other.out;
  EXPECT_EQ(count_lines(other.err), 1) << other.err;
  EXPECT_NE(other.err.find("note: 4 of the 5 trials of study 'grid'"), std::string::npos) << other.err;
  EXPECT_NE(other.err.find("another search space than " + dir + "/other.toml"), std::string::npos) << other.err;
}

TEST(ResumeCli, HeaderNamesEachWorkerGroup) {
  const std::string dir = scratch_dir("resume-groups");
  const std::string path = dir + "/groups.toml";
  std::ofstream(path) << "[grid]\na = [0, 1, 2]\n[objective]\nduration = \"1s\"\n"
                      << "[[group]]\nname = \"cpu\"\nprocesses = 3\n"
                      << "[[group]]\nname = \"gpu\"\nprocesses = 1\nthreads = 2\n"
                      << "[compare]\npolicies = [\"optuna-4\"]\nseed_policies = [\"none\"]\n";
  const CliResult r = run_cli("run " + path + " --reps 5", dir);
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("3 combinations, 2 groups: cpu 3 processes x 1 thread, gpu 1 process x 2 threads, 5 reps"),
            std::string::npos)
      << r.out;
}

}  // namespace
}  // namespace samplersim::testing
