// `samplersim audit DB [--study NAME] [--simulate] [--workers N]`: the outcome metrics of a real
// Optuna GridSampler study read (read-only) from its SQLite database, in the same table format as
// `run`; with --simulate, the simulation of the scenario inferred from the study next to it.
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "app/arms.h"
#include "app/audit.h"
#include "app/rep_runner.h"
#include "app/study_db.h"
#include "app/atomic_file.h"
#include "app/result_line.h"
#include "cli/command.h"
#include "reports/arm_stats.h"
#include "reports/report_writer.h"

namespace samplersim {

namespace {

struct AuditOptions {
  std::string db;
  std::string study;
  bool simulate = false;
  std::string report_dir;
  std::optional<int> workers;
  int reps = 1000;
  std::vector<std::string> policies;
  std::vector<std::string> seed_policies;
  int jobs = 0;
};

std::vector<Arm> simulated_arms(const AuditOptions& opt, const AuditResult& audit) {
  std::vector<std::string> policies = opt.policies;
  if (policies.empty()) {
    const std::string p = policy_for_library_version(audit.library_version);
    if (p.empty()) {
      throw BadInput::argument("--simulate", "a study of an Optuna version with a model, or a model named with --policy",
                               fmt::format("Optuna '{}'", audit.library_version));
    }
    policies.push_back(p);
  }
  std::vector<std::string> seeds = opt.seed_policies;
  if (seeds.empty()) seeds.push_back("none");
  std::vector<Arm> arms;
  for (const std::string& p : policies) {
    const PolicyInfo* info = PolicyRegistry::find(p);
    if (!info) throw BadInput::argument("--policy", "a policy from `samplersim list`", fmt::format("'{}'", p));
    for (const std::string& s : seeds) {
      const auto sp = parse_seed_policy(s);
      if (!sp) throw BadInput::argument("--seed-policy", "none, same:S or distinct:S", fmt::format("'{}'", s));
      arms.push_back(Arm{info, *sp});
    }
  }
  return arms;
}

// The real study as one result line in `samplersim report`'s format ("policy" real-study), so the
// report command renders it in the same section as the simulations of its inferred scenario.
nlohmann::json real_line(const AuditResult& r, const std::string& scenario, const std::string& digest) {
  nlohmann::json states = nlohmann::json::object();
  for (TrialState s : kAllTrialStates) states[std::string(to_string(s))] = r.trials_by_state[static_cast<std::size_t>(s)];
  return nlohmann::json{{"scenario", scenario}, {"scenario_digest", digest},
                        {"policy", "real-study"}, {"seed_policy", r.library_version.empty() ? "optuna" : "optuna-" + r.library_version},
                        {"processes", std::max(1, r.peak_running)}, {"threads", 1}, {"grid_size", r.grid_size},
                        {"rep", 0}, {"run_seed", 0}, {"strategy", "real"}, {"trials", r.numbers.trials},
                        {"states", states}, {"repeats", r.numbers.repeats}, {"never_evaluated", r.numbers.never_evaluated},
                        {"uncovered", r.numbers.uncovered}, {"objective_time_s", r.numbers.objective_time_s},
                        {"wasted_time_s", r.numbers.wasted_time_s}, {"makespan_s", r.numbers.makespan_s},
                        {"store_ops", 0}};
}

int audit(const AuditOptions& opt) {
  if (!opt.report_dir.empty()) check_writable(opt.report_dir + "/audit.results.jsonl");
  const StoredStudy study = read_study(opt.db, opt.study);
  const AuditResult result = audit_study(study);
  std::vector<ArmStats> rows(1);
  rows[0].label = "real";
  rows[0].add(result.numbers);
  const std::string scenario_name = "audit-" + (result.study.empty() ? std::string("study") : result.study);
  std::string results;
  std::string digest;
  std::string header;
  if (opt.simulate) {
    const int workers = opt.workers.value_or(std::max(1, result.peak_running));
    ScenarioSpec spec = scenario_of_audit(result, workers);
    digest = scenario_digest(spec);
    const std::vector<Arm> arms = simulated_arms(opt, result);
    run_reps(spec, arms, RepRange{0, opt.reps}, opt.jobs, [&](std::size_t a, const std::vector<RunSummary>& runs) {
      ArmStats s;
      s.label = "sim " + arms[a].label();
      for (const RunSummary& r : runs) {
        s.add(run_numbers(r));
        if (!opt.report_dir.empty()) {
          nlohmann::json line = result_line(spec, arms[a], "random", r);
          line["scenario"] = scenario_name;
          line["scenario_digest"] = digest;
          results += line.dump() + "\n";
        }
      }
      rows.push_back(std::move(s));
    });
    header = fmt::format("simulated: {} processes x 1 thread, objective {}, store latency {} each way, {} reps\n",
                         workers, spec.objective_duration.to_string(), spec.request_latency.to_string(), opt.reps);
  } else {
    digest = scenario_digest(scenario_of_audit(result, std::max(1, result.peak_running)));
  }
  if (!opt.report_dir.empty()) {
    results = real_line(result, scenario_name, digest).dump() + "\n" + results;
    const std::string file = opt.report_dir + "/audit.results.jsonl";
    write_file_atomically(file, results);
    write_report({file}, opt.report_dir);
  }
  fmt::print("{}", format_audit_summary(result));
  fmt::print("{}", header);
  fmt::print("{}", format_arm_table(rows, 0.95));
  if (!opt.report_dir.empty()) fmt::print("report written to {}/report.html (and report.md)\n", opt.report_dir);
  return kExitOk;
}

}  // namespace

Command add_audit_command(CLI::App& root) {
  auto opt = std::make_shared<AuditOptions>();
  CLI::App* cmd = root.add_subcommand("audit", "Outcome metrics of a real Optuna study database (read-only), optionally next to its simulation");
  cmd->add_option("db", opt->db, "Optuna RDB SQLite file (opened read-only)")->required();
  cmd->add_option("--study", opt->study, "Study name (needed when the file holds several)");
  cmd->add_flag("--simulate", opt->simulate, "Also simulate the scenario inferred from the study");
  cmd->add_option("--workers", opt->workers, "Simulated processes (default: peak concurrent RUNNING trials)")
      ->check(CLI::Range(1, ScenarioSpec::kMaxWorkers));
  cmd->add_option("--reps", opt->reps, "Simulated repetitions (default 1000)")->check(CLI::Range(1, 10'000'000));
  cmd->add_option("--policy", opt->policies, "Model(s) to simulate (default: from the study's Optuna version)");
  cmd->add_option("--seed-policy", opt->seed_policies, "Seed policies to simulate (default: none)");
  cmd->add_option("--report", opt->report_dir,
                  "Write the report section (report.md, report.html) for the study, with --simulate beside it, to DIR");
  cmd->add_option("--jobs", opt->jobs, "Threads (default: all cores); results do not depend on it")
      ->check(CLI::Range(0, 1024));
  return {cmd, [opt] { return audit(*opt); }};
}

}  // namespace samplersim
