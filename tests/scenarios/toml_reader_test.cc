// Tests of the one TOML reader (scenarios/toml_reader.h): the guards against inputs that crash
// toml++ 3.3 or reach undefined behaviour in it, the bounded file read, the message forms and the
// "did you mean" suggestions.
#include "scenarios/toml_reader.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <array>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "sim/input_file.h"
#include "sim/errors.h"

namespace samplersim {
namespace {

BadInput parse_error(const std::string& text) {
  try {
    TomlDocument doc(text, "t.toml");
    ADD_FAILURE() << "parsed, but should have been refused:\n" << text;
  } catch (const BadInput& e) {
    return e;
  }
  return BadInput("", 0, "", "", "");
}

// ---- non-ASCII where toml++ 3.3 tests for whitespace (TOML_UNREACHABLE) -----------------------

struct Hazard {
  const char* name;
  std::string text;
  int line;
  int column;
  const char* saw;
};

void PrintTo(const Hazard& h, std::ostream* os) { *os << h.name; }

class NonAsciiHazard : public testing::TestWithParam<Hazard> {};

TEST_P(NonAsciiHazard, IsASyntaxErrorAtItsPosition) {
  const Hazard& h = GetParam();
  const BadInput e = parse_error(h.text);
  EXPECT_TRUE(e.is_syntax_error()) << e.what();
  EXPECT_EQ(e.line(), h.line) << e.what();
  EXPECT_EQ(e.column(), h.column) << e.what();
  const std::string what = e.what();
  EXPECT_EQ(what.rfind("t.toml:" + std::to_string(h.line) + ":" + std::to_string(h.column) + ": TOML syntax error: ", 0), 0u)
      << what;
  EXPECT_NE(what.find(h.saw), std::string::npos) << what;
  EXPECT_EQ(what.find('\n'), std::string::npos) << what;
}

// Each of these reaches TOML_UNREACHABLE in toml++ 3.3 (checked with a UBSan build of toml++):
// a bare key, a value, a table header, an array element and a multi-line string's line-ending
// backslash followed by a non-ASCII code point.
INSTANTIATE_TEST_SUITE_P(
    Cases, NonAsciiHazard,
    testing::Values(Hazard{"bare_key", "café = 1\n", 1, 4, "U+00E9 'é'"},
                    Hazard{"after_value", "x = 1é\n", 1, 6, "U+00E9"},
                    Hazard{"after_boolean", "x = trueé\n", 1, 9, "U+00E9"},
                    Hazard{"dotted_key", "[a]\nb.café = 1\n", 2, 6, "U+00E9"},
                    Hazard{"table_header", "[café]\n", 1, 5, "U+00E9"},
                    Hazard{"array_element", "x = [1,\n é]\n", 2, 2, "U+00E9"},
                    Hazard{"after_quoted_key", "\"k\"é = 1\n", 1, 4, "U+00E9"},
                    Hazard{"cjk_punctuation", "x = 1 \u3001\n", 1, 7, "U+3001"},
                    Hazard{"line_ending_backslash", "x = \"\"\"a\\\n  é\"\"\"\n", 2, 3, "U+00E9"},
                    Hazard{"backslash_before_code_point", "x = \"\"\"a\\é\"\"\"\n", 1, 10, "U+00E9"},
                    Hazard{"invalid_utf8_outside_strings", "x = 1 \xff\n", 1, 7, "byte 0xff"},
                    // A quote inside a bare value is one more code point of the value to toml++,
                    // not a string (found by fuzz/scenario_fuzz.cc).
                    Hazard{"quote_inside_bare_value", "x = [0\"é\"]\n", 1, 8, "U+00E9"},
                    Hazard{"quote_after_dot_in_value", "x = 1.\"é\"\n", 1, 8, "U+00E9"},
                    Hazard{"quote_after_value_in_inline_table", "x = {a = 1'é'}\n", 1, 12, "U+00E9"},
                    // "{" inside a bare value is a code point of the value too, not an inline table
                    // whose key could be a string (fuzz finding).
                    Hazard{"brace_then_quote_inside_bare_value", "x = [0l{\"é\"]\n", 1, 10, "U+00E9"}),
    [](const testing::TestParamInfo<Hazard>& info) { return std::string(info.param.name); });

TEST(TomlReader, NonAsciiInsideStringsAndCommentsIsValid) {
  const TomlDocument doc("# café\nx = \"café\" # é\ny = 'é'\nz = \"\"\"\n é \\\\é\"\"\"\nw = '''a\\\né'''\n\"ké\" = 1\n", "t.toml");
  EXPECT_EQ(doc.root()["x"].value<std::string>(), "café");
  EXPECT_EQ(doc.root()["y"].value<std::string>(), "é");
  EXPECT_EQ(doc.root()["z"].value<std::string>(), " é \\é");
  EXPECT_EQ(doc.root()["w"].value<std::string>(), "a\\\né");
  EXPECT_EQ(doc.root()["ké"].value<std::int64_t>(), 1);
}

TEST(TomlReader, NonAsciiInStringsOfInlineTablesAndArraysIsValid) {
  const TomlDocument doc("t = {a.\"é\" = \"é\", b = [\"é\",{c='é'}]}\nu = [\n\"é\",\n]\n[\"é\"]\nv=\"é\"\n", "t.toml");
  EXPECT_EQ(doc.root()["t"]["a"]["é"].value<std::string>(), "é");
  EXPECT_EQ(doc.root()["t"]["b"][1]["c"].value<std::string>(), "é");
  EXPECT_EQ(doc.root()["u"][0].value<std::string>(), "é");
  EXPECT_EQ(doc.root()["é"]["v"].value<std::string>(), "é");
}

// ---- stack depth ------------------------------------------------------------------------------

TEST(TomlReader, FiftyThousandPartDottedKeyIsOneLineError) {
  std::string text = "x = 1\n";
  for (int i = 0; i < 50'000; ++i) text += "a.";
  text += "a = 1\n";
  const BadInput e = parse_error(text);
  EXPECT_EQ(e.line(), 2);
  EXPECT_EQ(e.expected(), "a dotted key of at most 8 parts");
  EXPECT_EQ(e.got(), "50001 parts");
  EXPECT_LT(std::string(e.what()).size(), 300u) << "the key is shortened";
}

TEST(TomlReader, NestingThatTomlppLimitsIsASyntaxError) {
  std::string text = "x = ";
  for (int i = 0; i < 10'000; ++i) text += "[";
  const BadInput e = parse_error(text + "\n");
  EXPECT_TRUE(e.is_syntax_error()) << e.what();
}

TEST(TomlReader, TableHeaderWithoutKeyIsASyntaxError) {
  const BadInput e = parse_error("[[[1]]]\n");
  EXPECT_TRUE(e.is_syntax_error());
  EXPECT_EQ(e.column(), 3);
}

// ---- walking and messages -----------------------------------------------------------------------

TEST(TomlReader, UnknownKeysSuggestTheNearestAcceptedKey) {
  const TomlDocument doc("[workers]\nprocesses = 2\nthread = 2\n", "s.toml");
  const TomlTable workers = doc.sub_table(doc.top(), "workers", Presence::kRequired);
  constexpr std::array<std::string_view, 2> kAccepted = {"processes", "threads"};
  try {
    doc.reject_unknown_keys(workers, kAccepted);
    FAIL() << "accepted an unknown key";
  } catch (const BadInput& e) {
    EXPECT_STREQ(e.what(),
                 "s.toml:3: workers.thread: expected one of processes, threads in [workers], got an unknown key "
                 "(did you mean \"threads\"?)");
  }
  EXPECT_EQ(did_you_mean("polices", std::array<std::string_view, 2>{"policies", "seed_policies"}),
            " (did you mean \"policies\"?)");
  EXPECT_EQ(did_you_mean("zzzzzz", std::array<std::string_view, 1>{"policies"}), "");
}

TEST(TomlReader, TypedReadersNameKeyExpectedAndGot) {
  const TomlDocument doc("[run]\nreps = \"3\"\nflag = 1\nlist = []\n", "s.toml");
  const TomlTable run = doc.sub_table(doc.top(), "run", Presence::kRequired);
  try {
    doc.read_int(*doc.find(run, "reps"), 1, 10);
    FAIL();
  } catch (const BadInput& e) {
    EXPECT_STREQ(e.what(), "s.toml:2: run.reps: expected an integer from 1 to 10, got string \"3\"");
  }
  EXPECT_THROW(doc.read_bool(*doc.find(run, "flag")), BadInput);
  EXPECT_THROW(doc.read_array(*doc.find(run, "list"), "a non-empty array"), BadInput);
  try {
    doc.require(run, "seed", "an integer");
    FAIL();
  } catch (const BadInput& e) {
    EXPECT_EQ(e.line(), 1);
    EXPECT_EQ(e.key(), "run.seed");
    EXPECT_EQ(e.got(), "nothing (the key is missing)");
  }
}

TEST(TomlReader, SplitDottedKey) {
  EXPECT_EQ(split_dotted_key("workers.processes"), (std::vector<std::string>{"workers", "processes"}));
  EXPECT_EQ(split_dotted_key("x"), (std::vector<std::string>{"x"}));
  EXPECT_FALSE(split_dotted_key("a..b"));
  EXPECT_FALSE(split_dotted_key(""));
  EXPECT_FALSE(split_dotted_key("a.b.c.d.e.f.g.h.i"));  // 9 parts
}

TEST(TomlReader, DocumentFromTableIsItsTomlText) {
  toml::table root;
  root.insert_or_assign("workers", toml::table{{"processes", 3}});
  const TomlDocument doc = TomlDocument::from_table(std::move(root), "mem.toml");
  EXPECT_EQ(doc.text(), "[workers]\nprocesses = 3\n");
  EXPECT_EQ(TomlDocument(doc.text(), "again.toml").root(), doc.root());
}

// ---- bounded file read --------------------------------------------------------------------------

TEST(InputFile, RefusesDevicesDirectoriesFifosAndBigFiles) {
  const std::filesystem::path dir = std::filesystem::temp_directory_path() / ("samplersim-input-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  const std::string fifo = (dir / "fifo").string();
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  const std::string big = (dir / "big.toml").string();
  std::ofstream(big) << std::string(kMaxTomlBytes + 1, '#');
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"/dev/zero", "a device"}, {dir.string(), "a directory"}, {fifo, "a FIFO"},
      {(dir / "missing.toml").string(), "no such file"}, {big, "a larger file"}};
  for (const auto& [path, got] : cases) {
    try {
      TomlDocument::from_file(path, "a readable sweep spec file");
      ADD_FAILURE() << path << " was read";
    } catch (const BadInput& e) {
      EXPECT_EQ(e.line(), 0) << e.what();
      EXPECT_EQ(e.key(), "(file)") << e.what();
      EXPECT_EQ(e.got(), got) << e.what();
      EXPECT_EQ(std::string(e.what()).rfind(path + ": (file): expected ", 0), 0u) << e.what();
    }
  }
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace samplersim
