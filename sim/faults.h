// Fault injection: what a scenario's [faults] table asks for (FaultSpec, plain data) and the
// per-run, per-worker draws that realise it (RunFaults, WorkerFaults).
//
// Every draw comes from RandomStream::derive(run_seed, StreamPurpose::kFault, worker, kind): one
// stream per (worker, fault kind), so adding draws of one kind never shifts another and a fault-free
// spec (no [faults] table, or every probability zero) draws nothing at all; such runs are
// bit-identical to runs of a build without fault injection (tests/faults pins this).
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
//  heartbeat       trials get a heartbeat row; at the start of each trial every worker runs
//                  fail_stale_trials: RUNNING trials whose holder stopped beating more than
//                  `grace` ago become FAIL (compare-and-set, so once). Heartbeat writes are counted
//                  as background store operations (one at trial start, one per interval).
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
#pragma once

#include <cstdint>
#include <optional>

#include "sim/duration_dist.h"
#include "sim/random_stream.h"
#include "sim/virtual_time.h"

namespace samplersim {

// Heartbeat interval of a lease-holding policy when the scenario has no heartbeat.
inline constexpr VirtualTime kDefaultLeaseHeartbeatUs = 1'000'000;

// A probability in parts per million (exact, integer).
inline constexpr std::uint32_t kPpmOne = 1'000'000;

struct FaultSpec {
  bool present = false;  // a [faults] table was given (for reports only; never changes a run)
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

  bool heartbeat() const { return heartbeat_interval_us > 0; }
  VirtualTime effective_grace_us() const { return grace_us > 0 ? grace_us : 2 * heartbeat_interval_us; }
  // True if no fault can ever fire (heartbeat alone is not a fault).
  bool fault_free() const {
    return crash_ppm == 0 && objective_fail_ppm == 0 && store_error_ppm == 0 &&
           slow_worker_ppm == 0 && late_join_ppm == 0 && stale_read_ppm == 0;
  }
};

// Which fault kinds a run enables (swarm testing turns some off) and the kinds' stream indices.
enum class FaultKind : std::uint64_t {
  kCrash = 1,
  kObjectiveFail = 2,
  kStoreError = 3,
  kSlowWorker = 4,
  kLateJoin = 5,
  kStaleRead = 6,
  kSwarm = 7,
  kCrashPoint = 8,  // where in the objective a crash happens
};

// a of a TraceKind::kFault event.
inline constexpr std::int64_t kFaultCrash = 1;        // b = combination
inline constexpr std::int64_t kFaultObjective = 2;    // b = combination
inline constexpr std::int64_t kFaultStoreError = 3;   // b = op * 2 + applied
inline constexpr std::int64_t kFaultStaleRead = 4;    // b = age of the view (us)
inline constexpr std::int64_t kFaultStaleFailed = 5;  // b = trial failed by fail_stale_trials

// The faults of one run after swarm selection; shared by all workers of the run.
struct RunFaults {
  FaultSpec spec;  // with disabled kinds' probabilities set to zero
  int crash_budget = 0;  // crashes still allowed in this run

  static RunFaults make(const FaultSpec& spec, std::uint64_t run_seed, int workers);
  bool active(VirtualTime now_us) const { return !spec.until_us || now_us < *spec.until_us; }
};

// One worker's fault streams. Draws happen only for kinds whose probability is non-zero.
class WorkerFaults {
 public:
  WorkerFaults(const RunFaults& run, std::uint64_t run_seed, int worker);

  bool crash_now(VirtualTime now_us);           // draw: does this trial's objective crash?
  VirtualTime crash_after_us(VirtualTime duration_us);  // when, within the objective
  bool objective_fails(VirtualTime now_us);
  bool store_error(VirtualTime now_us);
  bool store_error_was_applied();
  bool stale_read(VirtualTime now_us);
  int slow_factor() const { return slow_factor_; }
  int max_store_retries() const { return run_.spec.store_error_ppm > 0 ? run_.spec.store_max_retries : 0; }
  VirtualTime store_retry_backoff_us() const { return run_.spec.store_retry_backoff_us; }
  VirtualTime max_staleness_us() const { return run_.spec.max_staleness_us; }

 private:
  const RunFaults& run_;
  RandomStream crash_;
  RandomStream crash_point_;
  RandomStream objective_;
  RandomStream store_;
  RandomStream stale_;
  int slow_factor_ = 1;
};

// Start delay of a late-joining process (0 if it joins on time).
VirtualTime late_join_delay_us(const RunFaults& run, std::uint64_t run_seed, int process);

}  // namespace samplersim
