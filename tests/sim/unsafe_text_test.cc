// What reaches a terminal from the input: one_line (every error message) escapes controls, bidi
// and zero-width characters and invalid UTF-8, and keeps every other character.
#include <gtest/gtest.h>

#include "sim/errors.h"
#include "sim/input_file.h"
#include "sim/unsafe_text.h"

namespace samplersim {
namespace {

TEST(UnsafeText, OneLineEscapesEveryUnsafeCharacter) {
  EXPECT_EQ(one_line("a\nb"), "a\\x0ab");
  EXPECT_EQ(one_line("\x1b[31mred"), "\\x1b[31mred");
  EXPECT_EQ(one_line(std::string("nul\0x", 5)), "nul\\x00x");
  EXPECT_EQ(one_line("del\x7f"), "del\\x7f");
  EXPECT_EQ(one_line("csi\xc2\x9b" "31m"), "csi\\u009b31m");              // U+009B, a one-character CSI
  EXPECT_EQ(one_line("rl\xe2\x80\xae" "o"), "rl\\u202eo");                 // RIGHT-TO-LEFT OVERRIDE
  EXPECT_EQ(one_line("iso\xe2\x81\xa6x"), "iso\\u2066x");                  // LEFT-TO-RIGHT ISOLATE
  EXPECT_EQ(one_line("zw\xe2\x80\x8bsp"), "zw\\u200bsp");                  // ZERO WIDTH SPACE
  EXPECT_EQ(one_line("bom\xef\xbb\xbf"), "bom\\ufeff");
  EXPECT_EQ(one_line("lone\x9b"), "lone\\x9b");                            // not UTF-8
  EXPECT_EQ(one_line("\xe2\x80"), "\\xe2\\x80");                           // truncated sequence
  EXPECT_EQ(one_line("\xc0\xaf"), "\\xc0\\xaf");                           // overlong '/'
  EXPECT_EQ(one_line("\xed\xa0\x80"), "\\xed\\xa0\\x80");                  // a surrogate
}

TEST(UnsafeText, OneLineKeepsOrdinaryText) {
  const std::string text = "caf\xc3\xa9 \xe2\x86\x92 \xf0\x9f\x99\x82 tab-free, quotes \"'\\ and ~";
  EXPECT_EQ(one_line(text), text);
}

TEST(UnsafeText, BadInputMessagesAreOneSafeLine) {
  const BadInput e("f\x1b.toml", 3, "k\ney", "x\xe2\x80\xae", "y\xc2\x85");
  EXPECT_STREQ(e.what(), "f\\x1b.toml:3: k\\x0aey: expected x\\u202e, got y\\u0085");
}

TEST(UnsafeText, DecodeRejectsWhatIsNotUtf8) {
  EXPECT_TRUE(decode_utf8("\xf4\x8f\xbf\xbf", 0).valid);   // U+10FFFF
  EXPECT_FALSE(decode_utf8("\xf4\x90\x80\x80", 0).valid);  // above U+10FFFF
  EXPECT_FALSE(decode_utf8("\xe0\x80\x80", 0).valid);      // overlong
  EXPECT_EQ(decode_utf8("\xc3\xa9", 0).code_point, 0xE9u);
}

}  // namespace
}  // namespace samplersim
