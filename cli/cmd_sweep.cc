// `samplersim sweep SPEC.toml`: run every (scenario variant, arm, rep) of a sweep spec on all
// cores and append one JSON line per run to a results file; --resume completes an interrupted one.
#include <unistd.h>

#include <cstdio>
#include <memory>
#include <string>

#include <fmt/format.h>

#include "app/sweep_progress.h"
#include "app/sweep_runner.h"
#include "app/sweep_spec.h"
#include "cli/command.h"

namespace samplersim {

namespace {

struct SweepCliOptions {
  std::string spec;
  std::string out = "results.jsonl";
  int jobs = 0;
  bool resume = false;
  bool quiet = false;
};

int sweep(const SweepCliOptions& opt) {
  const SweepPlan plan = load_sweep_plan(opt.spec);
  SweepOptions options{opt.out, opt.jobs, opt.resume};
  std::unique_ptr<SweepProgressDisplay> display;
  if (!opt.quiet) display = std::make_unique<SweepProgressDisplay>(stderr, ::isatty(STDERR_FILENO) != 0, 0);
  const SweepCounts counts = run_sweep(plan, options, [&](std::int64_t done, std::int64_t total) {
    if (display) display->update(done, total);
  });
  if (display) display->finish(counts.already_done + counts.ran, counts.total);
  if (counts.truncated_torn_line) fmt::print("{}: removed a torn last line left by an interrupted sweep\n", opt.out);
  fmt::print("sweep {}: {} runs ({} points); {} already in {}, {} run now\n", plan.name, counts.total,
             plan.points.size(), counts.already_done, opt.out, counts.ran);
  return kExitOk;
}

}  // namespace

Command add_sweep_command(CLI::App& root) {
  auto opt = std::make_shared<SweepCliOptions>();
  CLI::App* cmd = root.add_subcommand("sweep", "Run a sweep spec (scenarios x policies x seed policies x axes x reps) into a JSON Lines file");
  cmd->add_option("spec", opt->spec, "Sweep spec (TOML), e.g. scenarios/sweeps/builtin.toml")->required();
  cmd->add_option("--out", opt->out, "Results file, appended one JSON line per run (default results.jsonl)");
  cmd->add_option("--jobs", opt->jobs, "Threads (default: all cores); the results file does not depend on it")
      ->check(CLI::Range(0, 1024));
  cmd->add_flag("--resume", opt->resume, "Complete an interrupted sweep in --out: skip its runs, drop a torn last line");
  cmd->add_flag("--quiet", opt->quiet, "No progress output");
  return {cmd, [opt] { return sweep(*opt); }};
}

}  // namespace samplersim
