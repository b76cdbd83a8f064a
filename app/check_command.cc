#include "app/check_command.h"

#include <unistd.h>

#include <cstdio>
#include <optional>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "app/atomic_file.h"
#include "app/check_explore.h"
#include "app/check_output.h"
#include "app/exit_status.h"
#include "sim/errors.h"
#include "app/scenario_files.h"

namespace samplersim {

namespace {

std::vector<Property> parse_properties(const std::string& text) {
  if (text == "all") return {Property::kCoverage, Property::kNoRepeats, Property::kTermination};
  const auto p = property_from_string(text);
  if (!p || *p == Property::kReplay) {
    throw BadInput::argument("--property", "coverage, no-repeats, termination or all", fmt::format("'{}'", text));
  }
  return {*p};
}

std::string property_names(const std::vector<Property>& ps) {
  std::string s;
  for (Property p : ps) s += (s.empty() ? "" : ", ") + std::string(to_string(p));
  return s;
}

}  // namespace

int check_command(const CheckCommandOptions& opt) {
  const std::vector<Property> properties = parse_properties(opt.property);
  const auto strategy = parse_strategy(opt.strategy);
  if (!strategy) {
    throw BadInput::argument("--strategy",
                             fmt::format("random, pct:D (1 <= D <= {}) or exhaustive", StrategyChoice::kMaxPctDepth),
                             fmt::format("'{}'", opt.strategy));
  }
  if (opt.preemption_bound && strategy->kind != StrategyKind::kExhaustive) {
    throw BadInput::argument("--preemption-bound", "only together with --strategy exhaustive",
                             fmt::format("--strategy {}", opt.strategy));
  }
  const PolicyInfo* policy = PolicyRegistry::find(opt.policy);
  if (!policy) {
    throw BadInput::argument("--policy", fmt::format("one of {}", fmt::join(PolicyRegistry::names(), ", ")),
                             fmt::format("unknown policy '{}'", opt.policy));
  }
  check_output_dir(opt.out);
  const ScenarioSpec spec = load_scenario(opt.scenario);
  SeedPolicy seed_policy = spec.seed_policies.empty() ? SeedPolicy{} : spec.seed_policies.front();
  if (!opt.seed_policy.empty()) {
    const auto parsed = parse_seed_policy(opt.seed_policy);
    if (!parsed) {
      throw BadInput::argument("--seed-policy", "none, same:S or distinct:S with 0 <= S < 2^32",
                               fmt::format("'{}'", opt.seed_policy));
    }
    seed_policy = *parsed;
  }
  if (seed_policy.kind == SeedPolicy::Kind::kDistinct &&
      seed_policy.seed + static_cast<std::uint64_t>(spec.processes) - 1 >= (std::uint64_t{1} << 32)) {
    throw BadInput::argument("--seed-policy", fmt::format("process seeds below 2^32 for {} processes", spec.processes),
                             fmt::format("{}, which gives process seeds beyond 2^32-1", seed_policy.to_string()));
  }
  const Arm arm{policy, seed_policy};

  CheckRequest req;
  req.spec = &spec;
  req.arm = arm;
  req.properties = properties;
  req.strategy = *strategy;
  req.preemption_bound = opt.preemption_bound;
  req.budget = opt.budget;
  req.start_seed = opt.seed.value_or(spec.seed);
  const bool tty = ::isatty(STDERR_FILENO) == 1;
  if (tty) {
    req.progress = [](std::uint64_t n) {
      if (n % 64 == 0) std::fprintf(stderr, "\rcheck: %llu schedules explored", static_cast<unsigned long long>(n));
    };
  }
  const CheckResult result = run_check(req);
  if (tty) std::fprintf(stderr, "\r%60s\r", "");

  std::string what = strategy->to_string();
  if (opt.preemption_bound) what += fmt::format(", preemption bound {}", *opt.preemption_bound);
  fmt::print("check {} {} ({}; start seed {}; properties: {})\n", spec.name, arm.label(), what, req.start_seed,
             property_names(properties));
  if (!result.counterexample) {
    std::string exhausted = "not applicable (random search)";
    if (strategy->kind == StrategyKind::kExhaustive) {
      exhausted = result.exhausted ? "yes, every schedule was explored"
                                   : fmt::format("no, the budget of {} schedules ran out", opt.budget);
    }
    fmt::print("no violation in {} schedules explored\nspace exhausted: {}\n", result.schedules, exhausted);
    return kExitOk;
  }
  const Counterexample& cex = *result.counterexample;
  const std::string label = what + (req.shrink ? " (shrunk)" : "");
  const CounterexampleFiles files = write_counterexample(opt.out, spec, arm, cex, label);
  fmt::print("VIOLATION of {} at schedule {} of {} explored (run seed {})\n  {}\n", to_string(cex.violation.property),
             cex.schedule_index + 1, result.schedules, cex.run_seed, cex.violation.detail);
  fmt::print("shrunk from {} picks to a choice vector of {} ([{}]) in {} runs; {} choice points, {} trials\n",
             cex.found_picks.size(), cex.choices.size(), fmt::join(cex.choices, ","), cex.shrink_runs,
             cex.outcome.choice_points, cex.outcome.trials);
  fmt::print("trace:   {}\nreplay:  {}\ndiagram: {}\n         {}\n", files.trace_txt, files.replay_json,
             files.interleaving_dot, files.interleaving_svg);
  fmt::print("reproduce: samplersim replay {}\n", files.replay_json);
  return kExitFinding;
}


}  // namespace samplersim
