// Bounded JSON (reports/json_input.h): nesting refused before parsing, numbers checked by kind.
#include <gtest/gtest.h>

#include <string>

#include "reports/json_input.h"

namespace samplersim {
namespace {

TEST(JsonInput, RefusesDeepNestingBeforeParsing) {
  const std::string deep = std::string(80'000, '[') + std::string(80'000, ']');
  const JsonParse parsed = parse_json_bounded(deep);
  EXPECT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.problem, "JSON nested deeper than 64 levels");
  std::string objects;
  for (int i = 0; i < 80'000; ++i) objects += "{\"a\":";
  objects += "1" + std::string(80'000, '}');
  EXPECT_FALSE(parse_json_bounded(objects).ok());
  EXPECT_TRUE(parse_json_bounded(std::string(64, '[') + std::string(64, ']')).ok());
  EXPECT_FALSE(parse_json_bounded(std::string(65, '[') + std::string(65, ']')).ok());
}

TEST(JsonInput, BracketsInStringsDoNotCount) {
  const std::string text = "{\"k\": \"" + std::string(1000, '[') + "\\\"[[\", \"e\": \"\\\\\"}";
  const JsonParse parsed = parse_json_bounded(text);
  ASSERT_TRUE(parsed.ok()) << parsed.problem;
  EXPECT_EQ(parsed.value["k"].get<std::string>().size(), 1003u);
  EXPECT_EQ(json_nesting_depth(text, 64), 1);
}

TEST(JsonInput, ReportsSyntaxErrorsAndOverflowWithoutThrowing) {
  EXPECT_EQ(parse_json_bounded("{\"a\": 1").problem, "text that is not JSON (error at byte 8)");
  EXPECT_EQ(parse_json_bounded("{\"a\": 1e999}").problem, "text that is not JSON (a number out of range)");
  EXPECT_FALSE(parse_json_bounded("\"\xff\"").ok());  // not UTF-8
}

TEST(JsonInput, UnsignedIntegersOnlyByKind) {
  const auto v = [](const char* text) { return parse_json_bounded(text).value; };
  EXPECT_EQ(json_uint(v("18446744073709551615")), UINT64_MAX);
  EXPECT_EQ(json_uint(v("0")), 0u);
  EXPECT_EQ(json_uint(v("7"), 6), std::nullopt);
  EXPECT_EQ(json_uint(v("-1")), std::nullopt);
  EXPECT_EQ(json_uint(v("1e300")), std::nullopt);
  EXPECT_EQ(json_uint(v("18446744073709551616")), std::nullopt);  // a float to nlohmann
  EXPECT_EQ(json_uint(v("2.0")), std::nullopt);
  EXPECT_EQ(json_uint(v("\"3\"")), std::nullopt);
  EXPECT_EQ(describe_json(v("-1")), "the integer -1");
  EXPECT_EQ(describe_json(v("1e300")), "the number 1e+300");
}

}  // namespace
}  // namespace samplersim
