// Writes a whole output file or nothing: the content goes to a temporary file next to the target,
// which is renamed over it only when complete. A failure leaves no partial output behind.
#pragma once

#include <string>

#include "sim/errors.h"

namespace samplersim {

// Throws OutputError ("<path>: cannot write: <reason>") on failure.
void write_file_atomically(const std::string& path, const std::string& content);

// Checks early that `path` can be created (its directory exists and is writable), so a run does not
// compute for minutes and then fail. Throws OutputError.
void check_writable(const std::string& path);

// Creates directory `dir` and its missing parents (an --out or --report folder); throws OutputError
// naming it when that is impossible or it exists as something else.
void ensure_directory(const std::string& dir);

}  // namespace samplersim
