// Writes a whole output file or nothing: the content goes to a temporary file next to the target,
// which is renamed over it only when complete. A failure leaves no partial output behind.
#pragma once

#include <stdexcept>
#include <string>

namespace samplersim {

class OutputError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Throws OutputError ("<path>: cannot write: <reason>") on failure.
void write_file_atomically(const std::string& path, const std::string& content);

// Checks early that `path` can be created (its directory exists and is writable), so a run does not
// compute for minutes and then fail. Throws OutputError.
void check_writable(const std::string& path);

}  // namespace samplersim
