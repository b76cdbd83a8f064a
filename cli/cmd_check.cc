// `samplersim check`: search a scenario's schedules for a violation of coverage, no-repeats or
// termination under one policy; exit 0 with what was explored, 1 with a shrunk counterexample
// written to --out (trace.txt, replay.json, interleaving.dot, interleaving.svg), 2 on bad input.
// Progress goes to stderr only when stderr is a terminal.
#include <unistd.h>

#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "app/atomic_file.h"
#include "app/check_explore.h"
#include "app/check_output.h"
#include "app/scenario_files.h"
#include "cli/command.h"

namespace samplersim {

namespace {

struct CheckOptions {
  std::string scenario;
  std::string policy;
  std::string seed_policy;
  std::string property = "all";
  std::string strategy = "random";
  std::optional<int> preemption_bound;
  std::uint64_t budget = 1000;
  std::optional<std::uint64_t> seed;
  std::string out = "samplersim-counterexample";
};

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

int check(const CheckOptions& opt) {
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

}  // namespace

Command add_check_command(CLI::App& root) {
  auto opt = std::make_shared<CheckOptions>();
  CLI::App* cmd = root.add_subcommand("check", "Search schedules for a property violation; write a shrunk counterexample");
  cmd->add_option("scenario", opt->scenario, "Scenario file, or the name of a built-in scenario")->required();
  cmd->add_option("--policy", opt->policy, "Policy to check")->required();
  cmd->add_option("--seed-policy", opt->seed_policy, "none, same:S or distinct:S (default: the scenario's first)");
  cmd->add_option("--property", opt->property, "coverage, no-repeats, termination or all (default all)");
  cmd->add_option("--strategy", opt->strategy, "random, pct:D or exhaustive (default random)");
  cmd->add_option("--preemption-bound", opt->preemption_bound, "exhaustive: at most K non-default picks")
      ->check(CLI::Range(0, 1'000'000));
  cmd->add_option("--budget", opt->budget, "Schedules to explore at most (default 1000)")
      ->check(CLI::Range(std::uint64_t{1}, std::uint64_t{1'000'000'000}));
  cmd->add_option("--seed", opt->seed, "Start seed (default: the scenario's run.seed)");
  cmd->add_option("--out", opt->out, "Directory for the counterexample (default samplersim-counterexample)");
  return {cmd, [opt] { return check(*opt); }};
}

}  // namespace samplersim
