// `samplersim check`: its arguments (app/check_command.h does the work).
#include <memory>

#include "app/check_command.h"
#include "cli/arguments.h"
#include "cli/command.h"

namespace samplersim {

Command add_check_command(CLI::App& root) {
  auto opt = std::make_shared<CheckCommandOptions>();
  CLI::App* cmd = root.add_subcommand("check", "Search schedules for a property violation; write a shrunk counterexample");
  cmd->footer("Under mpirun (mpirun -np K samplersim check ...), the K ranks share a random or pct search, or an "
              "exhaustive search with --reduction none (split by schedule prefix), and find the counterexample and counts a "
              "single process finds (README \"Across machines\"); MPI is used only when mpirun started the process.");
  cmd->add_option("scenario", opt->scenario, "Scenario file, or the name of a built-in scenario")->required();
  // A repeated --policy or --seed-policy reaches check_command joined by '\n' (refused there by
  // name, one line, instead of CLI11's "At Most 1 required but received 2").
  cmd->add_option("--policy", opt->policy, "Policy to check")
      ->required()
      ->multi_option_policy(CLI::MultiOptionPolicy::Join);
  cmd->add_option("--seed-policy", opt->seed_policy, "none, same:S or distinct:S (default: the scenario's first)")
      ->multi_option_policy(CLI::MultiOptionPolicy::Join);
  cmd->add_option("--property", opt->property, "coverage, no-repeats, no-stale-results, termination or all (default all)");
  cmd->add_option("--strategy", opt->strategy, "random, pct:D or exhaustive (default random)");
  cmd->add_option("--reduction", opt->reduction,
                  "exhaustive: source-dpor (default; partial-order reduction) or none (every schedule)");
  cmd->add_option("--preemption-bound", opt->preemption_bound, "exhaustive: at most K non-default picks")
      ->check(decimal_in(0, 1'000'000));
  cmd->add_option("--budget", opt->budget, "Schedules to explore at most (default 1000)")
      ->check(decimal_in(1, 1'000'000'000));
  cmd->add_option("--seed", opt->seed, "Start seed (default: the scenario's run.seed)")
      ->check(decimal_in(0, UINT64_MAX));
  cmd->add_option("--out", opt->out, "Directory for the counterexample (default samplersim-counterexample)");
  cmd->add_option("--time-limit", opt->time_limit_s,
                  "Seconds for the whole check: exploring stops, shrinking keeps its best vector, layout gets what is left")
      ->check(decimal_number_in(0.001, 1e9, "expected a number of seconds from 0.001 to 1000000000 such as 30 or 0.5"));
  auto format = std::make_shared<std::string>("text");
  add_format_option(cmd, *format);
  return {cmd, [opt, format] {
            opt->json_format = *format == "json";
            return check_command(*opt);
          }};
}

}  // namespace samplersim
