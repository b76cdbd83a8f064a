// The fault model (sim/faults.h, sim/fault_draws.h) against its contract, and fault-free runs staying bit-identical.
#include <gtest/gtest.h>

#include <set>

#include "app/scenario_files.h"
#include "sim/fault_draws.h"
#include "sim/simulation.h"
#include "sim/store_op.h"
#include "tests/fixes/fix_check.h"

namespace samplersim {
namespace {

constexpr VirtualTime kMs = 1'000;

struct Traced {
  RunOutcome outcome;
  std::vector<TraceEvent> events;
};

Traced run(const ScenarioSpec& spec, const std::string& policy, const std::string& seed_policy,
           std::uint64_t run_seed) {
  Trace trace(true);
  RandomStrategy strategy(run_seed);
  RunRequest req{&spec, PolicyRegistry::find(policy), *parse_seed_policy(seed_policy), run_seed, &strategy};
  Traced t;
  t.outcome = simulate(req, &trace);
  t.events = trace.events();
  return t;
}

std::int64_t count_faults(const Traced& t, std::int64_t kind) {
  std::int64_t n = 0;
  for (const TraceEvent& e : t.events) n += e.kind == TraceKind::kFault && e.a == kind;
  return n;
}

std::int64_t count_ops(const Traced& t, StoreOp op, std::optional<std::int64_t> b = std::nullopt) {
  std::int64_t n = 0;
  for (const TraceEvent& e : t.events) {
    n += e.kind == TraceKind::kStoreOp && e.a == static_cast<std::int64_t>(op) && (!b || e.b == *b);
  }
  return n;
}

ScenarioSpec small(FaultSpec f, int processes = 3) {
  return fixcheck::make_spec(fixcheck::Shape{3, 3, processes, 1}, f);
}

// Fault-free runs are bit-identical whether the [faults] table is absent or present with every
// probability zero: no fault stream is drawn from and no operation is added. Built-in scenarios,
// every policy they compare plus the fixes, 30 reps each.
TEST(FaultFree, SameTraceHashWithoutFaultsTableAndWithAllZero) {
  for (const std::string name : {"grid-4x5-w4", "issue-5489"}) {
    const ScenarioSpec plain = load_scenario(name);
    const std::string zero_table =
        "\n[faults]\ncrash_probability = 0.0\nobjective_failure_probability = 0\nstore_error_probability = 0.0\n"
        "slow_worker_probability = 0\nlate_join_probability = 0.0\nstale_read_probability = 0\nswarm = true\n";
    const ScenarioSpec zero = load_scenario_text(plain.source_text + zero_table, name + "-zero.toml");
    ASSERT_TRUE(zero.faults.present);
    std::vector<std::string> policies = plain.policies;
    for (const char* fix : {"shared-seed", "atomic-claim", "enqueue-all", "leased-claim"}) policies.push_back(fix);
    for (const std::string& policy : policies) {
      for (const SeedPolicy& sp : plain.seed_policies) {
        for (std::uint64_t rep = 0; rep < 30; ++rep) {
          const std::uint64_t seed = run_seed_for_rep(plain.seed, rep);
          EXPECT_EQ(run(plain, policy, sp.to_string(), seed).outcome.trace_hash,
                    run(zero, policy, sp.to_string(), seed).outcome.trace_hash)
              << name << " " << policy << "/" << sp.to_string() << " rep " << rep;
        }
      }
    }
  }
}

// Without heartbeat a crashed worker's trial stays RUNNING forever (reference 3.4).
TEST(Crash, WithoutHeartbeatTheTrialStaysRunning) {
  FaultSpec f;
  f.present = true;
  f.crash_ppm = kPpmOne;  // every trial crashes, but only `max_crashes` of them can
  f.max_crashes = 1;
  const Traced t = run(small(f), "optuna-4", "none", 5);
  EXPECT_EQ(count_faults(t, trace_code(Fault::kCrash)), 1);
  EXPECT_EQ(t.outcome.state_count(TrialState::kRunning), 1);
  EXPECT_EQ(count_ops(t, StoreOp::kGetStaleTrials), 0);
}

// With heartbeat, fail_stale_trials at the start of a later trial fails it once the grace period
// passed; the retry callback then enqueues a WAITING copy carrying grid_id, which is evaluated.
TEST(Crash, HeartbeatFailsTheStaleTrialAndTheRetryCopyReEvaluatesItsGridId) {
  FaultSpec f;
  f.present = true;
  f.crash_ppm = kPpmOne;
  f.max_crashes = 1;
  f.heartbeat_interval_us = 5 * kMs;  // grace 10ms: well within the other workers' run
  f.retry_failed = true;
  const Traced t = run(small(f), "optuna-4", "none", 5);
  ASSERT_EQ(count_faults(t, trace_code(Fault::kCrash)), 1);
  EXPECT_EQ(count_faults(t, trace_code(Fault::kStaleTrialFailed)), 1);
  EXPECT_EQ(t.outcome.state_count(TrialState::kRunning), 0);
  EXPECT_GE(t.outcome.state_count(TrialState::kFail), 1);
  EXPECT_EQ(count_ops(t, StoreOp::kCreateTrial, 1), 1);  // the one WAITING copy
  std::int64_t crashed_combination = -1;
  for (const TraceEvent& e : t.events) {
    if (e.kind == TraceKind::kFault && e.a == trace_code(Fault::kCrash)) crashed_combination = e.b;
  }
  int evaluations = 0;
  for (const Evaluation& e : t.outcome.evaluation_log) evaluations += e.combination == crashed_combination;
  EXPECT_GE(evaluations, 2) << "the copy re-evaluates the crashed trial's combination";
  EXPECT_GT(count_ops(t, StoreOp::kRecordHeartbeat), 0);
}

// RetryFailedTrialCallback fires only for stale trials, never for objective exceptions.
TEST(ObjectiveFailure, IsToldFailAndNeverRetried) {
  FaultSpec f;
  f.present = true;
  f.objective_fail_ppm = 500'000;
  f.heartbeat_interval_us = 5 * kMs;
  f.retry_failed = true;
  std::int64_t failures = 0;
  for (std::uint64_t seed = 1; seed <= 20; ++seed) {
    const Traced t = run(small(f), "optuna-4", "none", seed);
    failures += count_faults(t, trace_code(Fault::kObjectiveFail));
    EXPECT_EQ(count_ops(t, StoreOp::kCreateTrial, 1), 0) << "seed " << seed;
    EXPECT_EQ(count_faults(t, trace_code(Fault::kObjectiveFail)), t.outcome.state_count(TrialState::kFail)) << "seed " << seed;
  }
  EXPECT_GT(failures, 0);
}

// Transient store errors: every operation still completes; lost responses are applied once more.
TEST(StoreErrors, ClientRetriesAndEveryRunFinishes) {
  FaultSpec f;
  f.present = true;
  f.store_error_ppm = 300'000;
  std::int64_t errors = 0, applied = 0;
  for (std::uint64_t seed = 1; seed <= 20; ++seed) {
    const Traced t = run(small(f), "atomic-claim", "none", seed);
    for (const TraceEvent& e : t.events) {
      if (e.kind == TraceKind::kFault && e.a == trace_code(Fault::kStoreError)) {
        ++errors;
        applied += e.b % 2;
      }
    }
    EXPECT_EQ(t.outcome.uncovered, 0) << "seed " << seed;
  }
  EXPECT_GT(errors, 0);
  EXPECT_GT(applied, 0);
  EXPECT_LT(applied, errors);
}

// Stale reads never see a view older than max_staleness.
TEST(StaleReads, AreBoundedByMaxStaleness) {
  FaultSpec f;
  f.present = true;
  f.stale_read_ppm = 800'000;
  f.max_staleness_us = 30 * kMs;
  std::int64_t stale = 0;
  for (std::uint64_t seed = 1; seed <= 20; ++seed) {
    const Traced t = run(small(f), "optuna-4", "none", seed);
    for (const TraceEvent& e : t.events) {
      if (e.kind != TraceKind::kFault || e.a != trace_code(Fault::kStaleRead)) continue;
      ++stale;
      EXPECT_LE(e.b, f.max_staleness_us);
      EXPECT_GE(e.b, 0);
    }
  }
  EXPECT_GT(stale, 0);
}

// Late joiners start later; slow workers' objectives take slow_factor times as long.
TEST(LateAndSlow, DelayStartsAndStretchObjectives) {
  FaultSpec f;
  f.present = true;
  f.late_join_ppm = kPpmOne;
  f.late_join_delay = DurationDist::constant(500 * kMs);
  const Traced late = run(small(f), "optuna-4", "none", 3);
  for (const TraceEvent& e : late.events) {
    if (e.kind == TraceKind::kWorkerStart) {
      EXPECT_GE(e.t_us, 500 * kMs);
    }
  }
  FaultSpec s;
  s.present = true;
  s.slow_worker_ppm = kPpmOne;
  s.slow_factor = 10;
  ScenarioSpec spec = small(s);
  spec.objective_duration = DurationDist::constant(10 * kMs);
  const Traced slow = run(spec, "optuna-4", "none", 3);
  for (const Evaluation& e : slow.outcome.evaluation_log) EXPECT_EQ(e.end_us - e.start_us, 100 * kMs);
}

// Swarm testing: across runs, different subsets of the fault classes are on.
TEST(Swarm, VariesTheEnabledFaultClassesPerRun) {
  FaultSpec f;
  f.present = true;
  f.swarm = true;
  f.objective_fail_ppm = 300'000;
  f.stale_read_ppm = 500'000;
  std::set<std::pair<bool, bool>> seen;
  for (std::uint64_t seed = 1; seed <= 40; ++seed) {
    const RunFaults r = RunFaults::make(f, seed, 3);
    seen.insert({r.spec.objective_fail_ppm > 0, r.spec.stale_read_ppm > 0});
  }
  EXPECT_EQ(seen.size(), 4u) << "all four on/off combinations of two classes within 40 runs";
}

// Faults stop at faults.until: nothing fires after it.
TEST(Window, NoFaultAfterUntil) {
  FaultSpec f;
  f.present = true;
  f.objective_fail_ppm = 500'000;
  f.stale_read_ppm = 500'000;
  f.until_us = 100 * kMs;
  for (std::uint64_t seed = 1; seed <= 10; ++seed) {
    const Traced t = run(small(f), "leased-claim", "none", seed);
    for (const TraceEvent& e : t.events) {
      if (e.kind == TraceKind::kFault) {
        EXPECT_LT(e.t_us, 100 * kMs) << "seed " << seed;
      }
    }
  }
}

}  // namespace
}  // namespace samplersim
