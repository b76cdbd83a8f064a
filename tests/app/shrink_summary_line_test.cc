// The line check prints about shrinking (app/check_output.h shrink_summary_line): when the time
// limit or the run cap ended the check before any shrinking run, it said "shrunk from 4 processes
// and 3 picks to all 4 processes ... in 0 runs (cut short ...)", a shrink that never happened.
#include "app/check_output.h"

#include <gtest/gtest.h>

#include "app/scenario_files.h"

namespace samplersim {
namespace {

TEST(ShrinkSummaryLine, NothingShrunkSaysSo) {
  const ScenarioSpec spec = load_scenario("grid-4x5-w4");
  Counterexample cex;
  cex.found_picks = {1, 0, 2};
  cex.choices = {1, 0, 2};
  cex.shrink_runs = 0;
  cex.shrink_cut_short = true;
  cex.outcome.choice_points = 3;
  cex.outcome.trials = 21;
  const std::string line = shrink_summary_line(spec, cex);
  EXPECT_EQ(line, "not shrunk: the time limit or the run cap was reached before shrinking ran; as found: 4 processes "
                  "and 3 picks ([1,0,2]); 3 choice points, 21 trials");
  EXPECT_EQ(line.find("shrunk from"), std::string::npos) << line;
}

TEST(ShrinkSummaryLine, AShrinkSaysWhatItStartedFromAndWhatIsLeft) {
  const ScenarioSpec spec = load_scenario("grid-4x5-w4");
  Counterexample cex;
  cex.found_picks = {1, 0, 2};
  cex.choices = {};
  cex.omitted_processes = {0, 1};
  cex.shrink_runs = 4;
  cex.outcome.choice_points = 0;
  cex.outcome.trials = 21;
  EXPECT_EQ(shrink_summary_line(spec, cex), "shrunk from 4 processes and 3 picks to 2 processes (2, 3; 2 left out) and a "
                                            "choice vector of 0 ([]) in 4 runs; 0 choice points, 21 trials");
  cex.shrink_cut_short = true;
  EXPECT_NE(shrink_summary_line(spec, cex).find("in 4 runs (cut short by the time limit or the run cap)"),
            std::string::npos);
}

}  // namespace
}  // namespace samplersim
