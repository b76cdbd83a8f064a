// Reading one input file whole, bounded: the one file read behind every reader of user input
// (scenarios, sweep specs, replay files).
//
// Contract: returns the bytes of the regular file at `path` when it has at most `max_bytes`;
// otherwise throws BadInput (sim/errors.h) "<path>: (file): expected <expected>, got <reason>"
// with line 0. A directory, a device (/dev/zero), a FIFO or a socket is refused without reading
// from it, so a read never blocks or runs without end. Cost: one read of at most max_bytes + 1.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace samplersim {

// The key named in errors about a file as a whole.
inline constexpr std::string_view kWholeFileKey = "(file)";

// `expected` completes "expected ...", e.g. "a readable scenario file".
std::string read_input_file(const std::string& path, std::string_view expected, std::size_t max_bytes);

}  // namespace samplersim
