// The progress line: bar, counts, share, rate and time left.
#include <gtest/gtest.h>

#include "app/sweep_progress.h"

namespace samplersim {
namespace {

TEST(SweepProgress, TerminalLineHasBarRateAndTimeLeft) {
  const std::string line = SweepProgressDisplay::format_line(250, 1000, 50.0, true);
  EXPECT_EQ(line.rfind("[" + std::string(7, '#') + std::string(23, '.') + "] ", 0), 0u) << line;
  EXPECT_NE(line.find("250/1000 runs 25.0%"), std::string::npos) << line;
  EXPECT_NE(line.find("50 runs/s  15s left"), std::string::npos) << line;
}

TEST(SweepProgress, PlainLineHasNoBarAndNoRateBeforeAnyRun) {
  const std::string line = SweepProgressDisplay::format_line(0, 40, 0.0, false);
  EXPECT_EQ(line, "0/40 runs 0.0%");
}

}  // namespace
}  // namespace samplersim
