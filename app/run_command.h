// `samplersim run`: simulate a scenario's arms many times and print the comparison table and, for
// each arm that models Optuna, the remedies ranked (app/remedy_plan.h, reports/remedy_ranking.h),
// as text or one JSON object (--format json); optionally write per-run JSON lines (the compared
// arms only), a text trace and a replay file, or replay a recorded run. With --max-repeats or
// --max-uncovered it exits 1 when an arm's mean exceeds the limit (for CI), after printing.
// The command line (cli/cmd_run.cc) only fills RunCommandOptions. Returns an exit status
// (app/exit_status.h); bad input throws before anything is written.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace samplersim {

struct RunCommandOptions {
  std::string scenario;               // file, or the name of a built-in scenario
  std::optional<int> reps;            // default: the scenario's run.reps
  std::optional<std::uint64_t> seed;  // default: the scenario's run.seed
  std::vector<std::string> policies;       // only these (empty: all of the scenario's)
  std::vector<std::string> seed_policies;  // only these (empty: all of the scenario's)
  std::string json_out;
  std::string trace_out;
  std::string schedule_out;
  std::string replay_in;
  std::string from_db;     // resume from the trials of this Optuna SQLite study (app/study_resume.h)
  std::string study_name;  // with from_db: which study ("" = the only one)
  int trace_rep = 0;
  int jobs = 0;
  bool json_format = false;             // --format json: one JSON object on stdout instead of text
  bool remedies = true;                 // rank the remedies of every arm that models Optuna
  std::optional<double> max_repeats;    // exit 1 if an arm's mean repeats per run exceeds it
  std::optional<double> max_uncovered;  // exit 1 if an arm's mean uncovered combinations exceed it
};

int run_command(const RunCommandOptions& options);

}  // namespace samplersim
