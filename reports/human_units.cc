#include "reports/human_units.h"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

namespace samplersim {

namespace {

// Three significant digits of a value in [1, 1000).
std::string three_digits(double v) {
  if (v >= 99.95) return fmt::format("{:.0f}", v);
  if (v >= 9.995) return fmt::format("{:.1f}", v);
  return fmt::format("{:.2f}", v);
}

struct Unit {
  double seconds;
  const char* name;
  bool thousandth_of_previous;  // 1000 of this unit are one of the unit before it
};

constexpr Unit kUnits[] = {
    {3600.0, "h", false}, {60.0, "min", false}, {1.0, "s", false}, {1e-3, "ms", true}, {1e-6, "us", true}};

}  // namespace

std::string format_duration_s(double seconds) {
  if (!std::isfinite(seconds)) return "n/a";
  if (seconds == 0) return "0 s";
  const double magnitude = std::fabs(seconds);
  const char* sign = seconds < 0 ? "-" : "";
  for (std::size_t i = 0; i < std::size(kUnits); ++i) {
    const double v = magnitude / kUnits[i].seconds;
    if (v < 1.0 && i + 1 < std::size(kUnits)) continue;
    std::string digits = three_digits(v);
    // 999.97 ms rounds to "1000": say "1.00 s" (ms and us are 1000 of the next unit up).
    if (digits == "1000" && kUnits[i].thousandth_of_previous) {
      return fmt::format("{}1.00 {}", sign, kUnits[i - 1].name);
    }
    return fmt::format("{}{} {}", sign, digits, kUnits[i].name);
  }
  return "0 s";
}

std::string format_duration_us(long long micros) { return format_duration_s(static_cast<double>(micros) / 1e6); }

std::string format_count(double value) {
  if (!std::isfinite(value)) return "n/a";
  std::string s = fmt::format("{:.2f}", value);
  if (value != 0 && (s == "0.00" || s == "-0.00")) {
    // A mean of 0.005 is not "0": two significant digits, trailing zeros dropped ("0.005", "0.0012").
    const int decimals = std::min(17, 1 - static_cast<int>(std::floor(std::log10(std::fabs(value)))));
    s = fmt::format("{:.{}f}", value, decimals);
    while (s.ends_with('0')) s.pop_back();
    return s;
  }
  if (s.ends_with(".00")) s.resize(s.size() - 3);
  else if (s.ends_with('0')) s.pop_back();
  if (s == "-0") s = "0";
  return s;
}

}  // namespace samplersim
