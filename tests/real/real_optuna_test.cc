// Real-library mode (policy real:optuna, real/): the installed Optuna run under the scheduler is
// deterministic (same seed => same trace hash; a replay file reproduces it), and agrees with the
// optuna-3.1 model wherever the behaviour is deterministic: the evaluation sequence of every
// process when no two workers are ever due at the same instant, for fixed sampler seeds. Each of
// these comparisons is exact, so a model bug (or a bridge bug) fails it whatever the seed.
// Skips if the embedded Python cannot import optuna 3.1.x (CI installs Debian's python3-optuna).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <iterator>
#include <set>
#include <utility>
#include <string>
#include <vector>

#include "app/single_run.h"
#include "real/python_runtime.h"
#include "scenarios/scenario_loader.h"
#include "sim/simulation.h"
#include "tests/model/model_test_util.h"

namespace samplersim {
namespace {

using testing::arm;
using testing::builtin;

bool optuna_31_available() {
  static const bool ok = [] {
    try {
      return real::optuna_version().rfind("3.1.", 0) == 0;
    } catch (const std::exception&) {
      return false;
    }
  }();
  return ok;
}

#define REQUIRE_OPTUNA_31() \
  if (!optuna_31_available()) GTEST_SKIP() << "the embedded Python has no Optuna 3.1.x"

std::vector<std::uint64_t> hashes(const std::vector<RunSummary>& runs) {
  std::vector<std::uint64_t> out;
  for (const RunSummary& r : runs) out.push_back(r.trace_hash);
  return out;
}

// Determinism of real:optuna on `spec` (seed=None): `reps` runs give the same trace hashes when run
// again, and the witness can fail: different run seeds give different runs.
void expect_same_hashes_and_reps_differ(const ScenarioSpec& spec, int reps, const std::string& what) {
  const Arm a = arm("real:optuna", "none");
  const std::vector<std::uint64_t> first = hashes(testing::run_arm(spec, a, reps, 1));
  EXPECT_EQ(first, hashes(testing::run_arm(spec, a, reps, 2))) << what;
  EXPECT_GT(std::set<std::uint64_t>(first.begin(), first.end()).size(), 1u) << what;
}

// Combinations in evaluation (start) order, per process (a resumed study's initial trials, of no
// process, are left out).
std::vector<std::vector<std::int64_t>> sequences(const RunOutcome& out, int processes) {
  std::vector<std::vector<std::int64_t>> seq(static_cast<std::size_t>(processes));
  for (const Evaluation& e : out.evaluation_log) {
    if (e.process >= 0) seq[static_cast<std::size_t>(e.process)].push_back(e.combination);
  }
  return seq;
}

ScenarioSpec scenario(const std::string& text) {
  return parse_scenario_text(text, "real-test.toml", PolicyRegistry::names());
}

// Processes start 1/3 s apart, objectives take 1 s and the store answers instantly: no two
// workers (at most 3) are ever due at one instant, so there is no choice point and the outcome depends only
// on the samplers' draws.
std::string no_ties_scenario(int processes, const std::string& n_trials) {
  return "name = \"no-ties\"\n[grid]\nx = [0, 1, 2]\ny = [\"a\", \"b\"]\nz = [0.5, 1.5]\n"
         "[workers]\nprocesses = " + std::to_string(processes) +
         "\nstart_stagger = \"333ms\"\n[objective]\nduration = \"1s\"\n" + n_trials +
         "[compare]\npolicies = [\"optuna-3.1\", \"real:optuna\"]\nseed_policies = [\"same:42\"]\n";
}

TEST(RealOptuna, SameSeedSameHashAndRepsDiffer) {
  REQUIRE_OPTUNA_31();
  expect_same_hashes_and_reps_differ(builtin("issue-5489"), 6, "issue-5489");
}

TEST(RealOptuna, ReplayReproducesTheHash) {
  REQUIRE_OPTUNA_31();
  // Constant latencies: the two workers tie at every store operation until their objectives.
  const ScenarioSpec spec = load_scenario(std::string(SAMPLERSIM_SOURCE_DIR) + "/tests/data/golden/two-by-two.toml");
  const Arm a = arm("real:optuna", "same:42");
  for (int rep = 0; rep < 3; ++rep) {
    const TracedRun original = run_traced(spec, a, rep);
    EXPECT_GT(original.outcome.choice_points, 0u);
    const ReplayRecord rec = replay_record_of(spec, a, rep, original);
    const TracedRun again = run_replay(spec, a, rec);
    EXPECT_EQ(again.outcome.trace_hash, original.outcome.trace_hash) << "rep " << rep;
    EXPECT_EQ(again.trace.size(), original.trace.size());
  }
}

// Identical where deterministic: one process, then three staggered processes with one seed.
TEST(RealOptuna, EvaluationSequencesEqualTheModelsWithoutChoicePoints) {
  REQUIRE_OPTUNA_31();
  for (const int processes : {1, 3}) {
    for (const char* seed : {"same:42", "distinct:7"}) {
      const ScenarioSpec spec = scenario(no_ties_scenario(processes, ""));
      const TracedRun model = run_traced(spec, arm("optuna-3.1", seed), 0);
      const TracedRun real = run_traced(spec, arm("real:optuna", seed), 0);
      EXPECT_EQ(real.outcome.choice_points, 0u);
      EXPECT_EQ(model.outcome.choice_points, 0u);
      EXPECT_EQ(sequences(real.outcome, processes), sequences(model.outcome, processes))
          << processes << " processes, " << seed;
      EXPECT_EQ(real.outcome.repeats, model.outcome.repeats);
      EXPECT_EQ(real.outcome.never_evaluated, model.outcome.never_evaluated);
      EXPECT_EQ(real.outcome.trials, model.outcome.trials);
      EXPECT_FALSE(real.outcome.evaluation_log.empty());
    }
  }
}

// n_trials stops each process: the same per-process sequences, and GridSampler's stop at the end of
// the grid is not what ends it.
TEST(RealOptuna, NTrialsStopsEachProcessAsInTheModel) {
  REQUIRE_OPTUNA_31();
  const ScenarioSpec spec = scenario(no_ties_scenario(2, "[optimize]\nn_trials = 2\n"));
  const TracedRun model = run_traced(spec, arm("optuna-3.1", "same:42"), 0);
  const TracedRun real = run_traced(spec, arm("real:optuna", "same:42"), 0);
  EXPECT_EQ(real.outcome.trials, 4);
  EXPECT_EQ(sequences(real.outcome, 2), sequences(model.outcome, 2));
}

// grid-4x5-w4 with a store that answers instantly: objectives of uniform durations (microsecond
// resolution) make ties between workers rare, and without ties the extra or missing store
// operations of one side cost no time, so model and real library see identical timings.
ScenarioSpec instant_store_4x5() {
  ScenarioSpec spec = builtin("grid-4x5-w4");
  spec.request_latency = DurationDist::constant(0);
  spec.response_latency = DurationDist::constant(0);
  spec.write_service = DurationDist::constant(0);
  for (auto& by_op : spec.request_latency_by_op) by_op.reset();
  return spec;
}

// Fixed sampler seeds: every tie-free rep has identical per-process sequences.
TEST(RealOptuna, FixedSeedsGiveTheModelsSequencesOnIdenticalTimings) {
  REQUIRE_OPTUNA_31();
  const ScenarioSpec spec = instant_store_4x5();
  for (const char* seed : {"same:42", "distinct:1"}) {
    int tie_free = 0;
    for (int rep = 0; rep < 20; ++rep) {
      const TracedRun model = run_traced(spec, arm("optuna-3.1", seed), rep);
      const TracedRun real = run_traced(spec, arm("real:optuna", seed), rep);
      if (model.outcome.choice_points != 0 || real.outcome.choice_points != 0) continue;
      ++tie_free;
      EXPECT_EQ(sequences(real.outcome, 4), sequences(model.outcome, 4)) << seed << " rep " << rep;
    }
    EXPECT_GE(tie_free, 15) << seed;  // ties need two equal microsecond sums: rare
  }
}

// Mean of `metric` over `runs`, and its squared standard error.
template <class Metric>
std::pair<double, double> mean_and_se2(const std::vector<RunSummary>& runs, Metric metric) {
  double sum = 0;
  double sum_sq = 0;
  for (const RunSummary& r : runs) {
    const auto v = static_cast<double>(metric(r));
    sum += v;
    sum_sq += v * v;
  }
  const double n = static_cast<double>(runs.size());
  const double mean = sum / n;
  return {mean, (sum_sq - n * mean * mean) / (n - 1) / n};
}

// `reps` unseeded runs of `spec` under optuna-3.1 and under real:optuna.
struct UnseededRuns {
  std::vector<RunSummary> model;
  std::vector<RunSummary> real;
};
UnseededRuns unseeded_runs(const ScenarioSpec& spec, int reps) {
  return {testing::run_arm(spec, arm("optuna-3.1", "none"), reps, 1), testing::run_arm(spec, arm("real:optuna", "none"), reps, 1)};
}

// Two-sample z of `metric`'s mean, real against model; `real_mean_out`: the real mean.
template <class Metric>
double two_sample_z(const UnseededRuns& runs, Metric metric, double* real_mean_out = nullptr) {
  const auto [model_mean, model_var] = mean_and_se2(runs.model, metric);
  const auto [real_mean, real_var] = mean_and_se2(runs.real, metric);
  if (real_mean_out != nullptr) *real_mean_out = real_mean;
  return (real_mean - model_mean) / std::sqrt(model_var + real_var);
}

// seed=None: the real process seeds numpy from 128 bits of its entropy stream (SeedSequence), the
// model from 32 bits, so runs differ but their distributions must not. Two-sample test of mean
// repeats over 120 reps each: a correct pair fails |z| > 5.3 with probability < 1.2e-7.
TEST(RealOptuna, UnseededRepeatsMatchTheModelStatistically) {
  REQUIRE_OPTUNA_31();
  double real_mean = 0;
  const double z =
      two_sample_z(unseeded_runs(instant_store_4x5(), 120), [](const RunSummary& r) { return r.repeats; }, &real_mean);
  EXPECT_LT(std::abs(z), 5.3) << "real mean " << real_mean;
  EXPECT_GT(real_mean, 0.0);  // the comparison is not between two empty outcomes
}

// The scenario's faults reach the real library: a failing objective gives FAIL trials, and a
// crash leaves its trial RUNNING for good (the crashed process never tells), as in the model.
TEST(RealOptuna, FaultsFailAndCrashTrials) {
  REQUIRE_OPTUNA_31();
  const std::string text =
      "name = \"faulty\"\n[grid]\nx = [0, 1, 2, 3]\n[workers]\nprocesses = 2\n"
      "[objective]\nduration = \"1s\"\n[faults]\ncrash_probability = 0.3\nobjective_failure_probability = 0.3\n"
      "[compare]\npolicies = [\"real:optuna\"]\nseed_policies = [\"none\"]\n";
  const ScenarioSpec spec = scenario(text);
  std::int64_t failed = 0;
  std::int64_t crashed_running = 0;
  for (int rep = 0; rep < 20; ++rep) {
    const TracedRun run = run_traced(spec, arm("real:optuna", "none"), rep);
    failed += run.outcome.state_count(TrialState::kFail);
    crashed_running += run.outcome.state_count(TrialState::kRunning);
  }
  // With p = 0.3 per trial and >= 4 trials per run, 20 runs without any failure (or without any
  // crash) have probability < 0.7^80 < 1e-12.
  EXPECT_GT(failed, 0);
  EXPECT_GT(crashed_running, 0);
}

// [[enqueue]] before the start (issue 16 item 3): optuna #6073's scenario, one process, so no
// choice point; the real GridSampler skips the enqueued trial (it carries fixed_params) and
// evaluates its point again. Identical outcome and sequence to the model for every seed.
TEST(RealOptuna, EnqueuedBeforeTheStartGivesTheModelsOutcome) {
  REQUIRE_OPTUNA_31();
  const ScenarioSpec spec = builtin("cases/issue-6073-enqueue");
  for (const char* seed : {"same:42", "same:0", "same:7", "distinct:3", "distinct:11"}) {
    for (int rep = 0; rep < 2; ++rep) {
      const TracedRun model = run_traced(spec, arm("optuna-3.1", seed), rep);
      const TracedRun real = run_traced(spec, arm("real:optuna", seed), rep);
      EXPECT_EQ(real.outcome.choice_points, 0u);
      EXPECT_EQ(real.outcome.trials, model.outcome.trials) << seed;
      EXPECT_EQ(real.outcome.trials, 5) << seed;  // 3.1.0 (scenario comment; docs/optuna-facts.md section 1)
      EXPECT_EQ(real.outcome.repeats, model.outcome.repeats) << seed;
      EXPECT_EQ(real.outcome.never_evaluated, model.outcome.never_evaluated) << seed;
      EXPECT_EQ(sequences(real.outcome, 1), sequences(model.outcome, 1)) << seed;
      ASSERT_FALSE(real.outcome.evaluation_log.empty());
      EXPECT_EQ(real.outcome.evaluation_log.front().combination, 1) << seed;  // the enqueued x = 1 first
    }
  }
}

// Same seed => same trace hash with an enqueued trial (the witness: unseeded samplers differ).
TEST(RealOptuna, EnqueueRunsAreDeterministic) {
  REQUIRE_OPTUNA_31();
  expect_same_hashes_and_reps_differ(builtin("cases/issue-6073-enqueue"), 6, "issue-6073-enqueue");
}

// by = "each-process" (the #2925 pattern): each process's enqueue_trial calls are timed store
// operations before its optimize; without ties the per-process sequences equal the model's.
TEST(RealOptuna, EnqueuedByEachProcessGivesTheModelsSequences) {
  REQUIRE_OPTUNA_31();
  for (const int processes : {1, 3}) {
    for (const char* seed : {"same:42", "distinct:7"}) {
      const ScenarioSpec spec = scenario(no_ties_scenario(processes, "") +
                                         "[[enqueue]]\nparams = { x = 1, y = \"b\" }\nby = \"each-process\"\n"
                                         "[[enqueue]]\nparams = { z = 1.5 }\nby = \"each-process\"\n");
      const TracedRun model = run_traced(spec, arm("optuna-3.1", seed), 0);
      const TracedRun real = run_traced(spec, arm("real:optuna", seed), 0);
      EXPECT_EQ(real.outcome.choice_points, 0u);
      EXPECT_EQ(model.outcome.choice_points, 0u);
      EXPECT_EQ(sequences(real.outcome, processes), sequences(model.outcome, processes)) << processes << " processes, " << seed;
      EXPECT_EQ(real.outcome.trials, model.outcome.trials);
      EXPECT_EQ(real.outcome.repeats, model.outcome.repeats);
      EXPECT_EQ(real.outcome.never_evaluated, model.outcome.never_evaluated);
      EXPECT_GE(real.outcome.trials, 2 * processes);  // every enqueued trial was run
    }
  }
}

// optuna #6073's KeyError: a resumed study (one grid trial) plus an enqueued trial; the enqueued
// trial finishing with one grid point left makes the real GridSampler.after_trial raise
// KeyError('grid_id') out of optimize. The process dies with it, exactly as in the model.
TEST(RealOptuna, EnqueuedTrialKeyErrorIsTheModelsProcessError) {
  REQUIRE_OPTUNA_31();
  const ScenarioSpec spec = builtin("cases/issue-6073-keyerror");
  for (const char* seed : {"same:42", "same:0", "distinct:3", "none"}) {
    const TracedRun model = run_traced(spec, arm("optuna-3.1", seed), 0);
    const TracedRun real = run_traced(spec, arm("real:optuna", seed), 0);
    const auto key_error = static_cast<std::size_t>(PyError::kKeyErrorGridId);
    EXPECT_EQ(model.outcome.process_errors[key_error], 1) << seed;
    EXPECT_EQ(real.outcome.process_errors, model.outcome.process_errors) << seed;
    EXPECT_EQ(real.outcome.trials, model.outcome.trials) << seed;
    EXPECT_EQ(real.outcome.trials, 2) << seed;  // the scenario's comment: dies after 2 trials
    EXPECT_EQ(real.outcome.never_evaluated, model.outcome.never_evaluated) << seed;
    EXPECT_EQ(real.outcome.repeats, model.outcome.repeats) << seed;
    EXPECT_EQ(sequences(real.outcome, 1), sequences(model.outcome, 1)) << seed;
  }
}

// optuna #5052: four processes re-run optimize on a finished 4x5 grid study ([[initial_trials]]
// params = "all"): each adds one trial (real 3.1.0: +4). With the store answering instantly,
// tie-free reps with fixed seeds have the model's per-process sequences.
TEST(RealOptuna, ResumedFinishedGridGivesTheModelsOutcome) {
  REQUIRE_OPTUNA_31();
  const ScenarioSpec builtin_spec = builtin("cases/issue-5052-resume");
  for (int rep = 0; rep < 3; ++rep) {
    const TracedRun model = run_traced(builtin_spec, arm("optuna-3.1", "none"), rep);
    const TracedRun real = run_traced(builtin_spec, arm("real:optuna", "none"), rep);
    EXPECT_EQ(real.outcome.trials, 24) << rep;
    EXPECT_EQ(real.outcome.trials, model.outcome.trials) << rep;
    EXPECT_EQ(real.outcome.repeats, model.outcome.repeats) << rep;
    EXPECT_EQ(real.outcome.never_evaluated, model.outcome.never_evaluated) << rep;
  }
  ScenarioSpec spec = builtin_spec;
  spec.request_latency = DurationDist::constant(0);
  spec.response_latency = DurationDist::constant(0);
  spec.write_service = DurationDist::constant(0);
  for (auto& by_op : spec.request_latency_by_op) by_op.reset();
  for (const char* seed : {"same:42", "distinct:1"}) {
    int tie_free = 0;
    for (int rep = 0; rep < 10; ++rep) {
      const TracedRun model = run_traced(spec, arm("optuna-3.1", seed), rep);
      const TracedRun real = run_traced(spec, arm("real:optuna", seed), rep);
      if (model.outcome.choice_points != 0 || real.outcome.choice_points != 0) continue;
      ++tie_free;
      EXPECT_EQ(sequences(real.outcome, 4), sequences(model.outcome, 4)) << seed << " rep " << rep;
      EXPECT_EQ(real.outcome.trials, model.outcome.trials) << seed << " rep " << rep;
    }
    EXPECT_GE(tie_free, 5) << seed;
  }
}

// ---- ask-and-tell loops (issue 16 item 3): the real study.ask()/study.tell() in the model's loop ----

// Everything a differential test compares: the outcome and each process's evaluation sequence.
// `evaluates`: the runs evaluate something (false where every objective raises in its suggests).
void expect_same_outcome(const TracedRun& real, const TracedRun& model, int processes, const std::string& what,
                         bool evaluates = true) {
  EXPECT_EQ(sequences(real.outcome, processes), sequences(model.outcome, processes)) << what;
  EXPECT_EQ(real.outcome.trials, model.outcome.trials) << what;
  EXPECT_EQ(real.outcome.trials_by_state, model.outcome.trials_by_state) << what;
  EXPECT_EQ(real.outcome.repeats, model.outcome.repeats) << what;
  EXPECT_EQ(real.outcome.never_evaluated, model.outcome.never_evaluated) << what;
  EXPECT_EQ(real.outcome.process_errors, model.outcome.process_errors) << what;
  EXPECT_EQ(real.outcome.stop_errors_swallowed, model.outcome.stop_errors_swallowed) << what;
  EXPECT_EQ(real.outcome.evaluation_log.empty(), !evaluates) << what;
}

// Rep 0 of `spec` under optuna-3.1 and real:optuna with sampler seed `seed`: neither meets a
// choice point (the timings are tie-free) and the outcomes are the same.
void expect_same_tie_free_run(const ScenarioSpec& spec, const char* seed, int processes, const std::string& what,
                              bool evaluates = true) {
  const TracedRun model = run_traced(spec, arm("optuna-3.1", seed), 0);
  const TracedRun real = run_traced(spec, arm("real:optuna", seed), 0);
  EXPECT_EQ(real.outcome.choice_points, 0u) << what;
  EXPECT_EQ(model.outcome.choice_points, 0u) << what;
  expect_same_outcome(real, model, processes, what, evaluates);
}

ScenarioSpec with_instant_store(ScenarioSpec spec) {
  spec.request_latency = DurationDist::constant(0);
  spec.response_latency = DurationDist::constant(0);
  spec.write_service = DurationDist::constant(0);
  for (auto& by_op : spec.request_latency_by_op) by_op.reset();
  return spec;
}

// Fixed seed policies of the ask-and-tell comparisons (sampler seeds; the run seed is the rep's).
constexpr const char* kAskTellSeeds[] = {"same:42", "same:0", "distinct:3", "distinct:11"};

// optuna #4121: one process asks and tells on a 2x2 grid; the tell of the last point raises
// study.stop()'s RuntimeError (the trial is already COMPLETE) and the plain script dies: 4 trials,
// all COMPLETE, every point once, and the process error named by its exact message, in both.
TEST(RealOptuna, AskTellStopErrorEndsTheProcessAsInTheModel) {
  REQUIRE_OPTUNA_31();
  const ScenarioSpec spec = builtin("cases/issue-4121-asktell-stop");
  const auto stop_error = static_cast<std::size_t>(PyError::kStopOutsideOptimize);
  for (const char* seed : kAskTellSeeds) {
    for (int rep = 0; rep < 2; ++rep) {
      const std::string what = std::string(seed) + " rep " + std::to_string(rep);
      const TracedRun model = run_traced(spec, arm("optuna-3.1", seed), rep);
      const TracedRun real = run_traced(spec, arm("real:optuna", seed), rep);
      EXPECT_EQ(real.outcome.choice_points, 0u) << what;
      EXPECT_EQ(real.outcome.process_errors[stop_error], 1) << what;
      EXPECT_EQ(real.outcome.trials, 4) << what;  // the scenario's comment (probe, docs/optuna-facts.md section 2)
      EXPECT_EQ(real.outcome.state_count(TrialState::kComplete), 4) << what;
      EXPECT_EQ(real.outcome.never_evaluated, 0) << what;
      expect_same_outcome(real, model, 1, what);
    }
  }
}

// Runs `spec` with both policies for `reps` reps per fixed seed policy and compares the tie-free
// ones exactly; returns how many were tie-free.
int compare_tie_free(const ScenarioSpec& spec, int processes, int reps, const std::string& name) {
  int tie_free = 0;
  for (const char* seed : kAskTellSeeds) {
    for (int rep = 0; rep < reps; ++rep) {
      const TracedRun model = run_traced(spec, arm("optuna-3.1", seed), rep);
      const TracedRun real = run_traced(spec, arm("real:optuna", seed), rep);
      if (model.outcome.choice_points != 0 || real.outcome.choice_points != 0) continue;
      ++tie_free;
      expect_same_outcome(real, model, processes, name + " " + seed + " rep " + std::to_string(rep));
    }
  }
  return tie_free;
}

// optuna #5141 (asktell-swallow): four ask/tell loops of 20 trials swallowing the stop error: 80
// trials and 60 repeats in every run, real and model alike, under the shipped store timings; with
// the store answering instantly (no two workers due at one instant: the scenario's timings are
// uniform in microseconds), every tie-free rep has the model's per-process sequences.
TEST(RealOptuna, AskTellSwallowingTheStopErrorGivesTheModelsOutcome) {
  REQUIRE_OPTUNA_31();
  const ScenarioSpec shipped = builtin("cases/asktell-swallow");
  for (int rep = 0; rep < 2; ++rep) {
    const TracedRun model = run_traced(shipped, arm("optuna-3.1", "none"), rep);
    const TracedRun real = run_traced(shipped, arm("real:optuna", "none"), rep);
    EXPECT_EQ(real.outcome.trials, 80) << "rep " << rep;
    EXPECT_EQ(real.outcome.repeats, 60) << "rep " << rep;
    EXPECT_EQ(real.outcome.trials, model.outcome.trials) << "rep " << rep;
    EXPECT_EQ(real.outcome.repeats, model.outcome.repeats) << "rep " << rep;
    EXPECT_GE(real.outcome.stop_errors_swallowed, 1) << "rep " << rep;
    EXPECT_EQ(real.outcome.processes_raised(), 0) << "rep " << rep;
  }
  EXPECT_GE(compare_tie_free(with_instant_store(shipped), 4, 3, "asktell-swallow"), 10);
}

// hydra#2892: four Hydra sweepers asking batches of 4 (n_trials capped at the grid size, the stop
// error swallowed): 80 trials and 60 repeats in both; tie-free reps on an instant store give the
// model's per-process sequences (all four objectives of a batch run before its tells).
TEST(RealOptuna, HydraBatchesGiveTheModelsOutcome) {
  REQUIRE_OPTUNA_31();
  const ScenarioSpec shipped = builtin("cases/hydra-2892");
  for (int rep = 0; rep < 2; ++rep) {
    const TracedRun model = run_traced(shipped, arm("optuna-3.1", "none"), rep);
    const TracedRun real = run_traced(shipped, arm("real:optuna", "none"), rep);
    EXPECT_EQ(real.outcome.trials, 80) << "rep " << rep;
    EXPECT_EQ(real.outcome.repeats, 60) << "rep " << rep;
    EXPECT_EQ(real.outcome.trials, model.outcome.trials) << "rep " << rep;
    EXPECT_EQ(real.outcome.repeats, model.outcome.repeats) << "rep " << rep;
    EXPECT_EQ(real.outcome.processes_raised(), 0) << "rep " << rep;
  }
  EXPECT_GE(compare_tie_free(with_instant_store(shipped), 4, 3, "hydra-2892"), 10);
  // n_trials above the grid size: Hydra caps it at 20 per process.
  ScenarioSpec uncapped = with_instant_store(shipped);
  uncapped.n_trials = 50;
  const TracedRun real = run_traced(uncapped, arm("real:optuna", "same:42"), 0);
  EXPECT_EQ(real.outcome.trials, 80);
}

// The loop's variants on the staggered no-ties grid (12 points): batches of 1 and 5, the stop
// error raised, swallowed and breaking the loop, 1 and 3 processes, with and without a failing
// objective (told FAIL; the loop goes on).
TEST(RealOptuna, AskTellVariantsGiveTheModelsSequences) {
  REQUIRE_OPTUNA_31();
  int compared = 0;
  for (const int processes : {1, 3}) {
    for (const int batch : {1, 5}) {
      for (const char* on_stop : {"raise", "swallow", "break"}) {
        for (const char* faults : {"", "[faults]\nobjective_failure_probability = 0.2\n"}) {
          const std::string text = no_ties_scenario(processes, "") +
                                   "[optimize]\nloop = \"ask-tell\"\nn_trials = 9\nbatch = " + std::to_string(batch) +
                                   "\non_stop_error = \"" + on_stop + "\"\n" + faults;
          const ScenarioSpec spec = scenario(text);
          for (const char* seed : {"same:42", "distinct:7"}) {
            const std::string what = std::to_string(processes) + " processes, batch " + std::to_string(batch) +
                                     ", " + on_stop + (*faults ? ", failures, " : ", ") + seed;
            expect_same_tie_free_run(spec, seed, processes, what);
            ++compared;
          }
        }
      }
    }
  }
  EXPECT_EQ(compared, 48);
}

// PR #2783 minimal (an optimize case, compared here with the other issue cases): two processes
// 0.5 s apart on a 2-point grid; each 3.1 process's GridSampler reads its own cached view, so
// neither stops after the grid is done: 2 repeats in 4 trials in every run, real and model alike,
// and the model's sequences on tie-free reps with fixed seeds.
TEST(RealOptuna, Pr2783MinimalGivesTheModelsOutcome) {
  REQUIRE_OPTUNA_31();
  const ScenarioSpec spec = builtin("cases/pr-2783-minimal");
  int tie_free = 0;
  for (const char* seed : {"none", "same:42", "distinct:3"}) {
    for (int rep = 0; rep < 3; ++rep) {
      const std::string what = std::string(seed) + " rep " + std::to_string(rep);
      const TracedRun model = run_traced(spec, arm("optuna-3.1", seed), rep);
      const TracedRun real = run_traced(spec, arm("real:optuna", seed), rep);
      EXPECT_EQ(real.outcome.trials, 4) << what;  // the scenario's comment (calibration/data/cases/pr2783-minimal-*)
      EXPECT_EQ(real.outcome.repeats, 2) << what;
      EXPECT_EQ(real.outcome.trials, model.outcome.trials) << what;
      EXPECT_EQ(real.outcome.repeats, model.outcome.repeats) << what;
      EXPECT_EQ(real.outcome.never_evaluated, model.outcome.never_evaluated) << what;
      if (std::string(seed) == "none" || model.outcome.choice_points != 0 || real.outcome.choice_points != 0) continue;
      ++tie_free;
      EXPECT_EQ(sequences(real.outcome, 2), sequences(model.outcome, 2)) << what;
    }
  }
  EXPECT_GE(tie_free, 3);
}

// Same seed => same trace hash for the ask-and-tell loops (the witness: unseeded runs differ).
TEST(RealOptuna, AskTellRunsAreDeterministic) {
  REQUIRE_OPTUNA_31();
  for (const char* name : {"cases/hydra-2892", "cases/issue-4121-asktell-stop"}) {
    expect_same_hashes_and_reps_differ(builtin(name), 4, name);
  }
}

// [[enqueue]] by = "process": a thread of one process calls study.enqueue_trial at a given time
// (from a separate thread, on the process's Study). On the staggered tie-free grid, enqueued
// mid-run (2.5 s and 4.1 s after the process's start: no worker is due then), before the grid is done and after it, both give
// the model's outcome and per-process sequences, for the optimize loop and an ask-and-tell loop.
TEST(RealOptuna, EnqueuedByAProcessGivesTheModelsSequences) {
  REQUIRE_OPTUNA_31();
  int compared = 0;
  for (const int processes : {1, 3}) {
    for (const char* loop : {"", "[optimize]\nloop = \"ask-tell\"\nn_trials = 6\nbatch = 2\non_stop_error = \"break\"\n"}) {
      // Two entries, the second 200 ms after the first (two enqueuers due at one instant would tie).
      for (const auto& [at, at2] : {std::pair{"2500ms", "2700ms"}, std::pair{"4100ms", "4300ms"}, std::pair{"15s", "15200ms"}}) {
        const std::string text = no_ties_scenario(processes, "") + loop +
                                 "[[enqueue]]\nparams = { x = 2, y = \"a\", z = 1.5 }\nby = \"process\"\nprocess = " +
                                 std::to_string(processes - 1) + "\nat = \"" + at + "\"\n"
                                 "[[enqueue]]\nparams = { y = \"b\" }\nby = \"process\"\nprocess = 0\nat = \"" + at2 + "\"\n";
        const ScenarioSpec spec = scenario(text);
        for (const char* seed : {"same:42", "distinct:7"}) {
          const std::string what = std::to_string(processes) + " processes, " + (*loop ? "ask-tell" : "optimize") +
                                   ", at " + at + ", " + seed;
          expect_same_tie_free_run(spec, seed, processes, what);
          ++compared;
        }
      }
    }
  }
  EXPECT_EQ(compared, 24);
  // Same seed => same trace hash with a by-process enqueuer (the witness: unseeded runs differ).
  const ScenarioSpec spec = scenario(no_ties_scenario(3, "") +
                                     "[[enqueue]]\nparams = { x = 2, y = \"a\", z = 1.5 }\nby = \"process\"\nprocess = 1\nat = \"1200ms\"\n");
  expect_same_hashes_and_reps_differ(spec, 4, "by-process enqueue");
}

// ---- the objective's own decisions (issue 16 item 1): [objective] fail, params, prune_every ----

// The objective's scheduled failures, suggested names and pruning, each on the staggered tie-free
// grid (no choice point): the real objective draws the model's decisions from the same per-process
// call counts, so every outcome (states, process errors, per-process sequences in the objective's
// metrics space) equals the model's, for optimize (the uncaught RuntimeError / ValueError ends the
// process) and for an ask-and-tell loop (told FAIL or PRUNED; the loop goes on).
// `text` with "LAST" replaced by the last process's index.
std::string with_last_process(std::string text, int processes) {
  for (std::size_t at = text.find("LAST"); at != std::string::npos; at = text.find("LAST", at)) {
    text.replace(at, 4, std::to_string(processes - 1));
  }
  return text;
}

TEST(RealOptuna, ObjectiveFailParamsAndPruningGiveTheModelsOutcome) {
  REQUIRE_OPTUNA_31();
  const std::string ask_tell = "[optimize]\nloop = \"ask-tell\"\nn_trials = 9\non_stop_error = \"break\"\n";
  const std::pair<const char*, const char*> objectives[] = {
      {"fail", "fail = [{ process = 0, call = 2 }, { process = LAST, call = 1 }]\n"},
      {"prune", "prune_every = 3\n"},
      {"subset", "params = [\"z\", \"x\"]\n"},
      {"outside", "params = [\"x\", \"w\"]\n"},
      {"all", "params = [\"y\", \"x\", \"z\"]\nprune_every = 2\nfail = [{ process = LAST, call = 3 }]\n"},
  };
  int compared = 0;
  for (const int processes : {1, 3}) {
    for (const std::string& loop : {std::string(), ask_tell}) {
      for (const auto& [name, objective] : objectives) {
        const ScenarioSpec spec = scenario(no_ties_scenario(processes, with_last_process(objective, processes)) + loop);
        for (const char* seed : {"same:42", "distinct:7"}) {
          const std::string what = std::to_string(processes) + " processes, " + (loop.empty() ? "optimize, " : "ask-tell, ") +
                                   name + ", " + seed;
          // A name outside the grid: every call raises in its suggests, before any evaluation.
          expect_same_tie_free_run(spec, seed, processes, what, std::string(name) != "outside");
          ++compared;
        }
      }
    }
  }
  EXPECT_EQ(compared, 40);
  // The decisions are made: a scheduled failure ends process 0's optimize with the model's
  // RuntimeError, a name outside the grid with GridSampler's ValueError, and pruning prunes.
  const TracedRun failed =
      run_traced(scenario(no_ties_scenario(1, "fail = [{ process = 0, call = 2 }]\n")), arm("real:optuna", "same:42"), 0);
  EXPECT_EQ(failed.outcome.process_errors[static_cast<std::size_t>(PyError::kObjectiveRaised)], 1);
  EXPECT_EQ(failed.outcome.trials, 2);
  EXPECT_EQ(failed.outcome.state_count(TrialState::kFail), 1);
  const TracedRun outside = run_traced(scenario(no_ties_scenario(1, objectives[3].second)), arm("real:optuna", "same:42"), 0);
  EXPECT_EQ(outside.outcome.process_errors[static_cast<std::size_t>(PyError::kParamNotInGrid)], 1);
  EXPECT_TRUE(outside.outcome.evaluation_log.empty());  // it raised before the objective's duration
  const TracedRun pruned = run_traced(scenario(no_ties_scenario(1, objectives[1].second)), arm("real:optuna", "same:42"), 0);
  EXPECT_EQ(pruned.outcome.state_count(TrialState::kPruned), 4);  // calls 3, 6, 9, 12 of the 12-point grid
  // Same seed => same trace hash (the witness: unseeded runs differ).
  expect_same_hashes_and_reps_differ(scenario(no_ties_scenario(3, with_last_process(objectives[4].second, 3))), 4,
                                     "objective decisions");
}

// optimize.catch (issue 16 item 2): optimize(catch=(Exception,)) catches the scheduled failures and
// GridSampler's ValueError for a name outside the grid: the trial is FAIL and the process carries
// on, as in the model; without ties, every outcome and per-process sequence equals the model's.
TEST(RealOptuna, OptimizeCatchGivesTheModelsOutcome) {
  REQUIRE_OPTUNA_31();
  const std::pair<const char*, const char*> objectives[] = {
      {"fail", "fail = [{ process = 0, call = 2 }, { process = LAST, call = 4 }]\n"},
      {"outside", "params = [\"x\", \"w\"]\n"},
      {"mixed", "params = [\"z\", \"y\"]\nprune_every = 4\nfail = [{ process = LAST, call = 1 }, { process = 0, call = 3 }]\n"},
  };
  int compared = 0;
  for (const int processes : {1, 3}) {
    for (const auto& [name, objective] : objectives) {
      const ScenarioSpec spec =
          scenario(no_ties_scenario(processes, with_last_process(objective, processes)) + "[optimize]\ncatch = true\n");
      for (const char* seed : {"same:42", "distinct:7"}) {
        const std::string what = std::to_string(processes) + " processes, catch, " + name + ", " + seed;
        expect_same_tie_free_run(spec, seed, processes, what, std::string(name) != "outside");
        ++compared;
      }
    }
  }
  EXPECT_EQ(compared, 12);
  // Caught: no process error, and the failed calls are FAIL trials among the grid's 12.
  const TracedRun caught = run_traced(scenario(no_ties_scenario(1, "fail = [{ process = 0, call = 2 }]\n") +
                                               "[optimize]\ncatch = true\n"),
                                      arm("real:optuna", "same:42"), 0);
  EXPECT_EQ(caught.outcome.processes_raised(), 0);
  EXPECT_EQ(caught.outcome.state_count(TrialState::kFail), 1);
  EXPECT_EQ(caught.outcome.trials, 12);
  const TracedRun outside =
      run_traced(scenario(no_ties_scenario(1, "params = [\"x\", \"w\"]\n") + "[optimize]\ncatch = true\n"),
                 arm("real:optuna", "same:42"), 0);
  EXPECT_EQ(outside.outcome.processes_raised(), 0);
  EXPECT_EQ(outside.outcome.state_count(TrialState::kFail), outside.outcome.trials);
  EXPECT_EQ(outside.outcome.trials, 12);  // each FAIL trial uses up its grid id; the grid's end stops it
  expect_same_hashes_and_reps_differ(
      scenario(no_ties_scenario(3, with_last_process(objectives[2].second, 3)) + "[optimize]\ncatch = true\n"), 4,
      "optimize.catch");
}

// [faults] crash_at (issue 16 item 3): the process dies `after` into its K-th objective call; its
// trial stays RUNNING (nothing tells the store; no heartbeat in this mode) and its worker stops
// there. Stalls lengthen the objective (without heartbeats nothing else sees them). Without ties,
// every outcome and per-process sequence equals the model's, for optimize and ask-and-tell.
TEST(RealOptuna, CrashAtAndStallsGiveTheModelsOutcome) {
  REQUIRE_OPTUNA_31();
  const std::string ask_tell = "[optimize]\nloop = \"ask-tell\"\nn_trials = 9\nbatch = 2\non_stop_error = \"swallow\"\n";
  const std::pair<const char*, const char*> faults[] = {
      {"crash_at", "[faults]\ncrash_at = [{ process = LAST, call = 2, after = \"400ms\" }]\n"},
      {"crash_at first", "[faults]\ncrash_at = [{ process = 0, call = 1, after = \"0s\" }]\n"},
      {"crash_at + failures",
       "[faults]\ncrash_at = [{ process = 0, call = 5, after = \"1s\" }]\nobjective_failure_probability = 0.25\n"},
      {"stalls", "[faults]\nstall_probability = 0.5\nstall_duration = \"uniform 100ms..3s\"\n"},
  };
  int compared = 0;
  for (const int processes : {1, 3}) {
    for (const std::string& loop : {std::string(), ask_tell}) {
      for (const auto& [name, fault] : faults) {
        const ScenarioSpec spec = scenario(no_ties_scenario(processes, "") + loop + with_last_process(fault, processes));
        for (const char* seed : {"same:42", "distinct:7"}) {
          const std::string what = std::to_string(processes) + " processes, " + (loop.empty() ? "optimize, " : "ask-tell, ") +
                                   name + ", " + seed;
          expect_same_tie_free_run(spec, seed, processes, what);
          ++compared;
        }
      }
    }
  }
  EXPECT_EQ(compared, 32);
  // The kill happens: one process, its 2nd trial RUNNING for good, the worker stopped after 2 trials.
  const TracedRun killed = run_traced(
      scenario(no_ties_scenario(1, "") + "[faults]\ncrash_at = [{ process = 0, call = 2, after = \"400ms\" }]\n"),
      arm("real:optuna", "same:42"), 0);
  EXPECT_EQ(killed.outcome.trials, 2);
  EXPECT_EQ(killed.outcome.state_count(TrialState::kRunning), 1);
  // Stalls happen and lengthen the run: at p = 0.5 per trial over 12 trials, a run without any has
  // probability 0.5^12 < 3e-4; this fixed rep has some.
  const ScenarioSpec stalling = scenario(no_ties_scenario(1, "") + "[faults]\nstall_probability = 0.5\n");
  const TracedRun stalled = run_traced(stalling, arm("real:optuna", "same:42"), 0);
  const auto stalls = std::count_if(stalled.trace.events().begin(), stalled.trace.events().end(), [](const TraceEvent& e) {
    return e.kind == TraceKind::kFault && e.a == trace_code(Fault::kStall);
  });
  EXPECT_GT(stalls, 0);
  EXPECT_EQ(stalled.outcome.makespan_us, (12 + stalls) * 1'000'000);  // 12 one-second trials + 1 s per stall
  expect_same_hashes_and_reps_differ(
      scenario(no_ties_scenario(3, "") + "[faults]\ncrash_at = [{ process = 1, call = 3, after = \"200ms\" }]\n"
                                         "stall_probability = 0.5\n"),
      4, "crash_at and stalls");
}

// [[group]] worker groups (issue 16 item 4): each group's processes get its GridSampler grid and
// seed, its start time, stop rules and loop. PR #665 (the second process lists the values reversed:
// another search space, so each sampler ignores the other's trials): 8 trials and 4 repeats in
// every run, as real 3.1.0 measured outside samplersim and as the model gives.
TEST(RealOptuna, WorkerGroupsGiveTheModelsOutcome) {
  REQUIRE_OPTUNA_31();
  const ScenarioSpec pr665 = builtin("cases/pr-665-value-order");
  for (int rep = 0; rep < 3; ++rep) {
    const TracedRun model = run_traced(pr665, arm("optuna-3.1", "none"), rep);
    const TracedRun real = run_traced(pr665, arm("real:optuna", "none"), rep);
    EXPECT_EQ(real.outcome.trials, 8) << "rep " << rep;
    EXPECT_EQ(real.outcome.repeats, 4) << "rep " << rep;
    EXPECT_EQ(real.outcome.trials, model.outcome.trials) << "rep " << rep;
    EXPECT_EQ(real.outcome.repeats, model.outcome.repeats) << "rep " << rep;
  }
  // Mixed groups on the staggered tie-free grid: an optimize group with its own seed, n_trials and
  // MaxTrialsCallback, an ask-and-tell group with a reordered subset grid starting later, and an
  // optimize group with `catch` on the compared seed policy; per-process sequences as the model's.
  const std::string grid = "name = \"groups\"\n[grid]\nx = [0, 1, 2]\ny = [\"a\", \"b\"]\nz = [0.5, 1.5]\n";
  const std::string tail = "[objective]\nduration = \"1s\"\nfail = [{ process = 3, call = 2 }]\n"
                           "[compare]\npolicies = [\"optuna-3.1\", \"real:optuna\"]\nseed_policies = [\"same:42\"]\n";
  const std::string groups[] = {
      "[[group]]\nname = \"seeded\"\nprocesses = 2\nstart_stagger = \"333ms\"\nseed = 5\nn_trials = 5\n"
      "max_trials = 7\nmax_trials_states = \"all\"\n"
      "[[group]]\nname = \"asktell\"\nprocesses = 1\nstart = \"1100ms\"\nloop = \"ask-tell\"\nn_trials = 6\nbatch = 2\n"
      "on_stop_error = \"swallow\"\ngrid = { x = [2, 0], y = [\"b\", \"a\"], z = [1.5] }\n"
      "[[group]]\nname = \"catching\"\nprocesses = 1\nstart = \"2450ms\"\ncatch = true\n",
      "[[group]]\nname = \"first\"\nprocesses = 1\nseed = 3\nn_trials = 3\n"
      "[[group]]\nname = \"hydra\"\nprocesses = 2\nstart = \"500ms\"\nstart_stagger = \"250ms\"\nloop = \"hydra\"\n"
      "n_trials = 50\nbatch = 3\ngrid = { x = [1, 2], y = [\"a\", \"b\"], z = [0.5, 1.5] }\n"
      "[[group]]\nname = \"late\"\nprocesses = 1\nstart = \"5100ms\"\n",
  };
  // Every group's sampler has a fixed seed (its own or the compared policy's): a seed=None sampler
  // draws 128 bits of entropy in the real library and 32 in the model, so its choices agree only in
  // distribution (UnseededRepeatsMatchTheModelStatistically; pr-665 above is seed-independent).
  int compared = 0;
  for (std::size_t g = 0; g < std::size(groups); ++g) {
    const ScenarioSpec spec = scenario(grid + groups[g] + tail);
    for (const char* seed : {"same:42", "distinct:7"}) {
      expect_same_tie_free_run(spec, seed, spec.processes, "groups " + std::to_string(g) + ", " + seed);
      ++compared;
    }
  }
  EXPECT_EQ(compared, 4);
  expect_same_hashes_and_reps_differ(scenario(grid + groups[0] + tail), 4, "worker groups");
}

// Unseeded runs with the objective's decisions, catch, a crash_at kill and stalls, where the
// samplers' draws differ between real and model (128- vs 32-bit numpy seeds): grid-4x5-w4 on an
// instant store, prune_every = 3, a caught scheduled failure, process 3 killed in its 4th call,
// stalls with p = 0.2. Two-sample tests of mean repeats and mean makespan over 40 reps each
// (about 2 s of CPU; measured z: -0.21 and 0.26); a correct pair fails either |z| > 5.3 with
// probability < 2.4e-7 (normal approximation).
TEST(RealOptuna, UnseededNewFeaturesMatchTheModelStatistically) {
  REQUIRE_OPTUNA_31();
  ScenarioSpec spec = instant_store_4x5();
  spec.objective.prune_every = 3;
  spec.objective.fail = {ScheduledEvent{1, 2, 0}};
  spec.loop.catch_all = true;
  spec.crash_at = {ScheduledEvent{3, 4, 300'000}};
  spec.faults.present = true;
  spec.faults.stall_ppm = 200'000;
  const UnseededRuns runs = unseeded_runs(spec, 40);
  double real_repeats = 0;
  const double z_repeats = two_sample_z(runs, [](const RunSummary& r) { return r.repeats; }, &real_repeats);
  EXPECT_LT(std::abs(z_repeats), 5.3) << "real mean repeats " << real_repeats;
  EXPECT_GT(real_repeats, 0.0);
  // The makespan (how long the kill, the stalls and the pruning leave each process running; trials
  // are repeats + a constant here, every point being evaluated).
  EXPECT_LT(std::abs(two_sample_z(runs, [](const RunSummary& r) { return r.makespan_us; })), 5.3);
}

// Heartbeats (issue 16 item 3): with [faults] heartbeat_interval, optimize's _run_trial runs the
// real fail_stale_trials before each ask (the storage answers _get_stale_trial_ids with the model's
// get_stale_trials) and the trial's heartbeat rows are written on virtual time in place of Optuna's
// heartbeat thread. A crashed process's trial goes stale and another process fails it. Without ties
// every outcome and per-process sequence equals the model's.
TEST(RealOptuna, HeartbeatFailsStaleTrialsAsInTheModel) {
  REQUIRE_OPTUNA_31();
  const std::pair<const char*, const char*> faults[] = {
      {"crash_at", "[faults]\nheartbeat_interval = \"100ms\"\ncrash_at = [{ process = 0, call = 2, after = \"200ms\" }]\n"},
      {"crashes", "[faults]\nheartbeat_interval = \"100ms\"\ngrace_period = \"1500ms\"\ncrash_probability = 0.2\n"
                  "objective_failure_probability = 0.2\n"},
  };
  int compared = 0;
  for (const int processes : {1, 3}) {
    for (const auto& [name, fault] : faults) {
      const ScenarioSpec spec = scenario(no_ties_scenario(processes, "") + fault);
      for (const char* seed : {"same:42", "distinct:7"}) {
        expect_same_tie_free_run(spec, seed, processes, std::to_string(processes) + " processes, " + name + ", " + seed);
        ++compared;
      }
    }
  }
  EXPECT_EQ(compared, 8);
  // RetryFailedTrialCallback (the real one, on the storage): each trial fail_stale_trials failed
  // gets a WAITING copy (its params and grid_id), which the next ask pops and evaluates again.
  const std::pair<const char*, const char*> retried[] = {
      {"crash_at + retry", "[faults]\nheartbeat_interval = \"100ms\"\nretry_failed_trials = true\n"
                           "crash_at = [{ process = 0, call = 2, after = \"200ms\" }]\n"},
      {"crashes + retry", "[faults]\nheartbeat_interval = \"100ms\"\ngrace_period = \"700ms\"\nretry_failed_trials = true\n"
                          "crash_probability = 0.3\n"},
  };
  for (const auto& [name, fault] : retried) {
    const ScenarioSpec spec = scenario(no_ties_scenario(3, "") + fault);
    for (const char* seed : {"same:42", "distinct:7"}) {
      expect_same_tie_free_run(spec, seed, 3, std::string("3 processes, ") + name + ", " + seed);
    }
  }
  const TracedRun retry = run_traced(scenario(no_ties_scenario(3, "") + retried[0].second), arm("real:optuna", "same:42"), 0);
  // The crashed trial's point is evaluated again (by its retry copy) and COMPLETEs.
  const std::vector<Evaluation>& log = retry.outcome.evaluation_log;
  const auto crashed = std::find_if(log.begin(), log.end(), [](const Evaluation& e) { return e.process == 0 && e.state == TrialState::kFail; });
  ASSERT_NE(crashed, log.end());
  EXPECT_TRUE(std::any_of(crashed + 1, log.end(), [&](const Evaluation& e) {
    return e.combination == crashed->combination && e.state == TrialState::kComplete;
  }));
  EXPECT_EQ(retry.outcome.state_count(TrialState::kRunning), 0);
  EXPECT_EQ(retry.outcome.state_count(TrialState::kWaiting), 0);
  // The stale trial is failed: process 0 dies in its 2nd trial, another process fails it.
  const TracedRun run = run_traced(scenario(no_ties_scenario(3, "") + faults[0].second), arm("real:optuna", "same:42"), 0);
  EXPECT_EQ(run.outcome.state_count(TrialState::kRunning), 0);
  const auto stale_failed = std::count_if(run.trace.events().begin(), run.trace.events().end(), [](const TraceEvent& e) {
    return e.kind == TraceKind::kFault && e.a == trace_code(Fault::kStaleTrialFailed);
  });
  EXPECT_EQ(stale_failed, 1);
  expect_same_hashes_and_reps_differ(scenario(no_ties_scenario(3, "") + faults[1].second), 4, "heartbeat");
}

// ---- optimize(n_jobs > 1) (issue 16 item 2): Optuna's own _optimize submits one job per trial to
// the process's pool threads (optuna_bridge.py _SimThreadPool), each a simulated worker ----

// `processes` processes of `threads` threads on a 4x5 grid, objectives 50-250 ms, store latencies
// as grid-4x5-w4's (without the slow create_trial); `extra`: more TOML.
ScenarioSpec threads_scenario(int processes, int threads, const std::string& extra = "") {
  return scenario("name = \"n-jobs\"\n[grid]\nx = [0, 1, 2, 3]\ny = [0, 1, 2, 3, 4]\n[workers]\nprocesses = " +
                  std::to_string(processes) + "\nthreads = " + std::to_string(threads) +
                  "\n[objective]\nduration = \"uniform 50ms..250ms\"\n" + extra +
                  "[store]\nrequest_latency = \"uniform 500us..1500us\"\nresponse_latency = \"uniform 500us..1500us\"\n"
                  "write_service = \"uniform 1ms..4ms\"\n"
                  "[compare]\npolicies = [\"optuna-3.1\", \"real:optuna\"]\nseed_policies = [\"none\"]\n");
}

// Workers that evaluated something, and whether a worker past each process's pool threads (its main
// thread, which only submits) did.
std::set<WorkerId> evaluating_workers(const RunOutcome& out) {
  std::set<WorkerId> workers;
  for (const Evaluation& e : out.evaluation_log) workers.insert(e.worker);
  return workers;
}

// Same seed => same trace hash with pool threads parked and woken on the engine; the witness:
// different run seeds differ.
TEST(RealOptuna, NJobsRunsAreDeterministic) {
  REQUIRE_OPTUNA_31();
  expect_same_hashes_and_reps_differ(threads_scenario(2, 3), 4, "2 processes x 3 threads");
}

// One process, n_jobs = 4: the grid is covered, the trials are run by the pool threads (workers 0-3;
// worker 4 is the main thread, which only submits), more than one of them works, and nothing hangs
// (a parked worker nobody wakes would end the run at its time limit, a RunFailure).
TEST(RealOptuna, NJobsPoolThreadsRunTheTrials) {
  REQUIRE_OPTUNA_31();
  const ScenarioSpec spec = threads_scenario(1, 4);
  for (int rep = 0; rep < 5; ++rep) {
    const TracedRun run = run_traced(spec, arm("real:optuna", "none"), rep);
    EXPECT_EQ(run.outcome.never_evaluated, 0) << "rep " << rep;
    EXPECT_GE(run.outcome.trials, 20) << "rep " << rep;
    const std::set<WorkerId> workers = evaluating_workers(run.outcome);
    EXPECT_GT(workers.size(), 1u) << "rep " << rep;
    EXPECT_LE(*workers.rbegin(), 3) << "rep " << rep;
  }
}

// optimize(n_trials, n_jobs) counts submissions: exactly n_trials trials per process, as the model's
// shared `submitted` counter gives (deterministic whatever the interleaving).
TEST(RealOptuna, NJobsNTrialsIsTheModelsCount) {
  REQUIRE_OPTUNA_31();
  const ScenarioSpec spec = threads_scenario(2, 3, "[optimize]\nn_trials = 7\n");
  for (int rep = 0; rep < 4; ++rep) {
    const TracedRun model = run_traced(spec, arm("optuna-3.1", "none"), rep);
    const TracedRun real = run_traced(spec, arm("real:optuna", "none"), rep);
    EXPECT_EQ(real.outcome.trials, 14) << "rep " << rep;
    EXPECT_EQ(real.outcome.trials, model.outcome.trials) << "rep " << rep;
  }
}

// The model's threads against Optuna's pool threads on the same timings, seed=None (every job
// reseeds the sampler from the process's entropy, in both): mean repeats and mean trials per run
// over 120 reps each, two-sample z; a correct pair fails |z| > 5.3 with probability < 1.2e-7 each.
TEST(RealOptuna, NJobsRepeatsMatchTheModelStatistically) {
  REQUIRE_OPTUNA_31();
  const UnseededRuns runs = unseeded_runs(threads_scenario(2, 2), 120);
  double real_repeats = 0;
  const double z_repeats = two_sample_z(runs, [](const RunSummary& r) { return r.repeats; }, &real_repeats);
  EXPECT_LT(std::abs(z_repeats), 5.3) << "real mean repeats " << real_repeats;
  EXPECT_GT(real_repeats, 0.0);  // the comparison is not between two empty outcomes
  double real_trials = 0;
  const double z_trials = two_sample_z(runs, [](const RunSummary& r) { return r.trials; }, &real_trials);
  EXPECT_LT(std::abs(z_trials), 5.3) << "real mean trials " << real_trials;
}

TEST(RealOptuna, RefusesWhatItDoesNotSimulate) {
  REQUIRE_OPTUNA_31();
  ScenarioSpec spec = builtin("issue-5489");
  spec.threads = 2;
  spec.faults.present = true;
  spec.faults.objective_fail_ppm = 1000;
  try {
    (void)run_traced(spec, arm("real:optuna", "none"), 0);
    FAIL() << "expected a run failure";
  } catch (const RunFailure& e) {
    EXPECT_NE(std::string(e.what()).find("workers.threads > 1 with [faults]"), std::string::npos) << e.what();
  }
  // A [[group]] with n_jobs threads names the group key.
  const ScenarioSpec threaded_group =
      scenario("name = \"g\"\n[grid]\nx = [0, 1]\n[[group]]\nprocesses = 1\n[[group]]\nprocesses = 1\nthreads = 2\n"
               "[objective]\nduration = \"1s\"\n[faults]\nobjective_failure_probability = 0.1\n"
               "[compare]\npolicies = [\"real:optuna\"]\n");
  try {
    (void)run_traced(threaded_group, arm("real:optuna", "none"), 0);
    FAIL() << "expected a run failure";
  } catch (const RunFailure& e) {
    EXPECT_NE(std::string(e.what()).find("group.threads > 1 with [faults]"), std::string::npos) << e.what();
  }
  // A store preset times the model's steps; the real library on plain latencies would pass for it.
  try {
    (void)run_traced(builtin("cases/issue-4627-threads"), arm("real:optuna", "none"), 0);
    FAIL() << "expected a run failure";
  } catch (const RunFailure& e) {
    EXPECT_NE(std::string(e.what()).find("store.kind = \"inmemory\""), std::string::npos) << e.what();
  }
  ScenarioSpec store_errors = builtin("issue-5489");
  store_errors.faults.present = true;
  store_errors.faults.store_error_ppm = 1000;
  try {
    (void)run_traced(store_errors, arm("real:optuna", "none"), 0);
    FAIL() << "expected a run failure";
  } catch (const RunFailure& e) {
    EXPECT_NE(std::string(e.what()).find("faults.store_error"), std::string::npos) << e.what();
  }
  // Optuna 3.1's ask() neither beats nor fails stale trials outside optimize; the model does.
  ScenarioSpec asktell_heartbeat = builtin("cases/hydra-2892");
  asktell_heartbeat.faults.present = true;
  asktell_heartbeat.faults.heartbeat_interval_us = 1'000'000;
  try {
    (void)run_traced(asktell_heartbeat, arm("real:optuna", "none"), 0);
    FAIL() << "expected a run failure";
  } catch (const RunFailure& e) {
    EXPECT_NE(std::string(e.what()).find("faults.heartbeat_interval with an ask-and-tell loop"), std::string::npos)
        << e.what();
  }
}

}  // namespace
}  // namespace samplersim
