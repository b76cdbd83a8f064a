// Reading one Optuna study from a PostgreSQL database (Optuna's RDBStorage on PostgreSQL), read-only,
// through libpq (Debian's libpq5), into the same plain data as the SQLite reader (app/study_db.h).
//
// Contract:
// - `url` is the SQLAlchemy URL given to Optuna: `postgresql://…`, `postgresql+psycopg2://…` (any
//   `+driver` is dropped) or `postgres://…`; user, password, host, port, database and query options
//   (e.g. `?sslmode=require`) are passed to libpq as a connection URI. A `connect_timeout` of 10 s
//   is added unless the URL sets one.
// - One read-only REPEATABLE READ transaction: a consistent snapshot of a study that other
//   processes may still be writing; nothing is ever written.
// - The tables are Optuna's RDB schema (`studies`, `trials`, `trial_params`,
//   `trial_system_attributes`, `version_info`), the same as on SQLite
//   (`optuna/storages/_rdb/models.py`); `trials.state` is a PostgreSQL enum read as text, and
//   timestamps (`timestamp without time zone`) are read as µs since the epoch, as the SQLite reader
//   reads them.
// - Errors (BadInput, one line, exit 2; the password in the URL is shown as `***`): a server that
//   cannot be reached or refuses the login, a database without Optuna's tables, an unknown study,
//   a malformed state or JSON value, more than 10^7 trials.
// Cost: three queries over the study's trials, params and system attributes.
#pragma once

#include <string>
#include <vector>

#include "app/study_db.h"

namespace samplersim {

// True for a postgresql[+driver]:// or postgres:// URL.
bool is_postgresql_url(const std::string& url);

// `url` with its password replaced by ***, for messages: the userinfo's (`user:***@host`) and any
// `password=` parameter's (case-insensitive). Also applied to libpq's own messages, which may quote
// the URI they were given. O(length); at most 64 of each form are masked.
std::string redacted_url(const std::string& url);

std::vector<std::string> list_pg_studies(const std::string& url);
StoredStudy read_pg_study(const std::string& url, const std::string& study_name);

}  // namespace samplersim
