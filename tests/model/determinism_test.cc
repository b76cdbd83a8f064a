// Determinism is a feature with a witness: same scenario + run seed + strategy picks ⇒ same trace
// hash, across repeated runs, rep batchings, thread counts and replays; and the hash does change
// when an input changes (so the witness can fail).
#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <set>

#include "app/scenario_files.h"
#include "app/single_run.h"
#include "model_test_util.h"
#include "sim/simulation.h"

namespace samplersim {
namespace {

using testing::arm;
using testing::builtin;

std::vector<std::uint64_t> hashes(const std::vector<RunSummary>& runs) {
  std::vector<std::uint64_t> out;
  for (const RunSummary& r : runs) out.push_back(r.trace_hash);
  return out;
}

TEST(Determinism, SameInputsSameHashes) {
  for (const char* name : {"issue-5489", "grid-4x5-w4"}) {
    const ScenarioSpec spec = builtin(name);
    for (const char* policy : {"optuna-3.2", "optuna-3.6", "optuna-4"}) {
      const Arm a = arm(policy, "none");
      EXPECT_EQ(hashes(testing::run_arm(spec, a, 50, 1)), hashes(testing::run_arm(spec, a, 50, 1)))
          << name << " " << policy;
    }
  }
}

// Under every store preset (the machine model with processor sharing, the GIL and the storage's
// locks) a run is still a function of its inputs: same hashes on repeated runs and across thread
// counts, and different presets give different traces.
TEST(Determinism, StorePresetsAreDeterministic) {
  const ScenarioSpec base =
      load_scenario(std::string(SAMPLERSIM_SOURCE_DIR) + "/scenarios/calibration/sqlite-w8-4x5.toml");
  std::set<std::uint64_t> first_hashes;
  for (const StoreKind kind : {StoreKind::kSqlite, StoreKind::kInMemory, StoreKind::kJournalFile, StoreKind::kPostgresql}) {
    ScenarioSpec spec = base;
    spec.store_kind = kind;
    if (kind == StoreKind::kInMemory) {  // one process, its threads
      spec.processes = 1;
      spec.threads = 4;
    }
    for (const char* policy : {"optuna-3.1", "optuna-4"}) {
      const Arm a = arm(policy, "same:42");
      const std::vector<std::uint64_t> once = hashes(testing::run_arm(spec, a, 20, 1));
      EXPECT_EQ(once, hashes(testing::run_arm(spec, a, 20, 2))) << to_string(kind) << " " << policy;
      first_hashes.insert(once.front());
    }
  }
  EXPECT_EQ(first_hashes.size(), 8u);
}

TEST(Determinism, ThreadCountDoesNotMatter) {
  const ScenarioSpec spec = builtin("grid-4x5-w4");
  const Arm a = arm("optuna-3.2", "same:42");
  EXPECT_EQ(hashes(testing::run_arm(spec, a, 60, 1)), hashes(testing::run_arm(spec, a, 60, 2)));
  EXPECT_EQ(hashes(testing::run_arm(spec, a, 60, 1)), hashes(testing::run_arm(spec, a, 60, 7)));
}

TEST(Determinism, RepBatchingDoesNotMatter) {
  const ScenarioSpec spec = builtin("grid-4x5-w4");
  const Arm a = arm("optuna-3.6", "none");
  std::vector<RunSummary> whole;
  run_reps(spec, {a}, RepRange{0, 30}, 2, [&](std::size_t, const auto& r) { whole = r; });
  std::vector<RunSummary> tail;
  run_reps(spec, {a}, RepRange{20, 10}, 1, [&](std::size_t, const auto& r) { tail = r; });
  for (int i = 0; i < 10; ++i) {
    EXPECT_EQ(tail[static_cast<std::size_t>(i)].rep, 20 + i);
    EXPECT_EQ(tail[static_cast<std::size_t>(i)].trace_hash, whole[static_cast<std::size_t>(20 + i)].trace_hash);
  }
}

TEST(Determinism, TracedRunEqualsTheUntracedRun) {
  const ScenarioSpec spec = builtin("grid-4x5-w4");
  const Arm a = arm("optuna-4", "none");
  const auto runs = testing::run_arm(spec, a, 5, 1);
  for (int rep = 0; rep < 5; ++rep) {
    EXPECT_EQ(run_traced(spec, a, rep).outcome.trace_hash, runs[static_cast<std::size_t>(rep)].trace_hash);
  }
}

TEST(Determinism, ReplayReproducesTheHash) {
  const ScenarioSpec spec = builtin("grid-4x5-w4");
  for (const char* policy : {"optuna-3.2", "optuna-3.6", "optuna-4"}) {
    const Arm a = arm(policy, "same:42");
    for (int rep = 0; rep < 10; ++rep) {
      const TracedRun original = run_traced(spec, a, rep);
      const ReplayRecord rec = replay_record_of(spec, a, rep, original);
      const TracedRun again = run_replay(spec, a, rec);
      EXPECT_EQ(again.outcome.trace_hash, original.outcome.trace_hash) << policy << " rep " << rep;
      EXPECT_EQ(again.trace.size(), original.trace.size());
    }
  }
}

TEST(Determinism, ConstantLatenciesCreateChoicePointsThatReplayResolves) {
  ScenarioSpec spec = builtin("grid-4x5-w4");
  spec.start_jitter = DurationDist::constant(0);
  spec.request_latency = DurationDist::constant(kMicrosPerMilli);
  spec.response_latency = DurationDist::constant(kMicrosPerMilli);
  const Arm a = arm("optuna-3.2", "same:42");
  const TracedRun original = run_traced(spec, a, 0);
  ASSERT_GT(original.outcome.choice_points, 0u);
  const TracedRun again = run_replay(spec, a, replay_record_of(spec, a, 0, original));
  EXPECT_EQ(again.outcome.trace_hash, original.outcome.trace_hash);
  // A different pick somewhere gives a different run (the witness can fail).
  ReplayRecord altered = replay_record_of(spec, a, 0, original);
  altered.picks[0] = altered.picks[0] == 0 ? 1 : 0;
  ChoicesStrategy choices(altered.picks);
  const RunOutcome other = simulate(RunRequest{&spec, a.policy, a.seed_policy, altered.run_seed, &choices});
  EXPECT_NE(other.trace_hash, original.outcome.trace_hash);
}

// Rep 0 of optuna-3.6 / seed None of `spec` without the `omitted` processes, fully traced.
std::unique_ptr<Trace> traced_run_without(const ScenarioSpec& spec, const std::vector<int>& omitted) {
  const Arm a = arm("optuna-3.6", "none");
  ChoicesStrategy picks({});
  auto trace = std::make_unique<Trace>(true);
  simulate_without(RunRequest{&spec, a.policy, a.seed_policy, run_seed_for_rep(spec.seed, 0), &picks}, omitted,
                   trace.get());
  return trace;
}

// Leaving processes out (what shrinking does, sim/simulation.h) keeps every other worker's id,
// start instant and random streams: its start and its first trial's store operations and
// objective (before any other worker's write can change what it reads) happen at the same instants
// as in the full run. And the run does change (the witness can fail).
TEST(Determinism, OmittedProcessesLeaveTheOthersTimingsAlone) {
  const ScenarioSpec spec = load_scenario(std::string(SAMPLERSIM_SOURCE_DIR) + "/tests/data/scenarios/cluster-6x8-w16.toml");
  auto run = [&spec](const std::vector<int>& omitted) { return traced_run_without(spec, omitted); };
  const auto full = run({});
  const auto part = run({0, 1, 2, 3, 4, 5, 6, 7, 9, 11, 12, 13, 14});  // keeps 8, 10, 15
  auto first_events = [](const Trace& t, WorkerId w) {
    std::vector<std::pair<VirtualTime, TraceKind>> out;
    for (const TraceEvent& e : t.events()) {
      if (e.worker == w) out.emplace_back(e.t_us, e.kind);
      if (e.worker == w && e.kind == TraceKind::kObjectiveStart) break;
    }
    return out;
  };
  for (WorkerId w : {8, 10, 15}) {
    const auto expected = first_events(*full, w);
    ASSERT_GT(expected.size(), 5u) << "worker " << w;
    EXPECT_EQ(first_events(*part, w), expected) << "worker " << w;
  }
  for (const TraceEvent& e : part->events()) {
    EXPECT_TRUE(e.worker == 8 || e.worker == 10 || e.worker == 15 || e.worker < 0) << "worker " << e.worker;
  }
  EXPECT_NE(part->hash(), full->hash());
}

// With [[group]] tables, left-out processes are numbered across the groups in file order (as
// spec.processes counts them), and a left-out process's by-process enqueue goes with it: the kept
// workers (group "a"'s second process, group "b"'s process and its enqueuer) start when they did
// in the full run, no event comes from a left-out worker, and the run does change.
TEST(Determinism, OmittedProcessesSpanWorkerGroupsAndTheirEnqueues) {
  const ScenarioSpec spec = load_scenario_text(R"(
name = "omit-groups"
[grid]
x = [0, 1, 2, 3]
y = [0, 1]
[[group]]
name = "a"
processes = 2
threads = 2
start_stagger = "3ms"
[[group]]
name = "b"
processes = 1
start = "5ms"
[objective]
duration = "uniform 10ms..30ms"
[store]
request_latency = "uniform 500us..1500us"
response_latency = "uniform 500us..1500us"
[[enqueue]]
params = { x = 1 }
by = "process"
process = 0
at = "1ms"
[[enqueue]]
params = { x = 2, y = 1 }
by = "process"
process = 2
at = "2ms"
[compare]
policies = ["optuna-3.6"]
)",
                                               "omit-groups.toml");
  ASSERT_EQ(spec.processes, 3);
  auto run = [&spec](const std::vector<int>& omitted) { return traced_run_without(spec, omitted); };
  const auto full = run({});
  const auto part = run({0});  // workers 0, 1 (process 0's threads) and 5 (its enqueuer) left out
  auto first_event_us = [](const Trace& t, WorkerId w) -> std::optional<VirtualTime> {
    for (const TraceEvent& e : t.events()) {
      if (e.worker == w && e.kind != TraceKind::kPick) return e.t_us;
    }
    return std::nullopt;
  };
  for (WorkerId w : {2, 3, 4, 6}) {
    const auto expected = first_event_us(*full, w);
    ASSERT_TRUE(expected.has_value()) << "worker " << w;
    EXPECT_EQ(first_event_us(*part, w), expected) << "worker " << w;
  }
  // The engine's picks among fibers due at one instant still name a left-out worker (its empty body
  // is spawned at its start, so the others keep their ids and picks); no event of its own appears.
  for (const TraceEvent& e : part->events()) {
    if (e.kind == TraceKind::kPick) continue;
    EXPECT_TRUE(e.worker < 0 || (e.worker >= 2 && e.worker != 5)) << "worker " << e.worker;
  }
  EXPECT_TRUE(first_event_us(*full, 5).has_value());
  EXPECT_NE(part->hash(), full->hash());
}

TEST(Determinism, DifferentSeedsDifferentHashes) {
  const ScenarioSpec spec = builtin("grid-4x5-w4");
  const auto runs = testing::run_arm(spec, arm("optuna-3.2", "none"), 40, 2);
  std::set<std::uint64_t> distinct;
  for (const RunSummary& r : runs) distinct.insert(r.trace_hash);
  EXPECT_EQ(distinct.size(), runs.size());
}

}  // namespace
}  // namespace samplersim
