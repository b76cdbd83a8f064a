// Fault injection, as data: what a scenario's [faults] table asks for (FaultSpec) and the one
// enumeration of faults (Fault, with its pinned stream and trace numbers). The per-run, per-worker
// draws that realise a FaultSpec are the engine's (sim/fault_draws.h). This header includes only
// other data-type headers of sim/ (reports/ reads scenario specs and traces).
//
// Swarm testing (Groce et al. 2012): with `swarm = true` each fault class is switched on or off per
// run (probability 1/2 each, from the run's own stream), so runs explore few-fault corners as well
// as all-faults ones. Faults act only before `until_us` (if set), so liveness after the faults stop
// can be stated and tested.
//
// Semantics of each fault (the reference is ../shared/reference/optuna-grid-behaviour.md 2–3, 5):
//  crash           a worker dies partway through an objective: its trial stays RUNNING, it never
//                  runs again, its heartbeat (if any) stops at that instant. At most `max_crashes`
//                  workers crash per run (default: all but one).
//  heartbeat       while its objective runs, each trial's heartbeat thread (Optuna's
//                  `_record_heartbeat` loop) writes the trial's heartbeat row through its own
//                  store connection (latency, the write lock, store errors: an error ends the
//                  thread, which never retries), at once, then `interval` after each write's
//                  response; the objective's end stops it (an in-flight write finishes first:
//                  join). At the start of each trial every worker runs fail_stale_trials: RUNNING
//                  trials whose heartbeat row is older than `grace` at the checker's clock become
//                  FAIL (compare-and-set, so once). Only the stored stamps decide: a live worker
//                  whose writes lag or stopped loses its trial like a crashed one.
//  retry_failed    RetryFailedTrialCallback: for each trial fail_stale_trials failed, a WAITING
//                  copy carrying all system attrs (grid_id included). It fires ONLY for stale
//                  trials, never for objective exceptions (reference 3.4).
//  objective fail  the objective raises with probability p: the trial is told FAIL (the optimize
//                  loop is modelled with catch=(Exception,), so the worker carries on).
//  store errors    each store operation fails transiently with probability p; half of the failed
//                  attempts were applied before the error (a lost response). The client retries
//                  after `store_retry_backoff`; after `store_max_retries` failures the next attempt
//                  succeeds (the error is transient), so every operation completes.
//  slow workers    each worker is slow with probability p: its objective takes `slow_factor` times
//                  as long.
//  late joiners    each process joins late with probability p: its start is delayed by a uniform
//                  draw from `late_join_delay`.
//  stale reads     get_all_trials is served from the worker's cached view with probability p; the
//                  cache is refreshed when older than `max_staleness` (bounded staleness). Atomic
//                  operations (insert-if-absent, compare-and-set) always act on the primary.
//  stall           with probability p per trial, the worker's process pauses while the trial's
//                  objective runs (a stop-the-world GC pause, SIGSTOP, preemption, a network
//                  partition): at a uniform point of the objective it stops for a draw from
//                  `stall_duration`; neither the objective nor the trial's heartbeat thread makes
//                  progress meanwhile (a beat due in the pause is written at its end; a beat already
//                  in flight completes), then it resumes and carries on as if nothing happened: it
//                  finishes the objective, tells its result and continues the loop. It is alive
//                  throughout, so what the store holds (the heartbeat stamps) makes it look dead
//                  to the others after `grace`. Only the stalled worker's own thread pauses (with
//                  n_jobs > 1 its sibling threads run on: a simplification; a GIL-wide pause would
//                  stop them too).
//  clock skew      each process reads its own clock: true virtual time × (1 + drift) + offset, with
//                  offset uniform in ±`clock_skew` and drift uniform in ±`clock_drift_ppm`, drawn
//                  once per process. The clock is read where Optuna reads one for a decision:
//                  the heartbeat row's stamp and fail_stale_trials' "now" (RDBStorage takes both
//                  from `func.now()`, i.e. the database engine's clock; under SQLite the engine
//                  runs in the client process, so each host stamps and judges with its own clock;
//                  with a database server both would read the server's one clock and skew would
//                  not matter; optuna/storages/_rdb/storage.py, record_heartbeat and
//                  _get_stale_trial_ids), and the lease policies' claim stamps and expiry checks,
//                  which are client-side by design. The engine's event times stay true time.
//                  A host's clock is not an event: `until` does not end it.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

#include "sim/duration_dist.h"
#include "sim/virtual_time.h"

namespace samplersim {

// Heartbeat interval of a lease-holding policy when the scenario has no heartbeat.
inline constexpr VirtualTime kDefaultLeaseHeartbeatUs = 1'000'000;

// A probability in parts per million (exact, integer).
inline constexpr std::uint32_t kPpmOne = 1'000'000;

struct FaultSpec {
  // A [faults] table was given. Faults act only when it is set (the simulation builds its fault
  // streams only then; a fault-free table gives the same run as none); a spec built in code that
  // sets a fault must set it too, or the simulation stops with an InvariantViolation.
  bool present = false;
  bool swarm = false;
  std::optional<VirtualTime> until_us;  // faults only before this virtual time

  std::uint32_t crash_ppm = 0;  // per trial
  std::optional<int> max_crashes;  // default: workers - 1
  VirtualTime heartbeat_interval_us = 0;  // 0: no heartbeat
  VirtualTime grace_us = 0;               // 0 with heartbeat: 2 × interval (Optuna's default)
  bool retry_failed = false;

  std::uint32_t objective_fail_ppm = 0;  // per trial

  std::uint32_t store_error_ppm = 0;  // per store operation attempt
  int store_max_retries = 3;
  VirtualTime store_retry_backoff_us = 10'000;

  std::uint32_t slow_worker_ppm = 0;  // per worker
  int slow_factor = 4;

  std::uint32_t late_join_ppm = 0;  // per process
  DurationDist late_join_delay = DurationDist::constant(1'000'000);

  std::uint32_t stale_read_ppm = 0;  // per get_all_trials
  VirtualTime max_staleness_us = 100'000;

  std::uint32_t stall_ppm = 0;  // per trial
  DurationDist stall_duration = DurationDist::constant(1'000'000);

  VirtualTime clock_skew_us = 0;       // max |offset| of a process's clock
  std::uint32_t clock_drift_ppm = 0;   // max |drift| of a process's clock, parts per million
  bool clock_skewed() const { return clock_skew_us > 0 || clock_drift_ppm > 0; }

  bool heartbeat() const { return heartbeat_interval_us > 0; }
  VirtualTime effective_grace_us() const { return grace_us > 0 ? grace_us : 2 * heartbeat_interval_us; }
  // True if no fault can ever fire (heartbeat alone is not a fault).
  bool fault_free() const {
    return crash_ppm == 0 && objective_fail_ppm == 0 && store_error_ppm == 0 &&
           slow_worker_ppm == 0 && late_join_ppm == 0 && stale_read_ppm == 0 && stall_ppm == 0 &&
           !clock_skewed();
  }
};

// The one enumeration of faults: what a scenario injects, what the guarantees matrix's columns
// name, and what TraceKind::kFault events record. The enumerators' values mean nothing; the two
// numbers that must never change live in kFaults, one row per fault:
//   stream      the index of the fault's RandomStream (derive(run_seed, kFault, who, stream)).
//               Changing it would change every faulty run's draws.
//   trace_code  the `a` of its TraceKind::kFault events, which the trace hash covers.
// They were assigned at different times and differ (stale reads: stream 6, trace code 4), so
// code names a fault only by this enum and reads its numbers from the table.
enum class Fault : std::uint8_t {
  kNone,              // no fault (the guarantees matrix's fault-free column); draws and traces nothing
  kCrash,             // a worker dies partway through an objective
  kObjectiveFail,     // the objective raises
  kStoreError,        // a store operation fails transiently
  kSlowWorker,        // a worker's objectives take slow_factor times as long
  kLateJoin,          // a process starts late
  kStaleRead,         // get_all_trials served from the worker's cached view
  kStaleTrialFailed,  // not injected: fail_stale_trials failed a trial whose heartbeat row went stale
  kStall,             // a live worker pauses partway through an objective, then resumes
  kClockSkew,         // each process's clock is offset and drifts
};
inline constexpr int kFaultCount = 10;

struct FaultInfo {
  Fault fault;
  std::string_view name;          // as the guarantees matrix and reports print it
  std::uint64_t stream;           // RandomStream index; 0: draws nothing
  std::int64_t trace_code;        // `a` of its kFault trace events; 0: never traced
  std::string_view trace_detail;  // what `b` of those events holds
};

inline constexpr std::array<FaultInfo, kFaultCount> kFaults = {{
    {Fault::kNone, "none", 0, 0, ""},
    {Fault::kCrash, "crashes", 1, 1, "combination"},
    {Fault::kObjectiveFail, "objective-failures", 2, 2, "combination"},
    {Fault::kStoreError, "store-errors", 3, 3, "op * 2 + applied"},
    {Fault::kSlowWorker, "slow-workers", 4, 0, ""},
    {Fault::kLateJoin, "late-joiners", 5, 0, ""},
    {Fault::kStaleRead, "stale-reads", 6, 4, "age of the view (us)"},
    {Fault::kStaleTrialFailed, "stale-trial-failed", 0, 5, "trial failed by fail_stale_trials"},
    {Fault::kStall, "stalls", 10, 6, "pause (us)"},
    {Fault::kClockSkew, "clock-skew", 11, 7, "clock offset (us) at time 0"},
}};

// Every row's position is its enumerator, so fault_info() is an index.
constexpr bool faults_table_in_enum_order() {
  for (std::size_t i = 0; i < kFaults.size(); ++i) {
    if (static_cast<std::size_t>(kFaults[i].fault) != i) return false;
  }
  return true;
}
static_assert(faults_table_in_enum_order());

constexpr const FaultInfo& fault_info(Fault f) { return kFaults[static_cast<std::size_t>(f)]; }
constexpr std::string_view to_string(Fault f) { return fault_info(f).name; }
// `a` of a TraceKind::kFault event recording `f`.
constexpr std::int64_t trace_code(Fault f) { return fault_info(f).trace_code; }

}  // namespace samplersim
