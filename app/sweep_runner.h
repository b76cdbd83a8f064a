// Runs a SweepPlan on threads and appends one JSON line per run to a results file.
//
// Contract:
// - Lines are appended in plan order (the run index order of sweep_spec.h), whatever `jobs` is:
//   the runs go through run_ordered (app/ordered_pool.h), which hands finished runs to the writer
//   in index order. So a fresh sweep's file is byte-identical for every --jobs.
// - The file is append-only. Each flush is one write(2) of whole lines; a kill -9 can only leave
//   a torn last line, which `resume` detects (no trailing newline) and truncates.
// - resume: reads the existing file, checks every line is a run of this plan (else
//   BadInput naming the file and line), skips those runs, and appends the rest,
//   so no run is lost or written twice. Without resume an existing non-empty file is refused.
// - Each line = result_line() + "sweep", "run_key", "base_scenario_digest", "axes"; rep 0 of each
//   (point, arm) also carries "coverage_curve": [[t_s, distinct combinations evaluated,
//   evaluations], ...] at each evaluation end (at most kMaxCurvePoints, evenly thinned).
// - shard (app/sweep_shard.h): only the shard's block of runs, after the shard header line; resume
//   requires that exact header and only runs of the block. Counts are of the block.
// - merge_sweep_shards: the K shard files of one plan joined into the results file run_sweep writes
//   without a shard, byte for byte, written atomically (app/atomic_file.h).
// Cost: one simulate() per pending run; memory O(jobs) pending lines plus one bit per run.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "app/sweep_shard.h"
#include "app/sweep_spec.h"
#include "sim/run_outcome.h"

namespace samplersim {

inline constexpr std::size_t kMaxCurvePoints = 200;

struct SweepOptions {
  std::string out_path;
  int jobs = 0;        // <= 0: all hardware threads
  bool resume = false;
  // Run only this shard's block of runs into a shard file (app/sweep_shard.h); `version` goes into
  // its header.
  std::optional<SweepShard> shard;
  std::string version;
};

struct SweepCounts {
  std::int64_t total = 0;         // runs in the plan
  std::int64_t already_done = 0;  // found in the file on --resume
  std::int64_t ran = 0;           // simulated and appended now
  bool truncated_torn_line = false;
};

// Called from the writer thread after each flush with (runs done so far incl. already_done, total).
using SweepProgress = std::function<void(std::int64_t done, std::int64_t total)>;

// Throws BadInput (bad/mismatched results file, or an existing one without resume), OutputError
// (cannot write),
// RunFailure (a run failed; lines before it are kept, so --resume continues after a fix).
SweepCounts run_sweep(const SweepPlan& plan, const SweepOptions& options, const SweepProgress& progress);

// Checks that `shard_paths` are the shard files 1..K of one run of `plan` (each once, same K, same
// version, this plan's digest, each complete with exactly its block of runs in plan order), then
// writes their results lines in shard order to `out_path`, which must not exist or be empty.
// Returns total = ran = the plan's runs. Throws BadInput (naming the file and line, or --merge for
// a missing shard) with nothing written, or OutputError. Cost: one read of each shard file, one
// JSON parse per line; memory: one line.
SweepCounts merge_sweep_shards(const SweepPlan& plan, const std::vector<std::string>& shard_paths, const std::string& out_path);

// The results lines of runs [range.first, range.last) of the plan, in plan order, joined: the bytes
// run_sweep appends for those runs. For one rank of an MPI sweep (app/mpi_sweep.h). Calls
// `progress` (may be empty) with (runs done, range.size()). Throws RunFailure. Cost: as run_sweep,
// but the lines are kept in memory.
std::string sweep_lines(const SweepPlan& plan, const RunRange& range, int jobs, const SweepProgress& progress);

// The coverage curve stored with rep 0 (see above).
nlohmann::json coverage_curve(const RunOutcome& outcome);

}  // namespace samplersim
