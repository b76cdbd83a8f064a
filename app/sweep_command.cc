#include "app/sweep_command.h"

#include <unistd.h>

#include <cstdio>
#include <optional>
#include <string>

#include <fmt/format.h>

#include "app/exit_status.h"
#include "app/sweep_progress.h"
#include "app/sweep_runner.h"
#include "app/sweep_shard.h"
#include "app/sweep_spec.h"
#include "sim/errors.h"

namespace samplersim {

int sweep_command(const SweepCommandOptions& opt) {
  std::optional<SweepShard> shard;
  if (opt.shard_given) shard = parse_shard(opt.shard);
  if (!opt.merge.empty()) {
    if (shard) throw BadInput::argument("--merge", "no --shard (merge joins the shard files of every shard)", "--shard " + opt.shard);
    if (opt.resume) throw BadInput::argument("--merge", "no --resume (the merged file is written whole)", "--resume");
    const SweepPlan plan = load_sweep_plan(opt.spec);
    const SweepCounts counts = merge_sweep_shards(plan, opt.merge, opt.out);
    fmt::print("sweep {}: merged {} shard files, {} runs ({} points) into {}\n", terminal_line(plan.name), opt.merge.size(),
               counts.total, plan.points.size(), terminal_line(opt.out));
    return kExitOk;
  }
  const SweepPlan plan = load_sweep_plan(opt.spec);
  SweepOptions options{opt.out, opt.jobs, opt.resume, shard, opt.version};
  std::unique_ptr<SweepProgressDisplay> display;
  if (!opt.quiet) display = std::make_unique<SweepProgressDisplay>(stderr, ::isatty(STDERR_FILENO) != 0, 0);
  const SweepCounts counts = run_sweep(plan, options, [&](std::int64_t done, std::int64_t total) {
    if (display) display->update(done, total);
  });
  if (display) display->finish(counts.already_done + counts.ran, counts.total);
  if (counts.truncated_torn_line) fmt::print("{}: removed a torn last line left by an interrupted sweep\n", opt.out);
  if (shard) {
    const RunRange range = shard_range(plan.total_runs, *shard);
    fmt::print("sweep {} shard {}: {} runs of {} (from run {}; {} points); {} already in {}, {} run now\n",
               terminal_line(plan.name), shard->text(), counts.total, plan.total_runs, range.first, plan.points.size(),
               counts.already_done, opt.out, counts.ran);
    return kExitOk;
  }
  fmt::print("sweep {}: {} runs ({} points); {} already in {}, {} run now\n", terminal_line(plan.name), counts.total,
             plan.points.size(), counts.already_done, opt.out, counts.ran);
  return kExitOk;
}


}  // namespace samplersim
