// Counted nouns in messages: "1 point", "2 points", "0 runs"; plural(n, "process", "processes")
// for a noun whose plural is not the singular plus "s". Every count a command prints in words
// goes through it, so no message says "1 points". Trace text and diagram legends keep their
// fixed "N trials" form ("stop after 1 trials"): traces are fingerprinted byte for byte
// (scripts/identity.sh) and diagrams compared with golden files. Pure.
#pragma once

#include <concepts>
#include <string>
#include <string_view>

namespace samplersim {

template <std::integral Count>
std::string plural(Count count, std::string_view one, std::string_view many = {}) {
  std::string out = std::to_string(count);
  out += ' ';
  if (count == 1) {
    out += one;
  } else if (many.empty()) {
    out += one;
    out += 's';
  } else {
    out += many;
  }
  return out;
}

}  // namespace samplersim
