// Prints the README's "Fidelity" table: every row of the real runs' summary table beside the
// simulation of the same scenario, model and seed policy (figures, not pass/fail; the pass/fail
// check is tests/model/real_runs_test.cc).
#include <cstdio>
#include <string>

#include "app/arms.h"
#include "app/real_runs_table.h"
#include "app/scenario_files.h"

#ifndef SAMPLERSIM_SOURCE_DIR
#define SAMPLERSIM_SOURCE_DIR "."
#endif

int main() {
  using namespace samplersim;
  const auto rows = read_real_runs_table(std::string(SAMPLERSIM_SOURCE_DIR) + "/tests/data/real-runs/summary-table.md");
  std::printf("| scenario | model | seed policy | repeats real [99.5%%] | sim | never-evaluated real | sim | trials real | sim | P(repeats>0) real | sim |\n");
  std::printf("|---|---|---|---|---|---|---|---|---|---|---|\n");
  for (const RealRunsRow& row : rows) {
    const ScenarioSpec spec = load_scenario(std::string(SAMPLERSIM_SOURCE_DIR) + "/scenarios/" + row.scenario + ".toml");
    const Arm arm{PolicyRegistry::find(row.model), *parse_seed_policy(row.seed_policy)};
    std::vector<RunSummary> runs;
    run_reps(spec, {arm}, RepRange{0, row.scenario == "issue-5489" ? 4000 : 1000}, 0,
             [&](std::size_t, const std::vector<RunSummary>& r) { runs = r; });
    const SimulatedRow sim = simulated_row(runs);
    auto ok = [](const RealRange& r, double x) { return r.contains(x, 0.005) ? "" : " ✗"; };
    std::printf("| %s | %s %s | %s | %.2f [%.2f, %.2f] | %.2f%s | %.2f [%.2f, %.2f] | %.2f%s | %.2f [%.2f, %.2f] | %.2f%s | %d/%d [%.2f, %.2f] | %.3f |\n",
                row.scenario.c_str(), row.model.c_str(), row.version.c_str(), row.seed_policy.c_str(),
                row.repeats.mean, row.repeats.low, row.repeats.high, sim.repeats, ok(row.repeats, sim.repeats),
                row.never_evaluated.mean, row.never_evaluated.low, row.never_evaluated.high, sim.never_evaluated,
                ok(row.never_evaluated, sim.never_evaluated), row.trials.mean, row.trials.low, row.trials.high,
                sim.trials, ok(row.trials, sim.trials), row.runs_with_repeats, row.n, row.p_repeats_low,
                row.p_repeats_high, sim.p_repeats);
  }
  return 0;
}
