// The one TOML reader (see toml_reader.h). Layout, top to bottom:
//   message text helpers, the guards (inputs toml++ 3.3 mishandles), parsing, walking a
//   document, typed readers.
#include "scenarios/toml_reader.h"

#include <fmt/format.h>

#include <algorithm>
#include <numeric>
#include <sstream>
#include <utility>
#include <vector>

#include "sim/input_file.h"
#include "sim/scenario_spec.h"

namespace samplersim {

namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_blank(char c) { return c == ' ' || c == '\t'; }


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

}  // namespace

// ---- message text -------------------------------------------------------------------------

// At most `max_bytes` of `text`, cut at a UTF-8 boundary and marked "..." when cut.
std::string shortened(std::string_view text, std::size_t max_bytes) {
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

// The index of the accepted name nearest `name` within two edits (the first on a tie), if any.
std::optional<std::size_t> nearest_name(std::string_view name, std::span<const std::string_view> accepted) {
  if (name.size() > 64) return std::nullopt;  // keeps the quadratic distance cheap
  std::size_t best_distance = 3;
  std::optional<std::size_t> best;
  for (std::size_t i = 0; i < accepted.size(); ++i) {
    const std::size_t distance = edit_distance(name, accepted[i]);
    if (distance < best_distance) {
      best_distance = distance;
      best = i;
    }
  }
  return best;
}

// " (did you mean \"processes\"?)" when one accepted name is within two edits of `name`.
std::string did_you_mean(std::string_view name, std::span<const std::string_view> accepted) {
  const std::optional<std::size_t> best = nearest_name(name, accepted);
  return best ? fmt::format(" (did you mean \"{}\"?)", accepted[*best]) : "";
}

namespace {

// ---- guards: inputs toml++ 3.3 crashes on or reaches undefined behaviour with ----------------
//
// Three kinds of input make toml++ 3.3 crash or misbehave instead of reporting an error; the
// reader refuses them before toml++ sees the text.
//
// 1. Dotted keys. toml++ builds one nested table per part of a dotted key and frees the tree
// recursively, so a key like a.a.a... with 100,000 parts overflows the stack. This scan finds
// the longest chain "part . part . part" outside comments (a part is a bare word or a quoted
// string; dots may have blanks around them) and the loader refuses chains longer than
// kMaxDottedParts. Our keys have at most four parts; values form chains only in invalid TOML or as
// a float ("1.5", two parts), so the guard never rejects a valid input.

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

// 3. Non-ASCII code points where toml++ tests for whitespace. toml++ 3.3's
// is_non_ascii_horizontal_whitespace() (impl/unicode_autogenerated.h) splits U+00A0..U+FEFF into
// blocks of 0x3FA code points and handles only the blocks that hold a whitespace character; for
// any other code point of blocks 0, 5, 7, 11 and 63 (e.g. U+00A1..U+0499, so 'é') its switch
// reaches `default: TOML_UNREACHABLE` (__builtin_unreachable: undefined behaviour; UBSan reports
// "execution reached an unreachable program point", a clang build may do anything). The parser
// asks that question of the code point after every bare key and value, between tokens, and after
// a backslash in a multi-line basic string, so the one-line file `café = 1` is enough.
//
// Upstream-style note (toml++ 3.3.0, unicode_autogenerated.h, is_non_ascii_horizontal_whitespace):
//   "The lookup's first-level bitmask 0x7FFFFFFFFFFFF75E returns false only for blocks without
//    whitespace; blocks 0, 5, 7, 11 and 63 fall through to a switch that handles 5 and 7 and
//    marks every other value TOML_UNREACHABLE, so any non-whitespace code point in blocks 0, 11
//    and 63 (and the non-whitespace ones of 5 and 7) is undefined behaviour. Repro: parse
//    "café = 1" in a UBSan build. Fix: `default: return false;` in the generated switch."
// TOML 1.0 allows non-ASCII only inside strings and comments, so the reader refuses a non-ASCII
// byte anywhere else, and in a multi-line basic string one that follows a backslash (and the
// blanks and newlines after it), as toml++ would (with an error) if it did not first test it.

struct NonAsciiHazard {
  int line = 1;
  int column = 1;  // in code points, as toml++ counts
  std::size_t at = 0;
};

// Column (1-based, in code points) of byte `at` on a line that starts at byte `line_begin`.
int column_of(std::string_view text, std::size_t line_begin, std::size_t at) {
  int column = 1;
  for (std::size_t k = line_begin; k < at; ++k) column += (static_cast<unsigned char>(text[k]) & 0xC0u) != 0x80u;
  return column;
}

bool is_non_ascii(char c) { return static_cast<unsigned char>(c) >= 0x80; }

// Skips a multi-line basic string that starts at text[i] ("""), refusing a non-ASCII byte after a
// backslash and its blanks and newlines. Returns the index past the string or the hazard.
std::size_t skip_multiline_basic(std::string_view text, std::size_t i, int& line, std::size_t& line_begin,
                                 std::optional<NonAsciiHazard>& hazard) {
  i += 3;
  while (i < text.size()) {
    const char c = text[i];
    if (c == '\\') {
      std::size_t j = i + 1;
      while (j < text.size() && (text[j] == ' ' || text[j] == '\t' || text[j] == '\r' || text[j] == '\n')) {
        if (text[j] == '\n') {
          ++line;
          line_begin = j + 1;
        }
        ++j;
      }
      if (j < text.size() && is_non_ascii(text[j])) {
        hazard = NonAsciiHazard{line, column_of(text, line_begin, j), j};
        return text.size();
      }
      i = j == i + 1 ? i + 2 : j;  // an escape takes the next character along
    } else if (c == '\n') {
      ++line;
      line_begin = ++i;
    } else if (text.substr(i, 3) == R"(""")") {
      std::size_t run = 0;
      while (i + run < text.size() && text[i + run] == '"' && run < 5) ++run;
      return i + run;
    } else {
      ++i;
    }
  }
  return text.size();
}

// Where a quote may open a string, as toml++ reads. In a key (before "=", in a table header, or
// after "{" or "," of an inline table) a quote always opens one. In a value a quote opens one only
// at the start of a token: toml++ scans a bare value (a number, a date, true...) up to a value
// terminator (blank, "]", "}", ",", "#"), and a quote inside that run is just one more code
// point, so the code points after it are tested for whitespace (fuzz finding: `x = [0"é`).
struct QuoteContext {
  std::vector<char> open;  // "[" and "{" of the current value, innermost last
  bool in_key = true;
  bool in_bare = false;  // inside a bare value's run: "[", "{", "=" and quotes are plain code points

  void on_structure(char c) {
    if (!in_key) {
      constexpr std::string_view kValueTerminator = " \t\r\n]},#";  // toml++ is_value_terminator
      if (in_bare && kValueTerminator.find(c) == std::string_view::npos) return;
      in_bare = false;
      if (std::string_view(" \t\r\n[]{},=").find(c) == std::string_view::npos) {
        in_bare = true;  // fuzz finding: `x = [0l{"(""...` hid a non-ASCII code point
        return;
      }
    }
    if (c == '\n' && open.empty()) in_key = true;
    if (in_key) {
      if (c == '=') in_key = false;
      if (c == '}' && !open.empty()) {  // an empty inline table "{}"
        open.pop_back();
        in_key = false;
      }
      return;
    }
    if (c == '[' || c == '{') {
      open.push_back(c);
      in_key = c == '{';
    } else if (c == ',') {
      in_key = !open.empty() && open.back() == '{';
    } else if ((c == ']' || c == '}') && !open.empty()) {
      open.pop_back();
    }
  }
  // Whether a quote at text[i] opens a string.
  bool opens_string(std::string_view text, std::size_t i) const {
    if (in_key || i == 0) return true;
    if (in_bare) return false;
    constexpr std::string_view kTokenStart = " \t\r\n=[{,";
    return kTokenStart.find(text[i - 1]) != std::string_view::npos;
  }
};

std::optional<NonAsciiHazard> find_non_ascii_hazard(std::string_view text) {
  int line = 1;
  std::size_t line_begin = 0;
  std::optional<NonAsciiHazard> hazard;
  QuoteContext context;  // grows at most one entry per byte of the bounded text
  std::size_t i = text.starts_with("\xef\xbb\xbf") ? 3 : 0;  // toml++ skips a byte order mark
  while (i < text.size() && !hazard) {
    const char c = text[i];
    const bool quote = c == '"' || c == '\'';
    if (c == '\n') {
      context.on_structure(c);
      ++line;
      line_begin = ++i;
    } else if (c == '#') {
      while (i < text.size() && text[i] != '\n') ++i;
    } else if (quote && context.opens_string(text, i) && c == '"' && text.substr(i, 3) == R"(""")") {
      i = skip_multiline_basic(text, i, line, line_begin, hazard);
    } else if (quote && context.opens_string(text, i)) {
      const int before = line;
      i = skip_string(text, i, line);
      if (line != before) line_begin = text.rfind('\n', i - 1) + 1;
    } else if (is_non_ascii(c)) {
      return NonAsciiHazard{line, column_of(text, line_begin, i), i};
    } else {
      context.on_structure(c);
      ++i;
    }
  }
  return hazard;
}

// "U+00E9 'é'" for a valid UTF-8 sequence at text[at], else "byte 0xe9".
std::string describe_code_point(std::string_view text, std::size_t at) {
  const auto lead = static_cast<unsigned char>(text[at]);
  const int length = lead >= 0xF0 && lead < 0xF5 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC2 && lead < 0xE0 ? 2 : 0;
  if (length == 0 || at + static_cast<std::size_t>(length) > text.size() || lead >= 0xF5) {
    return fmt::format("byte 0x{:02x}", lead);
  }
  std::uint32_t cp = lead & (0x7Fu >> length);
  for (int k = 1; k < length; ++k) {
    const auto b = static_cast<unsigned char>(text[at + static_cast<std::size_t>(k)]);
    if ((b & 0xC0u) != 0x80u) return fmt::format("byte 0x{:02x}", lead);
    cp = (cp << 6) | (b & 0x3Fu);
  }
  return fmt::format("U+{:04X} '{}'", cp, text.substr(at, static_cast<std::size_t>(length)));
}

// ---- parsing ------------------------------------------------------------------------------

BadInput syntax_error_from(const std::string& name, const toml::parse_error& error) {
  const toml::source_position& at = error.source().begin;
  return BadInput::syntax_error(name, static_cast<int>(std::min<std::uint32_t>(at.line, 1u << 30)),
                                static_cast<int>(std::min<std::uint32_t>(at.column, 1u << 30)),
                                std::string(error.description()));
}

// Refuses what the guards above describe, then parses.
toml::table parse_guarded(const TomlDocument& doc) {
  const std::string_view text = doc.text();
  if (text.size() > kMaxTomlBytes) {
    doc.fail(0, kWholeFileKey, fmt::format("a TOML text of at most {} bytes", kMaxTomlBytes),
             fmt::format("{} bytes", text.size()));
  }
  if (const auto broken = find_broken_table_header(text)) {
    const auto byte = static_cast<unsigned char>(broken->found);
    const std::string found = (byte >= 0x20 && byte < 0x7f) ? fmt::format("'{}'", broken->found)
                                                            : fmt::format("byte 0x{:02x}", byte);
    throw BadInput::syntax_error(doc.name(), broken->line, broken->column,
                                 fmt::format("Error while parsing table header: expected a key, saw {}", found));
  }
  if (const auto hazard = find_non_ascii_hazard(text)) {
    throw BadInput::syntax_error(
        doc.name(), hazard->line, hazard->column,
        fmt::format("expected ASCII outside strings and comments (TOML 1.0 bare keys and values are ASCII), saw {}",
                    describe_code_point(text, hazard->at)));
  }
  const DottedChain chain = longest_dotted_chain(text);
  if (chain.parts > kMaxDottedParts) {
    doc.fail(chain.line, shortened(text.substr(chain.begin, chain.end - chain.begin)),
             fmt::format("a dotted key of at most {} parts", kMaxDottedParts), fmt::format("{} parts", chain.parts));
  }
#if TOML_EXCEPTIONS
  try {
    return toml::parse(text, std::string_view(doc.name()));
  } catch (const toml::parse_error& error) {
    throw syntax_error_from(doc.name(), error);
  }
#else
  toml::parse_result result = toml::parse(text, std::string_view(doc.name()));
  if (!result) throw syntax_error_from(doc.name(), result.error());
  return std::move(result).table();
#endif
}

int line_of(const toml::source_region& region) {
  return static_cast<int>(std::clamp<std::uint32_t>(region.begin.line, 1, 1u << 30));
}

bool is_bare_key(std::string_view key) {
  return !key.empty() && std::all_of(key.begin(), key.end(), is_bare_key_char);
}

std::string float_repr(double value) {
  GridValue v;
  v.kind = GridValue::Kind::kFloat;
  v.float_value = value;
  return v.repr();
}

}  // namespace

std::string join_path(std::string_view parent, std::string_view key) {
  const std::string part = is_bare_key(key) ? std::string(key) : toml_quoted(key);
  return parent.empty() ? part : fmt::format("{}.{}", parent, part);
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
      return n == 0 ? "an empty array" : n == 1 ? std::string("an array of 1 value") : fmt::format("an array of {} values", n);
    }
    case toml::node_type::table: return "a table";
    case toml::node_type::date: return "a date";
    case toml::node_type::time: return "a time";
    case toml::node_type::date_time: return "a date-time";
    case toml::node_type::none: break;
  }
  return "nothing";
}

std::optional<std::vector<std::string>> split_dotted_key(std::string_view key) {
  std::vector<std::string> parts;
  std::size_t begin = 0;
  for (;;) {
    const std::size_t dot = key.find('.', begin);
    const std::string_view part = key.substr(begin, dot == std::string_view::npos ? std::string_view::npos : dot - begin);
    if (part.empty() || parts.size() >= static_cast<std::size_t>(kMaxDottedParts)) return std::nullopt;
    parts.emplace_back(part);
    if (dot == std::string_view::npos) return parts;
    begin = dot + 1;
  }
}

// ---- the document ---------------------------------------------------------------------------

TomlDocument::TomlDocument(std::string text, std::string source_name)
    : name_(std::move(source_name)), text_(std::move(text)) {
  root_ = parse_guarded(*this);
}

TomlDocument TomlDocument::from_file(const std::string& path, std::string_view expected) {
  return TomlDocument(read_input_file(path, expected, kMaxTomlBytes), path);
}

TomlDocument TomlDocument::from_table(toml::table root, std::string source_name) {
  TomlDocument doc;
  doc.name_ = std::move(source_name);
  std::ostringstream text;
  text << root << "\n";
  doc.text_ = text.str();
  doc.root_ = std::move(root);
  return doc;
}

void TomlDocument::fail(int line, std::string_view key, std::string_view expected, std::string_view got) const {
  throw BadInput(name_, line, std::string(key), std::string(expected), std::string(got));
}

std::vector<TomlField> TomlDocument::fields_in_file_order(const TomlTable& view) const {
  std::vector<std::pair<toml::source_position, TomlField>> keyed;
  for (auto&& [key, node] : *view.table) {
    keyed.push_back({key.source().begin, TomlField{key.str(), &node, join_path(view.path, key.str()), line_of(key.source())}});
  }
  std::stable_sort(keyed.begin(), keyed.end(), [](const auto& a, const auto& b) {
    return std::pair(a.first.line, a.first.column) < std::pair(b.first.line, b.first.column);
  });
  std::vector<TomlField> fields;
  fields.reserve(keyed.size());
  for (auto& entry : keyed) fields.push_back(std::move(entry.second));
  return fields;
}

void TomlDocument::reject_unknown_keys(const TomlTable& view, std::span<const std::string_view> accepted) const {
  if (view.table == nullptr) return;
  for (const TomlField& field : fields_in_file_order(view)) {
    if (std::find(accepted.begin(), accepted.end(), field.name) != accepted.end()) continue;
    const std::string where = view.path.empty() ? "at the top level" : fmt::format("in [{}]", view.path);
    fail(field.line, field.path, fmt::format("one of {} {}", joined(accepted), where),
         fmt::format("an unknown {}{}", field.node->is_table() ? "table" : "key", did_you_mean(field.name, accepted)));
  }
}

std::optional<TomlField> TomlDocument::find(const TomlTable& view, std::string_view name) const {
  if (view.table == nullptr) return std::nullopt;
  const auto it = view.table->find(name);
  if (it == view.table->end()) return std::nullopt;
  return TomlField{name, &it->second, join_path(view.path, name), line_of(it->first.source())};
}

TomlField TomlDocument::require(const TomlTable& view, std::string_view name, std::string_view expected) const {
  std::optional<TomlField> field = find(view, name);
  if (!field) fail(view.line, join_path(view.path, name), expected, "nothing (the key is missing)");
  return *std::move(field);
}

TomlTable TomlDocument::sub_table(const TomlTable& parent, std::string_view name, Presence presence) const {
  const std::string expected = fmt::format("a table [{}]", join_path(parent.path, name));
  std::optional<TomlField> field = find(parent, name);
  if (!field) {
    if (presence == Presence::kRequired) {
      fail(parent.line, join_path(parent.path, name), expected, "nothing (the table is missing)");
    }
    return TomlTable{nullptr, join_path(parent.path, name), parent.line};
  }
  const toml::table* table = field->node->as_table();
  if (table == nullptr) fail(field->line, field->path, expected, describe(*field->node));
  return TomlTable{table, field->path, field->line};
}

// ---- typed readers ----------------------------------------------------------------------------

std::int64_t TomlDocument::read_int(const TomlField& field, std::int64_t lo, std::int64_t hi, std::string_view note) const {
  const std::string expected = hi == kNoUpperBound ? fmt::format("an integer >= {}{}", lo, note)
                                                   : fmt::format("an integer from {} to {}{}", lo, hi, note);
  const auto* value = field.node->as_integer();
  if (value == nullptr || value->get() < lo || value->get() > hi) fail(field.line, field.path, expected, describe(*field.node));
  return value->get();
}

std::string_view TomlDocument::read_string(const TomlField& field, std::string_view expected) const {
  const auto* value = field.node->as_string();
  if (value == nullptr) fail(field.line, field.path, expected, describe(*field.node));
  return value->get();
}

bool TomlDocument::read_bool(const TomlField& field) const {
  const auto* value = field.node->as_boolean();
  if (value == nullptr) fail(field.line, field.path, "a boolean (true or false)", describe(*field.node));
  return value->get();
}

std::vector<TomlField> TomlDocument::read_array(const TomlField& field, std::string_view expected) const {
  const toml::array* array = field.node->as_array();
  if (array == nullptr || array->empty()) fail(field.line, field.path, expected, describe(*field.node));
  std::vector<TomlField> elements;
  elements.reserve(array->size());
  for (std::size_t i = 0; i < array->size(); ++i) {
    const toml::node& node = *array->get(i);
    elements.push_back(TomlField{"", &node, fmt::format("{}[{}]", field.path, i), line_of(node.source())});
  }
  return elements;
}

}  // namespace samplersim
