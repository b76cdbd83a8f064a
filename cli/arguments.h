// Strict numeric arguments. CLI11 2.1 converts "-1" to an unsigned option by wrapping it to
// 2^64-1 (strtoull), saturates 2^64 and more to 2^64-1, and accepts "1e3" or " 7" for some types.
// decimal_in(lo, hi) checks the text itself before any conversion: only plain decimal digits
// (no sign, no spaces, no exponent), and a value from lo to hi computed without overflow. A
// refusal is CLI11's ValidationError: exit 2, "--seed: expected an integer from 0 to ..., got '-1'".
// nonnegative_decimal() does the same for a number >= 0 with an optional fraction ("2", "0.25"):
// no sign, exponent, inf or nan (CLI::NonNegativeNumber's message shows a 309-digit bound).
// decimal_number_in(lo, hi, expected) takes a number in any standard spelling ("30", ".5", "+5",
// "1e9"; no inf, nan or hex) and a value from lo to hi, and says
// `expected` when refused (CLI::Range's message was "Value -1 not in range 0.001000 to
// 1000000000.000000", and it let "nan" through).
#pragma once

#include <charconv>
#include <cstdint>
#include <string>

#include <CLI/CLI.hpp>

namespace samplersim {

namespace detail {
// The argument as a message shows it: at most 40 bytes, control and non-ASCII bytes as '?'.
inline std::string shown_argument(const std::string& text) {
  std::string shown = text.substr(0, 40);
  for (char& c : shown) {
    if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) >= 0x7f) c = '?';
  }
  return shown;
}

// Plain decimal digits with at most one inner '.': "2", "0.25" (no sign, exponent, inf or nan).
inline bool decimal_shape(const std::string& text) {
  const std::size_t dot = text.find('.');
  return !text.empty() && text.size() <= 20 && text.front() != '.' && text.back() != '.' &&
         text.find_first_not_of("0123456789.") == std::string::npos &&
         (dot == std::string::npos || text.find('.', dot + 1) == std::string::npos);
}

// A decimal number in any standard spelling: an optional sign, digits with an optional point
// (".5", "5.", "0.25"), an optional exponent ("1e9", "2.5E-3"). No spaces, inf, nan or hex.
inline bool number_shape(const std::string& text) {
  if (text.empty() || text.size() > 40) return false;
  std::size_t i = text.front() == '+' || text.front() == '-' ? 1 : 0;
  std::size_t digits = 0;
  while (i < text.size() && text[i] >= '0' && text[i] <= '9') ++i, ++digits;
  if (i < text.size() && text[i] == '.') {
    ++i;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9') ++i, ++digits;
  }
  if (digits == 0) return false;
  if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
    ++i;
    if (i < text.size() && (text[i] == '+' || text[i] == '-')) ++i;
    std::size_t exponent_digits = 0;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9') ++i, ++exponent_digits;
    if (exponent_digits == 0) return false;
  }
  return i == text.size();
}
}  // namespace detail

inline CLI::Validator nonnegative_decimal() {
  return CLI::Validator(
      [](std::string& text) -> std::string {
        if (!detail::decimal_shape(text)) return "expected a number >= 0 such as 2 or 0.25, got '" + detail::shown_argument(text) + "'";
        return {};
      },
      "NUMBER >= 0");
}

inline CLI::Validator decimal_number_in(double lo, double hi, const std::string& expected) {
  return CLI::Validator(
      [lo, hi, expected](std::string& text) -> std::string {
        double value = 0;
        const char* end = text.data() + text.size();
        const bool shape = detail::number_shape(text);
        // from_chars takes no '+': skip it (number_shape allowed one at the front only).
        const char* begin = text.data() + (shape && text.front() == '+' ? 1 : 0);
        const auto [ptr, ec] = shape ? std::from_chars(begin, end, value) : std::from_chars_result{text.data(), std::errc::invalid_argument};
        if (!shape || ec != std::errc() || ptr != end || !(value >= lo && value <= hi)) {
          return expected + ", got '" + detail::shown_argument(text) + "'";
        }
        return {};
      },
      "NUMBER");
}

inline CLI::Validator decimal_in(std::uint64_t lo, std::uint64_t hi) {
  const std::string expected = "expected an integer from " + std::to_string(lo) + " to " + std::to_string(hi);
  return CLI::Validator(
      [lo, hi, expected](std::string& text) -> std::string {
        std::uint64_t value = 0;
        const char* end = text.data() + text.size();
        const bool digits = !text.empty() && text.size() <= 20 && text.find_first_not_of("0123456789") == std::string::npos;
        const auto [ptr, ec] = std::from_chars(text.data(), end, value);
        if (!digits || ec != std::errc() || ptr != end || value < lo || value > hi) {
          return expected + ", got '" + detail::shown_argument(text) + "'";
        }
        return {};
      },
      "INT in [" + std::to_string(lo) + " - " + std::to_string(hi) + "]");
}

}  // namespace samplersim
