// StudyDb: reads one Optuna study from an RDB SQLite file, read-only, into plain data. A journal
// file (JournalFileStorage; its first non-blank byte is '{') is read by app/journal_study.h and a
// postgresql:// URL by app/pg_study.h instead, into the same data.
//
// Contract:
// - The file is opened with SQLITE_OPEN_READONLY and never modified (no writes, no journal mode
//   change), and nothing is created next to it. Only a regular file that starts with the SQLite
//   header is opened (a FIFO or a device is refused without blocking). Another process may be
//   writing it: every read runs inside one read transaction (a consistent snapshot) with a busy
//   timeout, and a busy/locked snapshot is retried a bounded number of times.
// - WAL-mode databases (header bytes 18/19 = 2): SQLite would create `-wal` and `-shm` files next
//   to the database to read it, and fail in a read-only folder. When a `-wal` with transactions and
//   a `-shm` exist (a writer is connected, or crashed), they are used as they are; when there is no
//   `-wal` (or it is empty), every transaction is in the main file and it is opened with
//   `immutable=1` (SQLite URI parameter: no locking, no side files; https://sqlite.org/uri.html).
//   A `-wal` with transactions but no `-shm` cannot be read without writing: refused (BadInput).
//   Limitation: a writer that connects during an immutable read is not seen (audit reads a study
//   that was at rest when it started).
// - Anything that is not a readable Optuna RDB database (missing file, not SQLite, truncated or
//   corrupt, no `studies`/`trials`/... tables, unknown study name, several studies and no name)
//   raises BadInput (sim/errors.h), whose what() is one line naming the file (exit 2).
// - Values are returned as stored: system attributes and distributions as JSON text parsed with
//   nlohmann::json (a malformed JSON value is a BadInput too).
// Cost: one pass over the study's trials, params and system attributes (three queries).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "sim/errors.h"
#include "sim/store_kind.h"
#include "sim/trial_state.h"

namespace samplersim {

struct StoredParam {
  std::string name;
  double internal_value = 0;       // trial_params.param_value (a choice index for categoricals)
  nlohmann::json distribution;     // parsed distribution_json
};

struct StoredTrial {
  std::int64_t trial_id = -1;
  int number = -1;
  TrialState state = TrialState::kRunning;
  std::optional<std::int64_t> start_us;     // datetime_start, µs since the Unix epoch
  std::optional<std::int64_t> complete_us;  // datetime_complete
  std::vector<StoredParam> params;
  std::vector<std::pair<std::string, nlohmann::json>> system_attrs;

  const nlohmann::json* system_attr(const std::string& key) const;
};

struct StoredStudy {
  std::string path;
  std::string name;
  std::string library_version;  // version_info.library_version ("" if absent: a journal file has none)
  StoreKind store_kind = StoreKind::kSqlite;  // the storage it was read from (kSqlite, kJournalFile, kPostgresql)
  std::vector<StoredTrial> trials;  // by number
};

// The study to read among `names` (sorted): `requested`, or the only one when `requested` is
// empty. BadInput naming `source` and --study otherwise.
std::string choose_study_name(const std::string& source, const std::vector<std::string>& names,
                              const std::string& requested);

// Names of the studies in the file, sorted.
std::vector<std::string> list_studies(const std::string& path);

// Reads one study. `study_name` empty: the file must hold exactly one study.
StoredStudy read_study(const std::string& path, const std::string& study_name);

}  // namespace samplersim
