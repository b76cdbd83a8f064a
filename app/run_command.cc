#include "app/run_command.h"

#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <iterator>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "app/arm_jobs.h"
#include "app/arms.h"
#include "app/atomic_file.h"
#include "app/exit_status.h"
#include "sim/errors.h"
#include "app/remedy_plan.h"
#include "app/rep_runner.h"
#include "app/replay_command.h"
#include "app/replay_file.h"
#include "app/result_line.h"
#include "app/scenario_files.h"
#include "app/single_run.h"
#include "app/study_resume.h"
#include "app/sweep_progress.h"
#include "reports/arm_stats.h"
#include "reports/remedy_ranking.h"
#include "reports/trace_text.h"
#include "sim/plural.h"

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
  for (std::size_t e = 1; e < o.process_errors.size(); ++e) {
    if (o.process_errors[e] > 0) {
      fmt::print("{} process(es) ended with {}\n", o.process_errors[e], py_error_info(static_cast<PyError>(e)).message);
    }
  }
  fmt::print("choice points {}  store ops {}  trace hash {}\n", o.choice_points, o.store_ops,
             format_hash(o.trace_hash));
}

int replay(const RunCommandOptions& opt) {
  if (!opt.trace_out.empty()) check_output_file(opt.trace_out);
  const ReplayRecord rec = read_replay_file(opt.replay_in);
  const ScenarioSpec spec = load_replayed_scenario(rec.scenario_source, opt.replay_in, rec.scenario_path);
  auto seed = parse_seed_policy(rec.seed_policy);
  if (!seed) throw BadInput(opt.replay_in, 0, "seed_policy", "none, same:S or distinct:S", rec.seed_policy);
  const std::vector<Arm> arms = arms_of(spec, {rec.policy}, {*seed});
  check_omitted_processes(rec, opt.replay_in, spec.processes);
  const TracedRun run = run_replay(spec, arms.front(), rec);
  fmt::print("replay of {} rep {} ({}), {}\n", arms.front().label(), rec.rep, spec.name, plural(rec.picks.size(), "pick"));
  print_outcome(run.outcome);
  if (!opt.trace_out.empty()) {
    make_parent_directories(opt.trace_out);
    write_file_atomically(opt.trace_out, format_trace_text(run.trace, spec,
                                                           fmt::format("replay of {} rep {}", arms.front().label(), rec.rep)));
  }
  return print_replay_verdict(rec.trace_hash, run.outcome.trace_hash);
}

// The limits of --max-repeats and --max-uncovered that an arm's mean exceeds, one line each.
std::vector<std::string> limits_exceeded(const std::vector<ArmStats>& arms, const RunCommandOptions& opt) {
  std::vector<std::string> out;
  for (const ArmStats& a : arms) {
    if (opt.max_repeats && a.repeats.mean() > *opt.max_repeats) {
      out.push_back(fmt::format("{}: {:.3f} repeats per run (mean) exceed --max-repeats {}", a.label, a.repeats.mean(),
                                *opt.max_repeats));
    }
    if (opt.max_uncovered && a.uncovered.mean() > *opt.max_uncovered) {
      out.push_back(fmt::format("{}: {:.3f} uncovered combinations per run (mean) exceed --max-uncovered {}", a.label,
                                a.uncovered.mean(), *opt.max_uncovered));
    }
  }
  return out;
}

nlohmann::json run_json(const ScenarioSpec& spec, int reps, const std::vector<ArmStats>& arms,
                        const std::vector<RemedyRanking>& rankings) {
  nlohmann::json out;
  out["scenario"] = {{"name", spec.name},          {"digest", scenario_digest(spec)},
                     {"combinations", spec.combinations()}, {"processes", spec.processes},
                     {"threads", spec.threads},    {"reps", reps},
                     {"seed", spec.seed}};
  out["arms"] = nlohmann::json::array();
  for (const ArmStats& a : arms) out["arms"].push_back(arm_stats_json(a, 0.95));
  out["remedies"] = nlohmann::json::array();
  for (const RemedyRanking& r : rankings) out["remedies"].push_back(remedy_ranking_json(r));
  return out;
}

// The same file on disk (after resolving links and dots; a path that does not exist yet is
// compared by its absolute normal form).
bool same_file(const std::string& a, const std::string& b) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (fs::exists(a, ec) && fs::exists(b, ec)) return fs::equivalent(a, b, ec) && !ec;
  const fs::path ca = fs::weakly_canonical(a, ec);
  if (ec) return false;
  const fs::path cb = fs::weakly_canonical(b, ec);
  return !ec && ca == cb;
}

// --json, --trace and --schedule must name three different files, none of them an input (a new
// user's `--json small.toml` overwrote the scenario file; `--json f --trace f` kept only the trace).
void refuse_clashing_outputs(const RunCommandOptions& opt) {
  const std::pair<const char*, const std::string*> outputs[] = {
      {"--json", &opt.json_out}, {"--trace", &opt.trace_out}, {"--schedule", &opt.schedule_out}};
  const std::pair<const char*, const std::string*> inputs[] = {
      {"the scenario file", &opt.scenario}, {"--from-db's study", &opt.from_db}, {"--replay's file", &opt.replay_in}};
  for (std::size_t i = 0; i < std::size(outputs); ++i) {
    const auto& [option, path] = outputs[i];
    if (path->empty()) continue;
    for (const auto& [what, input] : inputs) {
      if (!input->empty() && std::filesystem::is_regular_file(*input) && same_file(*path, *input)) {
        throw BadInput::argument(option, fmt::format("a path other than {} ({})", what, *input), fmt::format("'{}'", *path));
      }
    }
    for (std::size_t j = 0; j < i; ++j) {
      if (!outputs[j].second->empty() && same_file(*path, *outputs[j].second)) {
        throw BadInput::argument(option, fmt::format("a path other than {}'s", outputs[j].first), fmt::format("'{}'", *path));
      }
    }
  }
}

}  // namespace

int run_command(const RunCommandOptions& opt) {
  refuse_clashing_outputs(opt);
  if (!opt.replay_in.empty()) return replay(opt);
  if (opt.scenario.empty()) {
    throw BadInput::argument("SCENARIO", "a scenario file or built-in name (or --replay FILE)", "nothing");
  }
  for (const std::string* out : {&opt.json_out, &opt.trace_out, &opt.schedule_out}) {
    if (!out->empty()) check_output_file(*out);  // missing folders are made once the input is read
  }
  ScenarioSpec spec = load_scenario(opt.scenario);
  if (!opt.from_db.empty()) {
    ResumedSpec resumed = resume_from_db(spec, opt.from_db, opt.study_name);
    spec = std::move(resumed.spec);
    if (resumed.foreign_grid_trials > 0) {
      fmt::print(stderr,
                 "note: {} of the {} trials of study '{}' in {} were made by a GridSampler over another search space "
                 "than {}'s [grid]; this grid ignores them (Optuna 3.0+ does too) and runs their points again\n",
                 resumed.foreign_grid_trials, spec.initial_trials.size(), resumed.study_name, opt.from_db,
                 spec.source_path.empty() ? spec.name : spec.source_path);
    }
  }
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

  const ComparisonPlan plan = plan_comparison(spec, arms, opt.remedies);
  std::vector<ArmStats> stats(plan.jobs.size());
  for (std::size_t j = 0; j < plan.jobs.size(); ++j) stats[j].label = plan.jobs[j].arm.label();
  // Run lines stream into the output as runs finish (memory independent of --reps); the file
  // appears only when complete (app/atomic_file.h).
  for (const std::string* out : {&opt.json_out, &opt.trace_out, &opt.schedule_out}) {
    if (!out->empty()) make_parent_directories(*out);
  }
  std::optional<OutputFile> json;
  if (!opt.json_out.empty()) json.emplace(opt.json_out);
  std::unique_ptr<SweepProgressDisplay> progress;
  if (::isatty(STDERR_FILENO) != 0) progress = std::make_unique<SweepProgressDisplay>(stderr, true, 0, "run");
  const std::int64_t total = static_cast<std::int64_t>(plan.jobs.size()) * reps;
  std::int64_t done = 0;
  run_arm_jobs(plan.jobs, RepRange{0, reps}, opt.jobs, [&](std::size_t j, const RunSummary& r) {
    add_run(stats[j], r);
    if (json && j < arms.size()) json->write(result_line(spec, arms[j], "random", r).dump() + "\n");
    if (progress) progress->update(++done, total);
  });
  if (progress) progress->finish(total, total);
  const std::vector<ArmStats> arm_stats(stats.begin(), stats.begin() + static_cast<std::ptrdiff_t>(arms.size()));
  const std::vector<RemedyRanking> rankings = rank_plan(plan, stats);

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

  // Every output is complete before any is replaced and before anything is printed: a write that
  // fails (a full disk, /dev/full) leaves no output changed and prints only its one-line error.
  std::optional<OutputFile> trace;
  std::optional<OutputFile> schedule;
  if (!opt.trace_out.empty()) trace.emplace(opt.trace_out).write(trace_text);
  if (!opt.schedule_out.empty()) schedule.emplace(opt.schedule_out).write(schedule_text);
  commit_all({json ? &*json : nullptr, trace ? &*trace : nullptr, schedule ? &*schedule : nullptr});

  const std::vector<std::string> exceeded = limits_exceeded(arm_stats, opt);
  if (opt.json_format) {
    nlohmann::json out = run_json(spec, reps, arm_stats, rankings);
    out["limits_exceeded"] = exceeded;
    fmt::print("{}\n", out.dump(2));
  } else {
    fmt::print("scenario {}: {}, {}, {}, seed {}\n", spec.name, plural(spec.combinations(), "combination"),
               describe_workers(spec), plural(reps, "rep"), spec.seed);
    if (!spec.initial_trials.empty()) fmt::print("resumed study: {}\n", plural(spec.initial_trials.size(), "initial trial"));
    fmt::print("{}", format_arm_table(arm_stats, 0.95));
    fmt::print("{}", format_process_errors(arm_stats));
    fmt::print("{}", format_remedies_section(rankings, reps));
  }
  if (!opt.json_format) {
    if (json) {
      fmt::print("wrote {} to {}\n", plural(static_cast<std::int64_t>(reps) * static_cast<std::int64_t>(arms.size()), "run line"),
                 opt.json_out);
    }
    if (trace) fmt::print("wrote trace of rep {} to {}\n", opt.trace_rep, opt.trace_out);
    if (schedule) fmt::print("wrote replay file of rep {} to {}\n", opt.trace_rep, opt.schedule_out);
  }
  if (exceeded.empty()) return kExitOk;
  std::fflush(stdout);
  for (const std::string& e : exceeded) std::fprintf(stderr, "samplersim: %s\n", e.c_str());
  return kExitFinding;
}

}  // namespace samplersim
