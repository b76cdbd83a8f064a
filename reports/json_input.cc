#include "reports/json_input.h"

#include <cmath>

#include <fmt/format.h>

#include "reports/json_key_lines.h"

namespace samplersim {

int json_nesting_depth(std::string_view text, int limit) {
  int depth = 0;
  int deepest = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\') {
        ++i;  // the escaped character (a quote or a backslash) does not end the string
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > deepest) deepest = depth;
      if (deepest > limit) return limit + 1;
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return deepest;
}

JsonParse parse_json_bounded(std::string_view text, int max_depth) {
  JsonParse out;
  if (json_nesting_depth(text, max_depth) > max_depth) {
    out.problem = fmt::format("JSON nested deeper than {} levels", max_depth);
    return out;
  }
  try {
    out.value = nlohmann::json::parse(text);
  } catch (const nlohmann::json::parse_error& e) {
    out.problem = fmt::format("text that is not JSON (error at byte {})", e.byte);
    out.error_line = line_of_offset(text, e.byte > 0 ? e.byte - 1 : 0);
  } catch (const nlohmann::json::exception& e) {
    out.problem = fmt::format("text that is not JSON ({})", e.id == 406 ? "a number out of range" : "unreadable");
  }
  return out;
}

std::optional<std::uint64_t> json_uint(const nlohmann::json& value, std::uint64_t max) {
  if (value.is_number_unsigned()) {
    const auto v = value.get<std::uint64_t>();
    return v <= max ? std::optional(v) : std::nullopt;
  }
  if (value.is_number_integer()) {  // signed: only when it does not fit unsigned storage, i.e. negative
    const auto v = value.get<std::int64_t>();
    return v >= 0 && static_cast<std::uint64_t>(v) <= max ? std::optional(static_cast<std::uint64_t>(v)) : std::nullopt;
  }
  return std::nullopt;
}

std::string describe_json(const nlohmann::json& v) {
  if (v.is_number_integer()) return fmt::format("the integer {}", v.dump());
  if (v.is_number_float()) {
    const double d = v.get<double>();
    return std::isfinite(d) ? fmt::format("the number {}", v.dump()) : "a number out of range";
  }
  if (v.is_string()) return "a string";
  if (v.is_boolean()) return "a boolean";
  if (v.is_array()) return v.empty() ? "an empty array" : "an array";
  if (v.is_object()) return "an object";
  if (v.is_null()) return "null";
  return "an unreadable value";
}

}  // namespace samplersim
