// Bounded JSON: how every JSON input is parsed (results lines, replay files, the JSON values of a
// study database). One function, so every reader has the same limits and the same messages.
//
// Why a depth limit: nlohmann::json 3.11 parses and destroys values without recursion, but
// copying, comparing and dumping a value recurse once per nesting level, so a results line whose
// `axes` is nested 80,000 deep overflows the stack later, far from the reader. parse_json_bounded
// refuses nesting deeper than `max_depth` before nlohmann sees the text: a linear pre-scan that
// counts open brackets outside strings (a string's escapes are skipped), so it needs no recursion
// and refuses nothing that our formats write (at most 4 levels).
// Numbers: nlohmann keeps integers that fit 64 bits as integers and everything else (1e300, 1e999
// -> +inf, 18446744073709551616) as a float; the readers check the kind they need
// (json_uint()) instead of converting with get<>, which is undefined behaviour for a float out of
// the target's range.
// Never throws for bad text: the result carries a one-phrase description for "got ...".
// Cost: two linear passes over the text.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace samplersim {

inline constexpr int kMaxJsonDepth = 64;

struct JsonParse {
  nlohmann::json value;  // discarded unless ok()
  std::string problem;   // "" on success, else e.g. "JSON nested deeper than 64 levels"
  int error_line = 0;    // the 1-based line of a syntax error; 0 when none or not known
  bool ok() const { return problem.empty(); }
};

JsonParse parse_json_bounded(std::string_view text, int max_depth = kMaxJsonDepth);

// Deepest nesting of [ and { in `text` outside strings (0 for a scalar); stops counting past
// `limit` (returns limit + 1).
int json_nesting_depth(std::string_view text, int limit);

// A non-negative integer value of at most `max`, or nullopt (negative, a float such as 1e300, a
// string, ...). Never converts a float.
std::optional<std::uint64_t> json_uint(const nlohmann::json& value, std::uint64_t max = UINT64_MAX);

// What a value is, for the "got ..." half of a message: `the integer -1`, `the number 1e+300`,
// `a string`, `an array`, ... (short; never the value of a string or container).
std::string describe_json(const nlohmann::json& value);

}  // namespace samplersim
