// `samplersim sweep SPEC.toml`: run every (scenario variant, arm, rep) of a sweep spec on all
// cores and append one JSON line per run to a results file; --resume completes an interrupted one.
// The command line (cli/) only fills SweepCommandOptions; returns an exit status (app/exit_status.h).
#pragma once

#include <string>

namespace samplersim {

struct SweepCommandOptions {
  std::string spec;
  std::string out = "results.jsonl";
  int jobs = 0;
  bool resume = false;
  bool quiet = false;
};

int sweep_command(const SweepCommandOptions& options);

}  // namespace samplersim
