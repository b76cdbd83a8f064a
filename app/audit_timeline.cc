#include "app/audit_timeline.h"

#include <algorithm>
#include <array>
#include <set>

#include <fmt/format.h>

namespace samplersim {

ChartSpec audit_timeline_chart(const AuditResult& audit, const std::vector<RepeatedCombination>& repeats) {
  ChartSpec chart;
  chart.kind = ChartSpec::Kind::kTimeline;
  chart.title = fmt::format("study {}: trials over time", audit.study);
  chart.x_label = "seconds since the first trial of the study started";
  chart.y_label = "trial number";
  const std::int64_t origin = audit.first_start_us.value_or(0);
  std::int64_t last_us = origin;
  for (const AuditedTrial& t : audit.evaluated) {
    last_us = std::max({last_us, t.start_us.value_or(origin), t.complete_us.value_or(origin)});
  }
  const auto seconds = [&](std::int64_t us) { return static_cast<double>(us - origin) / 1e6; };
  // One series per state, in Optuna's order; colours fixed per state so every audit reads alike.
  constexpr std::array<int, kTrialStateCount> kStateColour = {4, 2, 5, 1, 15};  // RUNNING orange, COMPLETE green, ...
  std::array<ChartSeries, kTrialStateCount> by_state;
  for (int s = 0; s < kTrialStateCount; ++s) {
    by_state[static_cast<std::size_t>(s)].label = std::string(to_string(static_cast<TrialState>(s)));
    by_state[static_cast<std::size_t>(s)].colour = kStateColour[static_cast<std::size_t>(s)];
  }
  std::set<int> repeat_numbers;
  for (const RepeatedCombination& c : repeats) {
    for (std::size_t k = 1; k < c.trials.size(); ++k) repeat_numbers.insert(c.trials[k].trial.number);
  }
  ChartSeries marks;
  marks.label = "repeat";
  marks.colour = 6;  // black
  marks.marker = true;
  for (const AuditedTrial& t : audit.evaluated) {
    if (!t.start_us) continue;
    const double start = seconds(*t.start_us);
    const double end = seconds(t.complete_us.value_or(last_us));
    by_state[static_cast<std::size_t>(t.state)].points.push_back({start, static_cast<double>(t.number), std::max(start, end), 0});
    if (repeat_numbers.count(t.number) > 0) marks.points.push_back({start, static_cast<double>(t.number), 0, 0});
  }
  for (ChartSeries& s : by_state) {
    if (!s.points.empty()) chart.series.push_back(std::move(s));
  }
  if (!marks.points.empty()) chart.series.push_back(std::move(marks));
  return chart;
}

}  // namespace samplersim
