// Where keys and array elements of a JSON object are (reports/json_key_lines.h).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "reports/json_key_lines.h"

namespace samplersim {
namespace {

TEST(JsonKeyLines, NamesTheLineOfEachTopLevelKeyAndArrayElement) {
  const std::string text =
      "{\n"
      " \"format\": \"x\",\n"
      " \"picks\": [\n"
      "  0,\n"
      "  [1, {\"picks\": 2}],\n"
      "  \"s\"\n"
      " ],\n"
      " \"nested\": {\"inner\": [5,\n 6]},\n"
      " \"k\\u0041\": \"a: [\\\" ,\\n\"\n"
      "}\n";
  const JsonKeyLines lines = json_key_lines(text);
  EXPECT_EQ(lines.line_of("format"), 2);
  EXPECT_EQ(lines.line_of("picks"), 3);
  EXPECT_EQ(lines.line_of("picks", 0), 4);
  EXPECT_EQ(lines.line_of("picks", 1), 5);
  EXPECT_EQ(lines.line_of("picks", 2), 6);
  EXPECT_EQ(lines.line_of("picks", 3), 0);  // no such element
  EXPECT_EQ(lines.line_of("nested"), 8);
  EXPECT_EQ(lines.line_of("inner"), 0);  // not top level
  EXPECT_EQ(lines.line_of("kA"), 10);    // decoded
  EXPECT_EQ(lines.line_of("missing"), 0);
}

TEST(JsonKeyLines, ALaterDuplicateWinsAndDeepNestingCostsNoStack) {
  const std::string text = "{\"a\": [1],\n\"a\": [\n2, 3]}";
  const JsonKeyLines lines = json_key_lines(text);
  EXPECT_EQ(lines.line_of("a"), 2);
  EXPECT_EQ(lines.line_of("a", 0), 3);
  EXPECT_EQ(lines.line_of("a", 1), 3);
  const std::string deep = "{\"d\":\n" + std::string(200'000, '[') + std::string(200'000, ']') + "}";
  EXPECT_EQ(json_key_lines(deep).line_of("d"), 1);
  EXPECT_EQ(json_key_lines(deep).line_of("d", 0), 2);
}

TEST(JsonKeyLines, LineOfOffset) {
  EXPECT_EQ(line_of_offset("a\nb\nc", 0), 1);
  EXPECT_EQ(line_of_offset("a\nb\nc", 2), 2);
  EXPECT_EQ(line_of_offset("a\nb\nc", 99), 3);
}

// A value at any depth, by its path: how a remedies file's refusal names its line.
TEST(JsonValueLine, NamesTheLineOfANestedValueByItsPath) {
  const std::string text =
      "{\n"
      " \"scenario\": {\"name\": \"x\",\n"
      "   \"reps\": 5},\n"
      " \"remedies\": [\n"
      "  {\"arm\": \"a\", \"remedies\": [\n"
      "    {\"id\": \"p\"},\n"
      "    {\"id\": \"q\",\n"
      "     \"verdict\": 7, \"s\": \"]} \\\" {[\"}\n"
      "  ]}\n"
      " ]\n"
      "}\n";
  using P = std::vector<JsonPathStep>;
  EXPECT_EQ(json_value_line(text, P{}), 1);
  EXPECT_EQ(json_value_line(text, P{{"scenario", -1}}), 2);
  EXPECT_EQ(json_value_line(text, P{{"scenario", -1}, {"reps", -1}}), 3);
  EXPECT_EQ(json_value_line(text, P{{"remedies", -1}, {"", 0}}), 5);
  EXPECT_EQ(json_value_line(text, P{{"remedies", -1}, {"", 0}, {"remedies", -1}, {"", 1}}), 7);
  EXPECT_EQ(json_value_line(text, P{{"remedies", -1}, {"", 0}, {"remedies", -1}, {"", 1}, {"verdict", -1}}), 8);
  EXPECT_EQ(json_value_line(text, P{{"remedies", -1}, {"", 0}, {"remedies", -1}, {"", 2}}), 0);
  EXPECT_EQ(json_value_line(text, P{{"missing", -1}}), 0);
}

}  // namespace
}  // namespace samplersim
