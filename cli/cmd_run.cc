// `samplersim run`: its arguments (app/run_command.h does the work).
#include <memory>

#include "app/command_limits.h"
#include "app/run_command.h"
#include "cli/arguments.h"
#include "cli/command.h"

namespace samplersim {

Command add_run_command(CLI::App& root) {
  auto opt = std::make_shared<RunCommandOptions>();
  auto format = std::make_shared<std::string>("text");
  auto no_remedies = std::make_shared<bool>(false);
  CLI::App* cmd = root.add_subcommand("run", "Simulate a scenario many times, compare its policies and rank what to change");
  CLI::Option* scenario = cmd->add_option("scenario", opt->scenario, "Scenario file, or the name of a built-in scenario");
  CLI::Option* reps = cmd->add_option("--reps", opt->reps, "Repetitions per policy/seed policy (default: the scenario's run.reps)")
      ->check(decimal_in(1, kMaxRepsArgument));
  CLI::Option* seed = cmd->add_option("--seed", opt->seed, "Base run seed (default: the scenario's run.seed)")
      ->check(decimal_in(0, UINT64_MAX));
  CLI::Option* policy = add_list_option(cmd, "--policy", opt->policies, "Only these policies (repeat the option or separate with commas)");
  CLI::Option* seed_policy = add_list_option(cmd, "--seed-policy", opt->seed_policies,
                  "Only these seed policies: none, same:S, distinct:S (repeat the option or separate with commas)");
  CLI::Option* json = cmd->add_option("--json", opt->json_out, "Write one JSON line per run of the compared arms to this file");
  cmd->add_option("--trace", opt->trace_out, "Write the text trace of one rep of each arm to this file");
  CLI::Option* trace_rep = cmd->add_option("--trace-rep", opt->trace_rep, "Which rep --trace and --schedule record (default 0)")
      ->check(decimal_in(0, kMaxRepsArgument - 1));
  CLI::Option* schedule = cmd->add_option("--schedule", opt->schedule_out, "Write a replay file of the traced rep (needs one arm)");
  CLI::Option* replay = cmd->add_option("--replay", opt->replay_in, "Re-run a replay file bit for bit and check its trace hash");
  CLI::Option* from_db = cmd->add_option("--from-db", opt->from_db, "Start from the trials of this Optuna SQLite study (a resumed study)");
  CLI::Option* study = cmd->add_option("--study", opt->study_name, "With --from-db: the study's name (default: the only one)");
  cmd->add_option("--jobs", opt->jobs, "Threads (default: all cores); results do not depend on it")
      ->check(decimal_in(0, 1024));
  add_format_option(cmd, *format);
  CLI::Option* no_rem = cmd->add_flag("--no-remedies", *no_remedies, "Do not simulate and rank the remedies of the Optuna arms");
  CLI::Option* max_repeats = cmd->add_option("--max-repeats", opt->max_repeats, "Exit 1 if an arm's mean repeats per run exceed N (for CI)")
      ->check(nonnegative_decimal());
  CLI::Option* max_uncovered = cmd->add_option("--max-uncovered", opt->max_uncovered,
                  "Exit 1 if an arm's mean combinations without a COMPLETE trial exceed N (for CI)")
      ->check(nonnegative_decimal());
  // Options that would be ignored are refused (one line, exit 2): a replay file fixes the scenario,
  // the arm, the rep and the seed, and --study names a study of --from-db's file.
  study->needs(from_db);
  for (CLI::Option* o : {scenario, reps, seed, policy, seed_policy, json, trace_rep, schedule, from_db, study, no_rem,
                         max_repeats, max_uncovered}) {
    replay->excludes(o);
  }
  return {cmd, [opt, format, no_remedies] {
            opt->json_format = *format == "json";
            opt->remedies = !*no_remedies;
            return run_command(*opt);
          }};
}

}  // namespace samplersim
