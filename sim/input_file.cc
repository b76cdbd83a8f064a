#include "sim/input_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <system_error>

#include <fmt/format.h>

#include "sim/errors.h"

namespace samplersim {

namespace {

constexpr std::size_t kChunkBytes = std::size_t{1} << 20;

[[noreturn]] void refuse(const std::string& path, std::string_view expected, std::string got) {
  throw BadInput(path, 0, std::string(kWholeFileKey), std::string(expected), std::move(got));
}

// What a file that is not a regular file is, for the "got ..." half of the message.
std::string kind_of(mode_t mode) {
  if (S_ISDIR(mode)) return "a directory";
  if (S_ISFIFO(mode)) return "a FIFO";
  if (S_ISSOCK(mode)) return "a socket";
  if (S_ISCHR(mode) || S_ISBLK(mode)) return "a device";
  return "a special file";
}

// An open regular file (closed on destruction).
class Reader {
 public:
  Reader(const std::string& path, std::string_view expected) : path_(path), expected_(expected) {
    fd_ = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    if (fd_ < 0) {
      refuse(path, expected, errno == ENOENT ? "no such file" : std::error_code(errno, std::generic_category()).message());
    }
    struct stat st {};
    if (::fstat(fd_, &st) != 0) fail_errno();
    if (!S_ISREG(st.st_mode)) {
      ::close(fd_);
      fd_ = -1;
      refuse(path, expected, kind_of(st.st_mode));
    }
    size_ = static_cast<std::uint64_t>(st.st_size);
  }
  ~Reader() {
    if (fd_ >= 0) ::close(fd_);
  }
  Reader(const Reader&) = delete;
  Reader& operator=(const Reader&) = delete;

  std::uint64_t size() const { return size_; }

  // Reads up to `n` bytes into `out`; 0 at the end of the file.
  std::size_t read(char* out, std::size_t n) {
    for (;;) {
      const ssize_t got = ::read(fd_, out, n);
      if (got >= 0) return static_cast<std::size_t>(got);
      if (errno != EINTR && errno != EAGAIN) fail_errno();
    }
  }

 private:
  [[noreturn]] void fail_errno() { refuse(path_, expected_, std::error_code(errno, std::generic_category()).message()); }

  const std::string& path_;
  std::string_view expected_;
  int fd_ = -1;
  std::uint64_t size_ = 0;
};

void refuse_size(const std::string& path, std::uint64_t max_bytes) {
  refuse(path, fmt::format("a file of at most {} bytes", max_bytes), "a larger file");
}

}  // namespace

std::string read_input_file(const std::string& path, std::string_view expected, std::size_t max_bytes) {
  Reader reader(path, expected);
  if (reader.size() > max_bytes) refuse_size(path, max_bytes);
  std::string text(std::min<std::uint64_t>(reader.size(), max_bytes) + 1, '\0');
  std::size_t n = 0;
  for (;;) {  // the file may have grown since fstat: read at most max_bytes + 1
    if (n == text.size()) {
      if (text.size() > max_bytes) break;
      text.resize(std::min(max_bytes + 1, text.size() * 2));
    }
    const std::size_t got = reader.read(text.data() + n, text.size() - n);
    if (got == 0) break;
    n += got;
  }
  if (n > max_bytes) refuse_size(path, max_bytes);
  text.resize(n);
  return text;
}

LineScan for_each_line(const std::string& path, std::string_view expected, std::uint64_t max_file_bytes,
                       std::size_t max_line_bytes,
                       const std::function<void(std::string_view line, std::int64_t number)>& on_line) {
  Reader reader(path, expected);
  if (reader.size() > max_file_bytes) refuse_size(path, max_file_bytes);
  LineScan scan;
  std::string chunk(kChunkBytes, '\0');
  std::string pending;  // the start of a line that continues in the next chunk
  for (;;) {
    const std::size_t got = reader.read(chunk.data(), chunk.size());
    if (got == 0) break;
    scan.bytes += got;
    if (scan.bytes > max_file_bytes) refuse_size(path, max_file_bytes);
    std::string_view rest(chunk.data(), got);
    for (std::size_t nl = rest.find('\n'); nl != std::string_view::npos; nl = rest.find('\n')) {
      const std::int64_t number = scan.lines + 1;
      if (pending.size() + nl > max_line_bytes) {
        throw BadInput(path, static_cast<int>(std::min<std::int64_t>(number, INT_MAX)), "(line)",
                       fmt::format("a line of at most {} bytes", max_line_bytes), "a longer line");
      }
      if (pending.empty()) {
        on_line(rest.substr(0, nl), number);
      } else {
        pending.append(rest.substr(0, nl));
        on_line(pending, number);
        pending.clear();
      }
      scan.lines = number;
      scan.complete_bytes = scan.bytes - (rest.size() - nl - 1);
      rest.remove_prefix(nl + 1);
    }
    if (pending.size() + rest.size() > max_line_bytes) {
      throw BadInput(path, static_cast<int>(std::min<std::int64_t>(scan.lines + 1, INT_MAX)), "(line)",
                     fmt::format("a line of at most {} bytes", max_line_bytes), "a longer line");
    }
    pending.append(rest);
  }
  return scan;
}

}  // namespace samplersim
