#include "sim/virtual_time.h"

#include <fmt/format.h>

namespace samplersim {

std::string format_seconds(VirtualTime t_us) {
  const bool negative = t_us < 0;
  const std::uint64_t magnitude =
      negative ? static_cast<std::uint64_t>(-(t_us + 1)) + 1 : static_cast<std::uint64_t>(t_us);
  return fmt::format("{}{}.{:06}", negative ? "-" : "", magnitude / 1000000, magnitude % 1000000);
}

}  // namespace samplersim
