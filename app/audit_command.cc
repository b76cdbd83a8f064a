#include "app/audit_command.h"

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "app/arm_jobs.h"
#include "app/arms.h"
#include "app/atomic_file.h"
#include "app/audit.h"
#include "app/audit_timeline.h"
#include "app/exit_status.h"
#include "sim/errors.h"
#include "app/rep_runner.h"
#include "app/remedy_plan.h"
#include "app/report_files.h"
#include "app/result_line.h"
#include "app/repeat_causes.h"
#include "app/study_db.h"
#include "app/sweep_progress.h"
#include "reports/arm_stats.h"
#include "reports/chart_gnuplot.h"
#include "reports/remedy_ranking.h"
#include "sim/plural.h"

namespace samplersim {

namespace {

// The arms to simulate: --policy (default: the model of the study's Optuna version) x
// --seed-policy (default none); arms_of refuses unknown and repeated entries.
std::vector<Arm> simulated_arms(const AuditCommandOptions& opt, const AuditResult& audit, const ScenarioSpec& spec) {
  std::vector<std::string> policies = opt.policies;
  if (policies.empty()) {
    const std::string p = policy_for_library_version(audit.library_version);
    if (p.empty() && audit.library_version.empty()) {  // a journal file records no version
      throw BadInput::argument("--simulate", "a model named with --policy (e.g. optuna-3.1)",
                               "a study that does not record its Optuna version");
    }
    if (p.empty()) {
      throw BadInput::argument("--simulate", "a study of an Optuna version with a model, or a model named with --policy",
                               fmt::format("Optuna '{}'", audit.library_version));
    }
    policies.push_back(p);
  }
  std::vector<SeedPolicy> seeds;
  for (const std::string& s : opt.seed_policies) {
    const auto sp = parse_seed_policy(s);
    if (!sp) throw BadInput::argument("--seed-policy", "none, same:S or distinct:S", fmt::format("'{}'", s));
    seeds.push_back(*sp);
  }
  if (seeds.empty()) seeds.push_back(SeedPolicy{});
  return arms_of(spec, policies, seeds);
}

}  // namespace

int audit_command(const AuditCommandOptions& opt) {
  const StoredStudy study = read_study(opt.db, opt.study);
  const AuditResult result = audit_study(study);
  const std::vector<RepeatedCombination> repeats = explain_repeats(result);
  // The report folder (and its missing parents) is made only once every input has been checked.
  if (!opt.report_dir.empty()) check_output_file(opt.report_dir + "/audit.results.jsonl");
  std::vector<ArmStats> rows(1);
  rows[0].label = "real";
  rows[0].add(result.metrics);
  const std::string scenario_name = "audit-" + (result.study.empty() ? std::string("study") : result.study);
  const std::string results_file = opt.report_dir + "/audit.results.jsonl";
  // The real study's line first, then one line per simulated run, streamed (memory independent of
  // --reps); the file appears only when complete.
  std::optional<OutputFile> results;
  std::string header;
  std::vector<RemedyRanking> rankings;
  std::string simulated_digest;
  if (opt.simulate) {
    const int workers = opt.workers.value_or(std::max(1, result.peak_running));
    if (workers > ScenarioSpec::kMaxWorkers) {
      throw BadInput(opt.db, 0, "--workers",
                     fmt::format("at most {} simulated processes: the study's peak of {} RUNNING trials is more "
                                 "(pass --workers N to simulate fewer)", ScenarioSpec::kMaxWorkers, workers),
                     std::to_string(workers));
    }
    bool editable = false;
    const ScenarioSpec spec = scenario_of_audit(result, workers, &editable);
    const std::string digest = scenario_digest(spec);
    simulated_digest = digest;
    const std::vector<Arm> arms = simulated_arms(opt, result, spec);
    if (!opt.report_dir.empty()) {
      make_parent_directories(results_file);
      results.emplace(results_file);
      results->write(real_study_result_line(result, scenario_name, digest).dump() + "\n");
    }
    for (const Arm& arm : arms) {
      rows.emplace_back();
      rows.back().label = "sim " + arm.label();
    }
    // Progress on stderr when it is a terminal (as `run` shows it).
    std::unique_ptr<SweepProgressDisplay> progress;
    if (::isatty(STDERR_FILENO) != 0) progress = std::make_unique<SweepProgressDisplay>(stderr, true, 0, "audit --simulate");
    // The simulated arms, then (unless --no-remedies) each remedy of each Optuna arm, on the same
    // reps (app/remedy_plan.h): the arms' own results are the first jobs, as in `run`.
    const ComparisonPlan plan = plan_comparison(spec, arms, opt.remedies && editable);
    std::vector<ArmStats> job_stats(plan.jobs.size());
    for (std::size_t j = 0; j < plan.jobs.size(); ++j) job_stats[j].label = plan.jobs[j].arm.label();
    const std::int64_t total = static_cast<std::int64_t>(plan.jobs.size()) * opt.reps;
    std::int64_t done = 0;
    run_arm_jobs(plan.jobs, RepRange{0, opt.reps}, opt.jobs, [&](std::size_t a, const RunSummary& r) {
      if (progress) progress->update(++done, total);
      add_run(job_stats[a], r);
      if (a >= arms.size()) return;
      rows[a + 1].add(r);
      if (results) {
        nlohmann::json line = result_line(spec, arms[a], "random", r);
        line["scenario"] = scenario_name;
        line["scenario_digest"] = digest;
        results->write(line.dump() + "\n");
      }
    });
    if (progress) progress->finish(total, total);
    rankings = rank_plan(plan, job_stats);
    header = fmt::format("simulated: {} x 1 thread, objective {}, store preset {} (one core per process), {}\n",
                         plural(workers, "process", "processes"), spec.objective_duration.to_string(),
                         to_string(spec.store_kind), plural(opt.reps, "rep"));
  } else if (!opt.report_dir.empty()) {
    const std::string digest = scenario_digest(scenario_of_audit(result, std::clamp(result.peak_running, 1, ScenarioSpec::kMaxWorkers)));
    make_parent_directories(results_file);
    results.emplace(results_file);
    results->write(real_study_result_line(result, scenario_name, digest).dump() + "\n");
  }
  if (results) {
    results->commit();
    // The ranked remedies beside the results, in `run --format json`'s form, so the report shows
    // them under the audited scenario (reports/report_remedies.h).
    if (!rankings.empty()) {
      nlohmann::json remedies{{"scenario", {{"name", scenario_name}, {"digest", simulated_digest}, {"reps", opt.reps}}},
                              {"remedies", nlohmann::json::array()}};
      for (const RemedyRanking& r : rankings) remedies["remedies"].push_back(remedy_ranking_json(r));
      const std::string remedies_file = opt.report_dir + "/remedies/" + scenario_name + ".json";
      make_parent_directories(remedies_file);
      OutputFile file(remedies_file);
      file.write(remedies.dump() + "\n");
      file.commit();
    }
    // The study's timeline (trials as bars over time, repeats marked), shown by the report. It goes
    // to audit-timelines/, a source folder the report reads; the report writes its own numbered
    // copies to timelines/, so auditing into the same folder again replaces the figure rather than
    // adding the report's copy of the previous one as a second figure.
    // The folder is audit's own: a previous audit's timeline (another study) is removed, as the
    // results file it belonged to has just been replaced.
    std::error_code ec;
    std::filesystem::remove_all(opt.report_dir + "/audit-timelines", ec);
    const std::string timeline = opt.report_dir + "/audit-timelines/" + scenario_name;
    make_parent_directories(timeline + ".svg");
    const std::string problem = render_chart(audit_timeline_chart(result, repeats), timeline + ".gp", timeline + ".svg");
    if (!problem.empty()) fmt::print(stderr, "samplersim: audit: no timeline chart: {}\n", problem);
    write_report({results_file}, opt.report_dir);
  }
  if (opt.json_format) {
    nlohmann::json arms = nlohmann::json::array();
    for (const ArmStats& row : rows) arms.push_back(arm_stats_json(row, 0.95));
    nlohmann::json out{{"study", result.study},
                       {"db", result.db},
                       {"optuna_version", result.library_version},
                       {"grid_size", result.metrics.grid_size},
                       {"peak_running", result.peak_running},
                       {"arms", std::move(arms)},
                       {"repeated", repeats_json(result, repeats)},
                       {"remedies", nlohmann::json::array()}};
    for (const RemedyRanking& r : rankings) out["remedies"].push_back(remedy_ranking_json(r));
    if (!opt.report_dir.empty()) out["report"] = opt.report_dir + "/report.html";
    fmt::print("{}\n", out.dump(2));
    return kExitOk;
  }
  fmt::print("{}", format_audit_summary(result));
  fmt::print("{}", format_repeats(result, repeats));
  fmt::print("{}", header);
  fmt::print("{}", format_arm_table(rows, 0.95));
  fmt::print("{}", format_remedies_section(rankings, opt.reps));
  if (!opt.report_dir.empty()) fmt::print("report written to {}/report.html (and report.md)\n", opt.report_dir);
  return kExitOk;
}


}  // namespace samplersim
