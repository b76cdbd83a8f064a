// Progress display for commands that run many simulations (sweep, run, audit --simulate), on stderr.
//
// On a terminal: one redrawn line "[#####.....] 1234/5000 24.7%  812 runs/s  4s left", at most
// every 100 ms. Elsewhere (a pipe, a CI log): a plain line at most every 10 s, plus a final one,
// so a CI log gets a few lines. Uses the wall clock for the rate only; it never influences a run.
#pragma once

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <string>

namespace samplersim {

class SweepProgressDisplay {
 public:
  // `label` starts each plain (non-terminal) line: "sweep: 1234/5000 runs ...".
  SweepProgressDisplay(std::FILE* out, bool terminal, std::int64_t already_done, std::string label = "sweep");
  void update(std::int64_t done, std::int64_t total);
  void finish(std::int64_t done, std::int64_t total);

  // "[#####.....] 1234/5000 24.7%  812 runs/s  4s left" (bar only when `bar`).
  static std::string format_line(std::int64_t done, std::int64_t total, double runs_per_s, bool bar);

 private:
  std::FILE* out_;
  bool terminal_;
  std::int64_t start_done_;
  std::string label_;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_;
};

}  // namespace samplersim
