#include "app/atomic_file.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>

#include <fmt/format.h>
#include <unistd.h>

namespace samplersim {

namespace fs = std::filesystem;

void check_writable(const std::string& path) {
  const fs::path p(path);
  fs::path dir = p.parent_path();
  if (dir.empty()) dir = ".";
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    throw OutputError(path, fmt::format("directory '{}' does not exist", dir.string()));
  }
  if (fs::is_directory(p, ec)) throw OutputError(path, "it is a directory");
  if (::access(dir.c_str(), W_OK) != 0) {
    throw OutputError(path, fmt::format("directory '{}' is not writable", dir.string()));
  }
}

void ensure_directory(const std::string& dir) {
  std::error_code ec;
  if (fs::is_directory(dir, ec)) return;
  if (fs::exists(dir, ec)) throw OutputError(dir, "it exists and is not a directory");
  fs::create_directories(dir, ec);
  if (ec) throw OutputError(dir, fmt::format("cannot create the directory ({})", ec.message()));
}

void write_file_atomically(const std::string& path, const std::string& content) {
  check_writable(path);
  const std::string tmp = path + ".tmp." + std::to_string(::getpid());
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) throw OutputError(path, std::strerror(errno));
    out.write(content.data(), static_cast<std::streamsize>(content.size()));
    out.flush();
    if (!out) {
      const int error = errno;
      out.close();
      std::remove(tmp.c_str());
      throw OutputError(path, std::strerror(error));
    }
  }
  std::error_code ec;
  fs::rename(tmp, path, ec);
  if (ec) {
    std::remove(tmp.c_str());
    throw OutputError(path, ec.message());
  }
}

}  // namespace samplersim
