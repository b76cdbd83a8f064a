#include "app/study_db.h"

#include <fcntl.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <map>
#include <memory>

#include <fmt/format.h>

#include "app/journal_study.h"
#include "app/pg_study.h"
#include "reports/json_input.h"

namespace samplersim {

namespace {

constexpr int kBusyTimeoutMs = 2000;
constexpr int kSnapshotAttempts = 10;  // busy/locked snapshots retried this many times
constexpr std::uintmax_t kMaxDatabaseBytes = std::uintmax_t{4} << 30;
constexpr std::size_t kMaxTrials = 10'000'000;
constexpr std::size_t kMaxJsonValueBytes = std::size_t{1} << 20;  // one distribution or attribute
const char* const kRequiredTables[] = {"studies", "trials", "trial_params", "trial_system_attributes"};

struct Busy : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// The file an Optuna storage argument names: a path, or SQLAlchemy's `sqlite:///relative` /
// `sqlite:////absolute` URL (query parameters such as `?timeout=20` are connection options and
// are dropped). Other URL schemes are refused naming what is read.
std::string sqlite_file_of(const std::string& db) {
  constexpr std::string_view kSqliteUrl = "sqlite:///";
  if (db.rfind(kSqliteUrl, 0) == 0) {
    const std::string rest = db.substr(kSqliteUrl.size());
    return rest.substr(0, rest.find('?'));
  }
  const std::size_t scheme = db.find("://");
  if (scheme != std::string::npos && scheme > 0 &&
      db.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789+", 0) == scheme) {
    throw BadInput(db, 0, "(storage)", "a SQLite or journal file, a sqlite:/// URL or a postgresql:// URL",
                   fmt::format("a '{}' URL", db.substr(0, scheme)));
  }
  return db;
}

class Db {
 public:
  Db(const std::string& path, const std::string& uri) : path_(path) {
    sqlite3* raw = nullptr;
    const int rc = sqlite3_open_v2(uri.c_str(), &raw, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, nullptr);
    db_.reset(raw);
    if (rc != SQLITE_OK) fail(rc, "cannot open");
    sqlite3_busy_timeout(raw, kBusyTimeoutMs);
  }

  [[noreturn]] void fail(int rc, const std::string& what) const {
    const int primary = rc & 0xff;
    if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED) throw Busy(what);
    const char* msg = db_ ? sqlite3_errmsg(db_.get()) : sqlite3_errstr(rc);
    throw BadInput(path_, 0, "(file)", fmt::format("a readable Optuna RDB SQLite database ({})", what),
                   msg ? msg : sqlite3_errstr(rc));
  }

  void exec(const char* sql) {
    const int rc = sqlite3_exec(db_.get(), sql, nullptr, nullptr, nullptr);
    if (rc != SQLITE_OK) fail(rc, sql);
  }

  // Runs `sql` with text parameters bound in order; calls row(stmt) per result row.
  template <class Row>
  void query(const char* sql, const std::vector<std::string>& args, Row&& row) {
    sqlite3_stmt* raw = nullptr;
    int rc = sqlite3_prepare_v2(db_.get(), sql, -1, &raw, nullptr);
    std::unique_ptr<sqlite3_stmt, decltype(&sqlite3_finalize)> stmt(raw, &sqlite3_finalize);
    if (rc != SQLITE_OK) fail(rc, "cannot read");
    for (std::size_t i = 0; i < args.size(); ++i) {
      sqlite3_bind_text(raw, static_cast<int>(i + 1), args[i].c_str(), -1, SQLITE_TRANSIENT);
    }
    while ((rc = sqlite3_step(raw)) == SQLITE_ROW) row(raw);
    if (rc != SQLITE_DONE) fail(rc, "cannot read");
  }

  const std::string& path() const { return path_; }

 private:
  struct Close {
    void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
  };
  std::string path_;
  std::unique_ptr<sqlite3, Close> db_;
};

std::string text(sqlite3_stmt* s, int col) {
  const unsigned char* t = sqlite3_column_text(s, col);
  return t ? reinterpret_cast<const char*>(t) : "";
}

std::optional<std::int64_t> opt_int(sqlite3_stmt* s, int col) {
  if (sqlite3_column_type(s, col) == SQLITE_NULL) return std::nullopt;
  return sqlite3_column_int64(s, col);
}

nlohmann::json parse_json(const Db& db, const std::string& what, const std::string& t) {
  if (t.size() > kMaxJsonValueBytes) {
    throw BadInput(db.path(), 0, what, fmt::format("JSON of at most {} bytes", kMaxJsonValueBytes),
                   fmt::format("{} bytes", t.size()));
  }
  JsonParse parsed = parse_json_bounded(t);
  if (!parsed.ok()) throw BadInput(db.path(), 0, what, "JSON", parsed.problem);
  return std::move(parsed.value);
}

void check_optuna_schema(Db& db) {
  std::vector<std::string> tables;
  db.query("SELECT name FROM sqlite_master WHERE type = 'table'", {},
           [&](sqlite3_stmt* s) { tables.push_back(text(s, 0)); });
  for (const char* t : kRequiredTables) {
    if (std::find(tables.begin(), tables.end(), t) == tables.end()) {
      throw BadInput(db.path(), 0, "(file)", "an Optuna RDB database", fmt::format("no table '{}'", t));
    }
  }
}

std::vector<std::string> study_names(Db& db) {
  std::vector<std::string> names;
  db.query("SELECT study_name FROM studies ORDER BY study_name", {},
           [&](sqlite3_stmt* s) { names.push_back(text(s, 0)); });
  return names;
}

// Microseconds since the epoch from SQLite's julianday (precision ~10 µs, enough for durations).
constexpr const char* kTrialsSql =
    "SELECT t.trial_id, t.number, t.state, "
    "CAST(ROUND((julianday(t.datetime_start) - 2440587.5) * 86400000000.0) AS INTEGER), "
    "CAST(ROUND((julianday(t.datetime_complete) - 2440587.5) * 86400000000.0) AS INTEGER) "
    "FROM trials t JOIN studies s ON s.study_id = t.study_id WHERE s.study_name = ?1 ORDER BY t.number";
constexpr const char* kParamsSql =
    "SELECT p.trial_id, p.param_name, p.param_value, p.distribution_json FROM trial_params p "
    "JOIN trials t ON t.trial_id = p.trial_id JOIN studies s ON s.study_id = t.study_id "
    "WHERE s.study_name = ?1 ORDER BY p.param_id";
constexpr const char* kAttrsSql =
    "SELECT a.trial_id, a.key, a.value_json FROM trial_system_attributes a "
    "JOIN trials t ON t.trial_id = a.trial_id JOIN studies s ON s.study_id = t.study_id "
    "WHERE s.study_name = ?1 ORDER BY a.trial_system_attribute_id";

StoredStudy read_snapshot(Db& db, const std::string& requested) {
  check_optuna_schema(db);
  const std::vector<std::string> names = study_names(db);
  StoredStudy study;
  study.path = db.path();
  study.name = choose_study_name(db.path(), names, requested);
  bool has_version_table = false;
  db.query("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'version_info'", {},
           [&](sqlite3_stmt*) { has_version_table = true; });
  if (has_version_table) {
    db.query("SELECT library_version FROM version_info LIMIT 1", {},
             [&](sqlite3_stmt* s) { study.library_version = text(s, 0); });
  }
  std::map<std::int64_t, std::size_t> by_id;
  db.query(kTrialsSql, {study.name}, [&](sqlite3_stmt* s) {
    if (study.trials.size() >= kMaxTrials) {
      throw BadInput(db.path(), 0, fmt::format("study '{}'", study.name), fmt::format("at most {} trials", kMaxTrials), "more");
    }
    StoredTrial t;
    t.trial_id = sqlite3_column_int64(s, 0);
    t.number = sqlite3_column_int(s, 1);
    const std::string state = text(s, 2);
    const std::optional<TrialState> st = trial_state_from_string(state);
    if (!st) throw BadInput(db.path(), 0, "trials.state", "RUNNING, COMPLETE, PRUNED, FAIL or WAITING", fmt::format("'{}'", state));
    t.state = *st;
    t.start_us = opt_int(s, 3);
    t.complete_us = opt_int(s, 4);
    by_id[t.trial_id] = study.trials.size();
    study.trials.push_back(std::move(t));
  });
  db.query(kParamsSql, {study.name}, [&](sqlite3_stmt* s) {
    auto it = by_id.find(sqlite3_column_int64(s, 0));
    if (it == by_id.end()) return;
    study.trials[it->second].params.push_back(
        {text(s, 1), sqlite3_column_double(s, 2), parse_json(db, "trial_params.distribution_json", text(s, 3))});
  });
  db.query(kAttrsSql, {study.name}, [&](sqlite3_stmt* s) {
    auto it = by_id.find(sqlite3_column_int64(s, 0));
    if (it == by_id.end()) return;
    study.trials[it->second].system_attrs.emplace_back(
        text(s, 1), parse_json(db, "trial_system_attributes.value_json", text(s, 2)));
  });
  return study;
}

[[noreturn]] void refuse(const std::string& path, const std::string& got) {
  throw BadInput(path, 0, "(file)", "a readable Optuna RDB SQLite database", got);
}

// A file URI for sqlite3_open_v2: "file:" + the path with '%', '?' and '#' percent-encoded (a
// relative path stays relative).
std::string file_uri(const std::string& path) {
  std::string uri = "file:";
  for (char c : path) {
    if (c == '%' || c == '?' || c == '#') {
      uri += fmt::format("%{:02X}", static_cast<unsigned char>(c));
    } else {
      uri += c;
    }
  }
  return uri;
}

// How to open `path` read-only without creating anything next to it (see the header): checks it
// is a regular SQLite file (never opening a FIFO or a device, which could block or never end) and
// returns the URI to open.
std::string open_uri(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
  if (fd < 0) refuse(path, errno == ENOENT ? "no such file" : std::strerror(errno));
  struct stat st {};
  unsigned char header[100] = {};
  ssize_t n = -1;
  const bool regular = ::fstat(fd, &st) == 0 && S_ISREG(st.st_mode);
  if (regular) n = ::pread(fd, header, sizeof header, 0);
  ::close(fd);
  if (!regular) {
    refuse(path, S_ISDIR(st.st_mode) ? "a directory" : S_ISFIFO(st.st_mode) ? "a FIFO" : S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode) ? "a device" : "not a regular file");
  }
  if (static_cast<std::uintmax_t>(st.st_size) > kMaxDatabaseBytes) {
    throw BadInput(path, 0, "(file)", fmt::format("an Optuna database of at most {} bytes", kMaxDatabaseBytes),
                   fmt::format("{} bytes", st.st_size));
  }
  if (n < static_cast<ssize_t>(sizeof header) || std::memcmp(header, "SQLite format 3", 16) != 0) {
    refuse(path, "a file that is not an SQLite database");
  }
  // Bytes 18 and 19: file format write/read versions, 2 = WAL.
  const bool wal = header[18] == 2 || header[19] == 2;
  if (!wal) return file_uri(path) + "?mode=ro";
  std::error_code ec;
  const bool has_wal = std::filesystem::file_size(path + "-wal", ec) > 0 && !ec;
  const bool has_shm = std::filesystem::exists(path + "-shm", ec);
  // A writer (or its crash) left a -wal and a -shm: SQLite reads the -wal through the existing
  // -shm and creates nothing.
  if (has_wal && has_shm) return file_uri(path) + "?mode=ro";
  // Committed transactions only in the -wal, but no -shm to read it through: recovering it needs
  // write access, which audit never takes.
  if (has_wal) {
    refuse(path, "a WAL database whose -wal file holds transactions but has no -shm file (open it once "
                 "with Optuna or sqlite3 to checkpoint it)");
  }
  // Every transaction is in the main file (no writer is connected: a writer keeps a -shm open):
  // read it as an immutable file, with no locks and no -wal or -shm.
  return file_uri(path) + "?mode=ro&immutable=1";
}

template <class Fn>
auto with_snapshot(const std::string& path, Fn&& fn) {
  const std::string uri = open_uri(sqlite_file_of(path));
  for (int attempt = 1;; ++attempt) {
    try {
      Db db(path, uri);
      db.exec("BEGIN");  // deferred: a read transaction, one consistent snapshot
      auto result = fn(db);
      db.exec("COMMIT");
      return result;
    } catch (const Busy&) {
      if (attempt >= kSnapshotAttempts) {
        throw BadInput(path, 0, "(file)", "a database that can be read",
                       fmt::format("one that stayed locked by a writer for {} attempts", attempt));
      }
    }
  }
}

}  // namespace

std::string choose_study_name(const std::string& source, const std::vector<std::string>& names,
                              const std::string& requested) {
  std::string list;
  for (const auto& n : names) list += (list.empty() ? "" : ", ") + n;
  const std::string expected = fmt::format("one of the {} studies ({})", names.size(), list);
  if (requested.empty()) {
    if (names.size() != 1) throw BadInput(source, 0, "--study", expected, "none");
    return names.front();
  }
  if (std::find(names.begin(), names.end(), requested) == names.end()) {
    throw BadInput(source, 0, "--study", expected, fmt::format("'{}'", requested));
  }
  return requested;
}

const nlohmann::json* StoredTrial::system_attr(const std::string& key) const {
  for (const auto& [k, v] : system_attrs) {
    if (k == key) return &v;
  }
  return nullptr;
}

std::vector<std::string> list_studies(const std::string& path) {
  if (is_postgresql_url(path)) return list_pg_studies(path);
  if (is_journal_file(path)) return list_journal_studies(path);
  return with_snapshot(path, [](Db& db) {
    check_optuna_schema(db);
    return study_names(db);
  });
}

StoredStudy read_study(const std::string& path, const std::string& study_name) {
  if (is_postgresql_url(path)) return read_pg_study(path, study_name);
  if (is_journal_file(path)) return read_journal_study(path, study_name);
  return with_snapshot(path, [&](Db& db) { return read_snapshot(db, study_name); });
}

}  // namespace samplersim
