#include "app/sweep_progress.h"

#include <fmt/format.h>

namespace samplersim {

namespace {
constexpr auto kTerminalInterval = std::chrono::milliseconds(100);
constexpr auto kLogInterval = std::chrono::seconds(10);
constexpr int kBarWidth = 30;
}  // namespace

SweepProgressDisplay::SweepProgressDisplay(std::FILE* out, bool terminal, std::int64_t already_done, std::string label)
    : out_(out),
      terminal_(terminal),
      start_done_(already_done),
      label_(std::move(label)),
      start_(std::chrono::steady_clock::now()),
      last_(start_) {}

std::string SweepProgressDisplay::format_line(std::int64_t done, std::int64_t total, double runs_per_s, bool bar) {
  const double share = total > 0 ? static_cast<double>(done) / static_cast<double>(total) : 1.0;
  std::string out;
  if (bar) {
    const int filled = static_cast<int>(share * kBarWidth);
    out = "[" + std::string(static_cast<std::size_t>(filled), '#') + std::string(static_cast<std::size_t>(kBarWidth - filled), '.') + "] ";
  }
  out += fmt::format("{}/{} runs {:.1f}%", done, total, 100.0 * share);
  if (runs_per_s > 0) {
    const double left_s = static_cast<double>(total - done) / runs_per_s;
    out += fmt::format("  {:.0f} runs/s  {:.0f}s left", runs_per_s, left_s);
  }
  return out;
}

void SweepProgressDisplay::update(std::int64_t done, std::int64_t total) {
  const auto now = std::chrono::steady_clock::now();
  if (now - last_ < (terminal_ ? std::chrono::duration_cast<std::chrono::steady_clock::duration>(kTerminalInterval)
                               : std::chrono::duration_cast<std::chrono::steady_clock::duration>(kLogInterval))) {
    return;
  }
  last_ = now;
  const double elapsed_s = std::chrono::duration<double>(now - start_).count();
  const double rate = elapsed_s > 0 ? static_cast<double>(done - start_done_) / elapsed_s : 0.0;
  const std::string line = format_line(done, total, rate, terminal_);
  if (terminal_) {
    fmt::print(out_, "\r{}\x1b[K", line);
  } else {
    fmt::print(out_, "{}: {}\n", label_, line);
  }
  std::fflush(out_);
}

void SweepProgressDisplay::finish(std::int64_t done, std::int64_t total) {
  const double elapsed_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  const double rate = elapsed_s > 0 ? static_cast<double>(done - start_done_) / elapsed_s : 0.0;
  const std::string line = format_line(done, total, rate, terminal_);
  if (terminal_) {
    fmt::print(out_, "\r{}\x1b[K\n", line);
  } else {
    fmt::print(out_, "{}: {}\n", label_, line);
  }
  std::fflush(out_);
}

}  // namespace samplersim
