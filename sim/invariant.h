// SIM_ASSERT: invariant checks that stay on in every build and never abort the process.
//
// A failed SIM_ASSERT throws InvariantViolation (file, line, expression). Inside a worker fiber the
// engine carries it to the caller of run(), like any other exception, which reports it with the run
// seed that reproduces it (RunFailure; exit status 3 on the command line). Use it for invariants of
// the model; use plain assert only where throwing is impossible (noexcept scheduler hooks).
#pragma once

#include <stdexcept>
#include <string>

namespace samplersim {

class InvariantViolation : public std::logic_error {
 public:
  using std::logic_error::logic_error;
};

[[noreturn]] void invariant_failed(const char* expression, const char* file, int line);

}  // namespace samplersim

#define SIM_ASSERT(condition)                                                  \
  do {                                                                         \
    if (!(condition)) ::samplersim::invariant_failed(#condition, __FILE__, __LINE__); \
  } while (false)
