// ScenarioSpec's two computations: the grid size and the Python repr of a grid value.
//
// GridValue::repr() must print exactly what CPython 3 prints for repr() of the same value, so
// that traces and reports can be compared with the real library's output line by line. It never
// depends on the locale or on a global formatting state.
#include "sim/scenario_spec.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <string_view>
#include <system_error>

namespace samplersim {
namespace {

// ---- float repr ---------------------------------------------------------------------------

// CPython's repr(float): the shortest digits that round-trip, written positionally when the
// decimal point position `decpt` satisfies -4 < decpt <= 16, otherwise in exponent form with a
// signed exponent of at least two digits; positional integral values get a trailing ".0".
std::string python_float_repr(double v) {
  if (std::isnan(v)) return "nan";
  if (std::isinf(v)) return v < 0 ? "-inf" : "inf";
  if (v == 0.0) return std::signbit(v) ? "-0.0" : "0.0";

  // Shortest round-trip digits in scientific form: "-d.ddde+XX" or "de-05".
  std::array<char, 64> buf{};
  const auto result =
      std::to_chars(buf.data(), buf.data() + buf.size(), v, std::chars_format::scientific);
  const std::string_view sci(buf.data(), static_cast<std::size_t>(result.ptr - buf.data()));

  const bool negative = sci.front() == '-';
  const std::size_t e_pos = sci.find('e');
  const std::string_view mantissa = sci.substr(negative ? 1 : 0, e_pos - (negative ? 1 : 0));
  const int exponent = std::atoi(std::string(sci.substr(e_pos + 1)).c_str());

  std::string digits;
  for (char c : mantissa) {
    if (c != '.') digits.push_back(c);
  }
  const int decpt = exponent + 1;  // digits d1 d2 ... represent 0.d1d2... × 10^decpt
  const int n = static_cast<int>(digits.size());

  std::string out = negative ? "-" : "";
  if (decpt > -4 && decpt <= 16) {
    if (decpt <= 0) {
      out += "0." + std::string(static_cast<std::size_t>(-decpt), '0') + digits;
    } else if (decpt >= n) {
      out += digits + std::string(static_cast<std::size_t>(decpt - n), '0') + ".0";
    } else {
      out += digits.substr(0, static_cast<std::size_t>(decpt)) + "." +
             digits.substr(static_cast<std::size_t>(decpt));
    }
    return out;
  }
  out += digits.substr(0, 1);
  if (n > 1) out += "." + digits.substr(1);
  out += fmt::format("e{}{:02}", exponent < 0 ? '-' : '+', std::abs(exponent));
  return out;
}

// ---- str repr -----------------------------------------------------------------------------

struct CodePointRange {
  char32_t first;
  char32_t last;
};

// Assigned code points for which CPython's str.isprintable() is false (categories Cc, Cf, Co,
// Zl, Zp, and Zs other than the ASCII space), generated from Python 3.11's unicodedata
// (Unicode 14.0). Unassigned code points (Cn) are not listed: they print as themselves here
// while CPython escapes them; grid values practically never contain them.
// clang-format off
constexpr std::array<CodePointRange, 28> kNonPrintable = {{
    {0x0, 0x1F},         {0x7F, 0xA0},         {0xAD, 0xAD},       {0x600, 0x605},
    {0x61C, 0x61C},      {0x6DD, 0x6DD},       {0x70F, 0x70F},     {0x890, 0x891},
    {0x8E2, 0x8E2},      {0x1680, 0x1680},     {0x180E, 0x180E},   {0x2000, 0x200F},
    {0x2028, 0x202F},    {0x205F, 0x2064},     {0x2066, 0x206F},   {0x3000, 0x3000},
    {0xE000, 0xF8FF},    {0xFEFF, 0xFEFF},     {0xFFF9, 0xFFFB},   {0x110BD, 0x110BD},
    {0x110CD, 0x110CD},  {0x13430, 0x13438},   {0x1BCA0, 0x1BCA3}, {0x1D173, 0x1D17A},
    {0xE0001, 0xE0001},  {0xE0020, 0xE007F},   {0xF0000, 0xFFFFD}, {0x100000, 0x10FFFD},
}};
// clang-format on

bool is_python_printable(char32_t cp) {
  for (const CodePointRange& r : kNonPrintable) {
    if (cp >= r.first && cp <= r.last) return false;
  }
  return true;
}

// Decodes one UTF-8 sequence at `text[i]`, advancing `i`. Invalid bytes decode as themselves
// (one byte at a time) so that repr() never fails; the loader only admits valid UTF-8 anyway.
char32_t decode_utf8(std::string_view text, std::size_t& i) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char b0 = byte(i);
  int extra = 0;
  char32_t cp = b0;
  if (b0 >= 0xF0 && b0 <= 0xF4) {
    extra = 3;
    cp = b0 & 0x07u;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    extra = 2;
    cp = b0 & 0x0Fu;
  } else if (b0 >= 0xC2 && b0 <= 0xDF) {
    extra = 1;
    cp = b0 & 0x1Fu;
  }
  if (extra == 0 || i + static_cast<std::size_t>(extra) >= text.size()) {
    ++i;
    return b0;
  }
  for (int k = 1; k <= extra; ++k) {
    const unsigned char b = byte(i + static_cast<std::size_t>(k));
    if ((b & 0xC0u) != 0x80u) {
      ++i;
      return b0;
    }
    cp = (cp << 6) | (b & 0x3Fu);
  }
  i += static_cast<std::size_t>(extra) + 1;
  return cp;
}

void append_utf8(std::string& out, char32_t cp) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

// CPython's repr(str): single quotes unless the text has a ' and no ", backslash escapes for
// the quote, \\, \t, \n, \r, and \xNN / \uNNNN / \UNNNNNNNN for non-printable code points.
std::string python_str_repr(std::string_view text) {
  const bool has_single = text.find('\'') != std::string_view::npos;
  const bool has_double = text.find('"') != std::string_view::npos;
  const char quote = (has_single && !has_double) ? '"' : '\'';

  std::string out(1, quote);
  for (std::size_t i = 0; i < text.size();) {
    const char32_t cp = decode_utf8(text, i);
    if (cp == static_cast<char32_t>(quote) || cp == U'\\') {
      out.push_back('\\');
      out.push_back(static_cast<char>(cp));
    } else if (cp == U'\t') {
      out += "\\t";
    } else if (cp == U'\n') {
      out += "\\n";
    } else if (cp == U'\r') {
      out += "\\r";
    } else if (is_python_printable(cp)) {
      append_utf8(out, cp);
    } else if (cp <= 0xFF) {
      out += fmt::format("\\x{:02x}", static_cast<std::uint32_t>(cp));
    } else if (cp <= 0xFFFF) {
      out += fmt::format("\\u{:04x}", static_cast<std::uint32_t>(cp));
    } else {
      out += fmt::format("\\U{:08x}", static_cast<std::uint32_t>(cp));
    }
  }
  out.push_back(quote);
  return out;
}

}  // namespace

std::string GridValue::repr() const {
  switch (kind) {
    case Kind::kInt: return std::to_string(int_value);
    case Kind::kFloat: return python_float_repr(float_value);
    case Kind::kString: return python_str_repr(string_value);
    case Kind::kBool: return bool_value ? "True" : "False";
    case Kind::kNone: return "None";
  }
  return "?";
}

bool GridValue::is_nan() const { return kind == Kind::kFloat && std::isnan(float_value); }

bool GridValue::grid_equal(const GridValue& o) const {
  if (kind == Kind::kNone || o.kind == Kind::kNone) return kind == o.kind;
  if (kind == Kind::kString || o.kind == Kind::kString) return kind == o.kind && string_value == o.string_value;
  if (is_nan() || o.is_nan()) return is_nan() && o.is_nan();
  // Numbers (bool is an int): Python compares int and float exactly.
  const auto as_long_double = [](const GridValue& v) {
    if (v.kind == Kind::kFloat) return static_cast<long double>(v.float_value);
    return static_cast<long double>(v.kind == Kind::kBool ? std::int64_t{v.bool_value} : v.int_value);
  };
  return as_long_double(*this) == as_long_double(o);
}

int ScenarioSpec::workers() const {
  if (groups.empty()) return processes * threads;
  int n = 0;
  for (const WorkerGroup& g : groups) n += g.processes * g.threads;
  return n;
}

std::vector<WorkerGroup> worker_groups(const ScenarioSpec& spec) {
  if (!spec.groups.empty()) return spec.groups;
  WorkerGroup g;
  g.processes = spec.processes;
  g.threads = spec.threads;
  g.start_stagger_us = spec.start_stagger_us;
  g.start_jitter = spec.start_jitter;
  g.n_trials = spec.n_trials;
  g.max_trials = spec.max_trials;
  g.max_trials_states = spec.max_trials_states;
  g.loop = spec.loop;
  return {g};
}

namespace {
std::string processes_x_threads(int processes, int threads) {
  return fmt::format("{} process{} x {} thread{}", processes, processes == 1 ? "" : "es", threads, threads == 1 ? "" : "s");
}
}  // namespace

std::string describe_workers(const ScenarioSpec& spec) {
  if (spec.groups.empty()) return processes_x_threads(spec.processes, spec.threads);
  std::string out = fmt::format("{} group{}:", spec.groups.size(), spec.groups.size() == 1 ? "" : "s");
  for (std::size_t i = 0; i < spec.groups.size(); ++i) {
    const WorkerGroup& g = spec.groups[i];
    out += fmt::format("{} {} {}", i == 0 ? "" : ",", g.name, processes_x_threads(g.processes, g.threads));
  }
  return out;
}

std::int64_t ScenarioSpec::combinations() const {
  // Saturates at kMaxCombinations + 1 so that "too many" is representable without overflow.
  std::int64_t product = 1;
  for (const GridParam& param : grid) {
    const auto count = static_cast<std::int64_t>(param.values.size());
    if (count == 0) return 0;
    if (product > (kMaxCombinations + 1) / count) {
      product = kMaxCombinations + 1;
    } else {
      product = std::min(product * count, kMaxCombinations + 1);
    }
  }
  return product;
}

}  // namespace samplersim
