// The built-in scenarios of the public reports (scenarios/cases/, issue 11) against what the real
// library did: real processes on SQLite, calibration/data/cases/*.jsonl.gz (summarised in
// calibration/data/summary.md) and the deterministic probes of docs/optuna-facts.md.
//
// Where the real outcome was the same in every real run (e.g. 10/10 runs with 2 repeats in 4
// trials), the model must give exactly it in every run. Where the real outcome varied, the model's
// mean over its runs must lie inside the real 99.5% t interval of the mean; the model's own
// sampling error is far smaller (several hundred runs against 10–20 real ones) — each such test
// states its confidence. Cases the model does not get right are listed in the README ("Public
// reports") with the reason, and are not tested as if it did.
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <string>
#include <utility>
#include <vector>

#include "model_test_util.h"

namespace samplersim {
namespace {

using testing::arm;
using testing::run_arm;

ScenarioSpec public_case(const std::string& name) { return testing::builtin("cases/" + name); }

std::vector<RunSummary> runs_of(const std::string& scenario, const std::string& policy, int reps,
                                const std::string& seed_policy = "none") {
  return run_arm(public_case(scenario), arm(policy, seed_policy), reps);
}

double mean_repeats(const std::vector<RunSummary>& runs) {
  double sum = 0;
  for (const RunSummary& r : runs) sum += static_cast<double>(r.repeats);
  return sum / static_cast<double>(runs.size());
}

// PR #2783 minimal form: real 2.10.1 and 3.1.0 gave 2 repeats in 4 trials in 10/10 runs, 3.4.0 and
// 4.9.0 1 in 3 in 10/10 runs.
TEST(PublicCases, Pr2783MinimalCachedViewMissesTheStop) {
  for (const auto& [policy, repeats, trials] : std::vector<std::tuple<std::string, int, int>>{
           {"optuna-2", 2, 4}, {"optuna-3.1", 2, 4}, {"optuna-3.6", 1, 3}, {"optuna-4", 1, 3}}) {
    for (const RunSummary& r : runs_of("pr-2783-minimal", policy, 50)) {
      ASSERT_EQ(r.repeats, repeats) << policy << " run seed " << r.run_seed;
      ASSERT_EQ(r.trials, trials) << policy << " run seed " << r.run_seed;
    }
  }
}

// #4627 (one process, n_jobs=4, in-memory, 2x2 grid, 4 trials): real 3.1.0 repeated in 13–47% of
// runs depending on the CPU share and the objective (docs/optuna-facts.md 11.1); 3.6.1 and 4.9.0
// never (trial k < N takes grid_id k). The model (in-memory preset, GIL model) must repeat
// sometimes on 3.0–3.3 but not more often than the highest real figure, and never on 3.6+.
// Confidence: the model's P(repeat) was 0.138 over 1,000 runs (standard error 0.011): 0.47 is 30
// standard errors away, and no repeat in 1,000 runs has probability 0.862^1000 < 1e-60.
TEST(PublicCases, ThreadsRaceOnTheUnvisitedListBefore36) {
  int with_repeats = 0;
  const std::vector<RunSummary> runs = runs_of("issue-4627-threads", "optuna-3.2", 1000);
  for (const RunSummary& r : runs) with_repeats += r.repeats > 0 ? 1 : 0;
  EXPECT_GT(with_repeats, 0);
  EXPECT_LE(with_repeats, 470);
  for (const std::string policy : {"optuna-3.6", "optuna-4"}) {
    for (const RunSummary& r : runs_of("issue-4627-threads", policy, 200)) {
      ASSERT_EQ(r.repeats, 0) << policy << " run seed " << r.run_seed;
      ASSERT_EQ(r.trials, 4) << policy << " run seed " << r.run_seed;
    }
  }
}

// #6073 probe (one process, deterministic): 3.1.0–4.9.0 give 5 trials, 4 distinct.
TEST(PublicCases, EnqueuedTrialIsEvaluatedAgainByTheGrid) {
  for (const std::string policy : {"optuna-3.1", "optuna-3.2", "optuna-3.6", "optuna-4"}) {
    for (const RunSummary& r : runs_of("issue-6073-enqueue", policy, 20)) {
      ASSERT_EQ(r.trials, 5) << policy << " run seed " << r.run_seed;
      ASSERT_EQ(r.repeats, 1) << policy << " run seed " << r.run_seed;
      ASSERT_EQ(r.never_evaluated, 0) << policy << " run seed " << r.run_seed;
    }
  }
  // 2.x draws a grid_id for the enqueued trial: 4 trials; a point is lost unless the draw matched.
  for (const RunSummary& r : runs_of("issue-6073-enqueue", "optuna-2", 50)) {
    ASSERT_EQ(r.trials, 4) << "run seed " << r.run_seed;
    ASSERT_EQ(r.repeats, r.never_evaluated) << "run seed " << r.run_seed;
  }
}

// #6073 probe: KeyError('grid_id') after 2 trials on every 3.x/4.x version; 2.x never raises it.
TEST(PublicCases, EnqueuedTrialWithOnePointLeftRaisesKeyError) {
  for (const std::string policy : {"optuna-3.2", "optuna-3.6", "optuna-4"}) {
    for (const RunSummary& r : runs_of("issue-6073-keyerror", policy, 20)) {
      ASSERT_EQ(r.process_error_count(PyError::kKeyErrorGridId), 1) << policy << " run seed " << r.run_seed;
      ASSERT_EQ(r.trials, 2) << policy << " run seed " << r.run_seed;
      ASSERT_EQ(r.state_count(TrialState::kComplete), 2) << policy << ": the trial was written before the raise";
    }
  }
  for (const RunSummary& r : runs_of("issue-6073-keyerror", "optuna-2", 20)) {
    ASSERT_EQ(r.processes_raised(), 0) << "run seed " << r.run_seed;
  }
}

// #4121 probe: the tell of the last grid point raises study.stop()'s RuntimeError; 4 trials, all
// COMPLETE, every point once (2.8.0–4.9.0 identical).
TEST(PublicCases, FinalTellRaisesStopErrorAfterTheWrite) {
  for (const std::string policy : {"optuna-2", "optuna-3.2", "optuna-3.6", "optuna-4"}) {
    for (const RunSummary& r : runs_of("issue-4121-asktell-stop", policy, 20)) {
      ASSERT_EQ(r.process_error_count(PyError::kStopOutsideOptimize), 1) << policy << " run seed " << r.run_seed;
      ASSERT_EQ(r.state_count(TrialState::kComplete), 4) << policy << " run seed " << r.run_seed;
      ASSERT_EQ(r.repeats, 0) << policy << " run seed " << r.run_seed;
    }
  }
  // Ask/tell appeared in 2.5: a 2.0–2.3 script fails at its first ask.
  for (const RunSummary& r : runs_of("issue-4121-asktell-stop", "optuna-2.3", 5)) {
    ASSERT_EQ(r.process_error_count(PyError::kNoAskTell), 1) << "run seed " << r.run_seed;
    ASSERT_EQ(r.trials, 0) << "run seed " << r.run_seed;
  }
}

// hydra#2892 and #5141: real 3.1.0 and 4.9.0 gave 80 trials and 60 repeats in 10/10 runs each.
TEST(PublicCases, LoopsSwallowingTheStopErrorRunEveryTrial) {
  for (const std::string scenario : {"hydra-2892", "asktell-swallow"}) {
    for (const std::string policy : {"optuna-3.1", "optuna-4"}) {
      for (const RunSummary& r : runs_of(scenario, policy, 30)) {
        ASSERT_EQ(r.trials, 80) << scenario << " " << policy << " run seed " << r.run_seed;
        ASSERT_EQ(r.repeats, 60) << scenario << " " << policy << " run seed " << r.run_seed;
        ASSERT_GT(r.stop_errors_swallowed, 0) << scenario << " " << policy << " run seed " << r.run_seed;
      }
    }
  }
}

// #5052: re-running optimize on a finished 4x5 grid added 4 trials in 10/10 real runs, with 4
// processes and with one process of 4 threads (3.1.0 and 4.9.0).
TEST(PublicCases, ResumingAFinishedGridAddsOneTrialPerWorkerThread) {
  for (const std::string scenario : {"issue-5052-resume", "issue-5052-resume-threads"}) {
    for (const std::string policy : {"optuna-3.1", "optuna-3.2", "optuna-3.6", "optuna-4"}) {
      for (const RunSummary& r : runs_of(scenario, policy, 30)) {
        ASSERT_EQ(r.initial_trials, 20) << scenario << " " << policy;
        ASSERT_EQ(r.trials - r.initial_trials, 4) << scenario << " " << policy << " run seed " << r.run_seed;
      }
    }
  }
}

// #3518: MaxTrialsCallback(20), default states, 4 processes: 23 trials in 10/10 real runs (3.1.0
// and 4.9.0), so the real P(23 trials) is at least 0.589 (Clopper-Pearson, 99.5%). The model gives
// 23 in about 98.8% of runs and 22 in the rest (a process whose count read comes after another's
// write stops one trial earlier). Confidence: with 1,000 runs and p = 0.988 the share of 23 falls
// below 0.95 with probability < 1e-20 (Chernoff).
TEST(PublicCases, MaxTrialsCallbackOvershootsByTheRunningTrials) {
  for (const std::string policy : {"optuna-3.1", "optuna-4"}) {
    int with_23 = 0;
    const auto runs = runs_of("issue-3518-max-trials", policy, 1000);
    for (const RunSummary& r : runs) {
      ASSERT_GE(r.trials, 22) << policy << " run seed " << r.run_seed;
      ASSERT_LE(r.trials, 23) << policy << " run seed " << r.run_seed;
      with_23 += r.trials == 23;
    }
    EXPECT_GE(with_23, 950) << policy;
  }
}

// #3534 probe: 3.x/4.x run 4 distinct trials over [None, 'a', 1.5, nan]; 2.x raises TypeError
// while building the sampler (2.0.0–2.10.1).
TEST(PublicCases, NoneAndNanAreGridValues) {
  for (const std::string policy : {"optuna-3.2", "optuna-4"}) {
    for (const RunSummary& r : runs_of("issue-3534-none-nan", policy, 10)) {
      ASSERT_EQ(r.trials, 4) << policy;
      ASSERT_EQ(r.never_evaluated, 0) << policy;
    }
  }
  for (const RunSummary& r : runs_of("issue-3534-none-nan", "optuna-2", 10)) {
    ASSERT_EQ(r.process_error_count(PyError::kUnsortableGrid), 1);
    ASSERT_EQ(r.trials, 0);
  }
}

// PR #665 review probes (every version): a subset objective runs each x value 3 times; a name
// outside the grid FAILs every trial.
TEST(PublicCases, ObjectiveGridMismatch) {
  for (const std::string policy : {"optuna-2", "optuna-3.2", "optuna-4"}) {
    for (const RunSummary& r : runs_of("pr-665-objective-subset", policy, 10)) {
      ASSERT_EQ(r.trials, 6) << policy;
      ASSERT_EQ(r.repeats, 4) << policy << ": 2 points, 3 evaluations each";
    }
    for (const RunSummary& r : runs_of("pr-665-name-not-in-grid", policy, 10)) {
      ASSERT_EQ(r.trials, 3) << policy;
      ASSERT_EQ(r.state_count(TrialState::kFail), 3) << policy;
    }
  }
}

// Another value order is another search space from 3.0: real 3.1.0 and 4.9.0 gave 8 trials, 4
// repeats in 10/10 runs. 2.x sorts the values (one space): real 2.10.1 6.30 trials, 99.5% t
// interval [5.70, 6.90] over 10 runs. Confidence: over 800 model runs the mean was 5.945 with
// per-run sd 0.39 (standard error 0.014); the nearer bound is 17 standard errors away, so another
// base seed would cross it with probability far below 1e-6 (normal approximation).
TEST(PublicCases, ValueOrderIsAnotherSearchSpaceFrom30) {
  for (const std::string policy : {"optuna-3.1", "optuna-4"}) {
    for (const RunSummary& r : runs_of("pr-665-value-order", policy, 30)) {
      ASSERT_EQ(r.trials, 8) << policy << " run seed " << r.run_seed;
      ASSERT_EQ(r.repeats, 4) << policy << " run seed " << r.run_seed;
    }
  }
  const auto runs = runs_of("pr-665-value-order", "optuna-2", 800);
  double trials = 0;
  for (const RunSummary& r : runs) trials += static_cast<double>(r.trials);
  trials /= static_cast<double>(runs.size());
  EXPECT_GE(trials, 5.70);
  EXPECT_LE(trials, 6.90);
}

// PR #2946: real 2.10.1 left 1 point never evaluated in 10/10 runs (the retry copy re-ran the failed
// point, the newly drawn id was marked visited); 3.1.0 and 4.9.0 none.
TEST(PublicCases, RetryCopyUnder2xLosesAPoint) {
  for (const RunSummary& r : runs_of("pr-2946-retry-crash", "optuna-2", 30)) {
    ASSERT_EQ(r.never_evaluated, 1) << "run seed " << r.run_seed;
  }
  for (const std::string policy : {"optuna-3.1", "optuna-4"}) {
    for (const RunSummary& r : runs_of("pr-2946-retry-crash", policy, 30)) {
      ASSERT_EQ(r.never_evaluated, 0) << policy << " run seed " << r.run_seed;
    }
  }
}

// #3256 (4.9.0, 10/10 real runs): 10 trials, 1 repeat, one point without a COMPLETE trial.
TEST(PublicCases, EvictedTrialIsNeverRetried) {
  for (const RunSummary& r : runs_of("issue-3256-evicted", "optuna-4", 50)) {
    ASSERT_EQ(r.trials, 10) << "run seed " << r.run_seed;
    ASSERT_EQ(r.repeats, 1) << "run seed " << r.run_seed;
    ASSERT_EQ(r.uncovered, 1) << "run seed " << r.run_seed;
  }
}

// #2039 with random.seed(0) in 4 processes, 3x3 grid, 2.8.0: 16.85 repeats, 99.5% t interval
// [14.71, 18.99] over 20 real runs (SQLite; the scenario uses the SQLite store preset). Confidence:
// over 1,600 model runs the mean was 17.25 with per-run sd 4.0 (standard error 0.10); the nearer
// bound is 17 standard errors away (normal approximation: crossing it with another base seed has
// probability far below 1e-6). The same model gives 17.25 for 2.0–2.3 against the real 2.3.0's
// [13.49, 16.51] and 7.84 for 2.9–2.10 against [8.70, 10.00]: docs/fidelity.md "Public reports"; neither is
// asserted here.
TEST(PublicCases, Seeded2xProcessesRepeatAsMeasured) {
  const double mean = mean_repeats(runs_of("issue-2039-seeded", "optuna-2.8", 1600, "same:0"));
  EXPECT_GE(mean, 14.71);
  EXPECT_LE(mean, 18.99);
}

// #2925 (8 processes each enqueue all 20 points, SQLite): real 3.1.0 and 4.9.0 lost 2–6 of the 8
// workers in every one of their 10 runs, to the errors of trials two processes claimed (3.1.0
// mostly `AssertionError: Should not reach.` and IntegrityError, 4.9.0 `Cannot tell a COMPLETE
// trial.`; docs/optuna-facts.md section 10), and evaluated every point in every run. The model
// (400 runs) must lose workers the same ways, and evaluate every point in every run. Its claim's
// window between the SELECT and the UPDATE is the measured gap share (OpCost::gap_permille,
// calibration/data/probes/claim-window-*.json); with it the model loses 2.24 (3.1, sd 1.32) and
// 2.60 (4.x, sd 1.23) workers per run, without it 1.70 and 1.57 — fewer than the real 4.6 [3.0, 6.2]
// and 4.9 [3.6, 6.2] either way (docs/fidelity.md "Public reports"). Asserted: more than 1.8 per
// run (standard error 0.066 over 400 runs: 3.1 is 6.7 and 4.x 12 standard errors above it, so a
// correct model fails it with probability far below 1e-6; the model without the gap fails it), and
// the version's own error as the most frequent.
TEST(PublicCases, EveryWorkerEnqueuingLosesWorkersToDoubleClaims) {
  for (const auto& [policy, expected] : std::vector<std::pair<std::string, PyError>>{
           {"optuna-3.1", PyError::kShouldNotReach}, {"optuna-4", PyError::kCannotTellFinished}}) {
    const std::vector<RunSummary> runs = runs_of("issue-2925-enqueue-every-worker", policy, 400);
    std::array<std::int64_t, kPyErrorCount> errors{};
    for (const RunSummary& r : runs) {
      ASSERT_EQ(r.never_evaluated, 0) << policy << " run seed " << r.run_seed;
      for (std::size_t e = 0; e < errors.size(); ++e) errors[e] += r.process_errors[e];
    }
    std::int64_t died = 0;
    for (std::int64_t n : errors) died += n;
    EXPECT_GT(static_cast<double>(died) / static_cast<double>(runs.size()), 1.8) << policy;
    const auto most = static_cast<PyError>(std::max_element(errors.begin(), errors.end()) - errors.begin());
    EXPECT_EQ(most, expected) << policy << ": " << to_string(most);
  }
}

}  // namespace
}  // namespace samplersim
