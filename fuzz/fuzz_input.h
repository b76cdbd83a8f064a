// Shared by the fuzz targets: the readers take paths, so each input is written to one file per
// fuzzing process (rewritten for every input), and the verdict on what a reader may throw.
//
// The contract every target checks (README "Exit status"): bad input raises BadInput and nothing
// else. A crash, a sanitizer report, a timeout, an out-of-memory or any other exception escaping
// the target is a finding: libFuzzer stops and saves the input.
#pragma once

#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <string_view>

namespace samplersim::fuzz {

// A directory of this process's own under $TMPDIR (made once), and `name` inside it.
inline std::string scratch_file(const std::string& name) {
  static const std::filesystem::path dir = [] {
    std::filesystem::path d = std::filesystem::temp_directory_path() / ("samplersim-fuzz-" + std::to_string(::getpid()));
    std::filesystem::create_directories(d);
    return d;
  }();
  return (dir / name).string();
}

// Writes `data` to `path` (whole; aborts if it cannot: the harness itself is broken then).
inline void write_input(const std::string& path, const std::uint8_t* data, std::size_t size) {
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (f == nullptr || (size > 0 && std::fwrite(data, 1, size, f) != size) || std::fclose(f) != 0) std::abort();
}

inline std::string_view as_text(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

}  // namespace samplersim::fuzz
