// Helpers for sweep tests: write a spec, sort a results file by run key.
#pragma once

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

// run_cli with extra environment assignments ("NAME=value ...") for this invocation only.
inline CliResult run_cli_env(const std::string& args, const std::string& dir, const std::string& env) {
  const std::string out = dir + "/stdout.txt";
  const std::string err = dir + "/stderr.txt";
  const std::string cmd = "env " + env + " " + std::string(SAMPLERSIM_BINARY) + " " + args + " >" + out + " 2>" + err + " </dev/null";
  const int raw = std::system(cmd.c_str());
  CliResult r;
  r.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : 128 + WTERMSIG(raw);
  r.out = read_all(out);
  r.err = read_all(err);
  return r;
}

}  // namespace samplersim::testing
