// `samplersim audit DB [--study NAME] [--simulate] [--workers N]`: its arguments (app/audit_command.h does the work).
#include <memory>

#include "app/audit_command.h"
#include "app/command_limits.h"
#include "cli/arguments.h"
#include "cli/command.h"

namespace samplersim {

Command add_audit_command(CLI::App& root) {
  auto opt = std::make_shared<AuditCommandOptions>();
  CLI::App* cmd = root.add_subcommand("audit", "Outcome metrics of a real Optuna study database (read-only), optionally next to its simulation");
  cmd->add_option("db", opt->db,
                  "The study's storage: an SQLite file or sqlite:/// URL, a journal file, or a postgresql:// URL (read-only)")
      ->required();
  cmd->add_option("--study", opt->study, "Study name (needed when the file holds several)");
  CLI::Option* simulate = cmd->add_flag("--simulate", opt->simulate, "Also simulate the scenario inferred from the study");
  CLI::Option* workers = cmd->add_option("--workers", opt->workers, "Simulated processes (default: peak concurrent RUNNING trials)")
      ->check(decimal_in(1, kMaxWorkersArgument));
  CLI::Option* reps = cmd->add_option("--reps", opt->reps, "Simulated repetitions (default 1000)")->check(decimal_in(1, 10'000'000));
  CLI::Option* policy = add_list_option(cmd, "--policy", opt->policies, "Model(s) to simulate (default: from the study's Optuna version)");
  CLI::Option* seed_policy = add_list_option(cmd, "--seed-policy", opt->seed_policies, "Seed policies to simulate (default: none)");
  cmd->add_option("--report", opt->report_dir,
                  "Write the report section (report.md, report.html) for the study, with --simulate beside it, to DIR");
  cmd->add_option("--jobs", opt->jobs, "Threads (default: all cores); results do not depend on it")
      ->check(decimal_in(0, 1024));
  auto no_remedies = std::make_shared<bool>(false);
  CLI::Option* no_rem = cmd->add_flag("--no-remedies", *no_remedies, "With --simulate: do not simulate and rank the remedies");
  auto format = std::make_shared<std::string>("text");
  add_format_option(cmd, *format);
  // The simulation's options would be ignored without --simulate: refused (one line, exit 2).
  for (CLI::Option* o : {workers, reps, policy, seed_policy, no_rem}) o->needs(simulate);
  return {cmd, [opt, format, no_remedies] {
            opt->json_format = *format == "json";
            opt->remedies = !*no_remedies;
            return audit_command(*opt);
          }};
}

}  // namespace samplersim
