// `samplersim audit DB [--study NAME] [--simulate] [--workers N]`: the outcome metrics of a real
// Optuna GridSampler study read (read-only) from its SQLite database, in the same table format as
// `run`, then every repeated combination with its trials and the cause of each repeat
// (app/repeat_causes.h); with --simulate, the simulation of the scenario inferred from the study
// next to it. --report DIR creates DIR as needed; --format json prints one JSON object.
// The command line (cli/) only fills AuditCommandOptions; returns an exit status (app/exit_status.h).
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace samplersim {

struct AuditCommandOptions {
  std::string db;
  std::string study;
  bool simulate = false;
  std::string report_dir;
  std::optional<int> workers;
  int reps = 1000;
  std::vector<std::string> policies;
  std::vector<std::string> seed_policies;
  int jobs = 0;
  bool json_format = false;  // --format json: one JSON object on stdout instead of text
  bool remedies = true;      // with --simulate: rank the remedies of each simulated Optuna arm, as `run` does
};

int audit_command(const AuditCommandOptions& options);

}  // namespace samplersim
