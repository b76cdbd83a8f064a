// A WAITING trial two workers claim (SQLite's claim is a read, then a write: docs/optuna-facts.md
// section 10): both run it, the first to tell writes its state, and the other's tell raises and
// ends its process's optimize — ValueError `Cannot tell a COMPLETE trial.` (3.2+, or 3.1 when a
// thread of the same process finished it), RuntimeError / UpdateFinishedTrialError `Trial#N has
// already finished` (the state write refused after after_trial), or 3.1's `AssertionError: Should
// not reach.` (its cached RUNNING copy, across processes).
//
// Every run is traced; for every trial claimed by two workers the test checks, schedule by
// schedule, that exactly one state write (tell) happened and that one of the two claimants ended
// its process with one of those errors. Fixed run seeds; the counts of double claims only make
// sure the check ran on some (without the raise, every double-claimed trial is told twice).
#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>
#include <vector>

#include "model_test_util.h"
#include "sim/simulation.h"
#include "sim/store_op.h"
#include "sim/strategy.h"
#include "sim/trace.h"

namespace samplersim {
namespace {

using testing::arm;

bool is_claim_error(std::int64_t e) {
  return e == static_cast<std::int64_t>(PyError::kCannotTellFinished) ||
         e == static_cast<std::int64_t>(PyError::kTrialAlreadyFinished) ||
         e == static_cast<std::int64_t>(PyError::kShouldNotReach);
}

struct Tally {
  int double_claimed = 0;                  // trials claimed by two workers, all runs
  std::map<std::int64_t, int> loser_errors;  // PyError -> losers that raised it
};

int losers(const Tally& t, PyError e) {
  const auto it = t.loser_errors.find(static_cast<std::int64_t>(e));
  return it == t.loser_errors.end() ? 0 : it->second;
}

// Runs `reps` traced runs and checks every double-claimed trial of each.
Tally check_runs(const ScenarioSpec& spec, const std::string& policy, int reps) {
  const Arm a = arm(policy, "none");
  Tally tally;
  for (int rep = 0; rep < reps; ++rep) {
    const std::uint64_t seed = run_seed_for_rep(spec.seed, rep);
    RandomStrategy strategy(seed);
    Trace trace(true);
    const RunOutcome o = simulate(RunRequest{&spec, a.policy, a.seed_policy, seed, &strategy}, &trace);
    std::map<int, std::set<WorkerId>> claimants;
    std::map<int, int> tells;
    std::map<int, std::set<WorkerId>> tellers;
    std::map<WorkerId, std::int64_t> error_of;  // the worker whose exception ended its process
    for (const TraceEvent& e : trace.events()) {
      if (e.kind == TraceKind::kStoreOp && e.a == static_cast<std::int64_t>(StoreOp::kClaimWaiting) && e.b == 1) {
        claimants[e.trial].insert(e.worker);
      } else if (e.kind == TraceKind::kObjectiveEnd) {
        ++tells[e.trial];
        tellers[e.trial].insert(e.worker);
      } else if (e.kind == TraceKind::kProcessError && e.b == 0) {
        error_of[e.worker] = e.a;
      }
    }
    std::int64_t double_claimed = 0;
    for (const auto& [trial, workers] : claimants) {
      if (workers.size() < 2) continue;
      ++double_claimed;
      ++tally.double_claimed;
      EXPECT_EQ(workers.size(), 2u) << policy << " run seed " << seed << " trial " << trial;
      EXPECT_EQ(tells[trial], 1) << policy << " run seed " << seed << " trial " << trial
                                 << ": the claimant telling second must raise, not write";
      // The claimant that did not tell ended its process with one of the claim errors (in 3.1 the
      // teller may be the one whose first write of a name raised IntegrityError: it tells FAIL).
      for (WorkerId w : workers) {
        if (tellers[trial].count(w) != 0) continue;
        const auto it = error_of.find(w);
        if (spec.threads == 1) {  // with threads, a sibling's error may have ended the process first
          EXPECT_TRUE(it != error_of.end() && is_claim_error(it->second))
              << policy << " run seed " << seed << " trial " << trial << " worker " << w;
        }
        if (it != error_of.end()) ++tally.loser_errors[it->second];
      }
    }
    std::int64_t claim_errors = 0;
    for (PyError e : {PyError::kCannotTellFinished, PyError::kShouldNotReach}) claim_errors += o.process_error_count(e);
    // Each such error comes from a trial that two workers claimed (at most one per trial). Not
    // RuntimeError: a pop that finds its candidate already finished raises it too.
    EXPECT_LE(claim_errors, double_claimed) << policy << " run seed " << seed;
  }
  return tally;
}

// 8 processes each enqueue the same 20 trials (#2925), SQLite: processes claim one trial twice.
// 3.1 reads its own trial from the process's cache (RUNNING), so across processes the loser runs
// after_trial and ends with AssertionError; 4.x reads the backend and mostly raises ValueError
// before after_trial (RuntimeError when the other finished during its after_trial).
TEST(DoubleClaim, TheClaimantTellingSecondRaisesAcrossProcesses) {
  const ScenarioSpec spec = testing::builtin("cases/issue-2925-enqueue-every-worker");
  ASSERT_EQ(spec.store_kind, StoreKind::kSqlite);
  ASSERT_EQ(spec.threads, 1);
  const Tally v31 = check_runs(spec, "optuna-3.1", 20);
  EXPECT_GT(v31.double_claimed, 0);
  EXPECT_EQ(losers(v31, PyError::kCannotTellFinished), 0);
  EXPECT_GT(losers(v31, PyError::kShouldNotReach), 0);
  const Tally v4 = check_runs(spec, "optuna-4", 20);
  EXPECT_GT(v4.double_claimed, 0);
  EXPECT_EQ(losers(v4, PyError::kShouldNotReach), 0);
  EXPECT_GT(losers(v4, PyError::kCannotTellFinished), 0);
}

// BruteForceSampler 3.1 enqueues; n_jobs=4 threads of one process claim one of its trials twice.
// The threads share 3.1's cache, so the loser sees the COMPLETE written by its sibling: ValueError
// (never the cross-process AssertionError), and its process ends.
TEST(DoubleClaim, ThreadsOfOneProcessSeeTheSiblingsWriteIn31) {
  const ScenarioSpec spec = testing::builtin("cases/bruteforce-j4-4x5");
  const Tally t = check_runs(spec, "bruteforce-3.1", 100);
  EXPECT_GT(t.double_claimed, 0);
  EXPECT_GT(losers(t, PyError::kCannotTellFinished), 0);
  EXPECT_EQ(losers(t, PyError::kShouldNotReach), 0);
}

}  // namespace
}  // namespace samplersim
