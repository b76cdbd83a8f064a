#include "app/sweep_command.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <memory>
#include <optional>
#include <string>

#include <fmt/format.h>

#include "app/atomic_file.h"
#include "app/exit_status.h"
#include "app/mpi_world.h"
#include "app/sweep_progress.h"
#include "app/sweep_runner.h"
#include "app/sweep_shard.h"
#include "app/sweep_spec.h"
#include "sim/errors.h"
#include "sim/plural.h"

namespace samplersim {

namespace {

// One rank of `mpirun -np K samplersim sweep SPEC` (app/sweep_command.h).
int sweep_on_rank(const SweepCommandOptions& opt, MpiWorld& world) {
  SweepPlan plan;
  RunRange range;
  world.agree([&] {
    if (opt.shard_given) throw BadInput::argument("--shard", "no --shard under mpirun (each rank runs its own shard)", "--shard " + opt.shard);
    if (!opt.merge.empty()) throw BadInput::argument("--merge", "no --merge under mpirun (run it once, without mpirun)", "--merge");
    if (opt.resume) throw BadInput::argument("--resume", "no --resume under mpirun (the results file is written whole)", "--resume");
    plan = load_sweep_plan(opt.spec);
    range = shard_range(plan.total_runs, SweepShard{world.rank() + 1, world.size()});
    if (world.root()) {
      check_output_file(opt.out);
      struct stat st {};
      if (::stat(opt.out.c_str(), &st) == 0 && st.st_size > 0) {
        throw BadInput::argument("--out", "a new results file (--resume is not available under mpirun)",
                                 fmt::format("'{}', which exists", opt.out));
      }
    }
  });
  std::string lines;
  world.agree([&] {
    std::unique_ptr<SweepProgressDisplay> display;
    if (!opt.quiet && world.root()) {
      display = std::make_unique<SweepProgressDisplay>(stderr, ::isatty(STDERR_FILENO) != 0, 0,
                                                       fmt::format("sweep rank 0 of {}", world.size()));
    }
    lines = sweep_lines(plan, range, opt.jobs, [&](std::int64_t done, std::int64_t total) {
      if (display) display->update(done, total);
    });
    if (display) display->finish(range.size(), range.size());
  });
  const std::string all = world.gather_to_root(lines);
  world.agree([&] {
    if (!world.root()) return;
    make_parent_directories(opt.out);
    write_file_atomically(opt.out, all);
  });
  if (world.root()) {
    fmt::print("sweep {}: {} ({}) on {} into {}\n", terminal_line(plan.name), plural(plan.total_runs, "run"),
               plural(plan.points.size(), "point"), plural(world.size(), "MPI rank"),
               terminal_line(opt.out));
  }
  return kExitOk;
}

}  // namespace

int sweep_command(const SweepCommandOptions& opt) {
  if (started_by_mpi_launcher()) return run_as_mpi_rank([&](MpiWorld& world) { return sweep_on_rank(opt, world); });
  std::optional<SweepShard> shard;
  if (opt.shard_given) shard = parse_shard(opt.shard);
  if (!opt.merge.empty()) {
    if (shard) throw BadInput::argument("--merge", "no --shard (merge joins the shard files of every shard)", "--shard " + opt.shard);
    if (opt.resume) throw BadInput::argument("--merge", "no --resume (the merged file is written whole)", "--resume");
    const SweepPlan plan = load_sweep_plan(opt.spec);
    const SweepCounts counts = merge_sweep_shards(plan, opt.merge, opt.out);
    fmt::print("sweep {}: merged {}, {} ({}) into {}\n", terminal_line(plan.name),
               plural(opt.merge.size(), "shard file"), plural(counts.total, "run"),
               plural(plan.points.size(), "point"), terminal_line(opt.out));
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
    fmt::print("sweep {} shard {}: {} of {} (from run {}; {}); {} already in {}, {} run now\n",
               terminal_line(plan.name), shard->text(), plural(counts.total, "run"), plan.total_runs, range.first,
               plural(plan.points.size(), "point"), counts.already_done, opt.out, counts.ran);
    return kExitOk;
  }
  fmt::print("sweep {}: {} ({}); {} already in {}, {} run now\n", terminal_line(plan.name), plural(counts.total, "run"),
             plural(plan.points.size(), "point"), counts.already_done, opt.out, counts.ran);
  return kExitOk;
}


}  // namespace samplersim
