#include "app/single_run.h"

#include <fmt/format.h>

#include "sim/simulation.h"

namespace samplersim {

TracedRun run_traced(const ScenarioSpec& spec, const Arm& arm, int rep) {
  TracedRun r;
  const std::uint64_t seed = run_seed_for_rep(spec.seed, static_cast<std::uint64_t>(rep));
  RandomStrategy strategy(seed);
  r.outcome = simulate(RunRequest{&spec, arm.policy, arm.seed_policy, seed, &strategy}, &r.trace);
  return r;
}

TracedRun run_replay(const ScenarioSpec& spec, const Arm& arm, const ReplayRecord& record) {
  TracedRun r;
  ReplayStrategy strategy(record.picks);
  r.outcome = simulate_without(RunRequest{&spec, arm.policy, arm.seed_policy, record.run_seed, &strategy},
                               record.omitted_processes, &r.trace);
  if (!strategy.fully_consumed()) {
    throw ReplayDivergence(fmt::format("replay diverged at choice point {}: the run ended there, but the schedule has {} picks",
                                       r.outcome.choice_points, record.picks.size()));
  }
  return r;
}

ReplayRecord replay_record_of(const ScenarioSpec& spec, const Arm& arm, int rep, const TracedRun& run) {
  ReplayRecord rec;
  rec.scenario_path = spec.source_path;
  rec.scenario_source = spec.source_text;
  rec.policy = arm.policy->name;
  rec.seed_policy = arm.seed_policy.to_string();
  rec.rep = rep;
  rec.run_seed = run_seed_for_rep(spec.seed, static_cast<std::uint64_t>(rep));
  rec.strategy = "random";
  rec.picks = run.outcome.schedule;
  rec.trace_hash = run.outcome.trace_hash;
  return rec;
}

}  // namespace samplersim
