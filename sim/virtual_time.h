// Virtual time of a simulation.
//
// Simulated time is an integer count of microseconds since the start of a run. It is never
// derived from a wall clock. Integers (not doubles) keep every comparison and sum exact, so
// the same inputs give the same schedule on every compiler and optimisation level.
#pragma once

#include <cstdint>
#include <string>

namespace samplersim {

// Microseconds since the start of the run.
using VirtualTime = std::int64_t;

inline constexpr VirtualTime kMicrosPerMilli = 1000;
inline constexpr VirtualTime kMicrosPerSecond = 1000 * 1000;

// Formats a time as seconds with microsecond precision ("2.000500"), deterministically.
std::string format_seconds(VirtualTime t_us);

}  // namespace samplersim
