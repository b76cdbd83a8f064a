// Output files: written whole or not at all, and never through a surprise in the path.
//
// What happens depends on what the path is when the output is opened (lstat, then stat):
// - it does not exist, or is a regular file: the content goes to a new temporary file next to it
//   ("<name>.tmp.<pid>.<n>", created with O_EXCL, so two processes or threads writing into one
//   folder never share a temporary), which is renamed over the path only when complete
//   (commit()). A failure, or an output dropped without commit(), removes the temporary and
//   leaves the path as it was.
// - a symbolic link: the same, for the file the link points to (resolved once, when opened), so
//   the link stays a link and its target gets the content. A dangling link's target is created.
// - a character device or a FIFO (/dev/null, /dev/stdout, a named pipe): written through, in
//   place (opened without O_CREAT or O_TRUNC, never replaced by a rename). Not atomic; a FIFO with
//   no reader is refused instead of blocking.
// - a directory, a block device or a socket: refused.
// Every failure is an OutputError naming the path as given ("<path>: cannot write: <reason>").
// A temporary is also removed when SIGINT, SIGTERM, SIGHUP or SIGPIPE ends the process (a handler
// is installed where the disposition is the default); only SIGKILL can leave one behind.
// Cost: one open and one rename per file; writes are buffered (kOutputBufferBytes).
#pragma once

#include <cstddef>
#include <initializer_list>
#include <string>
#include <string_view>

#include "sim/errors.h"

namespace samplersim {

inline constexpr std::size_t kOutputBufferBytes = std::size_t{1} << 20;

class OutputFile {
 public:
  // Opens the output (creates the temporary, or opens the device/FIFO). Throws OutputError.
  explicit OutputFile(std::string path);
  ~OutputFile();  // without commit(): removes the temporary, the path is untouched
  OutputFile(const OutputFile&) = delete;
  OutputFile& operator=(const OutputFile&) = delete;

  void write(std::string_view data);  // throws OutputError
  // Flushes and closes: every byte is written (a full disk or /dev/full fails here), nothing is
  // renamed yet. Throws OutputError (and then removes the temporary). Optional before commit().
  void finish();
  // finish(), then renames the temporary over the target. Throws OutputError (and then removes the
  // temporary). Call once.
  void commit();

  const std::string& path() const { return path_; }
  bool writes_through() const { return temporary_.empty(); }  // a device or FIFO

 private:
  void flush();
  void discard() noexcept;

  std::string path_;       // as given (for messages)
  std::string target_;     // the file renamed over (the symlink's target), or the device
  std::string temporary_;  // "" when writing through
  int fd_ = -1;
  bool finished_ = false;  // flushed and closed
  int slot_ = -1;  // in the signal cleanup registry (atomic_file.cc)
  std::string buffer_;
};

// Several outputs of one command, all or none: finishes every file first (so a write error of
// any leaves none of them replaced), then commits them in order. Throws OutputError.
void commit_all(std::initializer_list<OutputFile*> outputs);

// Writes `content` to `path` as above. Throws OutputError.
void write_file_atomically(const std::string& path, const std::string& content);

// Checks early that `path` can be written as above (its directory exists and is writable, or it
// is a device or FIFO), so a run does not compute for minutes and then fail. Throws OutputError.
void check_writable(const std::string& path);

// Creates directory `dir` and its missing parents (an --out or --report folder); throws OutputError
// naming it when that is impossible or it exists as something else.
void ensure_directory(const std::string& dir);

// Checks early, creating nothing, that `dir` is a writable directory or can be made by
// ensure_directory: its nearest existing ancestor is a writable directory, and no component of
// the path is something other than a directory. Throws OutputError naming that component.
void check_directory_creatable(const std::string& dir);

// An output file whose folders are created as needed (`--out a/b/t.json`): check_output_file checks
// early, creating nothing, that it can be written (check_writable when its folder exists,
// check_directory_creatable of the folder otherwise); make_parent_directories creates the missing
// folders just before the file is written, once the input has been read. Both throw OutputError.
void check_output_file(const std::string& path);
void make_parent_directories(const std::string& path);

}  // namespace samplersim
