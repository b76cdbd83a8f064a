// Names of value-parameterized tests: every TEST_P names its cases with a generator built on
// param_name() (letters, digits and '_' only, as GoogleTest requires), and prints its parameter
// with a PrintTo overload, so test lists, CTest names (tests/CMakeLists.txt passes
// NO_PRETTY_VALUES) and failure messages show names, never raw bytes.
#pragma once

#include <cctype>
#include <string>
#include <string_view>

namespace samplersim {

// `text` with every run of other characters replaced by one '_' (none at either end).
inline std::string param_name(std::string_view text) {
  std::string out;
  for (const char c : text) {
    if (std::isalnum(static_cast<unsigned char>(c))) {
      out += c;
    } else if (!out.empty() && out.back() != '_') {
      out += '_';
    }
  }
  while (!out.empty() && out.back() == '_') out.pop_back();
  return out.empty() ? std::string("unnamed") : out;
}

}  // namespace samplersim
