// Why a real study evaluated a combination twice: every repeated combination of an audit
// (app/audit.h) with its trials and, for each repeat, the cause read from what Optuna stored.
//
// A combination's FIRST evaluation is its earliest-started trial (ties: lower number); every later
// trial of it is a REPEAT and gets exactly one cause, the first rule that holds, in this order
// (sources: /work/shared/reference/optuna-grid-behaviour.md sections 1.3–1.5, 2 step 4, 3.1, 3.4):
//   kRetryCopy         it has the `failed_trial` system attribute: RetryFailedTrialCallback copied
//                      a failed trial with its `grid_id`, and 3.0+ evaluates the copy as is.
//   kEnqueued          it has `fixed_params`: study.enqueue_trial asked for values already evaluated;
//                      or the FIRST evaluation was enqueued and has no `grid_id`: GridSampler sets no
//                      grid_id on an enqueued trial and counts only trials with one as visited, so it
//                      drew these values again later (optuna issue 6073; _grid.py, 3.0–master).
//   kFinishedStudy     every combination had a COMPLETE trial that completed before it started,
//                      and nothing had been running for longer than the longest COMPLETE trial:
//                      optimize ran again on a finished grid (Optuna warns and picks any id). A
//                      process that merely kept going (its next trial milliseconds after its last)
//                      is the end of the grid, below.
//   kEndOfGrid         every combination had been started before it started: no untaken id was
//                      left, so the sampler took one still running (the "not finished" fallback),
//                      or its process had not yet seen the grid finish (3.0–3.1's cached view).
//   kOtherPermutation  its `grid_id` differs from the first evaluation's: the two processes
//                      shuffled the grid differently (3.4–3.6 without a seed), so two ids name the
//                      same values.
//   kSameGridId        the same `grid_id` while other combinations were untaken: it was picked
//                      again before the first pick was visible (the read→write race); processes
//                      sharing a random stream (the same seed) draw the same id.
//   kUnknown           none of the above could be decided (no `grid_id` or no start time stored).
// Pure functions of the audit; cost O(trials · log trials + grid size).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "app/audit.h"

namespace samplersim {

enum class RepeatCause : std::uint8_t {
  kFirst = 0,  // not a repeat: the combination's first evaluation
  kRetryCopy,
  kEnqueued,
  kFinishedStudy,
  kEndOfGrid,
  kOtherPermutation,
  kSameGridId,
  kUnknown,
};

// Short name ("retry copy", "another process's permutation", ...).
std::string_view to_string(RepeatCause cause);

struct ExplainedTrial {
  AuditedTrial trial;
  RepeatCause cause = RepeatCause::kFirst;
  std::string why;  // one sentence naming the trials and ids involved ("" for the first)
};

struct RepeatedCombination {
  std::int64_t combination = -1;
  std::string values;                 // "{lr=0.01, optimizer='adam'}"
  std::vector<ExplainedTrial> trials;  // in start order; trials[0] is the first evaluation
};

// Every combination evaluated more than once, by its first evaluation's start.
std::vector<RepeatedCombination> explain_repeats(const AuditResult& audit);

// Text: one block per repeated combination, one line per trial (number, state, start and end as
// offsets from the study's first timestamp in human units, cause). "" when nothing repeated.
std::string format_repeats(const AuditResult& audit, const std::vector<RepeatedCombination>& repeats);
nlohmann::json repeats_json(const AuditResult& audit, const std::vector<RepeatedCombination>& repeats);

}  // namespace samplersim
