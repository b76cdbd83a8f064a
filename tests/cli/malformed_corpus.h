// The malformed-input corpus (tests/data/malformed/, format in its README.md): reading the case
// manifests, preparing each case's scratch directory, running the samplersim binary on it (no
// shell, bounded time and memory) and checking the promise every bad input gets.
// Kept apart from the test so the format is in one place; used by malformed_corpus_test.cc.
#pragma once

#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <regex>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include <sqlite3.h>

#include "sim/fnv1a.h"
#include "sim/unsafe_text.h"

namespace samplersim::corpus {

namespace fs = std::filesystem;

struct Case {
  std::string kind;       // the folder: scenario, sweep, replay, results, study, cli, output
  std::string name;       // unique within its kind
  std::string klass;      // the class of failure it stands for (README.md lists them)
  int status = 0;         // expected exit status
  std::string pattern;    // ECMAScript regex searched in stderr
  std::string arguments;  // after `samplersim`, with placeholders
  std::string setup;      // directives separated by ';'
  std::string where;      // manifest:line
};

struct Outcome {
  int status = -1;
  std::string out;
  std::string err;
};

inline std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

inline std::string trim(const std::string& s) {
  const auto b = s.find_first_not_of(" \t");
  if (b == std::string::npos) return "";
  const auto e = s.find_last_not_of(" \t\r");
  return s.substr(b, e - b + 1);
}

// "a | b | c" -> {"a", "b", "c"} (a field may not contain " | ").
inline std::vector<std::string> split_fields(const std::string& line) {
  std::vector<std::string> fields;
  std::size_t start = 0;
  for (;;) {
    const auto bar = line.find(" | ", start);
    fields.push_back(trim(line.substr(start, bar == std::string::npos ? std::string::npos : bar - start)));
    if (bar == std::string::npos) return fields;
    start = bar + 3;
  }
}

inline std::vector<Case> read_manifest(const fs::path& manifest) {
  std::vector<Case> cases;
  std::ifstream in(manifest);
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    if (trim(line).empty() || trim(line)[0] == '#') continue;
    const std::vector<std::string> f = split_fields(line);
    const std::string where = manifest.string() + ":" + std::to_string(number);
    if (f.size() < 5 || f.size() > 6) throw std::runtime_error(where + ": expected 5 or 6 fields separated by ' | '");
    Case c;
    c.kind = manifest.parent_path().filename().string();
    c.name = f[0];
    c.klass = f[1];
    c.status = std::stoi(f[2]);
    c.pattern = f[3];
    c.arguments = f[4];
    if (f.size() == 6) c.setup = f[5];
    c.where = where;
    cases.push_back(std::move(c));
  }
  return cases;
}

// Splits on blanks; "..." quotes with C escapes (\n \t \e \\ \" \xNN), '...' quotes literally.
inline std::vector<std::string> split_words(const std::string& text) {
  std::vector<std::string> words;
  std::size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && (text[i] == ' ' || text[i] == '\t')) ++i;
    if (i >= text.size()) break;
    std::string word;
    while (i < text.size() && text[i] != ' ' && text[i] != '\t') {
      const char c = text[i];
      if (c == '\'') {
        const auto end = text.find('\'', i + 1);
        if (end == std::string::npos) throw std::runtime_error("unterminated ' in: " + text);
        word += text.substr(i + 1, end - i - 1);
        i = end + 1;
      } else if (c == '"') {
        ++i;
        while (i < text.size() && text[i] != '"') {
          if (text[i] == '\\' && i + 1 < text.size()) {
            const char e = text[i + 1];
            if (e == 'x' && i + 3 < text.size()) {
              word += static_cast<char>(std::stoi(text.substr(i + 2, 2), nullptr, 16));
              i += 4;
              continue;
            }
            word += e == 'n' ? '\n' : e == 't' ? '\t' : e == 'e' ? '\x1b' : e;
            i += 2;
          } else {
            word += text[i++];
          }
        }
        if (i >= text.size()) throw std::runtime_error("unterminated \" in: " + text);
        ++i;
      } else {
        word += c;
        ++i;
      }
    }
    words.push_back(word);
  }
  return words;
}

inline std::string substitute(std::string text, const std::map<std::string, std::string>& vars) {
  for (const auto& [name, value] : vars) {
    for (auto at = text.find(name); at != std::string::npos; at = text.find(name, at + value.size())) {
      text.replace(at, name.size(), value);
    }
  }
  return text;
}

// Builds an SQLite database from SQL files (WAL mode when `wal`), closing it cleanly.
inline void make_database(const std::vector<fs::path>& sql_files, const fs::path& db, bool wal) {
  sqlite3* raw = nullptr;
  if (sqlite3_open(db.c_str(), &raw) != SQLITE_OK) throw std::runtime_error("cannot create " + db.string());
  std::string sql = wal ? "PRAGMA journal_mode=WAL;\n" : "";
  for (const fs::path& f : sql_files) sql += read_file(f) + "\n";
  char* error = nullptr;
  const int rc = sqlite3_exec(raw, sql.c_str(), nullptr, nullptr, &error);
  const std::string message = error ? error : "";
  sqlite3_free(error);
  sqlite3_close(raw);
  if (rc != SQLITE_OK) throw std::runtime_error(db.string() + ": " + message);
}

// Runs one setup directive in `out` (see README.md).
inline void run_setup(const std::string& directive, const fs::path& in, const fs::path& out,
                      const std::map<std::string, std::string>& vars) {
  const std::vector<std::string> w = split_words(substitute(directive, vars));
  if (w.empty()) return;
  const auto need = [&](std::size_t n) {
    if (w.size() < n) throw std::runtime_error("setup '" + directive + "': too few words");
  };
  if (w[0] == "fifo") {
    need(2);
    if (::mkfifo((out / w[1]).c_str(), 0644) != 0) throw std::runtime_error("mkfifo failed");
  } else if (w[0] == "symlink") {
    need(3);
    fs::create_symlink(w[2], out / w[1]);
  } else if (w[0] == "copy") {
    need(2);
    fs::copy_file(in / w[1], out / (w.size() > 2 ? w[2] : w[1]));
  } else if (w[0] == "write") {  // write NAME "text"
    need(3);
    std::ofstream(out / w[1], std::ios::binary) << w[2];
  } else if (w[0] == "db" || w[0] == "wal-db") {  // db NAME.db FILE.sql...
    need(3);
    std::vector<fs::path> sql;
    for (std::size_t k = 2; k < w.size(); ++k) sql.push_back(in / w[k]);
    make_database(sql, out / w[1], w[0] == "wal-db");
  } else if (w[0] == "truncate") {  // truncate NAME BYTES
    need(3);
    fs::resize_file(out / w[1], std::stoull(w[2]));
  } else if (w[0] == "repeat") {  // repeat FILE N head open middle close tail
    need(8);
    const long n = std::stol(w[2]);
    std::ofstream f(out / w[1], std::ios::binary);
    f << w[3];
    for (long k = 0; k < n; ++k) f << w[4];
    f << w[5];
    for (long k = 0; k < n; ++k) f << w[6];
    f << w[7];
  } else if (w[0] == "sparse") {  // sparse FILE BYTES
    need(3);
    std::ofstream(out / w[1]).close();
    fs::resize_file(out / w[1], std::stoull(w[2]));
  } else if (w[0] == "mkdir") {
    need(2);
    fs::create_directories(out / w[1]);
  } else if (w[0] == "chmod") {  // chmod NAME OCTAL
    need(3);
    fs::permissions(out / w[1], static_cast<fs::perms>(std::stoi(w[2], nullptr, 8)));
  } else {
    throw std::runtime_error("unknown setup directive: " + directive);
  }
}

constexpr std::uintmax_t kMaxHashedBytes = std::uintmax_t{16} << 20;

// Every file under `root` (not following links) -> FNV-1a of its content (the first 16 MiB),
// size and modification time, or of its kind (FIFO, directory) or link target.
inline std::map<std::string, std::uint64_t> fingerprint_tree(const fs::path& root) {
  std::map<std::string, std::uint64_t> prints;
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(root, fs::directory_options::none, ec);
       it != fs::recursive_directory_iterator(); it.increment(ec)) {
    const fs::file_status st = it->symlink_status(ec);
    const std::string rel = fs::relative(it->path(), root, ec).string();
    std::uint64_t h = 0;
    if (fs::is_regular_file(st)) {
      // Content, size and modification time; of a large (sparse) file only its first MiB.
      const std::uintmax_t size = fs::file_size(it->path(), ec);
      std::string head(static_cast<std::size_t>(std::min<std::uintmax_t>(size, kMaxHashedBytes)), '\0');
      std::ifstream(it->path(), std::ios::binary).read(head.data(), static_cast<std::streamsize>(head.size()));
      h = fnv1a_64(head);
      h = fnv1a_64(std::to_string(size), h);
      h = fnv1a_64(std::to_string(fs::last_write_time(it->path(), ec).time_since_epoch().count()), h);
    } else if (fs::is_symlink(st)) {
      h = fnv1a_64("link:" + fs::read_symlink(it->path(), ec).string());
    } else {
      h = fnv1a_64("kind:" + std::to_string(static_cast<int>(st.type())));
    }
    prints[rel] = h;
  }
  return prints;
}

// Runs `binary` with `args` in `cwd`: stdin /dev/null, output captured to files in `capture`,
// at most `seconds` of time and (unless 0) `memory_bytes` of address space.
inline Outcome run_binary(const std::string& binary, const std::vector<std::string>& args, const fs::path& cwd,
                          const fs::path& capture, unsigned seconds, std::uint64_t memory_bytes) {
  const std::string out_path = (capture / "stdout").string();
  const std::string err_path = (capture / "stderr").string();
  std::vector<std::string> all{binary};
  all.insert(all.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (std::string& a : all) argv.push_back(a.data());
  argv.push_back(nullptr);
  const pid_t pid = ::fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {  // only async-signal-safe calls until exec
    const int null_in = ::open("/dev/null", O_RDONLY);
    const int out = ::open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    const int err = ::open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (null_in < 0 || out < 0 || err < 0 || ::chdir(cwd.c_str()) != 0) ::_exit(125);
    ::dup2(null_in, 0);
    ::dup2(out, 1);
    ::dup2(err, 2);
    if (memory_bytes > 0) {
      const struct rlimit limit{memory_bytes, memory_bytes};
      ::setrlimit(RLIMIT_AS, &limit);
    }
    ::alarm(seconds);  // SIGALRM ends a hang: status 128 + 14
    ::execv(argv[0], argv.data());
    ::_exit(126);
  }
  int raw = 0;
  while (::waitpid(pid, &raw, 0) < 0) {
  }
  Outcome o;
  o.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : 128 + WTERMSIG(raw);
  o.out = read_file(out_path);
  o.err = read_file(err_path);
  return o;
}

// The first unsafe character of `text` for a terminal (sim/unsafe_text.h), allowing newlines (and
// tabs when `tabs`); "" when there is none.
inline std::string first_unsafe(const std::string& text, bool tabs) {
  for (std::size_t i = 0; i < text.size();) {
    const DecodedChar c = decode_utf8(text, i);
    const bool allowed = c.code_point == '\n' || (tabs && c.code_point == '\t');
    if (!c.valid || (!allowed && (is_control_char(c.code_point) || is_invisible_format_char(c.code_point)))) {
      return "byte " + std::to_string(static_cast<unsigned char>(text[i])) + " at " + std::to_string(i);
    }
    i += c.length;
  }
  return "";
}

}  // namespace samplersim::corpus
