#include "sim/invariant.h"

#include <fmt/format.h>

namespace samplersim {

void invariant_failed(const char* expression, const char* file, int line) {
  throw InvariantViolation(fmt::format("invariant violated at {}:{}: {}", file, line, expression));
}

}  // namespace samplersim
