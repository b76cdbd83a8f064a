// The bounded input read (sim/input_file.h): regular files only, never blocking on a FIFO,
// size and line limits, lines across read chunks, torn last lines.
#include <sys/stat.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "sim/errors.h"
#include "sim/input_file.h"

namespace samplersim {
namespace {

namespace fs = std::filesystem;

fs::path scratch(const std::string& name) {
  const fs::path dir = fs::temp_directory_path() / ("samplersim-input-" + std::to_string(::getpid()) + "-" + name);
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

void write(const fs::path& p, const std::string& text) { std::ofstream(p, std::ios::binary) << text; }

std::string refusal(const std::string& path) {
  try {
    read_input_file(path, "a test file", 100);
  } catch (const BadInput& e) {
    return e.what();
  }
  return "";
}

TEST(InputFile, RefusesWhatIsNotARegularFileWithoutReading) {
  const fs::path dir = scratch("kinds");
  ASSERT_EQ(::mkfifo((dir / "fifo").c_str(), 0644), 0);
  EXPECT_EQ(refusal((dir / "fifo").string()), (dir / "fifo").string() + ": (file): expected a test file, got a FIFO");
  EXPECT_EQ(refusal("/dev/zero"), "/dev/zero: (file): expected a test file, got a device");
  EXPECT_EQ(refusal(dir.string()), dir.string() + ": (file): expected a test file, got a directory");
  EXPECT_EQ(refusal((dir / "none").string()), (dir / "none").string() + ": (file): expected a test file, got no such file");
}

TEST(InputFile, RefusesAFileAboveItsLimit) {
  const fs::path dir = scratch("size");
  write(dir / "ok", std::string(100, 'x'));
  write(dir / "big", std::string(101, 'x'));
  EXPECT_EQ(read_input_file((dir / "ok").string(), "a test file", 100).size(), 100u);
  EXPECT_NE(refusal((dir / "big").string()).find("expected a file of at most 100 bytes, got a larger file"), std::string::npos);
  std::ofstream((dir / "sparse").string()).close();
  fs::resize_file(dir / "sparse", std::uint64_t{1} << 40);  // a terabyte that costs no disk
  EXPECT_NE(refusal((dir / "sparse").string()).find("at most 100 bytes"), std::string::npos);
}

TEST(InputFile, ReadsLinesAcrossChunksAndReportsATornLastLine) {
  const fs::path dir = scratch("lines");
  std::string text;
  std::vector<std::string> expected;
  for (int i = 0; i < 3000; ++i) {  // about 3 MB: several 1 MiB read chunks
    expected.push_back(std::string(static_cast<std::size_t>(i % 1999), static_cast<char>('a' + i % 26)));
    text += expected.back() + "\n";
  }
  write(dir / "f", text + "torn");
  std::vector<std::string> seen;
  const LineScan scan = for_each_line((dir / "f").string(), "lines", 1 << 24, 4096, [&](std::string_view line, std::int64_t n) {
    EXPECT_EQ(n, static_cast<std::int64_t>(seen.size()) + 1);
    seen.emplace_back(line);
  });
  EXPECT_EQ(seen, expected);
  EXPECT_EQ(scan.lines, 3000);
  EXPECT_EQ(scan.complete_bytes, text.size());
  EXPECT_EQ(scan.bytes, text.size() + 4);
  EXPECT_TRUE(scan.torn_last_line());
}

TEST(InputFile, RefusesALongLineAndABigFile) {
  const fs::path dir = scratch("long");
  write(dir / "f", "short\n" + std::string(5000, 'x') + "\n");
  try {
    for_each_line((dir / "f").string(), "lines", 1 << 20, 4096, [](std::string_view, std::int64_t) {});
    FAIL();
  } catch (const BadInput& e) {
    EXPECT_EQ(e.line(), 2);
    EXPECT_NE(std::string(e.what()).find("expected a line of at most 4096 bytes"), std::string::npos) << e.what();
  }
  EXPECT_THROW(for_each_line((dir / "f").string(), "lines", 100, 1 << 20, [](std::string_view, std::int64_t) {}), BadInput);
}

}  // namespace
}  // namespace samplersim
