#include "app/atomic_file.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <filesystem>

#include <fmt/format.h>

namespace samplersim {

namespace {

namespace fs = std::filesystem;

constexpr int kMaxSymlinkHops = 40;     // as the kernel's ELOOP limit
constexpr int kMaxTemporaryTries = 100;  // O_EXCL collisions before giving up

std::string error_text(int error) { return std::strerror(error); }

enum class TargetKind { kFile, kThrough };

struct Target {
  std::string path;  // where the content ends up
  TargetKind kind = TargetKind::kFile;
};

// What `path` is and where its content goes (see the header). Throws OutputError.
Target resolve_target(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0) {  // follows links (also /proc/self/fd/N to a pipe)
    if (S_ISCHR(st.st_mode) || S_ISFIFO(st.st_mode)) return {path, TargetKind::kThrough};
    if (S_ISDIR(st.st_mode)) throw OutputError(path, "it is a directory");
    if (!S_ISREG(st.st_mode)) throw OutputError(path, "it is a block device or a socket, not a file");
    std::error_code ec;
    const fs::path real = fs::canonical(path, ec);  // the file itself, not a link to it
    if (ec) throw OutputError(path, ec.message());
    return {real.string(), TargetKind::kFile};
  }
  if (errno != ENOENT) throw OutputError(path, error_text(errno));
  // A new file, or a dangling link: follow the links to the name to create.
  std::string current = path;
  for (int hop = 0; hop <= kMaxSymlinkHops; ++hop) {
    if (::lstat(current.c_str(), &st) != 0) {
      if (errno == ENOENT) return {current, TargetKind::kFile};
      throw OutputError(path, error_text(errno));
    }
    if (!S_ISLNK(st.st_mode)) throw OutputError(path, "it changed while being opened");
    std::error_code ec;
    const fs::path link = fs::read_symlink(current, ec);
    if (ec) throw OutputError(path, ec.message());
    current = link.is_absolute() ? link.string() : (fs::path(current).parent_path() / link).string();
  }
  throw OutputError(path, "too many levels of symbolic links");
}

std::string directory_of(const std::string& file) {
  const fs::path dir = fs::path(file).parent_path();
  return dir.empty() ? std::string(".") : dir.string();
}

void check_directory(const std::string& path, const std::string& file) {
  const std::string dir = directory_of(file);
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) throw OutputError(path, fmt::format("directory '{}' does not exist", dir));
  if (::access(dir.c_str(), W_OK) != 0) throw OutputError(path, fmt::format("directory '{}' is not writable", dir));
}

// Opens a device or FIFO for writing in place. A FIFO is opened non-blocking first: with no reader
// that fails (ENXIO) instead of waiting for ever.
int open_through(const std::string& path, const std::string& target) {
  const int fd = ::open(target.c_str(), O_WRONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
  if (fd < 0) {
    throw OutputError(path, errno == ENXIO ? "a FIFO with no reader" : error_text(errno));
  }
  const int flags = ::fcntl(fd, F_GETFL);
  if (flags < 0 || ::fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) != 0) {
    const int error = errno;
    ::close(fd);
    throw OutputError(path, error_text(error));
  }
  return fd;
}

std::atomic<unsigned> temporary_counter{0};

// Temporaries of open outputs, removed by a fatal signal (SIGINT, SIGTERM, SIGHUP, SIGPIPE) before
// it ends the process, so an interrupted `run --reps 100000000 --json` leaves no partial file.
// Only async-signal-safe calls in the handler (unlink, signal, raise); at most kMaxLiveTemporaries
// are tracked (more are still removed on every way out but a signal).
constexpr int kMaxLiveTemporaries = 64;
struct TemporarySlot {
  std::atomic<bool> used{false};
  char path[4096] = {};
};
TemporarySlot temporary_slots[kMaxLiveTemporaries];
std::atomic_flag slot_lock = ATOMIC_FLAG_INIT;

extern "C" void remove_temporaries_and_die(int signal_number) {
  for (TemporarySlot& slot : temporary_slots) {
    if (slot.used.load(std::memory_order_acquire)) ::unlink(slot.path);
  }
  ::signal(signal_number, SIG_DFL);
  ::raise(signal_number);
}

void install_signal_cleanup() {
  static const bool installed = [] {
    for (int signal_number : {SIGINT, SIGTERM, SIGHUP, SIGPIPE}) {
      struct sigaction old {};
      if (::sigaction(signal_number, nullptr, &old) != 0 || old.sa_handler != SIG_DFL) continue;  // keep a caller's
      struct sigaction action {};
      action.sa_handler = remove_temporaries_and_die;
      sigemptyset(&action.sa_mask);
      ::sigaction(signal_number, &action, nullptr);
    }
    return true;
  }();
  (void)installed;
}

// A slot index for `path`, or -1 when none is free or the path does not fit.
int track_temporary(const std::string& path) {
  install_signal_cleanup();
  if (path.size() >= sizeof(TemporarySlot::path)) return -1;
  while (slot_lock.test_and_set(std::memory_order_acquire)) {
  }
  int index = -1;
  for (int i = 0; i < kMaxLiveTemporaries && index < 0; ++i) {
    if (temporary_slots[i].used.load(std::memory_order_relaxed)) continue;
    std::memcpy(temporary_slots[i].path, path.c_str(), path.size() + 1);
    temporary_slots[i].used.store(true, std::memory_order_release);
    index = i;
  }
  slot_lock.clear(std::memory_order_release);
  return index;
}

void untrack_temporary(int index) {
  if (index >= 0) temporary_slots[index].used.store(false, std::memory_order_release);
}

}  // namespace

OutputFile::OutputFile(std::string path) : path_(std::move(path)) {
  const Target target = resolve_target(path_);
  target_ = target.path;
  if (target.kind == TargetKind::kThrough) {
    fd_ = open_through(path_, target_);
    return;
  }
  check_directory(path_, target_);
  for (int attempt = 0; attempt < kMaxTemporaryTries && fd_ < 0; ++attempt) {
    temporary_ = fmt::format("{}.tmp.{}.{}", target_, ::getpid(), temporary_counter.fetch_add(1));
    fd_ = ::open(temporary_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0666);
    if (fd_ < 0 && errno != EEXIST) {
      const int error = errno;
      temporary_.clear();
      throw OutputError(path_, error_text(error));
    }
  }
  if (fd_ < 0) {
    temporary_.clear();
    throw OutputError(path_, "no free temporary file name next to it");
  }
  slot_ = track_temporary(temporary_);
}

OutputFile::~OutputFile() { discard(); }

void OutputFile::discard() noexcept {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
  if (!temporary_.empty()) ::unlink(temporary_.c_str());
  temporary_.clear();
  untrack_temporary(slot_);
  slot_ = -1;
}

void OutputFile::write(std::string_view data) {
  if (fd_ < 0) throw OutputError(path_, "written after it was closed");
  buffer_.append(data);
  if (buffer_.size() >= kOutputBufferBytes) flush();
}

void OutputFile::flush() {
  std::size_t done = 0;
  while (done < buffer_.size()) {
    const ssize_t n = ::write(fd_, buffer_.data() + done, buffer_.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      const int error = errno;
      discard();
      throw OutputError(path_, error_text(error));
    }
    done += static_cast<std::size_t>(n);
  }
  buffer_.clear();
}

void OutputFile::finish() {
  if (finished_) return;
  flush();
  const int fd = fd_;
  fd_ = -1;
  if (::close(fd) != 0 && errno != EINTR) {
    const int error = errno;
    discard();
    throw OutputError(path_, error_text(error));
  }
  finished_ = true;
}

void OutputFile::commit() {
  finish();
  if (temporary_.empty()) return;  // written through
  if (::rename(temporary_.c_str(), target_.c_str()) != 0) {
    const int error = errno;
    discard();
    throw OutputError(path_, error_text(error));
  }
  temporary_.clear();
  untrack_temporary(slot_);  // after the rename: a signal in between finds nothing to remove
  slot_ = -1;
}

void commit_all(std::initializer_list<OutputFile*> outputs) {
  for (OutputFile* out : outputs) {
    if (out != nullptr) out->finish();
  }
  for (OutputFile* out : outputs) {
    if (out != nullptr) out->commit();
  }
}

void ensure_directory(const std::string& dir) {
  std::error_code ec;
  if (fs::is_directory(dir, ec)) return;
  if (fs::exists(dir, ec)) throw OutputError(dir, "it exists and is not a directory");
  fs::create_directories(dir, ec);
  if (ec) throw OutputError(dir, fmt::format("cannot create the directory ({})", ec.message()));
}

namespace {

// check_directory_creatable of `dir`; errors name `named` (the output as the user gave it).
void check_creatable(const std::string& dir, const std::string& named) {
  std::error_code ec;
  fs::path p = fs::absolute(fs::path(dir), ec);
  if (ec) throw OutputError(named, fmt::format("cannot resolve the path ({})", ec.message()));
  constexpr int kMaxDepth = 4096;
  for (int depth = 0; depth < kMaxDepth; ++depth) {
    if (fs::is_directory(p, ec)) {
      if (::access(p.c_str(), W_OK) != 0) throw OutputError(named, fmt::format("{} is not writable", p.string()));
      return;
    }
    if (fs::exists(p, ec)) throw OutputError(named, fmt::format("{} exists and is not a directory", p.string()));
    if (!p.has_parent_path() || p.parent_path() == p) break;
    p = p.parent_path();
  }
  throw OutputError(named, "no existing directory above it");
}

}  // namespace

void check_directory_creatable(const std::string& dir) { check_creatable(dir, dir); }

void check_output_file(const std::string& path) {
  const fs::path parent = fs::path(path).parent_path();
  std::error_code ec;
  if (parent.empty() || fs::is_directory(parent, ec)) {
    check_writable(path);
  } else {
    check_creatable(parent.string(), path);
  }
}

void make_parent_directories(const std::string& path) {
  const fs::path parent = fs::path(path).parent_path();
  if (!parent.empty()) ensure_directory(parent.string());
}

void write_file_atomically(const std::string& path, const std::string& content) {
  OutputFile out(path);
  out.write(content);
  out.commit();
}

void check_writable(const std::string& path) {
  const Target target = resolve_target(path);
  if (target.kind == TargetKind::kThrough) {
    if (::access(target.path.c_str(), W_OK) != 0) throw OutputError(path, error_text(errno));
    return;
  }
  check_directory(path, target.path);
}

}  // namespace samplersim
