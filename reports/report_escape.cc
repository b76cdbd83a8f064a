#include "reports/report_escape.h"

#include <algorithm>
#include <cstdint>
#include <cstring>

#include <fmt/format.h>

#include "sim/unsafe_text.h"

namespace samplersim {

namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD

// Calls ascii(c) for each ASCII byte, visible(cp) for each invisible format character and
// replacement() for every control and invalid byte; copies other characters.
template <class Ascii, class Visible>
std::string escape_text(std::string_view text, Ascii ascii, Visible visible) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    const DecodedChar c = decode_utf8(text, i);
    if (!c.valid) {
      out += kReplacement;
    } else if (c.code_point < 0x80) {
      ascii(out, text[i]);
    } else if (is_control_char(c.code_point)) {
      out += kReplacement;
    } else if (is_invisible_format_char(c.code_point)) {
      out += visible(static_cast<std::uint32_t>(c.code_point));
    } else {
      out.append(text.substr(i, c.length));
    }
    i += c.length;
  }
  return out;
}

}  // namespace

std::string html_escape(std::string_view text) {
  return escape_text(
      text,
      [](std::string& out, char c) {
        switch (c) {
          case '&': out += "&amp;"; break;
          case '<': out += "&lt;"; break;
          case '>': out += "&gt;"; break;
          case '"': out += "&quot;"; break;
          case '\'': out += "&#39;"; break;
          default:
            if ((static_cast<unsigned char>(c) < 0x20 && c != '\n' && c != '\t') || c == 0x7f) {
              out += kReplacement;
            } else {
              out += c;
            }
        }
      },
      [](std::uint32_t cp) { return fmt::format("[U+{:04X}]", cp); });
}

std::string md_escape(std::string_view text) {
  static constexpr const char* kSpecial = "\\`*_{}[]<>#+|~&$";
  return escape_text(
      text,
      [](std::string& out, char c) {
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
          out += ' ';
        } else if (std::strchr(kSpecial, c) != nullptr) {
          out += '\\';
          out += c;
        } else {
          out += c;
        }
      },
      [](std::uint32_t cp) { return fmt::format("\\[U+{:04X}\\]", cp); });
}

std::string md_code_block(std::string_view text) {
  std::size_t longest_run = 0;
  std::size_t run = 0;
  for (char c : text) {
    run = c == '`' ? run + 1 : 0;
    longest_run = std::max(longest_run, run);
  }
  const std::string fence(std::max<std::size_t>(3, longest_run + 1), '`');
  std::string body = escape_text(
      text,
      [](std::string& out, char c) {
        out += (static_cast<unsigned char>(c) < 0x20 && c != '\n' && c != '\t') || c == 0x7f ? kReplacement
                                                                                             : std::string_view(&c, 1);
      },
      [](std::uint32_t cp) { return fmt::format("[U+{:04X}]", cp); });
  if (!body.empty() && body.back() != '\n') body += '\n';
  return fence + "text\n" + body + fence + "\n";
}

std::string md_code_span(std::string_view text) {
  // Text that could be markup elsewhere (HTML, a table cell's '|', a backtick, an entity, a
  // backslash) or holds a control or non-ASCII byte is shown escaped and outside a span: a span is
  // literal under CommonMark, but not every renderer of a report.md is CommonMark.
  for (char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u >= 0x7f || std::strchr("<`|&\\", c) != nullptr) return md_escape(text);
  }
  return "`" + std::string(text) + "`";
}

std::string chart_label(std::string_view text) {
  static constexpr const char* kAllowed = " ._:/=+,()%-";
  std::string out;
  for (char c : text) {
    if (out.size() >= 60) break;
    const bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    out += (alnum || (c != '\0' && std::strchr(kAllowed, c) != nullptr)) ? c : '?';
  }
  return out;
}

}  // namespace samplersim
