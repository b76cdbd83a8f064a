#include "sim/store_preset.h"

#include <array>

#include "sim/invariant.h"

namespace samplersim {

std::int64_t QuantileDist::sample(RandomStream& stream) const {
  if (points.empty()) return 0;
  if (points.size() == 1) return points.front().value_ns;
  const auto u = static_cast<std::uint32_t>(stream.uniform_inclusive(999'999));
  std::size_t i = 1;
  while (i + 1 < points.size() && points[i].q_ppm < u) ++i;
  const QuantilePoint& a = points[i - 1];
  const QuantilePoint& b = points[i];
  if (u <= a.q_ppm) return a.value_ns;
  if (u >= b.q_ppm) return b.value_ns;
  return a.value_ns + (b.value_ns - a.value_ns) * static_cast<std::int64_t>(u - a.q_ppm) /
                          static_cast<std::int64_t>(b.q_ppm - a.q_ppm);
}

std::int64_t QuantileDist::median_ns() const {
  if (points.empty()) return 0;
  for (std::size_t i = 1; i < points.size(); ++i) {
    const QuantilePoint& a = points[i - 1];
    const QuantilePoint& b = points[i];
    if (b.q_ppm >= 500'000) {
      return a.value_ns + (b.value_ns - a.value_ns) * static_cast<std::int64_t>(500'000 - std::min(a.q_ppm, 500'000u)) /
                              std::max<std::int64_t>(1, static_cast<std::int64_t>(b.q_ppm - a.q_ppm));
    }
  }
  return points.back().value_ns;
}

VirtualTime sqlite_busy_delay_us(int attempt, VirtualTime waited_us, VirtualTime timeout_us) {
  static constexpr std::array<int, 12> kDelaysMs{1, 2, 5, 10, 15, 20, 25, 25, 25, 50, 50, 100};
  static constexpr std::array<int, 12> kTotalsMs{0, 1, 3, 8, 18, 33, 53, 78, 103, 128, 178, 228};
  SIM_ASSERT(attempt >= 0);
  (void)waited_us;  // SQLite computes the time already slept from its table, not from a clock
  const std::size_t n = kDelaysMs.size();
  const auto a = static_cast<std::size_t>(attempt);
  VirtualTime delay_ms = a < n ? kDelaysMs[a] : kDelaysMs[n - 1];
  const VirtualTime prior_ms = a < n ? kTotalsMs[a] : kTotalsMs[n - 1] + delay_ms * static_cast<VirtualTime>(a - (n - 1));
  const VirtualTime timeout_ms = timeout_us / kMicrosPerMilli;
  if (prior_ms + delay_ms > timeout_ms) {
    delay_ms = timeout_ms - prior_ms;
    if (delay_ms <= 0) return 0;
  }
  return delay_ms * kMicrosPerMilli;
}

}  // namespace samplersim
