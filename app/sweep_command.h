// `samplersim sweep SPEC.toml`: run every (scenario variant, arm, rep) of a sweep spec on all
// cores and append one JSON line per run to a results file; --resume completes an interrupted one.
// --shard I/K runs one block of a job array into a shard file, --merge joins the K shard files
// into the results file the unsharded sweep writes (app/sweep_shard.h).
// Under mpirun (app/mpi_world.h; detected from the environment, README "Across machines"): rank r
// of K runs the block of shard r+1/K (app/sweep_shard.h) into memory (sweep_lines), rank 0 gathers
// the K blocks in rank order and writes --out whole and atomically (app/atomic_file.h): the file a
// single process writes, byte for byte. --resume, --shard and --merge are refused there (exit 2).
// Every rank checks the arguments and the spec and rank 0 also --out before any run; an error on
// any rank is agreed on, so every rank exits with the status of the lowest failing rank, rank 0
// prints its one line, and nothing is written. Cost: each rank holds its block's lines in memory,
// rank 0 the whole file; one gather of the bytes.
// The command line (cli/) only fills SweepCommandOptions; returns an exit status (app/exit_status.h).
#pragma once

#include <string>
#include <vector>

namespace samplersim {

struct SweepCommandOptions {
  std::string spec;
  std::string out = "results.jsonl";
  int jobs = 0;
  bool resume = false;
  bool quiet = false;
  bool shard_given = false;         // --shard was given (even as "")
  std::string shard;                // "I/K"
  std::vector<std::string> merge;   // shard files to join; empty: run
  std::string version;              // samplersim's version (app/build_info.h), for shard headers
};

// Throws BadInput: --shard malformed (before the spec is read), --shard with --merge, --merge with
// --resume, and the errors of run_sweep / merge_sweep_shards.
int sweep_command(const SweepCommandOptions& options);

}  // namespace samplersim
