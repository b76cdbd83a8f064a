// The fault model (sim/faults.h, sim/fault_draws.h) against its contract, and fault-free runs staying bit-identical.
#include <gtest/gtest.h>

#include <map>
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
        "slow_worker_probability = 0\nlate_join_probability = 0.0\nstale_read_probability = 0\nswarm = true\n"
        "stall_probability = 0\nstall_duration = \"3s\"\nclock_skew = \"0s\"\nclock_drift_ppm = 0\n";
    const ScenarioSpec zero = load_scenario_text(plain.source_text + zero_table, name + "-zero.toml");
    ASSERT_TRUE(zero.faults.present);
    std::vector<std::string> policies = plain.policies;
    for (const char* fix : {"shared-seed", "atomic-claim", "enqueue-all", "leased-claim", "fenced-leased-claim"}) {
      policies.push_back(fix);
    }
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

// A resumed study's RUNNING trial (left by a process that died before the run) carries no oracle:
// with heartbeat on, its heartbeat row holds that process's last beat, stamped 0, and the ordinary
// rule fails it at the first fail_stale_trials whose clock is more than the grace period (200ms)
// past it — not before. One process, 90ms objectives on a 6-point grid: asks at 0, 90, 180 and
// 270ms, so the failing check is the one at 270ms. Without heartbeat the trial has no
// row and stays RUNNING (Optuna's fail_stale_trials never fails it). Deterministic (no latencies).
TEST(Crash, ResumedRunningTrialGoesStaleFromItsStoredStampOnly) {
  const std::string base =
      "name = \"resumed-running\"\n[grid]\nx = [0, 1, 2, 3, 4, 5]\n[workers]\nprocesses = 1\n"
      "[objective]\nduration = \"90ms\"\n[[initial_trials]]\nparams = { x = 0 }\nstate = \"RUNNING\"\n"
      "[compare]\npolicies = [\"optuna-4\"]\n";
  const ScenarioSpec with = load_scenario_text(base + "[faults]\nheartbeat_interval = \"100ms\"\n", "with.toml");
  for (const std::string policy : {"optuna-3.2", "optuna-4"}) {
    const Traced t = run(with, policy, "none", 7);
    std::vector<VirtualTime> failed_at;
    for (const TraceEvent& e : t.events) {
      if (e.kind == TraceKind::kFault && e.a == trace_code(Fault::kStaleTrialFailed)) {
        EXPECT_EQ(e.trial, 0) << policy;
        failed_at.push_back(e.t_us);
      }
    }
    ASSERT_EQ(failed_at.size(), 1U) << policy;
    EXPECT_GT(failed_at[0], 200 * kMs) << policy;
    EXPECT_LT(failed_at[0], 300 * kMs) << policy;
    EXPECT_EQ(t.outcome.state_count(TrialState::kRunning), 0) << policy;
  }
  const ScenarioSpec without = load_scenario_text(base, "without.toml");
  for (const std::string policy : {"optuna-3.2", "optuna-4"}) {
    const Traced t = run(without, policy, "none", 7);
    EXPECT_EQ(count_faults(t, trace_code(Fault::kStaleTrialFailed)), 0) << policy;
    EXPECT_EQ(count_ops(t, StoreOp::kGetStaleTrials), 0) << policy;
    EXPECT_EQ(t.outcome.state_count(TrialState::kRunning), 1) << policy;
  }
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

// Heartbeats are store writes of the trial's heartbeat thread during its objective: the first one
// a request latency (>= 1 ms) after the evaluation starts, each next one at least the interval plus
// a round trip (>= 2 ms) after it, none after the evaluation ends. With a grace period above the
// longest gap (interval 5 ms + round trip <= 10 ms) plus the tell's few round trips, no live
// trial goes stale.
TEST(Heartbeat, BeatsAreTimedStoreWritesDuringTheObjective) {
  FaultSpec f;
  f.present = true;
  f.heartbeat_interval_us = 5 * kMs;
  f.grace_us = 100 * kMs;
  for (std::uint64_t seed = 1; seed <= 10; ++seed) {
    const Traced t = run(small(f), "optuna-4", "none", seed);
    std::map<int, std::vector<VirtualTime>> beats;
    for (const TraceEvent& e : t.events) {
      if (e.kind == TraceKind::kStoreOp && e.a == static_cast<std::int64_t>(StoreOp::kRecordHeartbeat)) {
        beats[e.trial].push_back(e.t_us);
      }
    }
    ASSERT_FALSE(t.outcome.evaluation_log.empty());
    for (const Evaluation& e : t.outcome.evaluation_log) {
      const std::vector<VirtualTime>& b = beats[e.trial];
      ASSERT_FALSE(b.empty()) << "seed " << seed << " trial " << e.trial;
      EXPECT_GE(b.front(), e.start_us + 1 * kMs) << "seed " << seed << " trial " << e.trial;
      for (std::size_t i = 1; i < b.size(); ++i) EXPECT_GE(b[i] - b[i - 1], 7 * kMs) << "seed " << seed;
      EXPECT_LE(b.back(), e.end_us) << "seed " << seed << " trial " << e.trial;
    }
    EXPECT_EQ(count_faults(t, trace_code(Fault::kStaleTrialFailed)), 0) << "seed " << seed;
  }
}

// Staleness is judged from the stored stamps only, so a live worker whose heartbeat writes lag
// past the grace period loses its trial, the classic way a lease runs work twice: heartbeat
// requests take 30 ms here (interval 5 ms, grace 10 ms), so each row is stale 10 ms after each
// write while its worker is alive. No worker crashes; other workers' fail_stale_trials FAIL live
// trials, the retry copies re-run them, and the live holder's COMPLETE is refused.
TEST(Heartbeat, LaggingLiveHolderLosesItsTrial) {
  FaultSpec f;
  f.present = true;
  f.heartbeat_interval_us = 5 * kMs;
  f.grace_us = 10 * kMs;
  f.retry_failed = true;
  ScenarioSpec spec = small(f);
  spec.request_latency_by_op[static_cast<std::size_t>(StoreOp::kRecordHeartbeat)] = DurationDist::constant(30 * kMs);
  std::int64_t stale = 0, refused = 0;
  for (std::uint64_t seed = 1; seed <= 10; ++seed) {
    const Traced t = run(spec, "optuna-4", "none", seed);
    EXPECT_EQ(count_faults(t, trace_code(Fault::kCrash)), 0);
    stale += count_faults(t, trace_code(Fault::kStaleTrialFailed));
    refused += count_ops(t, StoreOp::kSetTrialState, static_cast<std::int64_t>(TrialState::kComplete) * 2);
  }
  EXPECT_GT(stale, 0);
  EXPECT_GT(refused, 0);
}

// leased-claim without a [faults] heartbeat: interval kDefaultLeaseHeartbeatUs (1 s), grace 2 s.
// No faults: every holder is alive throughout. 2x2 grid, 6 workers, 10 s objectives: four hold a
// claim, two poll. Returns, per combination, how many evaluations of it overlapped in time with
// another live (not crashed) evaluation of it, and the COMPLETE count per combination.
struct LeaseRun {
  std::int64_t overlapping = 0;  // pairs of evaluations of one combination running at once
  std::int64_t max_complete = 0;  // the most COMPLETE evaluations of any one combination
  std::int64_t crashes = 0;
};
LeaseRun lease_run(std::optional<VirtualTime> heartbeat_request_us, std::uint64_t seed) {
  ScenarioSpec spec = fixcheck::make_spec(fixcheck::Shape{2, 2, 6, 1}, FaultSpec{});
  spec.objective_duration = DurationDist::constant(10'000 * kMs);
  if (heartbeat_request_us) {
    spec.request_latency_by_op[static_cast<std::size_t>(StoreOp::kRecordHeartbeat)] =
        DurationDist::constant(*heartbeat_request_us);
  }
  const Traced t = run(spec, "leased-claim", "none", seed);
  LeaseRun r;
  r.crashes = count_faults(t, trace_code(Fault::kCrash));
  const std::vector<Evaluation>& log = t.outcome.evaluation_log;
  std::map<std::int64_t, std::int64_t> complete;
  for (std::size_t i = 0; i < log.size(); ++i) {
    complete[log[i].combination] += log[i].state == TrialState::kComplete;
    for (std::size_t j = i + 1; j < log.size(); ++j) {
      const Evaluation& a = log[i];
      const Evaluation& b = log[j];
      if (a.combination != b.combination || a.end_us < 0 || b.end_us < 0) continue;
      r.overlapping += a.start_us < b.end_us && b.start_us < a.end_us;
    }
  }
  for (const auto& [g, n] : complete) r.max_complete = std::max(r.max_complete, n);
  return r;
}

// The classic double-run of lease systems, which a staleness oracle could never produce: the
// holder is alive, but its heartbeat writes take 4 s to reach the store, and the lease is judged
// only by what the store holds (the claim's and the beats' stamps) against the checker's clock.
// So it lapses 2 s after the claim, a waiting worker takes the combination over, and both run it
// at once. Idempotent completion still lets at most one of them be COMPLETE. Control: with
// heartbeat requests as fast as the others (1-5 ms), beats renew the lease every ~1 s and no
// combination ever runs twice at once.
TEST(Heartbeat, SlowLiveLeaseHolderLosesItsLeaseAndTheCombinationRunsTwice) {
  for (std::uint64_t seed = 1; seed <= 5; ++seed) {
    const LeaseRun slow = lease_run(4'000 * kMs, seed);
    EXPECT_EQ(slow.crashes, 0);
    EXPECT_GT(slow.overlapping, 0) << "seed " << seed;
    EXPECT_LE(slow.max_complete, 1) << "seed " << seed;
    const LeaseRun fast = lease_run(std::nullopt, seed);
    EXPECT_EQ(fast.overlapping, 0) << "seed " << seed;
    EXPECT_EQ(fast.max_complete, 1) << "seed " << seed;
  }
}

// An error on a heartbeat write raises out of Optuna's heartbeat loop and ends the thread (it never
// retries): with every attempt failing, each trial gets at most one heartbeat write attempt, and
// about half of them were applied (a lost response). The workers' own operations still finish.
TEST(Heartbeat, StoreErrorEndsTheHeartbeatThread) {
  FaultSpec f;
  f.present = true;
  f.heartbeat_interval_us = 5 * kMs;
  f.grace_us = 100 * kMs;
  f.store_error_ppm = kPpmOne;
  const std::int64_t beat_fault_applied = static_cast<std::int64_t>(StoreOp::kRecordHeartbeat) * 2 + 1;
  const std::int64_t beat_fault_lost = static_cast<std::int64_t>(StoreOp::kRecordHeartbeat) * 2;
  std::int64_t applied = 0, lost = 0;
  for (std::uint64_t seed = 1; seed <= 20; ++seed) {
    const Traced t = run(small(f), "optuna-4", "none", seed);
    std::map<int, int> attempts;
    std::int64_t applied_here = 0;
    for (const TraceEvent& e : t.events) {
      if (e.kind != TraceKind::kFault || e.a != trace_code(Fault::kStoreError)) continue;
      if (e.b == beat_fault_applied || e.b == beat_fault_lost) ++attempts[e.trial];
      applied_here += e.b == beat_fault_applied;
      lost += e.b == beat_fault_lost;
    }
    applied += applied_here;
    for (const Evaluation& e : t.outcome.evaluation_log) {
      EXPECT_EQ(attempts[e.trial], 1) << "seed " << seed << " trial " << e.trial;
    }
    // Only the applied failing attempts reached the store.
    EXPECT_EQ(count_ops(t, StoreOp::kRecordHeartbeat), applied_here) << "seed " << seed;
  }
  // 20 runs x about 9 trials, each applied with probability 1/2: both kinds appear (P(not) < 1e-50).
  EXPECT_GT(applied, 0);
  EXPECT_GT(lost, 0);
}

// RetryFailedTrialCallback fires only for stale trials, never for objective exceptions.
TEST(ObjectiveFailure, IsToldFailAndNeverRetried) {
  FaultSpec f;
  f.present = true;
  f.objective_fail_ppm = 500'000;
  f.heartbeat_interval_us = 5 * kMs;
  f.grace_us = 100 * kMs;  // above the longest beat gap plus the tell: no live trial goes stale
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

// A stall pauses the whole worker: its objective takes the pause longer, and no heartbeat of its
// trial is written inside the pause (the thread is paused too); the worker is alive throughout, so
// with a grace period shorter than the pause the others' fail_stale_trials fail its trial, and it
// still finishes the objective, tells and carries on with the next trial.
TEST(Stall, PausesObjectiveAndHeartbeatThenResumes) {
  FaultSpec f;
  f.present = true;
  f.stall_ppm = kPpmOne;
  f.stall_duration = DurationDist::constant(100 * kMs);
  f.heartbeat_interval_us = 5 * kMs;
  f.grace_us = 20 * kMs;
  ScenarioSpec spec = small(f);
  spec.objective_duration = DurationDist::constant(30 * kMs);
  std::int64_t stale = 0;
  for (std::uint64_t seed = 1; seed <= 5; ++seed) {
    const Traced t = run(spec, "optuna-4", "none", seed);
    std::map<int, VirtualTime> stalled_at;  // trial -> pause start
    for (const TraceEvent& e : t.events) {
      if (e.kind == TraceKind::kFault && e.a == trace_code(Fault::kStall)) {
        EXPECT_EQ(e.b, 100 * kMs);
        EXPECT_TRUE(stalled_at.emplace(e.trial, e.t_us).second) << "one stall per trial";
      }
    }
    for (const TraceEvent& e : t.events) {
      if (e.kind != TraceKind::kStoreOp || e.a != static_cast<std::int64_t>(StoreOp::kRecordHeartbeat)) continue;
      auto it = stalled_at.find(e.trial);
      if (it == stalled_at.end()) continue;
      // The stall is traced when the worker's fiber reaches it: at its start, or after a beat in
      // flight then (its write lands before the trace, its response <= 5 ms after the start). So
      // the pause covers (traced + 5 ms, traced + 90 ms) at least, and no beat may land in it.
      EXPECT_FALSE(e.t_us > it->second + 5 * kMs && e.t_us < it->second + 90 * kMs)
          << "seed " << seed << ": trial " << e.trial << " beat at " << e.t_us << " inside its pause from " << it->second;
    }
    for (const Evaluation& e : t.outcome.evaluation_log) {
      EXPECT_EQ(stalled_at.count(e.trial), 1u) << "every trial stalls (p = 1)";
      // Objective 30 ms + pause 100 ms, then the join waits for a beat in flight (<= 10 ms).
      EXPECT_GE(e.end_us - e.start_us, 130 * kMs);
      EXPECT_LE(e.end_us - e.start_us, 140 * kMs);
    }
    EXPECT_EQ(count_faults(t, trace_code(Fault::kCrash)), 0);
    stale += count_faults(t, trace_code(Fault::kStaleTrialFailed));
    // Alive throughout: every worker went on to further trials after its first stall.
    EXPECT_GT(t.outcome.evaluation_log.size(), 3u);
  }
  EXPECT_GT(stale, 0) << "live stalled trials were failed as stale";
}

// Stalls are drawn only before faults.until, from their own stream: the other faults' draws and the
// run's timings do not move when stalls are switched on (other than by the pauses themselves).
TEST(Stall, RespectsUntilAndDrawsFromItsOwnStream) {
  FaultSpec f;
  f.present = true;
  f.stall_ppm = 500'000;
  f.stall_duration = DurationDist::uniform(10 * kMs, 50 * kMs);
  f.until_us = 60 * kMs;
  std::int64_t stalls = 0;
  for (std::uint64_t seed = 1; seed <= 10; ++seed) {
    const Traced t = run(small(f), "leased-claim", "none", seed);
    for (const TraceEvent& e : t.events) {
      if (e.kind != TraceKind::kFault || e.a != trace_code(Fault::kStall)) continue;
      ++stalls;
      // Drawn at the objective's start (< until); the pause itself starts within the objective.
      const Evaluation* ev = nullptr;
      for (const Evaluation& x : t.outcome.evaluation_log) {
        if (x.trial == e.trial) ev = &x;
      }
      ASSERT_NE(ev, nullptr);
      EXPECT_LT(ev->start_us, 60 * kMs) << "seed " << seed;
      EXPECT_GE(e.b, 10 * kMs);
      EXPECT_LE(e.b, 50 * kMs);
    }
  }
  EXPECT_GT(stalls, 0);
}

// Each process's clock: offset within ±clock_skew, drift within ±clock_drift_ppm, the same for
// every thread of a process, traced once per worker at its start; identity without the fault.
TEST(ClockSkew, PerProcessClocksWithinBounds) {
  FaultSpec f;
  f.present = true;
  f.clock_skew_us = 300 * kMs;
  f.clock_drift_ppm = 500;
  std::set<VirtualTime> offsets;
  for (std::uint64_t seed = 1; seed <= 50; ++seed) {
    const RunFaults r = RunFaults::make(f, seed, 4);
    for (int p = 0; p < 4; ++p) {
      const ProcessClock c = process_clock(r, seed, p);
      EXPECT_LE(std::abs(c.offset_us), 300 * kMs);
      EXPECT_LE(std::abs(c.drift_ppm), 500);
      EXPECT_EQ(c.read(1'000'000), 1'000'000 + c.drift_ppm + c.offset_us);
      offsets.insert(c.offset_us);
    }
    EXPECT_TRUE(process_clock(RunFaults::make(FaultSpec{}, seed, 4), seed, 0).identity());
  }
  EXPECT_GT(offsets.size(), 150u) << "offsets are drawn, not fixed";
  ScenarioSpec spec = fixcheck::make_spec(fixcheck::Shape{2, 2, 2, 2}, f);
  const Traced t = run(spec, "leased-claim", "none", 7);
  std::map<WorkerId, VirtualTime> traced;
  for (const TraceEvent& e : t.events) {
    if (e.kind == TraceKind::kFault && e.a == trace_code(Fault::kClockSkew)) traced[e.worker] = e.b;
  }
  const RunFaults r = RunFaults::make(f, 7, 4);
  ASSERT_EQ(traced.size(), 4u);
  EXPECT_EQ(traced[0], process_clock(r, 7, 0).offset_us);
  EXPECT_EQ(traced[0], traced[1]) << "threads of one process share its clock";
  EXPECT_EQ(traced[2], process_clock(r, 7, 1).offset_us);
}

// A checker whose clock runs ahead of the stamping host's judges a live, beating trial stale:
// with offsets of up to ±200 ms and a 60 ms grace, fail_stale_trials fails live trials that no
// fault stopped; with the same scenario and no skew, none (the longest gap between a trial's last
// stamp and its tell is a beat interval plus a few store calls of at most 10 ms, under 60 ms).
TEST(ClockSkew, SkewedCheckerFailsLiveTrials) {
  FaultSpec f;
  f.present = true;
  f.heartbeat_interval_us = 5 * kMs;
  f.grace_us = 60 * kMs;
  FaultSpec skewed = f;
  skewed.clock_skew_us = 200 * kMs;
  std::int64_t failed = 0;
  for (std::uint64_t seed = 1; seed <= 10; ++seed) {
    EXPECT_EQ(count_faults(run(small(f), "optuna-4", "none", seed), trace_code(Fault::kStaleTrialFailed)), 0);
    failed += count_faults(run(small(skewed), "optuna-4", "none", seed), trace_code(Fault::kStaleTrialFailed));
  }
  EXPECT_GT(failed, 0);
}

// Determinism with the new faults: same seed, same trace hash (twice, and swarm on); another seed
// gives another trace.
TEST(StallAndSkew, SameSeedSameTraceHash) {
  FaultSpec f;
  f.present = true;
  f.swarm = true;
  f.stall_ppm = 300'000;
  f.stall_duration = DurationDist::uniform(20 * kMs, 80 * kMs);
  f.clock_skew_us = 50 * kMs;
  f.clock_drift_ppm = 200;
  f.heartbeat_interval_us = 5 * kMs;
  for (const char* policy : {"optuna-4", "leased-claim", "fenced-leased-claim"}) {
    std::set<std::uint64_t> hashes;
    for (std::uint64_t seed = 1; seed <= 10; ++seed) {
      const std::uint64_t a = run(small(f), policy, "none", seed).outcome.trace_hash;
      EXPECT_EQ(a, run(small(f), policy, "none", seed).outcome.trace_hash) << policy << " seed " << seed;
      hashes.insert(a);
    }
    EXPECT_EQ(hashes.size(), 10u) << policy;
  }
}

}  // namespace
}  // namespace samplersim
