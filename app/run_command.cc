#include "app/run_command.h"

#include <cstdio>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "app/arms.h"
#include "app/atomic_file.h"
#include "app/exit_status.h"
#include "sim/errors.h"
#include "app/rep_runner.h"
#include "app/replay_command.h"
#include "app/replay_file.h"
#include "app/result_line.h"
#include "app/scenario_files.h"
#include "app/single_run.h"
#include "reports/arm_stats.h"
#include "reports/trace_text.h"

namespace samplersim {

namespace {

std::vector<SeedPolicy> parse_seed_filter(const std::vector<std::string>& texts) {
  std::vector<SeedPolicy> out;
  for (const std::string& t : texts) {
    auto p = parse_seed_policy(t);
    if (!p) throw BadInput::argument("--seed-policy", "none, same:S or distinct:S with 0 <= S < 2^32", fmt::format("'{}'", t));
    out.push_back(*p);
  }
  return out;
}

void print_outcome(const RunOutcome& o) {
  fmt::print("trials {}  repeats {}  never-evaluated {}  uncovered {}  wasted {} s  makespan {} s\n",
             o.trials, o.repeats, o.never_evaluated, o.uncovered, format_seconds(o.wasted_time_us),
             format_seconds(o.makespan_us));
  fmt::print("choice points {}  store ops {}  trace hash {}\n", o.choice_points, o.store_ops,
             format_hash(o.trace_hash));
}

int replay(const RunCommandOptions& opt) {
  if (!opt.trace_out.empty()) check_writable(opt.trace_out);
  const ReplayRecord rec = read_replay_file(opt.replay_in);
  const ScenarioSpec spec = load_scenario_text(rec.scenario_source, opt.replay_in + " (embedded scenario)");
  auto seed = parse_seed_policy(rec.seed_policy);
  if (!seed) throw BadInput(opt.replay_in, 0, "seed_policy", "none, same:S or distinct:S", rec.seed_policy);
  const std::vector<Arm> arms = arms_of(spec, {rec.policy}, {*seed});
  const TracedRun run = run_replay(spec, arms.front(), rec);
  fmt::print("replay of {} rep {} ({}), {} picks\n", arms.front().label(), rec.rep, spec.name, rec.picks.size());
  print_outcome(run.outcome);
  if (!opt.trace_out.empty()) {
    write_file_atomically(opt.trace_out, format_trace_text(run.trace, spec,
                                                           fmt::format("replay of {} rep {}", arms.front().label(), rec.rep)));
  }
  return print_replay_verdict(rec.trace_hash, run.outcome.trace_hash);
}

}  // namespace

int run_command(const RunCommandOptions& opt) {
  if (!opt.replay_in.empty()) return replay(opt);
  if (opt.scenario.empty()) {
    throw BadInput::argument("SCENARIO", "a scenario file or built-in name (or --replay FILE)", "nothing");
  }
  for (const std::string* out : {&opt.json_out, &opt.trace_out, &opt.schedule_out}) {
    if (!out->empty()) check_writable(*out);
  }
  ScenarioSpec spec = load_scenario(opt.scenario);
  if (opt.seed) spec.seed = *opt.seed;
  const int reps = opt.reps.value_or(spec.reps);
  const std::vector<Arm> arms = arms_of(spec, opt.policies, parse_seed_filter(opt.seed_policies));
  if (!opt.schedule_out.empty() && arms.size() != 1) {
    throw BadInput::argument("--schedule", "exactly one arm (narrow with --policy and --seed-policy)",
                             fmt::format("{} arms", arms.size()));
  }
  if (opt.trace_rep >= reps && (!opt.trace_out.empty() || !opt.schedule_out.empty())) {
    throw BadInput::argument("--trace-rep", fmt::format("a rep index below --reps ({})", reps), std::to_string(opt.trace_rep));
  }

  std::vector<ArmStats> stats(arms.size());
  std::string json;
  run_reps(spec, arms, RepRange{0, reps}, opt.jobs, [&](std::size_t a, const std::vector<RunSummary>& runs) {
    stats[a].label = arms[a].label();
    for (const RunSummary& r : runs) {
      stats[a].add(r);
      if (!opt.json_out.empty()) json += result_line(spec, arms[a], "random", r).dump() + "\n";
    }
  });

  std::string trace_text;
  std::string schedule_text;
  if (!opt.trace_out.empty() || !opt.schedule_out.empty()) {
    for (const Arm& arm : arms) {
      const TracedRun tr = run_traced(spec, arm, opt.trace_rep);
      trace_text += format_trace_text(tr.trace, spec,
                                      fmt::format("{} {} rep {} run seed {}", spec.name, arm.label(), opt.trace_rep,
                                                  run_seed_for_rep(spec.seed, static_cast<std::uint64_t>(opt.trace_rep))));
      if (!opt.schedule_out.empty()) schedule_text = replay_to_json(replay_record_of(spec, arm, opt.trace_rep, tr));
    }
  }

  fmt::print("scenario {}: {} combinations, {} processes x {} threads, {} reps, seed {}\n", spec.name,
             spec.combinations(), spec.processes, spec.threads, reps, spec.seed);
  fmt::print("{}", format_arm_table(stats, 0.95));
  if (!opt.json_out.empty()) {
    write_file_atomically(opt.json_out, json);
    fmt::print("wrote {} run lines to {}\n", reps * static_cast<int>(arms.size()), opt.json_out);
  }
  if (!opt.trace_out.empty()) {
    write_file_atomically(opt.trace_out, trace_text);
    fmt::print("wrote trace of rep {} to {}\n", opt.trace_rep, opt.trace_out);
  }
  if (!opt.schedule_out.empty()) {
    write_file_atomically(opt.schedule_out, schedule_text);
    fmt::print("wrote replay file of rep {} to {}\n", opt.trace_rep, opt.schedule_out);
  }
  return kExitOk;
}


}  // namespace samplersim
