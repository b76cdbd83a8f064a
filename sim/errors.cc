#include "sim/errors.h"

#include <algorithm>
#include <cstdint>

#include <fmt/format.h>

#include "sim/unsafe_text.h"

namespace samplersim {

std::string one_line(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    const DecodedChar c = decode_utf8(text, i);
    if (!c.valid || c.code_point < 0x80) {
      const auto byte = static_cast<unsigned char>(text[i]);
      if (!c.valid || is_control_char(byte)) {
        out += fmt::format("\\x{:02x}", byte);
      } else {
        out.push_back(text[i]);
      }
    } else if (is_control_char(c.code_point) || is_invisible_format_char(c.code_point)) {
      out += fmt::format("\\u{:04x}", static_cast<std::uint32_t>(c.code_point));
    } else {
      out.append(text.substr(i, c.length));
    }
    i += c.length;
  }
  return out;
}

BadInput::BadInput(std::string file, int line, std::string key, std::string expected,
                   std::string got)
    : BadInput(std::make_shared<const Detail>(Detail{one_line(file), std::max(line, 0), 0,
                                                     one_line(key), one_line(expected),
                                                     one_line(got), false, false})) {}

BadInput BadInput::argument(std::string option, std::string expected, std::string got) {
  return BadInput(std::make_shared<const Detail>(
      Detail{"", 0, 0, one_line(option), one_line(expected), one_line(got), false, true}));
}

BadInput BadInput::syntax_error(std::string file, int line, int column, std::string description) {
  return BadInput(std::make_shared<const Detail>(Detail{one_line(file), std::max(line, 1),
                                                        std::max(column, 1), "", "valid TOML",
                                                        one_line(description), true, false}));
}

BadInput::BadInput(std::shared_ptr<const Detail> detail)
    : std::runtime_error(message_of(*detail)), detail_(std::move(detail)) {}

std::string BadInput::message_of(const Detail& d) {
  if (d.syntax) return fmt::format("{}:{}:{}: TOML syntax error: {}", d.file, d.line, d.column, d.got);
  std::string where;
  if (!d.argument) where = d.line > 0 ? fmt::format("{}:{}: ", d.file, d.line) : d.file + ": ";
  const std::string got = d.got.empty() ? "" : ", got " + d.got;
  return fmt::format("{}{}: expected {}{}", where, d.key, d.expected, got);
}

OutputError::OutputError(const std::string& path, const std::string& reason)
    : std::runtime_error(one_line(fmt::format("{}: cannot write: {}", path, reason))),
      path_(std::make_shared<const std::string>(path)) {}

}  // namespace samplersim
