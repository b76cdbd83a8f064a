// Where the parts of a JSON object's text are: the 1-based line of each top-level key and of each
// element of a top-level array, so a reader of a JSON file can name "<file>:<line>: <key>" like the
// TOML readers do (nlohmann::json keeps no positions).
//
// Invariants: one linear pass without recursion (any nesting depth costs no stack); strings are
// skipped with their escapes, so brackets, colons and newlines inside strings are not structure.
// A key that appears twice is given its last line (nlohmann keeps the last value). Keys are
// decoded as JSON strings; a key that cannot be decoded is left out (the parser refuses the text).
// The text need not be valid JSON: the result is then incomplete, never wrong for the valid prefix.
// Cost: O(size of the text); memory: one entry per top-level key and top-level array element.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace samplersim {

struct JsonKeyLines {
  std::map<std::string, int> key;                    // top-level key -> line of the key
  std::map<std::string, std::vector<int>> elements;  // top-level key -> line of each array element

  // The line of `name` (or of element `index` of its array when index >= 0); 0 when unknown.
  int line_of(const std::string& name, long index = -1) const;
};

JsonKeyLines json_key_lines(std::string_view object_text);

// One step of a path into a JSON document: an object key, or (index >= 0) an array element.
struct JsonPathStep {
  std::string key;
  long index = -1;
};

// The 1-based line where the value at `path` begins in `text` (the whole document for an empty
// path), so a reader can name "<file>:<line>" for a nested key; 0 when the text has no such value.
// Same scan as json_key_lines (strings skipped with their escapes; keys compared decoded), at any
// depth; memory: one frame per open bracket (callers pass text parse_json_bounded accepted).
int json_value_line(std::string_view text, const std::vector<JsonPathStep>& path);

// The 1-based line of byte `offset` (0-based) of `text`.
int line_of_offset(std::string_view text, std::size_t offset);

}  // namespace samplersim
