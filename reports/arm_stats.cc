#include "reports/arm_stats.h"

#include <fmt/format.h>

namespace samplersim {

void ArmStats::add(const RunMetrics& r) {
  const double wasted_time_s = static_cast<double>(r.wasted_time_us) / kMicrosPerSecond;
  const double objective_time_s = static_cast<double>(r.objective_time_us) / kMicrosPerSecond;
  ++runs;
  if (r.repeats > 0) ++runs_with_repeats;
  if (r.never_evaluated > 0) ++runs_with_never_evaluated;
  repeats.add(static_cast<double>(r.repeats));
  never_evaluated.add(static_cast<double>(r.never_evaluated));
  uncovered.add(static_cast<double>(r.uncovered));
  trials.add(static_cast<double>(r.trials));
  this->wasted_time_s.add(wasted_time_s);
  makespan_s.add(static_cast<double>(r.makespan_us) / kMicrosPerSecond);
  store_ops_per_trial.add(r.trials > 0 ? static_cast<double>(r.store_ops) / static_cast<double>(r.trials) : 0.0);
  const double useful = objective_time_s - wasted_time_s;
  wasted_share.add(useful > 0 ? wasted_time_s / useful : 0.0);
}

namespace {
std::string mean_ci(const MeanAccumulator& m, double confidence) {
  const Interval i = m.interval(confidence);
  return fmt::format("{:.3f} [{:.3f}, {:.3f}]", i.estimate, i.low, i.high);
}
}  // namespace

std::string format_arm_table(const std::vector<ArmStats>& arms, double confidence) {
  const int pct = static_cast<int>(confidence * 1000 + 0.5);
  const std::string ci = pct % 10 == 0 ? fmt::format("{}%", pct / 10) : fmt::format("{:.1f}%", pct / 10.0);
  std::string out = fmt::format("{:<24} {:>7}  {:<26} {:<26} {:<26} {:>8} {:>10} {:>10}\n",
                                "policy/seed", "runs", "repeats mean [" + ci + "]",
                                "P(repeats>0) [" + ci + "]", "never-evaluated mean", "trials",
                                "wasted s", "makespan s");
  for (const ArmStats& a : arms) {
    const Interval p = a.p_repeats(confidence);
    out += fmt::format("{:<24} {:>7}  {:<26} {:<26} {:<26} {:>8.2f} {:>10.3f} {:>10.3f}\n", a.label,
                       a.runs, mean_ci(a.repeats, confidence),
                       fmt::format("{:.4f} [{:.4f}, {:.4f}]", p.estimate, p.low, p.high),
                       mean_ci(a.never_evaluated, confidence), a.trials.mean(),
                       a.wasted_time_s.mean(), a.makespan_s.mean());
  }
  return out;
}

}  // namespace samplersim
