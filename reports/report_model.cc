#include "reports/report_model.h"

#include <fmt/format.h>

namespace samplersim {

std::string format_mean_ci(const MeanAccumulator& m, int digits) {
  const Interval i = m.count_interval(0.95);
  if (const std::string na = interval_unavailable(m); !na.empty()) return fmt::format("{:.{}f} {}", i.estimate, digits, na);
  return fmt::format("{:.{}f} [{:.{}f}, {:.{}f}]", i.estimate, digits, i.low, digits, i.high, digits);
}

std::string format_share_ci(const Interval& i) {
  return fmt::format("{:.1f}% [{:.1f}%, {:.1f}%]", 100 * i.estimate, 100 * i.low, 100 * i.high);
}

std::string format_percent_mean_ci(const MeanAccumulator& m) {
  const Interval i = m.count_interval(0.95);
  if (const std::string na = interval_unavailable(m); !na.empty()) return fmt::format("{:.1f}% {}", 100 * i.estimate, na);
  return fmt::format("{:.1f}% [{:.1f}%, {:.1f}%]", 100 * i.estimate, 100 * i.low, 100 * i.high);
}

}  // namespace samplersim
