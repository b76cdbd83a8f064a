// Unsafe text: the characters of user input that must never reach a terminal or a page raw.
//
// Text from input files (scenario and sweep keys, replay fields, results keys, study names) is
// shown in error messages, tables and reports. Three kinds of character in it can change what a
// reader sees instead of being seen:
//   - controls: C0 (U+0000..U+001F, incl. newline and ESC, which starts terminal escape
//     sequences), DEL, and C1 (U+0080..U+009F; U+009B is a one-character CSI on many terminals);
//   - invisible format characters: the bidirectional embeddings, overrides and isolates
//     (U+202A..U+202E, U+2066..U+2069) and marks (U+200E, U+200F, U+061C), which reorder the text
//     shown around them ("Trojan Source", CVE-2021-42574), and the zero-width characters
//     (U+200B..U+200D, U+2060, U+FEFF), which make two different names look the same;
//   - bytes that are not UTF-8 (a lone 0x9B is CSI on a terminal in an 8-bit mode).
// Each renderer replaces them with a visible form of its own (sim/errors.h one_line for messages,
// reports/report_escape.h for HTML and Markdown). Pure functions, O(1) per character.
#pragma once

#include <cstddef>
#include <string_view>

namespace samplersim {

struct DecodedChar {
  char32_t code_point = 0;  // U+FFFD when !valid
  std::size_t length = 1;   // bytes consumed (1 for an invalid byte)
  bool valid = false;       // a well-formed, shortest-form UTF-8 sequence of a scalar value
};

// Decodes the UTF-8 character at text[at] (at < text.size()).
inline DecodedChar decode_utf8(std::string_view text, std::size_t at) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[at + k]); };
  const unsigned char lead = byte(0);
  if (lead < 0x80) return {lead, 1, true};
  std::size_t length = 0;
  char32_t cp = 0;
  char32_t min = 0;
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2, cp = lead & 0x1Fu, min = 0x80;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3, cp = lead & 0x0Fu, min = 0x800;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4, cp = lead & 0x07u, min = 0x10000;
  } else {
    return {0xFFFD, 1, false};
  }
  if (at + length > text.size()) return {0xFFFD, 1, false};
  for (std::size_t k = 1; k < length; ++k) {
    if ((byte(k) & 0xC0u) != 0x80u) return {0xFFFD, 1, false};
    cp = (cp << 6) | (byte(k) & 0x3Fu);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return {0xFFFD, 1, false};
  return {cp, length, true};
}

// C0, DEL and C1 controls.
constexpr bool is_control_char(char32_t cp) { return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F); }

// Bidirectional controls and zero-width characters (see above).
constexpr bool is_invisible_format_char(char32_t cp) {
  return (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069) || cp == 0x200E || cp == 0x200F ||
         cp == 0x061C || (cp >= 0x200B && cp <= 0x200D) || cp == 0x2060 || cp == 0xFEFF;
}

}  // namespace samplersim
