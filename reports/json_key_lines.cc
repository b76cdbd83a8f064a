#include "reports/json_key_lines.h"

#include <algorithm>

#include <nlohmann/json.hpp>

namespace samplersim {

namespace {

bool is_json_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

// The decoded key of the raw string text "..." (quotes included), or nullopt.
bool decode_string(std::string_view raw, std::string& out) {
  const nlohmann::json j = nlohmann::json::parse(raw, nullptr, /*allow_exceptions=*/false);
  if (!j.is_string()) return false;
  out = j.get<std::string>();
  return true;
}

}  // namespace

int JsonKeyLines::line_of(const std::string& name, long index) const {
  if (index < 0) {
    const auto it = key.find(name);
    return it == key.end() ? 0 : it->second;
  }
  const auto it = elements.find(name);
  if (it == elements.end() || static_cast<std::size_t>(index) >= it->second.size()) return 0;
  return it->second[static_cast<std::size_t>(index)];
}

int line_of_offset(std::string_view text, std::size_t offset) {
  offset = std::min(offset, text.size());
  return 1 + static_cast<int>(std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(offset), '\n'));
}

JsonKeyLines json_key_lines(std::string_view text) {
  JsonKeyLines out;
  int line = 1;
  int depth = 0;
  std::string current;           // the top-level key whose value is being read
  std::vector<int>* array = nullptr;  // its element lines, while inside its top-level array
  bool expect_element = false;   // inside that array, after '[' or ','
  std::size_t string_start = 0;
  int string_line = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '\n') ++line;
    if (is_json_space(c)) continue;
    if (array != nullptr && depth == 2 && expect_element && c != ']') {
      array->push_back(line);
      expect_element = false;
    }
    if (c == '"') {
      string_start = i;
      string_line = line;
      for (++i; i < text.size() && text[i] != '"'; ++i) {
        if (text[i] == '\\') ++i;
        else if (text[i] == '\n') ++line;  // not valid JSON, but keep counting
      }
      if (depth != 1) continue;
      std::size_t next = i + 1;
      while (next < text.size() && is_json_space(text[next])) {
        if (text[next] == '\n') ++line;
        ++next;
      }
      if (next < text.size() && text[next] == ':' && i < text.size() &&
          decode_string(text.substr(string_start, i + 1 - string_start), current)) {
        out.key[current] = string_line;
        out.elements.erase(current);
      }
      i = next - 1;
      continue;
    }
    if (c == '[' || c == '{') {
      ++depth;
      if (depth == 2 && c == '[' && !current.empty()) {
        array = &out.elements[current];
        expect_element = true;
      }
    } else if (c == ']' || c == '}') {
      if (depth == 2) array = nullptr;
      if (depth > 0) --depth;
    } else if (c == ',' && depth == 2 && array != nullptr) {
      expect_element = true;
    }
  }
  return out;
}

int json_value_line(std::string_view text, const std::vector<JsonPathStep>& path) {
  struct Frame {
    bool array = false;
    long index = 0;
    std::string key;
  };
  std::vector<Frame> stack;
  bool want_value = true;  // the next token begins a value (document start, after ':' or '[' or ',' in an array)
  int line = 1;
  const auto at_path = [&] {
    if (stack.size() != path.size()) return false;
    for (std::size_t k = 0; k < path.size(); ++k) {
      if (stack[k].array ? path[k].index != stack[k].index : (path[k].index >= 0 || path[k].key != stack[k].key)) {
        return false;
      }
    }
    return true;
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '\n') ++line;
    if (is_json_space(c)) continue;
    if (want_value && c != ']' && c != '}') {
      if (at_path()) return line;
    }
    if (c == '"') {
      const std::size_t start = i;
      for (++i; i < text.size() && text[i] != '"'; ++i) {
        if (text[i] == '\\') ++i;
        else if (text[i] == '\n') ++line;
      }
      if (!want_value && !stack.empty() && !stack.back().array) {
        std::string key;
        if (i < text.size() && decode_string(text.substr(start, i + 1 - start), key)) stack.back().key = key;
      }
      want_value = false;
    } else if (c == '[' || c == '{') {
      stack.push_back(Frame{c == '[', 0, ""});
      want_value = c == '[';
    } else if (c == ']' || c == '}') {
      if (!stack.empty()) stack.pop_back();
      want_value = false;
    } else if (c == ':') {
      want_value = true;
    } else if (c == ',') {
      if (!stack.empty() && stack.back().array) ++stack.back().index;
      want_value = !stack.empty() && stack.back().array;
    } else {
      want_value = false;  // a number or literal: its remaining characters land here too
    }
  }
  return 0;
}

}  // namespace samplersim
