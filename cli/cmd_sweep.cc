// `samplersim sweep SPEC.toml`: its arguments (app/sweep_command.h does the work).
#include <memory>

#include "app/build_info.h"
#include "app/sweep_command.h"
#include "cli/arguments.h"
#include "cli/command.h"

namespace samplersim {

Command add_sweep_command(CLI::App& root) {
  auto opt = std::make_shared<SweepCommandOptions>();
  CLI::App* cmd = root.add_subcommand("sweep", "Run a sweep spec (scenarios x policies x seed policies x axes x reps) into a JSON Lines file");
  cmd->footer("Under mpirun (mpirun -np K samplersim sweep SPEC --out FILE), rank r runs shard r+1/K and rank 0 writes "
              "--out, the single-process file byte for byte (README \"Across machines\"); MPI is used only when mpirun "
              "started the process.");
  cmd->add_option("spec", opt->spec, "Sweep spec (TOML), e.g. scenarios/sweeps/builtin.toml")->required();
  cmd->add_option("--out", opt->out, "Results file, appended one JSON line per run (default results.jsonl)");
  cmd->add_option("--jobs", opt->jobs, "Threads (default: all cores); the results file does not depend on it")
      ->check(decimal_in(0, 1024));
  cmd->add_flag("--resume", opt->resume, "Complete an interrupted sweep in --out: skip its runs, drop a torn last line");
  cmd->add_flag("--quiet", opt->quiet, "No progress output");
  CLI::Option* shard = cmd->add_option("--shard", opt->shard,
                  "Run shard I of K (1-based, e.g. $SLURM_ARRAY_TASK_ID/K) into a shard file for --merge");
  cmd->add_option("--merge", opt->merge, "Join the shard files of every shard 1..K into --out, as the unsharded sweep writes it")
      ->expected(1, -1);
  opt->version = version_text();
  return {cmd, [opt, shard] {
            opt->shard_given = shard->count() > 0;
            return sweep_command(*opt);
          }};
}

}  // namespace samplersim
