#include "sim/duration_dist.h"
#include "sim/invariant.h"

#include <cassert>

#include <fmt/format.h>

namespace samplersim {

VirtualTime DurationDist::sample(RandomStream& stream) const {
  SIM_ASSERT(0 <= min_us && min_us <= max_us);
  if (is_constant()) return min_us;
  const auto span = static_cast<std::uint64_t>(max_us - min_us);
  return min_us + static_cast<VirtualTime>(stream.uniform_inclusive(span));
}

std::string format_duration(VirtualTime us) {
  if (us != 0 && us % kMicrosPerSecond == 0) return fmt::format("{}s", us / kMicrosPerSecond);
  if (us != 0 && us % kMicrosPerMilli == 0) return fmt::format("{}ms", us / kMicrosPerMilli);
  return fmt::format("{}us", us);
}

std::string DurationDist::to_string() const {
  if (is_constant()) return format_duration(min_us);
  return fmt::format("uniform {}..{}", format_duration(min_us), format_duration(max_us));
}

}  // namespace samplersim
