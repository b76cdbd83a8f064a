#include "scenarios/input_file.h"

#include <cerrno>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <system_error>

#include <fmt/format.h>

#include "sim/errors.h"

namespace samplersim {

namespace {

[[noreturn]] void refuse(const std::string& path, std::string_view expected, std::string got) {
  throw BadInput(path, 0, std::string(kWholeFileKey), std::string(expected), std::move(got));
}

// What a path that is not a regular file is, for the "got ..." half of the message.
std::string kind_of(std::filesystem::file_type type) {
  switch (type) {
    case std::filesystem::file_type::not_found: return "no such file";
    case std::filesystem::file_type::directory: return "a directory";
    case std::filesystem::file_type::fifo: return "a FIFO";
    case std::filesystem::file_type::socket: return "a socket";
    case std::filesystem::file_type::block:
    case std::filesystem::file_type::character: return "a device";
    default: return "a special file";
  }
}

}  // namespace

std::string read_input_file(const std::string& path, std::string_view expected, std::size_t max_bytes) {
  std::error_code ec;
  const std::filesystem::file_status status = std::filesystem::status(path, ec);
  if (status.type() == std::filesystem::file_type::not_found) refuse(path, expected, "no such file");
  if (ec) refuse(path, expected, ec.message());
  if (!std::filesystem::is_regular_file(status)) refuse(path, expected, kind_of(status.type()));

  const std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(std::fopen(path.c_str(), "rb"), &std::fclose);
  if (!file) refuse(path, expected, std::error_code(errno, std::generic_category()).message());
  std::string text(max_bytes + 1, '\0');
  const std::size_t n = std::fread(text.data(), 1, text.size(), file.get());
  if (std::ferror(file.get()) != 0) refuse(path, expected, "a read error");
  if (n > max_bytes) refuse(path, fmt::format("a file of at most {} bytes", max_bytes), "a larger file");
  text.resize(n);
  return text;
}

}  // namespace samplersim
