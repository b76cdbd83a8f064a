// Errors by kind: what went wrong decides the exit status, never which standard exception type a
// library happened to throw.
//
//   BadInput     the user's input is wrong: a scenario, sweep spec, replay file, results file,
//                study database or command-line argument. Raised only by readers and argument
//                checks, before any output is written. Exit status 2.
//   OutputError  an output could not be written (disk full, permission denied, a missing or
//                unwritable directory). Names the path. Exit status 4.
//   anything else is internal (a run that could not complete, a broken invariant, a bug):
//                exit status 3, with the run seed that reproduces it where there is one
//                (RunFailure in sim/simulation.h carries it).
// The exit statuses themselves are the command line's business (cli/command.h); every layer may
// raise these two types. what() is always one line: unsafe characters are escaped (one_line).
// Copying either type never throws (the detail is shared), as an exception type must.
#pragma once

#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>

namespace samplersim {

// Text from the input made safe for a terminal line (sim/unsafe_text.h): C0 controls (newline,
// ESC, ...), DEL and bytes that are not UTF-8 become \xNN; C1 controls, bidirectional controls and
// zero-width characters become \uNNNN. Everything else is kept as it is.
std::string one_line(std::string_view text);

// Bad input. what() is one line, in one of these forms:
//   "<file>:<line>: <key>: expected <what>, got <what>"      a key or value of a file
//   "<file>: <key>: expected <what>, got <what>"             line 0: the file as a whole
//   "<key>: expected <what>, got <what>"                     no file: a command-line argument
//   "<file>:<line>:<column>: TOML syntax error: <description>"
// ", got <what>" is left out when `got` is empty.
class BadInput : public std::runtime_error {
 public:
  BadInput(std::string file, int line, std::string key, std::string expected, std::string got);

  // A command-line argument (no file): "<option>: expected <what>, got <what>".
  static BadInput argument(std::string option, std::string expected, std::string got);
  // A syntax error of a text format at line:column (1-based).
  static BadInput syntax_error(std::string file, int line, int column, std::string description);

  const std::string& file() const noexcept { return detail_->file; }
  int line() const noexcept { return detail_->line; }               // 1-based; 0 = the whole file
  int column() const noexcept { return detail_->column; }           // syntax errors only, else 0
  const std::string& key() const noexcept { return detail_->key; }  // "" for syntax errors
  const std::string& expected() const noexcept { return detail_->expected; }
  const std::string& got() const noexcept { return detail_->got; }  // syntax: the description
  bool is_syntax_error() const noexcept { return detail_->syntax; }

 private:
  struct Detail {
    std::string file;
    int line = 0;
    int column = 0;
    std::string key;
    std::string expected;
    std::string got;
    bool syntax = false;
    bool argument = false;  // a command-line argument: no file to name
  };
  explicit BadInput(std::shared_ptr<const Detail> detail);
  static std::string message_of(const Detail& detail);

  std::shared_ptr<const Detail> detail_;
};

// An output that could not be written. what() is "<path>: cannot write: <reason>".
class OutputError : public std::runtime_error {
 public:
  OutputError(const std::string& path, const std::string& reason);
  const std::string& path() const noexcept { return *path_; }

 private:
  std::shared_ptr<const std::string> path_;
};

}  // namespace samplersim
