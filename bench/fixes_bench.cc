// What each coordination fix costs (figures, not pass/fail).
//
// Part 1: every policy (seed=None) on grid-4x5-w4, 1,000 reps with common random numbers: store
// operations per trial, makespan, wasted objective time (evaluations beyond a combination's first),
// each also relative to optuna-4. Part 2: the fault scenarios (crash-recovery, flaky-objective,
// slow-store, late-joiners): mean combinations without a COMPLETE trial and mean extra COMPLETEs,
// which `samplersim run`'s table does not show. Virtual time only; wall time is not measured.
// Usage: fixes_bench [reps]
#include <cstdio>
#include <string>
#include <vector>

#include "app/arms.h"
#include "app/rep_runner.h"
#include "app/scenario_files.h"

namespace samplersim {
namespace {

const std::vector<std::string> kPolicies = {"optuna-3.2", "optuna-3.6", "optuna-4", "shared-seed",
                                            "atomic-claim", "enqueue-all", "leased-claim"};

struct Means {
  double ops_per_trial = 0, makespan_s = 0, wasted_s = 0, trials = 0, uncovered = 0, completed_twice = 0,
         repeats = 0;
};

Means means_of(const std::vector<RunSummary>& runs) {
  Means m;
  for (const RunSummary& r : runs) {
    m.ops_per_trial += static_cast<double>(r.store_ops) / static_cast<double>(r.trials);
    m.makespan_s += static_cast<double>(r.makespan_us) / 1e6;
    m.wasted_s += static_cast<double>(r.wasted_time_us) / 1e6;
    m.trials += static_cast<double>(r.trials);
    m.uncovered += static_cast<double>(r.uncovered);
    m.completed_twice += static_cast<double>(r.completed_twice);
    m.repeats += static_cast<double>(r.repeats);
  }
  const double n = static_cast<double>(runs.size());
  for (double* v : {&m.ops_per_trial, &m.makespan_s, &m.wasted_s, &m.trials, &m.uncovered, &m.completed_twice,
                    &m.repeats}) {
    *v /= n;
  }
  return m;
}

std::vector<Means> run_all(const ScenarioSpec& spec, int reps) {
  std::vector<Arm> arms;
  for (const std::string& p : kPolicies) arms.push_back(Arm{PolicyRegistry::find(p), SeedPolicy{}});
  std::vector<Means> out(arms.size());
  run_reps(spec, arms, RepRange{0, reps}, 0,
           [&](std::size_t arm, const std::vector<RunSummary>& runs) { out[arm] = means_of(runs); });
  return out;
}

void cost_table(int reps) {
  const ScenarioSpec spec = load_scenario("grid-4x5-w4");
  const std::vector<Means> m = run_all(spec, reps);
  const Means& base = m[2];  // optuna-4
  std::printf("grid-4x5-w4, seed=None, %d reps (means; x = ratio to optuna-4)\n", reps);
  std::printf("%-14s %8s %12s %9s %12s %9s %9s %9s\n", "policy", "trials", "ops/trial", "x", "makespan s",
              "x", "wasted s", "repeats");
  for (std::size_t i = 0; i < kPolicies.size(); ++i) {
    std::printf("%-14s %8.2f %12.2f %9.2f %12.3f %9.2f %9.3f %9.2f\n", kPolicies[i].c_str(), m[i].trials,
                m[i].ops_per_trial, m[i].ops_per_trial / base.ops_per_trial, m[i].makespan_s,
                m[i].makespan_s / base.makespan_s, m[i].wasted_s, m[i].repeats);
  }
}

void fault_table(int reps) {
  for (const char* name : {"crash-recovery", "flaky-objective", "slow-store", "late-joiners"}) {
    const ScenarioSpec spec = load_scenario(name);
    const std::vector<Means> m = run_all(spec, reps);
    std::printf("\n%s, seed=None, %d reps (means)\n", name, reps);
    std::printf("%-14s %10s %16s %9s %12s %9s\n", "policy", "uncovered", "extra COMPLETEs", "repeats",
                "makespan s", "ops/trial");
    for (std::size_t i = 0; i < kPolicies.size(); ++i) {
      std::printf("%-14s %10.3f %16.3f %9.2f %12.3f %9.2f\n", kPolicies[i].c_str(), m[i].uncovered,
                  m[i].completed_twice, m[i].repeats, m[i].makespan_s, m[i].ops_per_trial);
    }
  }
}

}  // namespace
}  // namespace samplersim

int main(int argc, char** argv) {
  const int reps = argc > 1 ? std::max(1, std::atoi(argv[1])) : 1000;
  samplersim::cost_table(reps);
  samplersim::fault_table(reps);
  return 0;
}
