// Fault draws: the per-run and per-worker random decisions that realise a scenario's FaultSpec
// (sim/faults.h says what each fault means).
//
// Every draw comes from RandomStream::derive(run_seed, StreamPurpose::kFault, who, stream) with the
// fault's pinned stream index (kFaults): one stream per (worker, fault), so adding draws of one
// fault never shifts another, and a fault-free spec (no [faults] table, or every probability zero)
// draws nothing at all; such runs are bit-identical to runs of a build without fault injection
// (tests/faults pins this). Swarm selection draws from the run's own stream (who = -1).
#pragma once

#include <cstdint>
#include <optional>

#include "sim/faults.h"
#include "sim/random_stream.h"
#include "sim/virtual_time.h"

namespace samplersim {

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
  // The same for a write of the worker's heartbeat thread (its own stream, so beats never shift
  // the worker's draws).
  bool heartbeat_store_error(VirtualTime now_us);
  bool heartbeat_error_was_applied();
  bool stale_read(VirtualTime now_us);
  // A stall of the trial whose objective starts now and takes `duration_us`: where in the
  // objective (uniform in [0, duration]) and for how long (stall_duration); nullopt: none.
  struct Stall {
    VirtualTime after_us = 0;
    VirtualTime for_us = 0;
  };
  std::optional<Stall> stall_now(VirtualTime now_us, VirtualTime duration_us);
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
  RandomStream heartbeat_store_;
  RandomStream stall_;
  int slow_factor_ = 1;
};

// A process's clock (the clock-skew fault, sim/faults.h): reads true virtual time t as
// t + t × drift_ppm / 10^6 + offset_us. The identity clock reads true time.
struct ProcessClock {
  VirtualTime offset_us = 0;
  std::int64_t drift_ppm = 0;
  bool identity() const { return offset_us == 0 && drift_ppm == 0; }
  VirtualTime read(VirtualTime t_us) const { return t_us + t_us * drift_ppm / 1'000'000 + offset_us; }
};
// Process `process`'s clock: offset uniform in [-clock_skew, +clock_skew], drift uniform in
// [-clock_drift_ppm, +clock_drift_ppm] (the kClockSkew stream of the process); identity if off.
ProcessClock process_clock(const RunFaults& run, std::uint64_t run_seed, int process);

// Start delay of a late-joining process (0 if it joins on time).
VirtualTime late_join_delay_us(const RunFaults& run, std::uint64_t run_seed, int process);

}  // namespace samplersim
