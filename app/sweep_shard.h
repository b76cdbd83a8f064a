// Sweeps split across the tasks of a job array (Slurm/PBS): `sweep SPEC --shard I/K` runs shard I
// of K, `sweep SPEC --merge FILE...` joins the K shard files into the results file a single
// `sweep SPEC` writes, byte for byte.
//
// Contract:
// - I is 1-based, 1 <= I <= K <= kMaxShards: with `sbatch --array=1-K` pass
//   `--shard $SLURM_ARRAY_TASK_ID/K` (a 0-based array, `--array=0-(K-1)`, passes
//   `$((SLURM_ARRAY_TASK_ID + 1))/K`).
// - Shard I runs the contiguous block [floor((I-1)N/K), floor(IN/K)) of the plan's N runs in plan
//   order (app/sweep_spec.h): every run in exactly one shard, block sizes differing by at most
//   one run (equal run counts, not equal costs: a point with more processes costs more). A shard
//   may be empty (K > N). Each run is the same simulation with the same seed as unsharded, so its
//   line is the same bytes, and the shards' lines joined in shard order are the unsharded file.
// - A shard file is one header line (shard_header) and then the shard's results lines in plan
//   order. The header records the sweep name, the plan digest, the samplersim version, I, K and
//   the block. It is not a results file for `report`: merge first.
// - The plan digest (plan_digest) covers the sweep name and, for every point and arm, its run key
//   of rep 0 (base scenario digest, run seed, arm, axes) and its reps: a changed spec or a changed
//   scenario file changes it.
// Errors: parse_shard throws BadInput::argument("--shard", ...) (exit 2).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "app/sweep_spec.h"

namespace samplersim {

inline constexpr std::int64_t kMaxShards = 1'000'000;

struct SweepShard {
  std::int64_t index = 1;  // I, 1-based
  std::int64_t count = 1;  // K
  std::string text() const;  // "I/K"
};

// Runs [first, last) of the plan order.
struct RunRange {
  std::int64_t first = 0;
  std::int64_t last = 0;
  std::int64_t size() const { return last - first; }
};

// "I/K": decimal digits only. Throws BadInput::argument("--shard", ...) otherwise, or when not
// 1 <= I <= K <= kMaxShards.
SweepShard parse_shard(std::string_view text);

// The block of shard `shard` among `total_runs` runs (see above).
RunRange shard_range(std::int64_t total_runs, const SweepShard& shard);

// The plan's identity (see above), as 16 hex digits. Cost: one pass over points and arms.
std::string plan_digest(const SweepPlan& plan);

// The first line of a shard file, without its '\n': one JSON object
// {"samplersim_sweep_shard":1,"sweep":...,"plan_digest":...,"version":...,"shard":I,"shards":K,
//  "first_run":...,"runs":...,"total_runs":N}.
std::string shard_header(const SweepPlan& plan, const std::string& digest, const std::string& version,
                         const SweepShard& shard);

}  // namespace samplersim
