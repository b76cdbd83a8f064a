#include "sim/errors.h"

#include <algorithm>

#include <fmt/format.h>

namespace samplersim {

std::string one_line(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte == 0x7f) {
      out += fmt::format("\\x{:02x}", byte);
    } else {
      out.push_back(c);
    }
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
