#include "app/sweep_command.h"

#include <unistd.h>

#include <cstdio>
#include <string>

#include <fmt/format.h>

#include "app/exit_status.h"
#include "app/sweep_progress.h"
#include "app/sweep_runner.h"
#include "app/sweep_spec.h"

namespace samplersim {

namespace {

}  // namespace

int sweep_command(const SweepCommandOptions& opt) {
  const SweepPlan plan = load_sweep_plan(opt.spec);
  SweepOptions options{opt.out, opt.jobs, opt.resume};
  std::unique_ptr<SweepProgressDisplay> display;
  if (!opt.quiet) display = std::make_unique<SweepProgressDisplay>(stderr, ::isatty(STDERR_FILENO) != 0, 0);
  const SweepCounts counts = run_sweep(plan, options, [&](std::int64_t done, std::int64_t total) {
    if (display) display->update(done, total);
  });
  if (display) display->finish(counts.already_done + counts.ran, counts.total);
  if (counts.truncated_torn_line) fmt::print("{}: removed a torn last line left by an interrupted sweep\n", opt.out);
  fmt::print("sweep {}: {} runs ({} points); {} already in {}, {} run now\n", terminal_line(plan.name), counts.total,
             plan.points.size(), counts.already_done, opt.out, counts.ran);
  return kExitOk;
}


}  // namespace samplersim
