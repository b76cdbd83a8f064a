// Reading one Optuna study from a journal file: the log that
// `optuna.storages.JournalStorage(optuna.storages.JournalFileStorage(path))` writes (3.1+; 4.x's
// `JournalFileBackend` writes the same records). Read-only; the result is the same plain data as
// the RDB reader's (app/study_db.h), so `audit` and `--from-db` treat both alike.
//
// Source of the format (Optuna 3.1.0, `optuna/storages/_journal/storage.py` and `file.py`, read
// from Debian's python3-optuna and checked against a study written by it): one JSON object per
// line, appended under a lock file; `op_code` 0 CREATE_STUDY (`study_name`), 1 DELETE_STUDY,
// 2/3 study user/system attr, 4 CREATE_TRIAL (`study_id`, `datetime_start`, and for a template
// trial `state`, `params`, `distributions`, `system_attrs`, `datetime_complete`), 5 SET_TRIAL_PARAM
// (`trial_id`, `param_name`, `param_value_internal`, `distribution` as JSON text), 6
// SET_TRIAL_STATE_VALUES (`state`, `datetime_start` with RUNNING, `datetime_complete` with a finished
// state), 7 intermediate value, 8 trial user attr, 9 SET_TRIAL_SYSTEM_ATTR (`system_attr`:
// {key: value}). Replay rules, as JournalStorage applies them: study ids count CREATE_STUDY records
// from 0 (a duplicate name is ignored); trial ids count CREATE_TRIAL records over all studies, and a
// trial's number counts its study's trials; a record on a missing study or trial, or on a trial that
// is already finished, is ignored (Optuna raises only in the writing process); RUNNING over RUNNING
// is ignored (the losing claim of a WAITING trial); a param whose distribution is incompatible with
// the one an earlier trial of the study stored is ignored. Timestamps are naive ISO-8601
// (`datetime.now().isoformat()`), read as µs since the epoch as the RDB reader reads them.
//
// Errors (BadInput, one line naming the file and record line; exit 2): a file that is not a regular
// file or larger than 4 GiB; a line that is not a JSON object, or a record without the keys its
// op_code needs or with values of another type; an unknown op_code; more than 10^7 records. A last
// line without its newline that does not parse is a record being written: it is skipped, as Optuna
// skips it. Study selection errors as in read_study.
// Cost: one pass over the file; memory proportional to the study's trials.
#pragma once

#include <string>
#include <vector>

#include "app/study_db.h"

namespace samplersim {

// True when `path` is a regular file whose first non-blank byte is '{' (a journal file; an RDB
// file starts with "SQLite format 3").
bool is_journal_file(const std::string& path);

// Names of the studies in the journal (not deleted), sorted.
std::vector<std::string> list_journal_studies(const std::string& path);

// Reads one study; `study_name` empty: the journal must hold exactly one study.
StoredStudy read_journal_study(const std::string& path, const std::string& study_name);

}  // namespace samplersim
