// Builds the study-database fuzzer's seed corpus: one SQLite file per SQL file of
// tests/data/malformed/study/ (each on top of schema.sql and study.sql, as the corpus cases do).
// Usage: make_study_seeds SQL_DIR OUT_DIR
#include <sqlite3.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

namespace fs = std::filesystem;

namespace {

std::string read(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

bool build(const fs::path& db, const std::string& sql) {
  fs::remove(db);
  sqlite3* raw = nullptr;
  if (sqlite3_open(db.c_str(), &raw) != SQLITE_OK) return false;
  const bool ok = sqlite3_exec(raw, sql.c_str(), nullptr, nullptr, nullptr) == SQLITE_OK;
  sqlite3_close(raw);
  return ok;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::cerr << "usage: make_study_seeds SQL_DIR OUT_DIR\n";
    return 2;
  }
  const fs::path in = argv[1];
  const fs::path out = argv[2];
  fs::create_directories(out);
  const std::string base = read(in / "schema.sql") + read(in / "study.sql");
  int made = 0;
  for (const auto& entry : fs::directory_iterator(in)) {
    if (entry.path().extension() != ".sql") continue;
    const std::string name = entry.path().stem().string();
    const std::string extra = name == "schema" || name == "study" ? "" : read(entry.path());
    // Seeds stay small: the generated 10^4..10^5-row cases are left out.
    if (build(out / (name + ".db"), base + extra) && fs::file_size(out / (name + ".db")) <= (1u << 20)) {
      ++made;
    } else {
      fs::remove(out / (name + ".db"));
    }
  }
  std::cout << "make_study_seeds: " << made << " databases in " << out.string() << "\n";
  return made > 0 ? 0 : 1;
}
