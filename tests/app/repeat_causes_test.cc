// app/repeat_causes.h: each cause of a repeat on a hand-built audit where exactly one rule holds,
// the order of the rules when several do, and the listing (values, trial order, offsets).
#include "app/repeat_causes.h"

#include <gtest/gtest.h>

namespace samplersim {
namespace {

constexpr std::int64_t kS = 1'000'000;  // µs per second

// A 2 x 2 grid (a in [0, 1], b in ['x', 'y']); trials are added with add().
struct Study {
  AuditResult audit;
  Study() {
    GridParam a{"a", {}}, b{"b", {}};
    for (int v : {0, 1}) {
      GridValue g;
      g.int_value = v;
      a.values.push_back(g);
    }
    for (const char* v : {"x", "y"}) {
      GridValue g;
      g.kind = GridValue::Kind::kString;
      g.string_value = v;
      b.values.push_back(g);
    }
    audit.grid = {a, b};
    audit.metrics.grid_size = 4;
  }
  // Trial `number` of combination c with grid_id g (-1: none), running [start_s, end_s) (end -1: still running).
  AuditedTrial& add(int number, std::int64_t c, std::int64_t g, std::int64_t start_s, std::int64_t end_s) {
    AuditedTrial t;
    t.number = number;
    t.combination = c;
    if (g >= 0) t.grid_id = g;
    t.start_us = start_s * kS;
    if (end_s >= 0) {
      t.complete_us = end_s * kS;
      t.state = TrialState::kComplete;
    }
    audit.evaluated.push_back(t);
    if (!audit.first_start_us || *audit.first_start_us > *t.start_us) audit.first_start_us = t.start_us;
    return audit.evaluated.back();
  }
  RepeatCause cause_of_only_repeat() {
    const auto r = explain_repeats(audit);
    EXPECT_EQ(r.size(), 1u);
    if (r.empty()) return RepeatCause::kFirst;
    EXPECT_EQ(r[0].trials.size(), 2u);
    EXPECT_EQ(r[0].trials[0].cause, RepeatCause::kFirst);
    return r[0].trials.back().cause;
  }
};

TEST(RepeatCauses, SameGridIdWhileCombinationsWereUntaken) {
  Study s;
  s.add(0, 0, 0, 0, 10);
  s.add(1, 0, 0, 0, 10);  // same id, combinations 1..3 not yet started
  s.add(2, 1, 1, 10, 20);
  s.add(3, 2, 2, 10, 20);
  s.add(4, 3, 3, 20, 30);
  EXPECT_EQ(s.cause_of_only_repeat(), RepeatCause::kSameGridId);
}

TEST(RepeatCauses, AnotherPermutationWhenTheIdsDiffer) {
  Study s;
  s.add(0, 0, 0, 0, 10);
  s.add(1, 0, 3, 1, 10);  // id 3 in this process's shuffle is combination 0
  s.add(2, 1, 1, 10, 20);
  s.add(3, 2, 2, 10, 20);
  s.add(4, 3, 1, 20, 30);
  EXPECT_EQ(s.cause_of_only_repeat(), RepeatCause::kOtherPermutation);
}

TEST(RepeatCauses, EndOfTheGridOnceEveryCombinationWasTaken) {
  Study s;
  for (int c = 0; c < 4; ++c) s.add(c, c, c, c, 10 + c);
  s.add(4, 2, 2, 5, 15);  // all four started by t=3; 2 still running
  EXPECT_EQ(s.cause_of_only_repeat(), RepeatCause::kEndOfGrid);
}

TEST(RepeatCauses, EndOfTheGridWhenOthersStillRanAfterTheLastCompletion) {
  Study s;
  for (int c = 0; c < 4; ++c) s.add(c, c, c, c, 10 + c);
  s.add(4, 1, 1, 12, 20);  // every combination COMPLETE by 13? no: 3 ends at 13 -> still taken-only
  s.add(5, 0, 0, 14, 16);  // after all complete (13) while #4 still runs
  const auto r = explain_repeats(s.audit);
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[0].trials[1].cause, RepeatCause::kEndOfGrid);
  EXPECT_EQ(r[1].trials[1].cause, RepeatCause::kEndOfGrid);
  EXPECT_NE(r[0].trials[1].why.find("while other trials still ran"), std::string::npos) << r[0].trials[1].why;
}

TEST(RepeatCauses, FinishedStudyWhenNothingRanAnymore) {
  Study s;
  for (int c = 0; c < 4; ++c) s.add(c, c, c, c, 10 + c);
  s.add(4, 1, 1, 100, 110);  // an hour later, optimize again
  EXPECT_EQ(s.cause_of_only_repeat(), RepeatCause::kFinishedStudy);
}

TEST(RepeatCauses, EndOfTheGridWhenTheLastProcessKeptGoing) {
  Study s;
  for (int c = 0; c < 4; ++c) s.add(c, c, c, c, 10 + c);
  s.add(4, 1, 1, 14, 20);  // 1 s after the last trial ended: a process that had not seen the grid finish
  EXPECT_EQ(s.cause_of_only_repeat(), RepeatCause::kEndOfGrid);
  // Nothing ran at its start: the sentence must not say other trials still ran (it did, a new
  // user's audit of a real 3.1.0 study showed it), and says how long after the last end it came.
  const std::string why = explain_repeats(s.audit)[0].trials[1].why;
  EXPECT_EQ(why.find("while other trials still ran"), std::string::npos) << why;
  EXPECT_NE(why.find("it started 1.00 s after the last trial before it had ended"), std::string::npos) << why;
}

TEST(RepeatCauses, RetryCopyAndEnqueuedComeFirst) {
  Study s;
  s.add(0, 0, 0, 0, 10);
  s.add(1, 0, 0, 1, 10).retry_of = 0;  // would otherwise be kSameGridId
  s.add(2, 1, 1, 10, 20);
  s.add(3, 1, -1, 11, 20).enqueued = true;
  s.add(4, 2, 2, 20, 30);
  s.add(5, 3, 3, 20, 30);
  const auto r = explain_repeats(s.audit);
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[0].trials[1].cause, RepeatCause::kRetryCopy);
  EXPECT_NE(r[0].trials[1].why.find("#0"), std::string::npos) << r[0].trials[1].why;
  EXPECT_EQ(r[1].trials[1].cause, RepeatCause::kEnqueued);
}

// optuna issue 6073 as a new user audited it (real 3.1.0): trial #0 was enqueued (no grid_id), and
// GridSampler trial #6 later drew a grid_id for the same values. Was "unknown: no grid_id or start
// time stored" although both trials have start times and #6 has a grid_id.
TEST(RepeatCauses, AGridTrialAfterAnEnqueuedOneIsTheEnqueueCause) {
  Study s;
  s.add(0, 2, -1, 0, 1).enqueued = true;
  s.add(1, 0, 0, 1, 2);
  s.add(2, 1, 1, 1, 2);
  s.add(6, 2, 2, 2, 3);
  s.add(7, 3, 3, 2, 3);
  const auto r = explain_repeats(s.audit);
  ASSERT_EQ(r.size(), 1u);
  ASSERT_EQ(r[0].trials.size(), 2u);
  EXPECT_EQ(r[0].trials[1].cause, RepeatCause::kEnqueued);
  EXPECT_NE(r[0].trials[1].why.find("trial #0 was enqueued"), std::string::npos) << r[0].trials[1].why;
  EXPECT_NE(r[0].trials[1].why.find("never counted its values as visited and drew them again as grid_id 2"),
            std::string::npos)
      << r[0].trials[1].why;  // read "... and drew them as grid_id 2 them again" (a new user's audit)
}

TEST(RepeatCauses, UnknownWithoutGridIds) {
  Study s;
  s.add(0, 0, -1, 0, 10);
  s.add(1, 0, -1, 1, 10);
  s.add(2, 1, -1, 10, 20);
  EXPECT_EQ(s.cause_of_only_repeat(), RepeatCause::kUnknown);
}

TEST(RepeatCauses, ListsValuesTrialsAndOffsetsInStartOrder) {
  Study s;
  s.add(0, 3, 3, 0, 90);
  s.add(1, 3, 3, 30, -1);  // still RUNNING
  s.add(2, 0, 0, 60, 120);
  const auto r = explain_repeats(s.audit);
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].values, "{a=1, b='y'}");
  const std::string text = format_repeats(s.audit, r);
  EXPECT_NE(text.find("repeated combinations: 1 (1 repeat: 1 same grid_id picked twice)\n"), std::string::npos) << text;
  EXPECT_NE(text.find("  {a=1, b='y'}: 2 trials\n"), std::string::npos) << text;
  EXPECT_NE(text.find("#1     RUNNING     +30.0 s .. -"), std::string::npos) << text;
  EXPECT_NE(text.find("+1.50 min  first evaluation"), std::string::npos) << text;
  EXPECT_EQ(format_repeats(s.audit, {}), "");
  const nlohmann::json j = repeats_json(s.audit, r);
  EXPECT_EQ(j[0]["trials"][1]["state"], "RUNNING");
  EXPECT_TRUE(j[0]["trials"][1]["complete_us"].is_null());
  EXPECT_EQ(j[0]["trials"][1]["start_offset_s"], 30.0);
}

}  // namespace
}  // namespace samplersim
