// Helpers for sweep tests: write a spec, sort a results file by run key.
#pragma once

#include <signal.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "tests/cli/cli_util.h"

namespace samplersim::testing {

inline void write_text(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
}

inline std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::stringstream ss(text);
  std::string line;
  while (std::getline(ss, line)) lines.push_back(line);
  return lines;
}

// The results file's lines sorted by their "run_key", joined with newlines.
inline std::string sorted_by_run_key(const std::string& text) {
  std::vector<std::pair<std::string, std::string>> keyed;
  for (const std::string& l : lines_of(text)) {
    keyed.emplace_back(nlohmann::json::parse(l).at("run_key").get<std::string>(), l);
  }
  std::sort(keyed.begin(), keyed.end());
  std::string out;
  for (const auto& [k, l] : keyed) out += l + "\n";
  return out;
}

// 7*6 + 2*3*6 + 4*2*3 = 102 runs over three entries, an axis and rep-0 coverage curves (sharded
// and MPI sweeps cut it into blocks that cross points and arms).
inline std::string tiny_spec_text(const std::string& name) {
  return "name = \"" + name + R"("
reps = 3

[[scenario]]
scenario = "issue-5489"
reps = 7

[[scenario]]
scenario = "issue-5489"
[scenario.axes]
"workers.processes" = [2, 4]

[[scenario]]
scenario = "grid-4x5-w4"
reps = 4
policies = ["optuna-3.2", "optuna-4"]
)";
}
inline constexpr int kTinyRuns = 102;

// A small sweep over both built-in scenarios with a processes axis: enough runs (3900) that
// several batches are written, small enough for a test.
inline std::string small_spec_text() {
  return R"(name = "small"
reps = 150

[[scenario]]
scenario = "issue-5489"
reps = 300

[[scenario]]
scenario = "issue-5489"
reps = 100
[scenario.axes]
"workers.processes" = [2, 4]

[[scenario]]
scenario = "grid-4x5-w4"
reps = 100
policies = ["optuna-3.2", "optuna-4"]
)";
}

// Starts samplersim with `args` (stdout/stderr to files in `dir`) and returns its process id; the
// shell execs the binary, so the id is samplersim's own. -1 if it could not be started.
inline pid_t start_cli(const std::string& args, const std::string& dir) {
  const std::string cmd = "exec " + std::string(SAMPLERSIM_BINARY) + " " + args + " >" + dir + "/stdout.txt 2>" + dir +
                          "/stderr.txt </dev/null";
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::execl("/bin/sh", "sh", "-c", cmd.c_str(), static_cast<char*>(nullptr));
    ::_exit(127);
  }
  return pid;
}

// Complete lines (newline-terminated) in `path` now; 0 if it does not exist yet.
inline int complete_lines_in(const std::string& path) { return count_lines(read_all(path)); }

}  // namespace samplersim::testing
