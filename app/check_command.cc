#include "app/check_command.h"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <functional>
#include <cstdio>
#include <optional>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <nlohmann/json.hpp>

#include "app/arms.h"
#include "app/atomic_file.h"
#include "app/check_explore.h"
#include "app/check_output.h"
#include "app/exit_status.h"
#include "app/mpi_world.h"
#include "sim/errors.h"
#include "app/scenario_files.h"
#include "sim/plural.h"
#include "sim/scenario_spec.h"
#include "sim/store_kind.h"

namespace samplersim {

namespace {

std::vector<Property> parse_properties(const std::string& text) {
  if (text == "all") return {Property::kCoverage, Property::kNoRepeats, Property::kTermination};
  const auto p = property_from_string(text);
  if (!p || *p == Property::kReplay) {
    throw BadInput::argument("--property", "coverage, no-repeats, no-stale-results, termination or all", fmt::format("'{}'", text));
  }
  return {*p};
}

std::string property_names(const std::vector<Property>& ps) {
  std::string s;
  for (Property p : ps) s += (s.empty() ? "" : ", ") + std::string(to_string(p));
  return s;
}

// The "classes:" line: the reduced search's classes (one complete run each) or, without reduction, the
// distinct class fingerprints.
std::string classes_line(const CheckResult& r, Reduction reduction) {
  if (reduction == Reduction::kSourceDpor) {
    return fmt::format("{} of runs under the store dependency relation ({})",
                       plural(r.classes, "Mazurkiewicz class", "Mazurkiewicz classes"), plural(r.sleep_blocked, "sleep-set-blocked run"));
  }
  return fmt::format("{} (per-worker traces)", plural(r.classes, "distinct class", "distinct classes"));
}

using Clock = std::chrono::steady_clock;

// The layout's share of the time limit: what is left of it, at least 1 s, at most the default.
std::chrono::milliseconds layout_budget(const std::optional<Clock::time_point>& deadline) {
  if (!deadline) return kDefaultLayoutBudget;
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(*deadline - Clock::now());
  return std::clamp(left, std::chrono::milliseconds(1000), kDefaultLayoutBudget);
}

// Progress on stderr, only when it is a terminal, at most ten updates a second.
class Progress {
 public:
  Progress(bool on, Clock::time_point started) : on_(on), started_(started) {}
  bool on() const { return on_; }
  void update(const CheckProgress& p) {
    const auto now = Clock::now();
    if (!on_ || now - last_ < std::chrono::milliseconds(100)) return;
    last_ = now;
    const double s = std::chrono::duration<double>(now - started_).count();
    if (p.phase == CheckProgress::Phase::kShrinking) {
      show(fmt::format("check: shrinking, {}, {} left, {:.1f} s", plural(p.shrink_runs, "run"), plural(p.picks, "pick"), s));
    } else if (p.classes > 0) {
      show(fmt::format("check: {} explored, {}, {:.1f} s", plural(p.schedules, "schedule"), plural(p.classes, "class", "classes"), s));
    } else {
      show(fmt::format("check: {} explored, {:.1f} s", plural(p.schedules, "schedule"), s));
    }
  }
  void note(const std::string& text) {
    if (on_) show("check: " + text);
  }
  void clear() {
    if (on_ && width_ > 0) std::fprintf(stderr, "\r%*s\r", static_cast<int>(width_), "");
    width_ = 0;
  }

 private:
  void show(const std::string& line) {
    clear();
    std::fprintf(stderr, "%s", line.c_str());
    std::fflush(stderr);
    width_ = line.size();
  }
  bool on_;
  Clock::time_point started_;
  Clock::time_point last_{};
  std::size_t width_ = 0;
};

struct CheckSetup {
  std::vector<Property> properties;
  StrategyChoice strategy;
  Reduction reduction = Reduction::kSourceDpor;
  ScenarioSpec spec;
  Arm arm;
};

// Everything check needs before it explores, each argument checked (throws BadInput, or
// OutputError when `check_out` and --out cannot be written).
CheckSetup prepare_check(const CheckCommandOptions& opt, bool check_out) {
  CheckSetup setup;
  setup.properties = parse_properties(opt.property);
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
  // Delay bounding is defined on the full tree; with a bound the default reduction is none.
  Reduction reduction = opt.preemption_bound ? Reduction::kNone : Reduction::kSourceDpor;
  if (!opt.reduction.empty()) {
    const auto parsed = parse_reduction(opt.reduction);
    if (!parsed) throw BadInput::argument("--reduction", "none or source-dpor", fmt::format("'{}'", opt.reduction));
    if (strategy->kind != StrategyKind::kExhaustive) {
      throw BadInput::argument("--reduction", "only together with --strategy exhaustive",
                               fmt::format("--strategy {}", opt.strategy));
    }
    if (opt.preemption_bound && *parsed != Reduction::kNone) {
      throw BadInput::argument("--reduction", "none together with --preemption-bound (delay bounding needs the full tree)",
                               fmt::format("'{}'", opt.reduction));
    }
    reduction = *parsed;
  }
  // One policy and one seed policy per check: its verdict, exit status and counterexample are one
  // policy's (run and sweep take lists; a list here is refused by name, not as an unknown policy).
  // A repeated option arrives joined by '\n' (cli/cmd_check.cc): "'a', 'b'".
  const auto several = [](const std::string& joined) {
    std::string shown = "'" + joined + "'";
    for (std::size_t at = shown.find('\n'); at != std::string::npos; at = shown.find('\n', at)) {
      shown.replace(at, 1, "', '");
    }
    return shown;
  };
  const PolicyInfo* policy = PolicyRegistry::find(opt.policy);
  if (!policy && opt.policy.find_first_of(",\n") != std::string::npos) {
    throw BadInput::argument("--policy", "one policy per check (run check once per policy; run compares several)",
                             several(opt.policy));
  }
  if (!policy) throw_unknown_policy("--policy", opt.policy);
  if (opt.seed_policy.find_first_of(",\n") != std::string::npos) {
    throw BadInput::argument("--seed-policy", "one seed policy per check (run check once per seed policy; run compares several)",
                             several(opt.seed_policy));
  }
  if (check_out) check_output_dir(opt.out);
  setup.spec = load_scenario(opt.scenario);
  const ScenarioSpec& spec = setup.spec;
  check_can_simulate(*policy, spec);
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
  // Source-DPOR reverses a race at the choice point before its first step, so every racing worker
  // must be due there. Under a store preset the GIL of a process with threads hands over by waking
  // the next thread outside any choice point (sim/machine.h), which broke that (an invariant
  // failure in app/dpor.cc on a SQLite or PostgreSQL preset with threads = 2).
  if (strategy->kind == StrategyKind::kExhaustive && reduction == Reduction::kSourceDpor &&
      spec.store_kind != StoreKind::kLegacy) {
    for (const WorkerGroup& g : worker_groups(spec)) {
      if (g.threads == 1) continue;
      throw BadInput::argument(
          "--reduction",
          fmt::format("none for a scenario with threads on a store preset ([store] kind = \"{}\": one GIL per "
                      "process hands over between its threads outside the choice points that source-DPOR reverses "
                      "races at; pass --reduction none, with --budget or --preemption-bound)",
                      to_string(spec.store_kind)),
          opt.reduction.empty() ? "source-dpor (the default of --strategy exhaustive)" : fmt::format("'{}'", opt.reduction));
    }
  }
  setup.strategy = *strategy;
  setup.reduction = reduction;
  setup.arm = Arm{policy, seed_policy};
  check_sampler_memory(setup.arm, spec);
  return setup;
}

// `world`: one rank of `mpirun -np K samplersim check` (app/check_command.h), or nullptr.
int check_on(const CheckCommandOptions& opt, MpiWorld* world) {
  const bool root = world == nullptr || world->root();
  // Under mpirun each step runs on every rank, which then agree on its outcome (app/mpi_world.h).
  const auto step = [world](const std::function<void()>& f) {
    if (world != nullptr) {
      world->agree(f);
    } else {
      f();
    }
  };
  CheckSetup setup;
  step([&] {
    setup = prepare_check(opt, root);
    if (world != nullptr && setup.strategy.kind == StrategyKind::kExhaustive && setup.reduction != Reduction::kNone) {
      throw BadInput::argument("--reduction",
                               "none under mpirun (the ranks split the full depth-first search by schedule prefix; "
                               "source-DPOR's backtrack sets make one sequential walk: run it without mpirun)",
                               opt.reduction.empty() ? "source-dpor (the default of --strategy exhaustive)"
                                                     : fmt::format("'{}'", opt.reduction));
    }
  });
  const std::vector<Property>& properties = setup.properties;
  const std::optional<StrategyChoice> strategy = setup.strategy;
  const Reduction reduction = setup.reduction;
  const ScenarioSpec& spec = setup.spec;
  const Arm& arm = setup.arm;

  CheckRequest req;
  req.spec = &spec;
  req.arm = arm;
  req.properties = properties;
  req.strategy = *strategy;
  req.preemption_bound = opt.preemption_bound;
  req.reduction = reduction;
  req.budget = opt.budget;
  req.start_seed = opt.seed.value_or(spec.seed);
  std::string what = strategy->to_string();
  if (strategy->kind == StrategyKind::kExhaustive) what += fmt::format(", reduction {}", to_string(reduction));
  if (opt.preemption_bound) what += fmt::format(", preemption bound {}", *opt.preemption_bound);

  // The time limit bounds the whole check (exploring, shrinking, layout); the wall clock only
  // decides when to stop, never what a run does.
  const auto started = Clock::now();
  std::optional<Clock::time_point> deadline;
  if (opt.time_limit_s) deadline = started + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(*opt.time_limit_s));
  req.should_stop = [deadline] { return deadline && Clock::now() >= *deadline; };
  Progress progress(::isatty(STDERR_FILENO) == 1, started);
  if (progress.on()) req.progress = [&progress](const CheckProgress& p) { progress.update(p); };
  // As soon as a violation is found, its text trace and replay file are on disk.
  std::optional<CounterexampleFiles> early;
  req.on_found = [&](const Counterexample& found) {
    early = write_counterexample_text(opt.out, spec, arm, found, what + " (as found, before shrinking)");
    progress.note(fmt::format("violation found at schedule {}: {} and {} written; shrinking", found.schedule_index + 1,
                              early->trace_txt, early->replay_json));
  };
  if (world != nullptr) {
    req.share = RankShare{world->rank(), world->size(), [world](std::vector<std::uint64_t>& v) { world->min_all(v); },
                          [world](std::vector<std::uint64_t>& v) { world->sum_all(v); },
                          [world](const std::string& bytes) { return world->gather_to_root(bytes); }};
  }
  if (!root) req.progress = nullptr;
  CheckResult result;
  step([&] { result = run_check(req); });
  // Only rank 0 writes the counterexample and prints; the others exit with the same status.
  const auto report = [&]() -> int {
    progress.clear();
    nlohmann::json doc{{"scenario", spec.name},
                       {"policy", arm.policy->name},
                       {"seed_policy", arm.seed_policy.to_string()},
                       {"strategy", what},
                       {"start_seed", req.start_seed},
                       {"properties", nlohmann::json::array()},
                       {"schedules", result.schedules},
                       {"violation", nullptr}};
    for (Property p : properties) doc["properties"].push_back(std::string(to_string(p)));
    if (strategy->kind == StrategyKind::kExhaustive) {
      doc["classes"] = result.classes;
      doc["exhausted"] = result.exhausted;
    }
    doc["stopped_by_time_limit"] = result.stopped;
    if (opt.json_format && !result.counterexample) {
      fmt::print("{}\n", doc.dump());
      return kExitOk;
    }
    if (!opt.json_format) {
      fmt::print("check {} {} ({}; start seed {}; properties: {})\n", spec.name, arm.label(), what, req.start_seed,
                 property_names(properties));
    }
    if (!result.counterexample) {
      std::string exhausted = "not applicable (random search)";
      if (strategy->kind == StrategyKind::kExhaustive) {
        exhausted = result.exhausted ? "yes, every schedule was explored"
                    : result.stopped ? fmt::format("no, the time limit of {} s ran out", *opt.time_limit_s)
                                     : fmt::format("no, the budget of {} ran out", plural(opt.budget, "schedule"));
      } else if (result.stopped) {
        exhausted = fmt::format("not applicable (random search; the time limit of {} s ran out)", *opt.time_limit_s);
      }
      fmt::print("no violation in {} explored\n", plural(result.schedules, "schedule"));
      if (strategy->kind == StrategyKind::kExhaustive) fmt::print("classes: {}\n", classes_line(result, reduction));
      fmt::print("space exhausted: {}\n", exhausted);
      return kExitOk;
    }
    const Counterexample& cex = *result.counterexample;
    const std::string label = what + (req.shrink ? " (shrunk)" : "");
    CounterexampleFiles files = write_counterexample_text(opt.out, spec, arm, cex, label);
    if (opt.json_format) {
      write_diagram(opt.out, spec, cex.trace, cex.outcome,
                    labels_for(spec, arm, cex.outcome, cex.violation, cex.run_seed, cex.omitted_processes), layout_budget(deadline),
                    files);
      progress.clear();
      std::vector<int> kept;
      for (int p = 0; p < spec.processes; ++p) {
        if (!std::binary_search(cex.omitted_processes.begin(), cex.omitted_processes.end(), p)) kept.push_back(p);
      }
      doc["violation"] = {{"property", std::string(to_string(cex.violation.property))},
                          {"detail", cex.violation.detail},
                          {"schedule", cex.schedule_index + 1},
                          {"run_seed", cex.run_seed},
                          {"picks_as_found", cex.found_picks.size()},
                          {"choices", cex.choices},
                          {"processes_kept", kept},
                          {"shrink_runs", cex.shrink_runs},
                          {"shrink_cut_short", cex.shrink_cut_short},
                          {"choice_points", cex.outcome.choice_points},
                          {"trials", cex.outcome.trials}};
      doc["files"] = {{"trace", files.trace_txt},
                      {"replay", files.replay_json},
                      {"dot", files.interleaving_dot},
                      {"svg", files.interleaving_svg.empty() ? nlohmann::json(nullptr) : nlohmann::json(files.interleaving_svg)},
                      {"svg_note", files.svg_note},
                      {"diagram_nodes", files.diagram_nodes}};
      fmt::print("{}\n", doc.dump());
      return kExitFinding;
    }
    fmt::print("VIOLATION of {} at schedule {} of {} explored (run seed {})\n  {}\n", to_string(cex.violation.property),
               cex.schedule_index + 1, result.schedules, cex.run_seed, cex.violation.detail);
    fmt::print("{}\n", shrink_summary_line(spec, cex));
    fmt::print("trace:   {}\nreplay:  {}\n", files.trace_txt, files.replay_json);
    std::fflush(stdout);  // the text files are written: say so before the layout
    progress.note("laying out the diagram");
    write_diagram(opt.out, spec, cex.trace, cex.outcome, labels_for(spec, arm, cex.outcome, cex.violation, cex.run_seed, cex.omitted_processes),
                  layout_budget(deadline), files);
    progress.clear();
    fmt::print("diagram: {} ({})\n         {}\n", files.interleaving_dot, plural(files.diagram_nodes, "node"),
               files.interleaving_svg.empty() ? files.svg_note : files.interleaving_svg);
    fmt::print("reproduce: samplersim replay {}\n", files.replay_json);
    return kExitFinding;
  };
  int status = result.violated ? kExitFinding : kExitOk;
  step([&] {
    if (root) status = report();
  });
  return status;
}

}  // namespace

int check_command(const CheckCommandOptions& opt) {
  if (started_by_mpi_launcher()) return run_as_mpi_rank([&](MpiWorld& world) { return check_on(opt, &world); });
  return check_on(opt, nullptr);
}

}  // namespace samplersim
