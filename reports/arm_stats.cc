#include "reports/arm_stats.h"

#include <algorithm>

#include <fmt/format.h>

#include "reports/human_units.h"

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
  for (std::size_t e = 0; e < process_errors.size(); ++e) process_errors[e] += r.process_errors[e];
  if (r.processes_raised() > 0) ++runs_with_process_error;
  stop_errors_swallowed += r.stop_errors_swallowed;
}

void ArmStats::add_unfinished(const std::string& why) {
  if (runs_unfinished++ == 0) first_unfinished = why;
}

std::string format_process_errors(const std::vector<ArmStats>& arms) {
  std::string out;
  for (const ArmStats& a : arms) {
    if (!a.any_process_outcome() || a.runs == 0) continue;
    const double runs = static_cast<double>(a.runs);
    std::string parts;
    for (std::size_t e = 1; e < a.process_errors.size(); ++e) {
      if (a.process_errors[e] == 0) continue;
      parts += fmt::format("{}{} {:.2f}", parts.empty() ? "" : ", ", to_string(static_cast<PyError>(e)),
                           static_cast<double>(a.process_errors[e]) / runs);
    }
    out += fmt::format("{:<24} processes ended by an exception per run: {} (in {:.1f}% of runs)", a.label,
                       parts.empty() ? "none" : parts, 100.0 * static_cast<double>(a.runs_with_process_error) / runs);
    if (a.stop_errors_swallowed > 0) {
      out += fmt::format("; stop RuntimeErrors swallowed per run: {:.2f}", static_cast<double>(a.stop_errors_swallowed) / runs);
    }
    out += "\n";
  }
  return out;
}

namespace {
std::string mean_ci(const MeanAccumulator& m, double confidence) {
  const Interval i = m.count_interval(confidence);
  if (const std::string na = interval_unavailable(m); !na.empty()) return fmt::format("{:.3f} {}", i.estimate, na);
  return fmt::format("{:.3f} [{:.3f}, {:.3f}]", i.estimate, i.low, i.high);
}
}  // namespace

std::string format_arm_table(const std::vector<ArmStats>& arms, double confidence) {
  const int pct = static_cast<int>(confidence * 1000 + 0.5);
  const std::string ci = pct % 10 == 0 ? fmt::format("{}%", pct / 10) : fmt::format("{:.1f}%", pct / 10.0);
  // Cells first, then each column as wide as its widest cell (at least its usual width), so a
  // 7-digit mean widens its column instead of pushing the rest of its row out of line.
  constexpr std::size_t kColumns = 9;
  using Row = std::array<std::string, kColumns>;
  std::array<std::size_t, kColumns> width = {24, 7, 26, 26, 15, 10, 8, 11, 10};
  constexpr std::array<bool, kColumns> left = {true, false, true, true, false, false, false, false, false};
  std::vector<Row> rows;
  rows.push_back(Row{"policy/seed", "runs", "repeats mean [" + ci + "]", "P(repeats>0) [" + ci + "]", "never-evaluated",
                     "uncovered", "trials", "wasted/run", "makespan"});
  for (const ArmStats& a : arms) {
    const Interval p = a.p_repeats(confidence);
    rows.push_back(Row{a.label, fmt::format("{}", a.runs), mean_ci(a.repeats, confidence),
                       fmt::format("{:.4f} [{:.4f}, {:.4f}]", p.estimate, p.low, p.high),
                       fmt::format("{:.3f}", a.never_evaluated.mean()), fmt::format("{:.3f}", a.uncovered.mean()),
                       fmt::format("{:.2f}", a.trials.mean()), format_duration_s(a.wasted_time_s.mean()),
                       format_duration_s(a.makespan_s.mean())});
  }
  for (const ArmStats& a : arms) width[0] = std::max(width[0], a.label.size() + 1);
  for (const Row& r : rows) {
    for (std::size_t c = 1; c < kColumns; ++c) width[c] = std::max(width[c], r[c].size());
  }
  std::string out;
  for (const Row& r : rows) {
    std::string line;
    for (std::size_t c = 0; c < kColumns; ++c) {
      if (c > 0) line += c == 2 ? "  " : " ";
      line += left[c] ? fmt::format("{:<{}}", r[c], width[c]) : fmt::format("{:>{}}", r[c], width[c]);
    }
    out += line + "\n";
  }
  return out;
}

nlohmann::json arm_stats_json(const ArmStats& a, double confidence) {
  const auto interval = [&](const MeanAccumulator& m) {
    const Interval i = m.count_interval(confidence);
    return nlohmann::json{{"mean", i.estimate}, {"low", i.low}, {"high", i.high}};
  };
  const Interval p = a.p_repeats(confidence);
  return nlohmann::json{
      {"label", a.label},
      {"runs", a.runs},
      {"confidence", confidence},
      {"repeats", interval(a.repeats)},
      {"p_repeats", {{"estimate", p.estimate}, {"low", p.low}, {"high", p.high}}},
      {"never_evaluated", interval(a.never_evaluated)},
      {"uncovered", interval(a.uncovered)},
      {"trials", interval(a.trials)},
      {"wasted_time_s", interval(a.wasted_time_s)},
      {"makespan_s", interval(a.makespan_s)},
  };
}

}  // namespace samplersim
