// The one reader for every TOML input: scenario files, sweep specs, and scenarios embedded in
// replay files. It reads (bounded), guards, parses and walks a document, and words every error
// the same way.
//
// Contract:
// - parse_toml() refuses, before toml++ 3.3 sees the text, the inputs that crash it or reach
//   undefined behaviour in it (see the guards in toml_reader.cc): dotted keys of more than
//   kMaxDottedParts parts (stack overflow), a table header whose "[" is not followed by a key
//   (an assertion), and a non-ASCII code point where toml++ tests for whitespace (outside strings
//   and comments, and after a backslash in a multi-line basic string: TOML_UNREACHABLE). None of
//   these occurs in valid TOML 1.0, so the guards refuse nothing valid.
// - Every error is a BadInput (sim/errors.h), one line:
//     "<file>:<line>: <key>: expected <what>, got <what>"
//     "<file>:<line>:<column>: TOML syntax error: <description>"
//     "<file>: (file): expected <what>, got <what>"            (the file as a whole)
//   <key> is a dotted path with 0-based array indices ("workers.processes", "grid.x[2]"); an
//   unknown key names the accepted ones and suggests the nearest ("did you mean ...?").
// - Nothing here prints, reads any file but the one it is given, or keeps global state.
// Cost: parsing is linear in the text; the guards are one pass each.
#pragma once

// toml++ 3.3 checks some parser preconditions with assert() that malformed input can break
// (e.g. marzer/tomlplusplus#301, and a date followed by " 1,"); its own error paths handle those
// inputs right after. The compiled Debian library has these checks off; a header-only debug
// build must turn them off too, or a bad input aborts instead of raising BadInput. Include
// toml++ only through this header.
#ifndef TOML_ASSERT
#define TOML_ASSERT(expr) static_cast<void>(0)
#endif
#include <toml++/toml.h>

#include <cstddef>
#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "sim/errors.h"

namespace samplersim {

// Largest TOML input read (scenario, sweep spec, embedded scenario).
inline constexpr std::size_t kMaxTomlBytes = 1 << 20;
// Longest dotted key accepted; every key of our formats has at most four parts.
inline constexpr int kMaxDottedParts = 8;
inline constexpr std::int64_t kNoUpperBound = std::numeric_limits<std::int64_t>::max();

// One key (or array element) of a document.
struct TomlField {
  std::string_view name;   // the key itself; "" for an array element
  const toml::node* node;  // never null
  std::string path;        // "workers.processes", "grid.x[2]"
  int line;                // of the key, or of the element
};

// A table of a document; `table` is null when an optional table is absent.
struct TomlTable {
  const toml::table* table;
  std::string path;  // "" for the top level
  int line;          // of its header or key; 1 for the top level
};

enum class Presence { kRequired, kOptional };

// A parsed document and the name its errors carry. The reading functions throw BadInput.
class TomlDocument {
 public:
  // Guards and parses `text` (at most kMaxTomlBytes).
  TomlDocument(std::string text, std::string source_name);
  // Reads the file at `path` (bounded; devices and FIFOs refused), then as above.
  // `expected` names the file kind in errors, e.g. "a readable scenario file".
  static TomlDocument from_file(const std::string& path, std::string_view expected);
  // A document built in memory (a scenario with swept values): its text is `root` written as TOML
  // plus a newline. Its nodes carry no source lines, so its keys are in name order.
  static TomlDocument from_table(toml::table root, std::string source_name);

  const std::string& name() const { return name_; }
  const std::string& text() const { return text_; }
  const toml::table& root() const { return root_; }
  toml::table& mutable_root() { return root_; }
  TomlTable top() const { return TomlTable{&root_, "", 1}; }

  [[noreturn]] void fail(int line, std::string_view key, std::string_view expected, std::string_view got) const;

  // Keys of `table` in the order of the file (toml++ keeps them sorted by name).
  std::vector<TomlField> fields_in_file_order(const TomlTable& table) const;
  // Refuses the first key (in file order) not in `accepted`, suggesting the nearest accepted one.
  void reject_unknown_keys(const TomlTable& table, std::span<const std::string_view> accepted) const;
  std::optional<TomlField> find(const TomlTable& table, std::string_view name) const;
  TomlField require(const TomlTable& table, std::string_view name, std::string_view expected) const;
  TomlTable sub_table(const TomlTable& parent, std::string_view name, Presence presence) const;

  // Typed readers; each fails naming the field with `expected` and a description of what it got.
  std::int64_t read_int(const TomlField& field, std::int64_t lo, std::int64_t hi, std::string_view note = "") const;
  std::string_view read_string(const TomlField& field, std::string_view expected) const;
  bool read_bool(const TomlField& field) const;
  // The elements of a non-empty array, as fields of their own ("compare.policies[1]").
  std::vector<TomlField> read_array(const TomlField& field, std::string_view expected) const;
  // Records `key` of `element` (key -> path of its first occurrence); fails if it is already there.
  template <class Key>
  void reject_repeat(std::map<Key, std::string>& seen, Key key, const TomlField& element,
                     std::string_view expected) const;

 private:
  std::string name_;
  std::string text_;
  toml::table root_;

  TomlDocument() = default;
};

// What a value is, for the "got ..." half of a message: `integer 3`, `string "3"`, `a table`.
std::string describe(const toml::node& node);
// User text as a TOML basic string, shortened to about 60 bytes: "2 s".
std::string toml_quoted(std::string_view text);
// At most `max_bytes` of `text`, cut at a UTF-8 boundary and marked "..." when cut.
std::string shortened(std::string_view text, std::size_t max_bytes = 60);
// `parent.key`, quoting a key that is not bare.
std::string join_path(std::string_view parent, std::string_view key);
// " (did you mean \"processes\"?)" when one accepted name is within two edits of `name`, else "".
std::string did_you_mean(std::string_view name, std::span<const std::string_view> accepted);
// The rule behind it: the index in `accepted` of the name nearest `name` within two edits (the
// first on a tie), or nullopt.
std::optional<std::size_t> nearest_name(std::string_view name, std::span<const std::string_view> accepted);
// The items joined by `separator`: "a, b, c".
template <class Range>
std::string joined(const Range& items, std::string_view separator = ", ") {
  std::string out;
  for (const auto& item : items) {
    if (!out.empty()) out += separator;
    out += item;
  }
  return out;
}
// Splits a dotted key written as one string ("workers.processes"); parts must be non-empty.
// Returns nullopt for an empty part or more than kMaxDottedParts parts.
std::optional<std::vector<std::string>> split_dotted_key(std::string_view key);

template <class Key>
void TomlDocument::reject_repeat(std::map<Key, std::string>& seen, Key key, const TomlField& element,
                                 std::string_view expected) const {
  const auto [it, inserted] = seen.emplace(std::move(key), element.path);
  if (inserted) return;
  fail(element.line, element.path, expected, describe(*element.node) + " again (same as " + it->second + ")");
}

}  // namespace samplersim
