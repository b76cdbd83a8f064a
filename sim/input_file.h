// Reading one input file, bounded: the one file read behind every reader of user input (scenarios,
// sweep specs, replay files, results files, sweep resume).
//
// Contract:
// - Only a regular file is read. The path is opened without blocking (O_NONBLOCK) and checked with
//   fstat on the open descriptor, so a directory, a device (/dev/zero), a FIFO or a socket is
//   refused before a byte is read: a read never blocks or runs without end.
// - read_input_file returns the whole file when it has at most `max_bytes`.
// - for_each_line streams a file line by line (memory: one line) and refuses a file larger than
//   `max_file_bytes` or a line longer than `max_line_bytes`.
// - Every refusal is a BadInput (sim/errors.h): "<path>: (file): expected <expected>, got <reason>"
//   (line 0), or "<path>:<line>: (line): ..." for a line that is too long.
// Cost: reads of 1 MiB; one pass.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

namespace samplersim {

// The key named in errors about a file as a whole.
inline constexpr std::string_view kWholeFileKey = "(file)";

// `expected` completes "expected ...", e.g. "a readable scenario file".
std::string read_input_file(const std::string& path, std::string_view expected, std::size_t max_bytes);

struct LineScan {
  std::int64_t lines = 0;            // complete lines passed to the callback
  std::uint64_t complete_bytes = 0;  // bytes up to and including the last '\n'
  std::uint64_t bytes = 0;           // the file's size as read
  bool torn_last_line() const { return bytes != complete_bytes; }  // no '\n' after the last bytes
};

// Calls on_line(line without its '\n', 1-based line number) for every complete line, in order.
// Bytes after the last '\n' (a torn last line) are not passed; see LineScan.
LineScan for_each_line(const std::string& path, std::string_view expected, std::uint64_t max_file_bytes,
                       std::size_t max_line_bytes,
                       const std::function<void(std::string_view line, std::int64_t number)>& on_line);

}  // namespace samplersim
