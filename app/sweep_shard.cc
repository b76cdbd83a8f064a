#include "app/sweep_shard.h"

#include <charconv>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "sim/errors.h"
#include "sim/fnv1a.h"
#include "sim/trace.h"

namespace samplersim {

namespace {

// A decimal number of at most 7 digits (kMaxShards has 7), or -1.
std::int64_t small_decimal(std::string_view text) {
  if (text.empty() || text.size() > 7 || text.find_first_not_of("0123456789") != std::string_view::npos) return -1;
  std::int64_t value = -1;
  const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  return ec == std::errc() && ptr == text.data() + text.size() ? value : -1;
}

}  // namespace

std::string SweepShard::text() const { return fmt::format("{}/{}", index, count); }

SweepShard parse_shard(std::string_view text) {
  const auto slash = text.find('/');
  const std::int64_t index = slash == std::string_view::npos ? -1 : small_decimal(text.substr(0, slash));
  const std::int64_t count = slash == std::string_view::npos ? -1 : small_decimal(text.substr(slash + 1));
  if (index < 1 || count < 1 || index > count || count > kMaxShards) {
    throw BadInput::argument(
        "--shard", fmt::format("I/K with 1 <= I <= K <= {} (1-based, e.g. $SLURM_ARRAY_TASK_ID/K with --array=1-K)", kMaxShards),
        fmt::format("'{}'", text.substr(0, 40)));
  }
  return SweepShard{index, count};
}

RunRange shard_range(std::int64_t total_runs, const SweepShard& shard) {
  // total_runs <= kMaxSweepRuns and count <= kMaxShards: the products fit in 64 bits.
  return RunRange{(shard.index - 1) * total_runs / shard.count, shard.index * total_runs / shard.count};
}

std::string plan_digest(const SweepPlan& plan) {
  std::uint64_t h = fnv1a_64(plan.name + "\n");
  for (const SweepPoint& point : plan.points) {
    for (const Arm& arm : point.arms) h = fnv1a_64(fmt::format("{}|reps={}\n", run_key(point, arm, 0), point.reps), h);
  }
  return format_hash(h);
}

std::string shard_header(const SweepPlan& plan, const std::string& digest, const std::string& version,
                         const SweepShard& shard) {
  const RunRange range = shard_range(plan.total_runs, shard);
  // An ordered_json keeps this key order, so the header reads naturally.
  const nlohmann::ordered_json header{
      {"samplersim_sweep_shard", 1}, {"sweep", plan.name},       {"plan_digest", digest},
      {"version", version},          {"shard", shard.index},     {"shards", shard.count},
      {"first_run", range.first},    {"runs", range.size()},     {"total_runs", plan.total_runs},
  };
  return header.dump();
}

}  // namespace samplersim
