// Output files (app/atomic_file.h): whole or nothing, unique temporaries, symlinks kept as links,
// devices and FIFOs written through and never replaced, temporaries removed on failure and on
// SIGTERM.
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>

#include "app/atomic_file.h"

namespace samplersim {
namespace {

namespace fs = std::filesystem;

fs::path scratch(const std::string& name) {
  const fs::path dir = fs::temp_directory_path() / ("samplersim-atomic-" + std::to_string(::getpid()) + "-" + name);
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

std::string read(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

int entries(const fs::path& dir) {
  int n = 0;
  for ([[maybe_unused]] const auto& e : fs::directory_iterator(dir)) ++n;
  return n;
}

TEST(OutputFile, AppearsOnlyWhenCommittedAndTwoWritersNeverShareATemporary) {
  const fs::path dir = scratch("commit");
  const std::string path = (dir / "out.txt").string();
  std::ofstream(path) << "old";
  {
    OutputFile a(path);
    OutputFile b(path);  // e.g. two reports into one folder
    a.write("from a");
    b.write("from b");
    EXPECT_EQ(entries(dir), 3) << "the target and two distinct temporaries";
    EXPECT_EQ(read(path), "old");
    a.commit();
    EXPECT_EQ(read(path), "from a");
  }  // b is dropped without commit: its temporary goes, the target stays
  EXPECT_EQ(read(path), "from a");
  EXPECT_EQ(entries(dir), 1);
}

TEST(OutputFile, ASymlinkStaysALinkAndItsTargetGetsTheContent) {
  const fs::path dir = scratch("link");
  fs::create_directories(dir / "real");
  std::ofstream(dir / "real" / "data.jsonl") << "old";
  fs::create_symlink("real/data.jsonl", dir / "link.jsonl");
  write_file_atomically((dir / "link.jsonl").string(), "new\n");
  EXPECT_TRUE(fs::is_symlink(fs::symlink_status(dir / "link.jsonl")));
  EXPECT_EQ(read(dir / "real" / "data.jsonl"), "new\n");
  // A dangling link: its target is created.
  fs::create_symlink("real/fresh.jsonl", dir / "dangling.jsonl");
  write_file_atomically((dir / "dangling.jsonl").string(), "fresh\n");
  EXPECT_TRUE(fs::is_symlink(fs::symlink_status(dir / "dangling.jsonl")));
  EXPECT_EQ(read(dir / "real" / "fresh.jsonl"), "fresh\n");
  EXPECT_EQ(entries(dir / "real"), 2);
}

TEST(OutputFile, DevicesAreWrittenThroughNeverReplaced) {
  write_file_atomically("/dev/null", std::string(1 << 20, 'x'));
  struct stat st {};
  ASSERT_EQ(::stat("/dev/null", &st), 0);
  EXPECT_TRUE(S_ISCHR(st.st_mode)) << "/dev/null must stay a character device";
  try {
    write_file_atomically("/dev/full", "x");
    FAIL() << "/dev/full must fail";
  } catch (const OutputError& e) {
    EXPECT_STREQ(e.what(), "/dev/full: cannot write: No space left on device");
  }
}

TEST(OutputFile, AFifoWithAReaderGetsTheContentAndOneWithoutIsRefused) {
  const fs::path dir = scratch("fifo");
  const std::string fifo = (dir / "pipe").string();
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0644), 0);
  EXPECT_THROW(write_file_atomically(fifo, "nobody reads"), OutputError);
  std::string received;
  std::thread reader([&] { received = read(fifo); });
  // The reader opens the FIFO at some point; until then a writer is refused (ENXIO), so retry.
  bool written = false;
  for (int attempt = 0; attempt < 10000 && !written; ++attempt) {
    try {
      write_file_atomically(fifo, "through the pipe\n");
      written = true;
    } catch (const OutputError&) {
      std::this_thread::yield();
    }
  }
  reader.join();
  EXPECT_TRUE(written);
  EXPECT_EQ(received, "through the pipe\n");
  EXPECT_TRUE(fs::is_fifo(fifo));
}

TEST(OutputFile, RefusesDirectoriesAndMissingFolders) {
  const fs::path dir = scratch("refuse");
  EXPECT_THROW(write_file_atomically(dir.string(), "x"), OutputError);
  EXPECT_THROW(write_file_atomically((dir / "no" / "f").string(), "x"), OutputError);
  EXPECT_THROW(check_writable((dir / "no" / "f").string()), OutputError);
  EXPECT_NO_THROW(check_writable("/dev/null"));
  EXPECT_EQ(entries(dir), 0);
}

TEST(OutputFile, SigtermRemovesTheTemporary) {
  const fs::path dir = scratch("signal");
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    OutputFile out((dir / "big.jsonl").string());
    out.write("partial\n");
    ::raise(SIGTERM);
    ::_exit(0);  // not reached
  }
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM) << status;
  EXPECT_EQ(entries(dir), 0) << "neither the output nor its temporary may remain";
}

}  // namespace
}  // namespace samplersim
