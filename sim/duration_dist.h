// A distribution of durations in virtual time: a constant or a uniform range.
//
// Drawn only from an explicit RandomStream, never from a global generator. A constant
// distribution draws nothing, so switching one duration between constant and random never
// shifts another stream. Invariant: 0 <= min_us <= max_us.
#pragma once

#include <string>

#include "sim/random_stream.h"
#include "sim/virtual_time.h"

namespace samplersim {

struct DurationDist {
  VirtualTime min_us = 0;  // smallest value that can be drawn
  VirtualTime max_us = 0;  // largest value that can be drawn (inclusive)

  static DurationDist constant(VirtualTime us) { return {us, us}; }
  static DurationDist uniform(VirtualTime lo_us, VirtualTime hi_us) { return {lo_us, hi_us}; }

  bool is_constant() const { return min_us == max_us; }
  VirtualTime mean_us() const { return min_us + (max_us - min_us) / 2; }

  // Draws one duration; a constant draws nothing from `stream`.
  VirtualTime sample(RandomStream& stream) const;

  // Human-readable form, the same syntax the scenario files accept ("2s", "uniform 50ms..250ms").
  std::string to_string() const;

  friend bool operator==(const DurationDist&, const DurationDist&) = default;
};

// Formats a duration with the largest unit that represents it exactly ("500ms", "2s", "7us").
std::string format_duration(VirtualTime us);

}  // namespace samplersim
