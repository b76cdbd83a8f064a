#include "app/pg_study.h"

#include <libpq-fe.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <memory>

#include <fmt/format.h>

#include "reports/json_input.h"

namespace samplersim {

namespace {

constexpr std::size_t kMaxTrials = 10'000'000;
constexpr std::size_t kMaxJsonValueBytes = std::size_t{1} << 20;  // one distribution or attribute
constexpr const char* kWhat = "a readable Optuna RDB PostgreSQL database";
const char* const kRequiredTables[] = {"studies", "trials", "trial_params", "trial_system_attributes"};

// The libpq URI of a SQLAlchemy URL: the scheme without its +driver, and a connect timeout.
std::string libpq_uri(const std::string& url) {
  const std::size_t scheme_end = url.find("://");
  std::string uri = "postgresql" + url.substr(scheme_end);
  if (uri.find("connect_timeout=") == std::string::npos) {
    uri += uri.find('?') == std::string::npos ? "?connect_timeout=10" : "&connect_timeout=10";
  }
  return uri;
}

// The first line of a libpq message, without its trailing newline.
std::string first_line(const char* message) {
  std::string m = message ? message : "";
  m = m.substr(0, m.find('\n'));
  return m.empty() ? "an unknown libpq error" : m;
}

class PgDb {
 public:
  explicit PgDb(const std::string& url) : shown_(redacted_url(url)) {
    conn_.reset(PQconnectdb(libpq_uri(url).c_str()));
    if (!conn_) throw BadInput(shown_, 0, "(storage)", kWhat, "no memory for a connection");
    if (PQstatus(conn_.get()) != CONNECTION_OK) {
      throw BadInput(shown_, 0, "(storage)", kWhat, redacted_url(first_line(PQerrorMessage(conn_.get()))));
    }
    command("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
  }
  ~PgDb() {
    if (conn_ && PQstatus(conn_.get()) == CONNECTION_OK) PQclear(PQexec(conn_.get(), "ROLLBACK"));
  }
  PgDb(const PgDb&) = delete;
  PgDb& operator=(const PgDb&) = delete;

  const std::string& shown() const { return shown_; }

  // Runs `sql` with text parameters; calls row(result, i) for each row.
  template <class Row>
  void query(const char* sql, const std::vector<std::string>& args, Row&& row) {
    std::vector<const char*> values;
    for (const auto& a : args) values.push_back(a.c_str());
    Result r(PQexecParams(conn_.get(), sql, static_cast<int>(values.size()), nullptr, values.data(), nullptr, nullptr, 0));
    if (PQresultStatus(r.get()) != PGRES_TUPLES_OK) {
      throw BadInput(shown_, 0, "(storage)", kWhat, redacted_url(first_line(PQresultErrorMessage(r.get()))));
    }
    for (int i = 0; i < PQntuples(r.get()); ++i) row(r.get(), i);
  }

 private:
  void command(const char* sql) {
    Result r(PQexec(conn_.get(), sql));
    if (PQresultStatus(r.get()) != PGRES_COMMAND_OK) {
      throw BadInput(shown_, 0, "(storage)", kWhat, redacted_url(first_line(PQresultErrorMessage(r.get()))));
    }
  }
  struct Finish {
    void operator()(PGconn* c) const { PQfinish(c); }
  };
  struct Clear {
    void operator()(PGresult* r) const { PQclear(r); }
  };
  using Result = std::unique_ptr<PGresult, Clear>;
  std::string shown_;
  std::unique_ptr<PGconn, Finish> conn_;
};

std::string text(PGresult* r, int row, int col) { return PQgetisnull(r, row, col) ? "" : PQgetvalue(r, row, col); }

std::optional<std::int64_t> opt_int(PGresult* r, int row, int col) {
  if (PQgetisnull(r, row, col)) return std::nullopt;
  return std::stoll(PQgetvalue(r, row, col));
}

nlohmann::json parse_json(const PgDb& db, const std::string& what, const std::string& t) {
  if (t.size() > kMaxJsonValueBytes) {
    throw BadInput(db.shown(), 0, what, fmt::format("JSON of at most {} bytes", kMaxJsonValueBytes), fmt::format("{} bytes", t.size()));
  }
  JsonParse parsed = parse_json_bounded(t);
  if (!parsed.ok()) throw BadInput(db.shown(), 0, what, "JSON", parsed.problem);
  return std::move(parsed.value);
}

std::vector<std::string> tables(PgDb& db) {
  std::vector<std::string> names;
  db.query("SELECT table_name::text FROM information_schema.tables WHERE table_schema = current_schema()", {},
           [&](PGresult* r, int i) { names.push_back(text(r, i, 0)); });
  return names;
}

std::vector<std::string> study_names(PgDb& db) {
  const std::vector<std::string> have = tables(db);
  for (const char* t : kRequiredTables) {
    if (std::find(have.begin(), have.end(), t) == have.end()) {
      throw BadInput(db.shown(), 0, "(storage)", "an Optuna RDB database", fmt::format("no table '{}'", t));
    }
  }
  std::vector<std::string> names;
  db.query("SELECT study_name FROM studies ORDER BY study_name COLLATE \"C\"", {},
           [&](PGresult* r, int i) { names.push_back(text(r, i, 0)); });
  return names;
}

// Timestamps without time zone, as µs since the epoch (read as UTC, like SQLite's julianday).
constexpr const char* kTrialsSql =
    "SELECT t.trial_id, t.number, t.state::text, "
    "(EXTRACT(EPOCH FROM t.datetime_start) * 1000000)::bigint, "
    "(EXTRACT(EPOCH FROM t.datetime_complete) * 1000000)::bigint "
    "FROM trials t JOIN studies s ON s.study_id = t.study_id WHERE s.study_name = $1 ORDER BY t.number";
constexpr const char* kParamsSql =
    "SELECT p.trial_id, p.param_name, p.param_value, p.distribution_json FROM trial_params p "
    "JOIN trials t ON t.trial_id = p.trial_id JOIN studies s ON s.study_id = t.study_id "
    "WHERE s.study_name = $1 ORDER BY p.param_id";
constexpr const char* kAttrsSql =
    "SELECT a.trial_id, a.key, a.value_json FROM trial_system_attributes a "
    "JOIN trials t ON t.trial_id = a.trial_id JOIN studies s ON s.study_id = t.study_id "
    "WHERE s.study_name = $1 ORDER BY a.trial_system_attribute_id";

}  // namespace

bool is_postgresql_url(const std::string& url) {
  return url.rfind("postgresql://", 0) == 0 || url.rfind("postgresql+", 0) == 0 || url.rfind("postgres://", 0) == 0;
}

std::string redacted_url(const std::string& url) {
  std::string out = url;
  // Every `scheme://user:password@` in the text (a libpq message may quote the URI it was given).
  constexpr std::size_t kMaxScans = 64;  // a URL, or one message line: a handful at most
  std::size_t from = 0;
  for (std::size_t scans = 0; scans < kMaxScans; ++scans) {
    const std::size_t scheme = out.find("://", from);
    if (scheme == std::string::npos) break;
    const std::size_t start = scheme + 3;
    const std::size_t authority_end = std::min(out.find_first_of("/?#\"' ", start), out.size());
    const std::size_t at = out.rfind('@', authority_end == 0 ? 0 : authority_end - 1);
    const std::size_t colon = out.find(':', start);
    if (at != std::string::npos && at >= start && at < authority_end && colon < at) {
      out.replace(colon + 1, at - colon - 1, "***");
      from = colon + 4;
    } else {
      from = start;
    }
  }
  // Every `password=value` (a URI query parameter or a libpq keyword), case-insensitive.
  from = 0;
  for (std::size_t scans = 0; scans < kMaxScans; ++scans) {
    std::size_t hit = std::string::npos;
    for (std::size_t i = from; i + 9 <= out.size(); ++i) {
      if (std::equal(out.begin() + static_cast<std::ptrdiff_t>(i), out.begin() + static_cast<std::ptrdiff_t>(i) + 9,
                     "password=", [](char a, char b) { return std::tolower(static_cast<unsigned char>(a)) == b; })) {
        hit = i;
        break;
      }
    }
    if (hit == std::string::npos) break;
    const std::size_t value = hit + 9;
    const std::size_t end = std::min(out.find_first_of("&#\"' );,", value), out.size());
    out.replace(value, end - value, "***");
    from = value + 3;
  }
  return out;
}

std::vector<std::string> list_pg_studies(const std::string& url) {
  PgDb db(url);
  return study_names(db);
}

StoredStudy read_pg_study(const std::string& url, const std::string& study_name) {
  PgDb db(url);
  StoredStudy study;
  study.path = db.shown();
  study.name = choose_study_name(db.shown(), study_names(db), study_name);
  study.store_kind = StoreKind::kPostgresql;
  const std::vector<std::string> have = tables(db);
  if (std::find(have.begin(), have.end(), "version_info") != have.end()) {
    db.query("SELECT library_version FROM version_info LIMIT 1", {},
             [&](PGresult* r, int i) { study.library_version = text(r, i, 0); });
  }
  std::map<std::int64_t, std::size_t> by_id;
  db.query(kTrialsSql, {study.name}, [&](PGresult* r, int i) {
    if (study.trials.size() >= kMaxTrials) {
      throw BadInput(db.shown(), 0, fmt::format("study '{}'", study.name), fmt::format("at most {} trials", kMaxTrials), "more");
    }
    StoredTrial t;
    t.trial_id = std::stoll(text(r, i, 0));
    t.number = static_cast<int>(std::stol(text(r, i, 1)));
    const std::string state = text(r, i, 2);
    const std::optional<TrialState> st = trial_state_from_string(state);
    if (!st) throw BadInput(db.shown(), 0, "trials.state", "RUNNING, COMPLETE, PRUNED, FAIL or WAITING", fmt::format("'{}'", state));
    t.state = *st;
    t.start_us = opt_int(r, i, 3);
    t.complete_us = opt_int(r, i, 4);
    by_id[t.trial_id] = study.trials.size();
    study.trials.push_back(std::move(t));
  });
  db.query(kParamsSql, {study.name}, [&](PGresult* r, int i) {
    auto it = by_id.find(std::stoll(text(r, i, 0)));
    if (it == by_id.end()) return;
    study.trials[it->second].params.push_back(
        {text(r, i, 1), std::stod(text(r, i, 2)), parse_json(db, "trial_params.distribution_json", text(r, i, 3))});
  });
  db.query(kAttrsSql, {study.name}, [&](PGresult* r, int i) {
    auto it = by_id.find(std::stoll(text(r, i, 0)));
    if (it == by_id.end()) return;
    study.trials[it->second].system_attrs.emplace_back(text(r, i, 1),
                                                       parse_json(db, "trial_system_attributes.value_json", text(r, i, 2)));
  });
  return study;
}

}  // namespace samplersim
