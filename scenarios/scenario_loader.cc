// Scenario loader: reads TOML scenario text and validates it field by field into a ScenarioSpec.
//
// Layout of this file, top to bottom:
//   A. message text helpers        (one line, quoting, "did you mean")
//   B. ScenarioError
//   C. duration syntax             (parse_duration, parse_duration_dist)
//   D. pre-parse guards            (inputs toml++ 3.3 would crash on)
//   E. walking the TOML document   (fields in file order, unknown keys, "got" descriptions)
//   F. typed field readers
//   G. one reader per schema table (schema: scenarios/SCHEMA.md)
//   H. entry points
// It must never print, never read anything but the one file it is given, and never let an
// exception other than ScenarioError escape.
#include "scenarios/scenario_loader.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <limits>
#include <map>
#include <numeric>
#include <optional>
#include <span>
#include <system_error>
#include <utility>
#include <variant>

// toml++ 3.3 checks some parser preconditions with assert() that malformed input can break
// (e.g. marzer/tomlplusplus#301, and a date followed by " 1,"); its own error paths handle those
// inputs right after. The compiled Debian library has these checks off; a header-only debug
// build must turn them off too, or a bad scenario file aborts instead of raising ScenarioError.
#ifndef TOML_ASSERT
#define TOML_ASSERT(expr) static_cast<void>(0)
#endif
#include <toml++/toml.h>

#include "sim/store_op.h"

namespace samplersim {
namespace {

// ---- A. message text --------------------------------------------------------------------

// Escapes control characters, so that a message built from user text never spans lines.
std::string one_line(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte == 0x7f) {
      out += fmt::format("\\x{:02x}", byte);
    } else {
      out.push_back(c);
    }
  }
  return out;
}

// At most `max_bytes` of `text`, cut at a UTF-8 boundary and marked "..." when cut.
std::string shortened(std::string_view text, std::size_t max_bytes = 60) {
  if (text.size() <= max_bytes) return std::string(text);
  std::size_t cut = max_bytes;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0u) == 0x80u) --cut;
  return std::string(text.substr(0, cut)) + "...";
}

// User text as a TOML basic string, shortened: "2 s".
std::string toml_quoted(std::string_view text) {
  std::string out = "\"";
  for (char c : shortened(text)) {
    if (c == '"' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  out.push_back('"');
  return out;
}

template <class Range>
std::string joined(const Range& items, std::string_view separator = ", ") {
  std::string out;
  for (const auto& item : items) {
    if (!out.empty()) out += separator;
    out += item;
  }
  return out;
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  std::iota(row.begin(), row.end(), std::size_t{0});
  for (std::size_t i = 0; i < a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i + 1;
    for (std::size_t j = 0; j < b.size(); ++j) {
      const std::size_t above = row[j + 1];
      row[j + 1] = std::min({above + 1, row[j] + 1, diagonal + (a[i] == b[j] ? 0u : 1u)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

// " (did you mean \"processes\"?)" when one accepted name is within two edits of `name`.
std::string suggestion(std::string_view name, std::span<const std::string_view> accepted) {
  if (name.size() > 64) return "";  // keeps the quadratic distance cheap
  std::size_t best_distance = 3;
  std::string_view best;
  for (std::string_view candidate : accepted) {
    const std::size_t distance = edit_distance(name, candidate);
    if (distance < best_distance) {
      best_distance = distance;
      best = candidate;
    }
  }
  return best.empty() ? "" : fmt::format(" (did you mean \"{}\"?)", best);
}

}  // namespace

// ---- B. ScenarioError -------------------------------------------------------------------

ScenarioError::ScenarioError(std::string file, int line, std::string key, std::string expected,
                             std::string got)
    : ScenarioError(
          std::make_shared<const Detail>(Detail{one_line(file), std::max(line, 0), 0, one_line(key),
                                                one_line(expected), one_line(got), false})) {}

ScenarioError ScenarioError::syntax_error(std::string file, int line, int column,
                                          std::string description) {
  return ScenarioError(
      std::make_shared<const Detail>(Detail{one_line(file), std::max(line, 1), std::max(column, 1),
                                            "", "valid TOML", one_line(description), true}));
}

ScenarioError::ScenarioError(std::shared_ptr<const Detail> detail)
    : std::runtime_error(message_of(*detail)), detail_(std::move(detail)) {}

std::string ScenarioError::message_of(const Detail& d) {
  if (d.syntax)
    return fmt::format("{}:{}:{}: TOML syntax error: {}", d.file, d.line, d.column, d.got);
  const std::string where = d.line > 0 ? fmt::format("{}:{}", d.file, d.line) : d.file;
  return fmt::format("{}: {}: expected {}, got {}", where, d.key, d.expected, d.got);
}

// ---- C. duration syntax -----------------------------------------------------------------

namespace {

struct DurationUnit {
  std::string_view suffix;
  std::uint64_t micros;
};

constexpr std::array<DurationUnit, 5> kDurationUnits = {{
    {"us", 1},
    {"ms", 1'000},
    {"s", 1'000'000},
    {"m", 60'000'000},
    {"h", 3'600'000'000},
}};

constexpr std::string_view kDurationForm =
    "a duration such as \"2s\", \"500ms\" or \"0.5s\" (units us, ms, s, m, h)";
constexpr std::string_view kUniformForm =
    "\"uniform A..B\" with durations A and B, e.g. \"uniform 50ms..250ms\"";

[[noreturn]] void bad_duration(std::string_view expected) {
  throw std::invalid_argument("expected " + std::string(expected));
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_blank(char c) { return c == ' ' || c == '\t'; }

std::string_view trimmed(std::string_view text) {
  while (!text.empty() && is_blank(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_blank(text.back())) text.remove_suffix(1);
  return text;
}

std::string_view leading_digits(std::string_view text) {
  std::size_t n = 0;
  while (n < text.size() && is_digit(text[n])) ++n;
  return text.substr(0, n);
}

std::string too_long_text() { return "a duration of at most " + format_duration(kMaxDurationUs); }

// Microseconds in `fraction_digits` (the digits after the point) of one `unit`, exactly.
std::uint64_t fraction_micros(std::string_view fraction_digits, std::uint64_t unit) {
  while (!fraction_digits.empty() && fraction_digits.back() == '0')
    fraction_digits.remove_suffix(1);
  if (fraction_digits.empty()) return 0;
  // With d digits and no trailing zero, the fraction's numerator lacks a factor 2 or a factor 5,
  // so the unit alone must supply 2^d or 5^d; no unit has more than 2^10 (1h = 2^10 3^2 5^8 us).
  constexpr std::string_view kTooFine = "a whole number of microseconds (1us is the resolution)";
  if (fraction_digits.size() > 10) bad_duration(kTooFine);
  std::uint64_t numerator = 0;
  std::from_chars(fraction_digits.data(), fraction_digits.data() + fraction_digits.size(),
                  numerator);
  std::uint64_t denominator = 1;
  for (std::size_t i = 0; i < fraction_digits.size(); ++i) denominator *= 10;
  // numerator/denominator * unit is whole iff (denominator / g) divides numerator, g = gcd.
  const std::uint64_t g = std::gcd(unit, denominator);
  if (numerator % (denominator / g) != 0) bad_duration(kTooFine);
  return numerator / (denominator / g) * (unit / g);
}

}  // namespace

VirtualTime parse_duration(std::string_view text) {
  if (text.starts_with('-')) bad_duration("a non-negative duration");
  const std::string_view whole = leading_digits(text);
  if (whole.empty()) bad_duration(kDurationForm);
  std::string_view rest = text.substr(whole.size());
  std::string_view fraction;
  if (rest.starts_with('.')) {
    fraction = leading_digits(rest.substr(1));
    if (fraction.empty()) bad_duration(kDurationForm);
    rest = rest.substr(1 + fraction.size());
  }
  if (rest.empty()) bad_duration("a unit after the number (us, ms, s, m or h)");
  const auto unit = std::find_if(kDurationUnits.begin(), kDurationUnits.end(),
                                 [&](const DurationUnit& u) { return u.suffix == rest; });
  if (unit == kDurationUnits.end()) bad_duration("a unit us, ms, s, m or h right after the number");

  std::uint64_t count = 0;
  const auto [end, ec] = std::from_chars(whole.data(), whole.data() + whole.size(), count);
  const auto limit = static_cast<std::uint64_t>(kMaxDurationUs);
  if (ec != std::errc() || end != whole.data() + whole.size() || count > limit / unit->micros) {
    bad_duration(too_long_text());
  }
  const std::uint64_t micros = count * unit->micros + fraction_micros(fraction, unit->micros);
  if (micros > limit) bad_duration(too_long_text());
  return static_cast<VirtualTime>(micros);
}

DurationDist parse_duration_dist(std::string_view text) {
  text = trimmed(text);
  constexpr std::string_view kUniform = "uniform";
  if (!text.starts_with(kUniform)) return DurationDist::constant(parse_duration(text));
  std::string_view range = text.substr(kUniform.size());
  if (range.empty() || !is_blank(range.front())) bad_duration(kUniformForm);
  range = trimmed(range);
  const std::size_t dots = range.find("..");
  if (dots == std::string_view::npos) bad_duration(kUniformForm);
  const VirtualTime lo = parse_duration(trimmed(range.substr(0, dots)));
  const VirtualTime hi = parse_duration(trimmed(range.substr(dots + 2)));
  if (lo > hi) bad_duration("\"uniform A..B\" with A <= B");
  return DurationDist::uniform(lo, hi);
}

namespace {

// ---- D. pre-parse guards ---------------------------------------------------------------
//
// Two kinds of input make toml++ 3.3 crash or misbehave instead of reporting an error; the
// loader refuses them before toml++ sees the text.
//
// 1. Dotted keys. toml++ builds one nested table per part of a dotted key and frees the tree
// recursively, so a key like a.a.a... with 100,000 parts overflows the stack. This scan finds
// the longest chain "part . part . part" outside comments (a part is a bare word or a quoted
// string; dots may have blanks around them) and the loader refuses chains longer than
// kMaxDottedParts. Scenario keys have at most two parts; values form chains only in invalid
// TOML or as a float ("1.5", two parts), so the guard never rejects a valid scenario.

constexpr int kMaxDottedParts = 8;

struct DottedChain {
  int parts = 0;
  int line = 1;
  std::size_t begin = 0;
  std::size_t end = 0;
};

bool ends_bare_part(char c) {
  constexpr std::string_view kSpecial = " \t\r\n.\"'#=,[]{}";
  return kSpecial.find(c) != std::string_view::npos;
}

// Index just past the string that starts at text[i] (a quote), counting newlines into `line`.
// Mirrors TOML: basic strings have backslash escapes, literal ones none, a single-line string
// stops at a newline, and a multi-line string ends at a run of 3 to 5 quotes.
std::size_t skip_string(std::string_view text, std::size_t i, int& line) {
  const char quote = text[i];
  const bool multi_line = text.substr(i, 3) == std::string(3, quote);
  i += multi_line ? 3 : 1;
  while (i < text.size()) {
    const char c = text[i];
    if (quote == '"' && c == '\\') {
      if (i + 1 < text.size() && text[i + 1] == '\n') ++line;
      i += 2;
    } else if (c == '\n') {
      if (!multi_line) return i;
      ++line;
      ++i;
    } else if (c == quote && !multi_line) {
      return i + 1;
    } else if (c == quote) {
      std::size_t run = 0;
      while (i + run < text.size() && text[i + run] == quote && run < 5) ++run;
      i += run;
      if (run >= 3) return i;
    } else {
      ++i;
    }
  }
  return text.size();
}

bool is_bare_key_char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || is_digit(c) || c == '_' || c == '-';
}

DottedChain longest_dotted_chain(std::string_view text) {
  DottedChain best;
  DottedChain current;
  bool after_dot = false;
  int line = 1;
  const auto end_chain = [&] {
    if (current.parts > best.parts) best = current;
    current = DottedChain{};
    after_dot = false;
  };
  const auto add_part = [&](std::size_t begin, std::size_t end, int begin_line) {
    if (current.parts > 0 && after_dot) {
      ++current.parts;
      current.end = end;
    } else {
      end_chain();
      current = DottedChain{1, begin_line, begin, end};
    }
    after_dot = false;
  };
  std::size_t i = 0;
  while (i < text.size()) {
    const char c = text[i];
    if (c == '\n') {
      end_chain();
      ++line;
      ++i;
    } else if (c == ' ' || c == '\t' || c == '\r') {
      ++i;
    } else if (c == '#') {
      end_chain();
      while (i < text.size() && text[i] != '\n') ++i;
    } else if (c == '.') {
      if (current.parts > 0 && !after_dot) {
        after_dot = true;
      } else {
        end_chain();
      }
      ++i;
    } else if (c == '"' || c == '\'') {
      const std::size_t begin = i;
      const int begin_line = line;
      i = skip_string(text, i, line);
      add_part(begin, i, begin_line);
    } else if (ends_bare_part(c)) {
      end_chain();
      ++i;
    } else {
      const std::size_t begin = i;
      while (i < text.size() && !ends_bare_part(text[i])) ++i;
      add_part(begin, i, line);
    }
  }
  end_chain();
  return best;
}

// 2. Table headers. toml++ 3.3 calls its key parser after "[" or "[[" (and blanks) without
// checking that a key starts there: on "[\x16" or "[[[" a debug build fails an assertion and a
// clang release build breaks a __builtin_assume (fixed upstream in marzer/tomlplusplus#301). A
// valid header always has a key, a quote or "]" there, so refusing anything else costs nothing.
// Headers are found as toml++ finds them: a "[" that starts a statement at the top level, i.e.
// not inside a value (arrays span lines), a string or a comment.

struct TextPosition {
  int line = 1;
  int column = 1;
  char found = '\0';
};

// The position after a header's "[" (or "[[") and blanks if toml++ would mis-parse the key there.
std::optional<TextPosition> broken_header_key(std::string_view text, std::size_t open, int line,
                                              std::size_t line_begin) {
  std::size_t j = open + 1;
  const auto skip_blanks = [&] {
    const std::size_t from = j;
    while (j < text.size() && is_blank(text[j])) ++j;
    return j != from;
  };
  const bool had_blanks = skip_blanks();
  if (j >= text.size()) return std::nullopt;
  if (text[j] == '[') {
    if (had_blanks) return std::nullopt;  // "[ [": toml++ reports it properly
    ++j;
    skip_blanks();
    if (j >= text.size()) return std::nullopt;
  }
  const char c = text[j];
  if (c == ']' || c == '"' || c == '\'' || is_bare_key_char(c)) return std::nullopt;
  return TextPosition{line, static_cast<int>(j - line_begin) + 1, c};
}

std::optional<TextPosition> find_broken_table_header(std::string_view text) {
  int line = 1;
  std::size_t line_begin = 0;
  int depth = 0;          // open [ and { of the current value
  bool in_value = false;  // after the "=" of a top-level key-value pair
  bool at_statement_start = true;
  std::size_t i = 0;
  while (i < text.size()) {
    const char c = text[i];
    if (c == '\n') {
      ++line;
      line_begin = ++i;
      if (depth == 0) {
        in_value = false;
        at_statement_start = true;
      }
    } else if (c == ' ' || c == '\t' || c == '\r') {
      ++i;
    } else if (c == '#') {
      while (i < text.size() && text[i] != '\n') ++i;
    } else if (c == '"' || c == '\'') {
      const int before = line;
      i = skip_string(text, i, line);
      if (line != before) line_begin = text.rfind('\n', i - 1) + 1;
      at_statement_start = false;
    } else if (at_statement_start && !in_value && c == '[') {
      if (auto broken = broken_header_key(text, i, line, line_begin)) return broken;
      at_statement_start = false;
      ++i;
    } else {
      if (!in_value && c == '=') in_value = true;
      if (in_value && (c == '[' || c == '{')) ++depth;
      if (in_value && (c == ']' || c == '}') && depth > 0) --depth;
      at_statement_start = false;
      ++i;
    }
  }
  return std::nullopt;
}

// ---- E. walking the TOML document -------------------------------------------------------

constexpr std::string_view kFileKey = "(file)";

// The text being validated, named for messages.
struct SourceFile {
  const std::string& name;

  [[noreturn]] void fail(int line, std::string_view key, std::string_view expected,
                         std::string_view got) const {
    throw ScenarioError(name, line, std::string(key), std::string(expected), std::string(got));
  }
};

// One key (or array element) of the document.
struct Field {
  std::string_view name;   // the key itself; "" for an array element
  const toml::node* node;  // never null
  std::string path;        // "workers.processes", "grid.x[2]"
  int line;                // of the key, or of the element
};

// A table of the schema; `table` is null when an optional table is absent.
struct TableView {
  const toml::table* table;
  std::string path;  // "" for the top level
  int line;          // of its header or key; 1 for the top level
};

int line_of(const toml::source_region& region) {
  return static_cast<int>(std::clamp<std::uint32_t>(region.begin.line, 1, 1u << 30));
}

bool is_bare_key(std::string_view key) {
  return !key.empty() && std::all_of(key.begin(), key.end(), is_bare_key_char);
}

std::string join_path(std::string_view parent, std::string_view key) {
  const std::string part = is_bare_key(key) ? std::string(key) : toml_quoted(key);
  return parent.empty() ? part : fmt::format("{}.{}", parent, part);
}

std::string float_repr(double value) {
  GridValue v;
  v.kind = GridValue::Kind::kFloat;
  v.float_value = value;
  return v.repr();
}

// What a value is, for the "got ..." half of a message.
std::string describe(const toml::node& node) {
  switch (node.type()) {
    case toml::node_type::string: return "string " + toml_quoted(node.as_string()->get());
    case toml::node_type::integer: return fmt::format("integer {}", node.as_integer()->get());
    case toml::node_type::floating_point:
      return "float " + float_repr(node.as_floating_point()->get());
    case toml::node_type::boolean:
      return node.as_boolean()->get() ? "boolean true" : "boolean false";
    case toml::node_type::array: {
      const std::size_t n = node.as_array()->size();
      return n == 0 ? "an empty array" : fmt::format("an array of {} values", n);
    }
    case toml::node_type::table: return "a table";
    case toml::node_type::date: return "a date";
    case toml::node_type::time: return "a time";
    case toml::node_type::date_time: return "a date-time";
    case toml::node_type::none: break;
  }
  return "nothing";
}

// The keys of `table` in the order they appear in the file (toml++ keeps them sorted by name).
std::vector<Field> fields_in_file_order(const TableView& view) {
  std::vector<std::pair<toml::source_position, Field>> keyed;
  for (auto&& [key, node] : *view.table) {
    keyed.push_back({key.source().begin, Field{key.str(), &node, join_path(view.path, key.str()),
                                               line_of(key.source())}});
  }
  std::stable_sort(keyed.begin(), keyed.end(), [](const auto& a, const auto& b) {
    return std::pair(a.first.line, a.first.column) < std::pair(b.first.line, b.first.column);
  });
  std::vector<Field> fields;
  fields.reserve(keyed.size());
  for (auto& entry : keyed) fields.push_back(std::move(entry.second));
  return fields;
}

// Refuses the first key (in file order) of `view` that is not in `accepted`.
void reject_unknown_keys(const SourceFile& src, const TableView& view,
                         std::span<const std::string_view> accepted) {
  if (view.table == nullptr) return;
  for (const Field& field : fields_in_file_order(view)) {
    if (std::find(accepted.begin(), accepted.end(), field.name) != accepted.end()) continue;
    const std::string where =
        view.path.empty() ? "at the top level" : fmt::format("in [{}]", view.path);
    src.fail(field.line, field.path, fmt::format("one of {} {}", joined(accepted), where),
             fmt::format("an unknown {}{}", field.node->is_table() ? "table" : "key",
                         suggestion(field.name, accepted)));
  }
}

std::optional<Field> find_field(const TableView& view, std::string_view name) {
  if (view.table == nullptr) return std::nullopt;
  const auto it = view.table->find(name);
  if (it == view.table->end()) return std::nullopt;
  return Field{name, &it->second, join_path(view.path, name), line_of(it->first.source())};
}

Field require_field(const SourceFile& src, const TableView& view, std::string_view name,
                    std::string_view expected) {
  std::optional<Field> field = find_field(view, name);
  if (!field)
    src.fail(view.line, join_path(view.path, name), expected, "nothing (the key is missing)");
  return *std::move(field);
}

enum class Presence { kRequired, kOptional };

TableView sub_table(const SourceFile& src, const TableView& parent, std::string_view name,
                    Presence presence) {
  const std::string expected = fmt::format("a table [{}]", join_path(parent.path, name));
  std::optional<Field> field = find_field(parent, name);
  if (!field) {
    if (presence == Presence::kRequired) {
      src.fail(parent.line, join_path(parent.path, name), expected,
               "nothing (the table is missing)");
    }
    return TableView{nullptr, join_path(parent.path, name), parent.line};
  }
  const toml::table* table = field->node->as_table();
  if (table == nullptr) src.fail(field->line, field->path, expected, describe(*field->node));
  return TableView{table, field->path, field->line};
}

// ---- F. typed field readers -------------------------------------------------------------

constexpr std::int64_t kNoUpperBound = std::numeric_limits<std::int64_t>::max();

std::int64_t read_int(const SourceFile& src, const Field& field, std::int64_t lo, std::int64_t hi,
                      std::string_view note = "") {
  const std::string expected = hi == kNoUpperBound
                                   ? fmt::format("an integer >= {}{}", lo, note)
                                   : fmt::format("an integer from {} to {}{}", lo, hi, note);
  const auto* value = field.node->as_integer();
  if (value == nullptr || value->get() < lo || value->get() > hi) {
    src.fail(field.line, field.path, expected, describe(*field.node));
  }
  return value->get();
}

std::string_view read_string(const SourceFile& src, const Field& field, std::string_view expected) {
  const auto* value = field.node->as_string();
  if (value == nullptr) src.fail(field.line, field.path, expected, describe(*field.node));
  return value->get();
}

// Runs a duration parser on a string field, turning its std::invalid_argument into a ScenarioError.
template <class Parse>
auto read_duration_text(const SourceFile& src, const Field& field, std::string_view expected,
                        Parse parse) {
  const std::string_view text = read_string(src, field, expected);
  try {
    return parse(text);
  } catch (const std::invalid_argument& e) {
    std::string_view what = e.what();
    if (what.starts_with("expected ")) what.remove_prefix(9);
    src.fail(field.line, field.path, what, toml_quoted(text));
  }
}

VirtualTime read_duration(const SourceFile& src, const Field& field) {
  return read_duration_text(src, field, "a duration string such as \"2s\" or \"500ms\"",
                            [](std::string_view text) { return parse_duration(text); });
}

DurationDist read_duration_dist(const SourceFile& src, const Field& field) {
  return read_duration_text(src, field,
                            "a duration string such as \"2s\" or \"uniform 50ms..250ms\"",
                            [](std::string_view text) { return parse_duration_dist(text); });
}

// The elements of a non-empty array field, as fields of their own ("compare.policies[1]").
std::vector<Field> read_array(const SourceFile& src, const Field& field,
                              std::string_view expected) {
  const toml::array* array = field.node->as_array();
  if (array == nullptr || array->empty())
    src.fail(field.line, field.path, expected, describe(*field.node));
  std::vector<Field> elements;
  elements.reserve(array->size());
  for (std::size_t i = 0; i < array->size(); ++i) {
    const toml::node& node = *array->get(i);
    elements.push_back(
        Field{"", &node, fmt::format("{}[{}]", field.path, i), line_of(node.source())});
  }
  return elements;
}

// Records `key` of `element` in `seen` (key -> path of its first occurrence); fails if it is
// already there. A map, not a pairwise scan, so a long array stays O(n log n).
template <class Key>
void reject_repeat(const SourceFile& src, std::map<Key, std::string>& seen, Key key,
                   const Field& element, std::string_view expected) {
  const auto [it, inserted] = seen.emplace(std::move(key), element.path);
  if (inserted) return;
  src.fail(element.line, element.path, expected,
           fmt::format("{} again (same as {})", describe(*element.node), it->second));
}

// ---- G. one reader per schema table -----------------------------------------------------

constexpr std::array<std::string_view, 9> kTopLevelKeys = {
    "name", "description", "grid", "workers", "objective", "optimize", "store", "compare", "run"};
constexpr std::array<std::string_view, 4> kWorkersKeys = {"processes", "threads", "start_stagger",
                                                          "start_jitter"};
constexpr std::array<std::string_view, 1> kObjectiveKeys = {"duration"};
constexpr std::array<std::string_view, 3> kOptimizeKeys = {"n_trials", "max_trials",
                                                           "max_trials_states"};
constexpr std::array<std::string_view, 4> kStoreKeys = {"request_latency", "response_latency",
                                                        "write_service", "request_latency_by_op"};
constexpr std::array<std::string_view, 2> kCompareKeys = {"policies", "seed_policies"};
constexpr std::array<std::string_view, 4> kRunKeys = {"reps", "seed", "max_trials",
                                                      "max_virtual_time"};

bool is_name_char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || is_digit(c) || c == '.' || c == '_' ||
         c == '-';
}

// The file stem with every character outside [A-Za-z0-9._-] replaced by '_'.
std::string default_name(const std::string& source_name) {
  std::string stem = std::filesystem::path(source_name).stem().string();
  std::replace_if(
      stem.begin(), stem.end(), [](char c) { return !is_name_char(c); }, '_');
  if (stem.size() > kMaxScenarioNameLength) stem.resize(kMaxScenarioNameLength);
  return stem.empty() ? "scenario" : stem;
}

void read_identity(const SourceFile& src, const TableView& top, ScenarioSpec& spec) {
  spec.name = default_name(src.name);
  if (const auto field = find_field(top, "name")) {
    const std::string expected =
        fmt::format("a name of 1 to {} characters from [A-Za-z0-9._-]", kMaxScenarioNameLength);
    const std::string_view name = read_string(src, *field, expected);
    if (name.empty() || name.size() > kMaxScenarioNameLength ||
        !std::all_of(name.begin(), name.end(), is_name_char)) {
      src.fail(field->line, field->path, expected, describe(*field->node));
    }
    spec.name = name;
  }
  if (const auto field = find_field(top, "description")) {
    spec.description = read_string(src, *field, "a string");
  }
}

// Python's == on grid values: 1 == 1.0 == True, so such values are one categorical choice.
using PythonEqualityKey = std::variant<std::int64_t, double, std::string>;

PythonEqualityKey python_equality_key(const GridValue& v) {
  switch (v.kind) {
    case GridValue::Kind::kInt: return v.int_value;
    case GridValue::Kind::kBool: return std::int64_t{v.bool_value ? 1 : 0};
    case GridValue::Kind::kString: return v.string_value;
    case GridValue::Kind::kFloat: break;
  }
  const double d = v.float_value;
  constexpr double kTwoTo63 = 9223372036854775808.0;
  if (std::trunc(d) == d && d >= -kTwoTo63 && d < kTwoTo63) return static_cast<std::int64_t>(d);
  return d;
}

GridValue read_grid_value(const SourceFile& src, const Field& field) {
  constexpr std::string_view kExpected = "an integer, float, string or boolean";
  GridValue value;
  switch (field.node->type()) {
    case toml::node_type::integer:
      value.kind = GridValue::Kind::kInt;
      value.int_value = field.node->as_integer()->get();
      break;
    case toml::node_type::floating_point:
      value.kind = GridValue::Kind::kFloat;
      value.float_value = field.node->as_floating_point()->get();
      if (std::isnan(value.float_value))
        src.fail(field.line, field.path, "a number that is not NaN", "nan");
      break;
    case toml::node_type::string:
      value.kind = GridValue::Kind::kString;
      value.string_value = field.node->as_string()->get();
      break;
    case toml::node_type::boolean:
      value.kind = GridValue::Kind::kBool;
      value.bool_value = field.node->as_boolean()->get();
      break;
    default: src.fail(field.line, field.path, kExpected, describe(*field.node));
  }
  return value;
}

GridParam read_grid_param(const SourceFile& src, const Field& field) {
  if (field.name.empty()) src.fail(field.line, field.path, "a non-empty dimension name", "\"\"");
  if (std::any_of(field.name.begin(), field.name.end(),
                  [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; })) {
    src.fail(field.line, field.path, "a dimension name without control characters",
             toml_quoted(field.name));
  }
  GridParam param{std::string(field.name), {}};
  std::map<PythonEqualityKey, std::string> seen;
  for (const Field& element : read_array(src, field, "a non-empty array of values")) {
    GridValue value = read_grid_value(src, element);
    reject_repeat(src, seen, python_equality_key(value), element,
                  "distinct values (by Python's ==, so 1, 1.0 and true are the same choice)");
    param.values.push_back(std::move(value));
  }
  return param;
}

void read_grid(const SourceFile& src, const TableView& grid, ScenarioSpec& spec) {
  const std::vector<Field> fields = fields_in_file_order(grid);
  if (fields.empty())
    src.fail(grid.line, grid.path, "at least one dimension, e.g. x = [0, 1, 2]", "an empty table");
  for (const Field& field : fields) spec.grid.push_back(read_grid_param(src, field));

  if (spec.combinations() <= ScenarioSpec::kMaxCombinations) return;
  std::vector<std::string> counts;
  std::uint64_t product = 1;
  bool overflow = false;
  for (const GridParam& param : spec.grid) {
    counts.push_back(std::to_string(param.values.size()));
    const std::uint64_t n = param.values.size();  // >= 1
    overflow = overflow || product > std::numeric_limits<std::uint64_t>::max() / n;
    if (!overflow) product *= n;
  }
  src.fail(grid.line, grid.path,
           fmt::format("at most {} combinations (more would exhaust memory)",
                       ScenarioSpec::kMaxCombinations),
           fmt::format("{} = {}", shortened(joined(counts, " * "), 80),
                       overflow ? "more than 2^64" : std::to_string(product)));
}

void read_workers(const SourceFile& src, const TableView& workers, ScenarioSpec& spec) {
  reject_unknown_keys(src, workers, kWorkersKeys);
  const Field processes_field = require_field(src, workers, "processes", "an integer >= 1");
  const std::int64_t processes = read_int(src, processes_field, 1, kNoUpperBound);
  std::int64_t threads = 1;
  const std::optional<Field> threads_field = find_field(workers, "threads");
  if (threads_field) threads = read_int(src, *threads_field, 1, kNoUpperBound);

  constexpr std::int64_t kMax = ScenarioSpec::kMaxWorkers;
  if (processes > kMax || threads > kMax || processes * threads > kMax) {
    const Field& blamed = (threads_field && processes <= kMax) ? *threads_field : processes_field;
    src.fail(blamed.line, blamed.path,
             fmt::format("processes * threads <= {} (more workers would exhaust memory)", kMax),
             fmt::format("{} * {}", processes, threads));
  }
  spec.processes = static_cast<int>(processes);
  spec.threads = static_cast<int>(threads);
  if (const auto field = find_field(workers, "start_stagger"))
    spec.start_stagger_us = read_duration(src, *field);
  if (const auto field = find_field(workers, "start_jitter"))
    spec.start_jitter = read_duration_dist(src, *field);
}

void read_objective(const SourceFile& src, const TableView& objective, ScenarioSpec& spec) {
  reject_unknown_keys(src, objective, kObjectiveKeys);
  const Field field = require_field(src, objective, "duration",
                                    "a duration string such as \"2s\" or \"uniform 50ms..250ms\"");
  spec.objective_duration = read_duration_dist(src, field);
}

StateMask read_state_mask(const SourceFile& src, const Field& field) {
  constexpr std::string_view kStateName = "a state name (RUNNING, COMPLETE, PRUNED, FAIL, WAITING)";
  constexpr std::string_view kExpected =
      "\"all\" or a non-empty array of distinct state names (RUNNING, COMPLETE, PRUNED, FAIL, "
      "WAITING)";
  if (field.node->is_string()) {
    if (read_string(src, field, kExpected) != "all") {
      src.fail(field.line, field.path, kExpected, describe(*field.node));
    }
    return StateMask::all();
  }
  StateMask mask;
  for (const Field& element : read_array(src, field, kExpected)) {
    const std::optional<TrialState> state =
        trial_state_from_string(read_string(src, element, kStateName));
    if (!state) src.fail(element.line, element.path, kStateName, describe(*element.node));
    if (mask.contains(*state)) {
      src.fail(element.line, element.path, "distinct state names",
               describe(*element.node) + " again");
    }
    mask = mask.with(*state);
  }
  return mask;
}

void read_optimize(const SourceFile& src, const TableView& optimize, ScenarioSpec& spec) {
  reject_unknown_keys(src, optimize, kOptimizeKeys);
  constexpr std::int64_t kIntMax = std::numeric_limits<int>::max();
  if (const auto field = find_field(optimize, "n_trials")) {
    spec.n_trials = static_cast<int>(read_int(src, *field, 1, kIntMax));
  }
  if (const auto field = find_field(optimize, "max_trials")) {
    spec.max_trials = static_cast<int>(read_int(src, *field, 1, kIntMax));
  }
  if (const auto field = find_field(optimize, "max_trials_states")) {
    if (!spec.max_trials) {
      src.fail(field->line, field->path, "max_trials_states only together with max_trials",
               "no optimize.max_trials");
    }
    spec.max_trials_states = read_state_mask(src, *field);
  }
}

// [store.request_latency_by_op]: operation name (sim/store_op.h) = duration distribution.
void read_latency_by_op(const SourceFile& src, const TableView& by_op, ScenarioSpec& spec) {
  if (by_op.table == nullptr) return;
  std::array<std::string_view, kStoreOpCount> op_names;
  for (int i = 0; i < kStoreOpCount; ++i) {
    op_names[static_cast<std::size_t>(i)] = to_string(static_cast<StoreOp>(i));
  }
  reject_unknown_keys(src, by_op, op_names);
  for (const Field& field : fields_in_file_order(by_op)) {
    const StoreOp op = *store_op_from_string(field.name);
    spec.request_latency_by_op[static_cast<std::size_t>(op)] = read_duration_dist(src, field);
  }
}

void read_store(const SourceFile& src, const TableView& store, ScenarioSpec& spec) {
  reject_unknown_keys(src, store, kStoreKeys);
  if (const auto field = find_field(store, "request_latency")) {
    spec.request_latency = read_duration_dist(src, *field);
  }
  if (const auto field = find_field(store, "response_latency")) {
    spec.response_latency = read_duration_dist(src, *field);
  }
  if (const auto field = find_field(store, "write_service")) {
    spec.write_service = read_duration_dist(src, *field);
  }
  read_latency_by_op(src, sub_table(src, store, "request_latency_by_op", Presence::kOptional),
                     spec);
}

void read_policies(const SourceFile& src, const TableView& compare,
                   const std::vector<std::string>& known_policies, ScenarioSpec& spec) {
  const std::string known = known_policies.empty() ? "(none registered)" : joined(known_policies);
  const std::string expected_name = "one of the known policies: " + known;
  const Field field = require_field(src, compare, "policies", "a non-empty array of policy names");
  std::map<std::string_view, std::string> seen;
  for (const Field& element : read_array(src, field, "a non-empty array of policy names")) {
    const std::string_view name = read_string(src, element, expected_name);
    if (std::find(known_policies.begin(), known_policies.end(), name) == known_policies.end()) {
      src.fail(element.line, element.path, expected_name, describe(*element.node));
    }
    reject_repeat(src, seen, name, element, "distinct policy names");
    spec.policies.emplace_back(name);
  }
}

void read_seed_policies(const SourceFile& src, const TableView& compare, ScenarioSpec& spec) {
  spec.seed_policies = {SeedPolicy{}};
  const std::optional<Field> field = find_field(compare, "seed_policies");
  if (!field) return;
  constexpr std::string_view kExpected =
      "a seed policy \"none\", \"same:S\" or \"distinct:S\" with 0 <= S < 2^32";
  std::map<std::pair<SeedPolicy::Kind, std::uint64_t>, std::string> seen;
  spec.seed_policies.clear();
  for (const Field& element : read_array(src, *field, "a non-empty array of seed policies")) {
    const std::optional<SeedPolicy> policy =
        parse_seed_policy(read_string(src, element, kExpected));
    if (!policy) src.fail(element.line, element.path, kExpected, describe(*element.node));
    constexpr std::uint64_t kSeedLimit = std::uint64_t{1} << 32;
    const auto last_process = static_cast<std::uint64_t>(spec.processes - 1);
    if (policy->kind == SeedPolicy::Kind::kDistinct && policy->seed + last_process >= kSeedLimit) {
      src.fail(element.line, element.path,
               fmt::format(
                   "distinct:S with S + processes - 1 < 2^32 (numpy's seed limit; processes = {})",
                   spec.processes),
               describe(*element.node));
    }
    reject_repeat(src, seen, std::pair(policy->kind, policy->seed), element,
                  "distinct seed policies");
    spec.seed_policies.push_back(*policy);
  }
}

void read_compare(const SourceFile& src, const TableView& compare,
                  const std::vector<std::string>& known_policies, ScenarioSpec& spec) {
  reject_unknown_keys(src, compare, kCompareKeys);
  read_policies(src, compare, known_policies, spec);
  read_seed_policies(src, compare, spec);
}

void read_run(const SourceFile& src, const TableView& run, ScenarioSpec& spec) {
  reject_unknown_keys(src, run, kRunKeys);
  if (const auto field = find_field(run, "reps")) {
    spec.reps = static_cast<int>(read_int(src, *field, 1, ScenarioSpec::kMaxReps));
  }
  if (const auto field = find_field(run, "seed")) {
    spec.seed = static_cast<std::uint64_t>(read_int(src, *field, 0, kNoUpperBound));
  }
  if (const auto field = find_field(run, "max_trials")) {
    spec.limits.max_trials_per_run = read_int(src, *field, 1, kNoUpperBound);
  }
  if (const auto field = find_field(run, "max_virtual_time")) {
    const VirtualTime limit = read_duration(src, *field);
    if (limit <= 0) src.fail(field->line, field->path, "a duration > 0", describe(*field->node));
    spec.limits.max_virtual_time_us = limit;
  }
}

bool is_blank_text(std::string_view text) {
  return std::all_of(text.begin(), text.end(),
                     [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; });
}

ScenarioSpec read_spec(const SourceFile& src, const toml::table& root, std::string_view text,
                       const std::vector<std::string>& known_policies) {
  if (root.empty()) {
    src.fail(1, kFileKey, "a scenario with tables [grid], [workers], [objective] and [compare]",
             is_blank_text(text) ? "an empty file" : "a file without keys");
  }
  const TableView top{&root, "", 1};
  reject_unknown_keys(src, top, kTopLevelKeys);

  ScenarioSpec spec;
  spec.source_path = src.name;
  spec.source_text = std::string(text);
  read_identity(src, top, spec);
  read_grid(src, sub_table(src, top, "grid", Presence::kRequired), spec);
  read_workers(src, sub_table(src, top, "workers", Presence::kRequired), spec);
  read_objective(src, sub_table(src, top, "objective", Presence::kRequired), spec);
  read_optimize(src, sub_table(src, top, "optimize", Presence::kOptional), spec);
  read_store(src, sub_table(src, top, "store", Presence::kOptional), spec);
  read_compare(src, sub_table(src, top, "compare", Presence::kRequired), known_policies, spec);
  read_run(src, sub_table(src, top, "run", Presence::kOptional), spec);
  return spec;
}

// ---- H. entry points --------------------------------------------------------------------

ScenarioError syntax_error_from(const SourceFile& src, const toml::parse_error& error) {
  const toml::source_position& at = error.source().begin;
  return ScenarioError::syntax_error(src.name,
                                     static_cast<int>(std::min<std::uint32_t>(at.line, 1u << 30)),
                                     static_cast<int>(std::min<std::uint32_t>(at.column, 1u << 30)),
                                     std::string(error.description()));
}

toml::table parse_toml(const SourceFile& src, std::string_view text) {
#if TOML_EXCEPTIONS
  try {
    return toml::parse(text, std::string_view(src.name));
  } catch (const toml::parse_error& error) {
    throw syntax_error_from(src, error);
  }
#else
  toml::parse_result result = toml::parse(text, std::string_view(src.name));
  if (!result) throw syntax_error_from(src, result.error());
  return std::move(result).table();
#endif
}

// Refuses the inputs that section D describes.
void reject_what_toml_mishandles(const SourceFile& src, std::string_view text) {
  if (const auto broken = find_broken_table_header(text)) {
    const auto byte = static_cast<unsigned char>(broken->found);
    const std::string found = (byte >= 0x20 && byte < 0x7f) ? fmt::format("'{}'", broken->found)
                                                            : fmt::format("byte 0x{:02x}", byte);
    throw ScenarioError::syntax_error(
        src.name, broken->line, broken->column,
        fmt::format("Error while parsing table header: expected a key, saw {}", found));
  }
  const DottedChain chain = longest_dotted_chain(text);
  if (chain.parts <= kMaxDottedParts) return;
  src.fail(chain.line, shortened(text.substr(chain.begin, chain.end - chain.begin)),
           fmt::format("a dotted key of at most {} parts", kMaxDottedParts),
           fmt::format("{} parts", chain.parts));
}

std::string read_file_bounded(const std::string& path) {
  const SourceFile src{path};
  constexpr std::string_view kExpected = "a readable scenario file";
  std::error_code ec;
  const std::filesystem::file_status status = std::filesystem::status(path, ec);
  if (status.type() == std::filesystem::file_type::not_found)
    src.fail(0, kFileKey, kExpected, "no such file");
  if (ec) src.fail(0, kFileKey, kExpected, ec.message());
  if (std::filesystem::is_directory(status)) src.fail(0, kFileKey, kExpected, "a directory");
  if (!std::filesystem::is_regular_file(status)) src.fail(0, kFileKey, kExpected, "a special file");

  const std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(std::fopen(path.c_str(), "rb"),
                                                             &std::fclose);
  if (!file)
    src.fail(0, kFileKey, kExpected, std::error_code(errno, std::generic_category()).message());
  std::string text(kMaxScenarioFileBytes + 1, '\0');
  const std::size_t n = std::fread(text.data(), 1, text.size(), file.get());
  if (std::ferror(file.get()) != 0) src.fail(0, kFileKey, kExpected, "a read error");
  if (n > kMaxScenarioFileBytes) {
    src.fail(0, kFileKey, fmt::format("a scenario file of at most {} bytes", kMaxScenarioFileBytes),
             "a larger file");
  }
  text.resize(n);
  return text;
}

ScenarioError internal_error(const std::string& source_name, std::string_view what) {
  return ScenarioError(source_name, 0, std::string(kFileKey), "a scenario the loader can process",
                       fmt::format("an internal error ({})", what));
}

}  // namespace

ScenarioSpec parse_scenario_text(std::string_view toml_text, const std::string& source_name,
                                 const std::vector<std::string>& known_policies) {
  try {
    const SourceFile src{source_name};
    if (toml_text.size() > kMaxScenarioFileBytes) {
      src.fail(0, kFileKey, fmt::format("a scenario of at most {} bytes", kMaxScenarioFileBytes),
               fmt::format("{} bytes", toml_text.size()));
    }
    reject_what_toml_mishandles(src, toml_text);
    const toml::table root = parse_toml(src, toml_text);
    return read_spec(src, root, toml_text, known_policies);
  } catch (const ScenarioError&) {
    throw;
  } catch (const std::exception& e) {
    throw internal_error(source_name, e.what());
  } catch (...) {
    throw internal_error(source_name, "unknown exception");
  }
}

ScenarioSpec load_scenario_file(const std::string& path,
                                const std::vector<std::string>& known_policies) {
  std::string text;
  try {
    text = read_file_bounded(path);
  } catch (const ScenarioError&) {
    throw;
  } catch (const std::exception& e) {
    throw internal_error(path, e.what());
  }
  return parse_scenario_text(text, path, known_policies);
}

}  // namespace samplersim
