// `samplersim audit` on WAL-mode databases (app/study_db.h): nothing is created next to the
// database, a database in a read-only folder is read, a live writer's committed transactions in
// the -wal are seen, and a -wal without its -shm is refused (exit 2) instead of being ignored.
#include <sqlite3.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <string>

#include "tests/cli/cli_util.h"
#include "tests/cli/malformed_corpus.h"

#ifndef SAMPLERSIM_SOURCE_DIR
#error "SAMPLERSIM_SOURCE_DIR must be defined"
#endif

namespace samplersim::testing {
namespace {

namespace fs = std::filesystem;

const fs::path kStudySql = fs::path(SAMPLERSIM_SOURCE_DIR) / "tests/data/malformed/study";

std::set<std::string> names_in(const fs::path& dir) {
  std::set<std::string> names;
  for (const auto& e : fs::directory_iterator(dir)) names.insert(e.path().filename().string());
  return names;
}

// A WAL-mode copy of the corpus's study (four trials), closed cleanly (no -wal, no -shm left).
fs::path make_wal_study(const fs::path& dir) {
  const fs::path db = dir / "study.db";
  corpus::make_database({kStudySql / "schema.sql", kStudySql / "study.sql"}, db, true);
  return db;
}

TEST(AuditWal, CreatesNothingNextToAWalDatabase) {
  const fs::path dir = scratch_dir("audit-wal");
  const fs::path folder = dir / "db";
  fs::create_directories(folder);
  const fs::path db = make_wal_study(folder);
  ASSERT_EQ(names_in(folder), std::set<std::string>{"study.db"});
  const CliResult r = run_cli("audit " + db.string(), dir.string());
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("trials 4"), std::string::npos) << r.out;
  EXPECT_EQ(names_in(folder), std::set<std::string>{"study.db"}) << "no -wal or -shm may appear";
}

TEST(AuditWal, ReadsADatabaseInAReadOnlyFolder) {
  const fs::path dir = scratch_dir("audit-wal-ro");
  const fs::path ro = dir / "ro";
  fs::create_directories(ro);
  const fs::path db = make_wal_study(ro);
  fs::permissions(db, fs::perms::owner_read | fs::perms::group_read | fs::perms::others_read);
  fs::permissions(ro, fs::perms::owner_read | fs::perms::owner_exec | fs::perms::group_read | fs::perms::group_exec |
                          fs::perms::others_read | fs::perms::others_exec);
  fs::permissions(dir, fs::perms::all);  // the case's output files go here, writable by anyone
  // Root ignores folder permissions: run the audit as nobody, for whom the folder is read-only.
  std::string launcher;
  if (::geteuid() == 0) {
    ASSERT_EQ(std::system("command -v setpriv >/dev/null"), 0) << "setpriv (util-linux) is needed to drop root";
    const std::string script = dir.string() + "/as-nobody.sh";
    std::ofstream(script) << "#!/bin/sh\nexec setpriv --reuid=65534 --regid=65534 --clear-groups \"$@\"\n";
    fs::permissions(script, fs::perms::all);
    launcher = script + " " + SAMPLERSIM_BINARY;
    // nobody must be able to reach the binary and the database.
    if (std::system((launcher + " --version >/dev/null 2>&1").c_str()) != 0) GTEST_SKIP() << "nobody cannot run the binary here";
  }
  const CliResult r = run_cli("audit " + db.string(), dir.string(), launcher);
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("trials 4"), std::string::npos) << r.out;
  EXPECT_EQ(names_in(ro), std::set<std::string>{"study.db"});
  fs::permissions(ro, fs::perms::all);
}

TEST(AuditWal, SeesALiveWritersCommittedTransactions) {
  const fs::path dir = scratch_dir("audit-wal-live");
  const fs::path db = make_wal_study(dir);
  sqlite3* writer = nullptr;
  ASSERT_EQ(sqlite3_open(db.c_str(), &writer), SQLITE_OK);
  // Committed into the -wal; the open connection keeps it (and the -shm) from being checkpointed away.
  ASSERT_EQ(sqlite3_exec(writer,
                         "PRAGMA wal_autocheckpoint=0;"
                         "INSERT INTO trials VALUES (5, 4, 1, 'FAIL', '2026-01-01 00:00:14.000000', '2026-01-01 00:00:15.000000');",
                         nullptr, nullptr, nullptr),
            SQLITE_OK);
  ASSERT_TRUE(fs::exists(db.string() + "-wal") && fs::exists(db.string() + "-shm"));
  const CliResult r = run_cli("audit " + db.string(), dir.string());
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("trials 5"), std::string::npos) << r.out;

  // The same -wal without its -shm (copied elsewhere): reading it would need a write; refused.
  const fs::path copy = dir / "copy";
  fs::create_directories(copy);
  fs::copy_file(db, copy / "study.db");
  fs::copy_file(db.string() + "-wal", copy / "study.db-wal");
  sqlite3_close(writer);
  const CliResult refused = run_cli("audit " + (copy / "study.db").string(), dir.string());
  EXPECT_EQ(refused.status, 2) << refused.err;
  EXPECT_NE(refused.err.find("holds transactions but has no -shm file"), std::string::npos) << refused.err;
  EXPECT_EQ(names_in(copy), (std::set<std::string>{"study.db", "study.db-wal"}));
}

}  // namespace
}  // namespace samplersim::testing
