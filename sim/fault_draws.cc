#include "sim/fault_draws.h"

#include "sim/invariant.h"

namespace samplersim {

namespace {

// Streams of the fault purpose that belong to no single fault (pinned like kFaults' streams).
constexpr std::uint64_t kSwarmStream = 7;       // which fault kinds a swarm run enables
constexpr std::uint64_t kCrashPointStream = 8;  // where in the objective a crash happens
constexpr std::uint64_t kHeartbeatErrorStream = 9;  // store errors of the heartbeat thread's writes

constexpr bool fault_streams_distinct() {
  for (std::size_t i = 0; i < kFaults.size(); ++i) {
    const std::uint64_t s = kFaults[i].stream;
    if (s == kSwarmStream || s == kCrashPointStream || s == kHeartbeatErrorStream) return false;
    for (std::size_t j = i + 1; j < kFaults.size(); ++j) {
      if (s != 0 && s == kFaults[j].stream) return false;
      if (kFaults[i].trace_code != 0 && kFaults[i].trace_code == kFaults[j].trace_code) return false;
    }
  }
  return true;
}
static_assert(fault_streams_distinct(), "a fault's stream or trace code collides with another's");

RandomStream stream_of(std::uint64_t run_seed, int who, std::uint64_t stream) {
  return RandomStream::derive(run_seed, StreamPurpose::kFault, static_cast<std::uint64_t>(who), stream);
}
RandomStream stream_of(std::uint64_t run_seed, int who, Fault fault) {
  SIM_ASSERT(fault_info(fault).stream != 0);
  return stream_of(run_seed, who, fault_info(fault).stream);
}
bool draw(RandomStream& s, std::uint32_t ppm) { return ppm > 0 && s.bernoulli(ppm, kPpmOne); }
}  // namespace

RunFaults RunFaults::make(const FaultSpec& spec, std::uint64_t run_seed, int workers) {
  RunFaults run;
  run.spec = spec;
  if (spec.swarm) {
    // One stream for the run (who = -1 never names a worker).
    RandomStream s = stream_of(run_seed, -1, kSwarmStream);
    std::uint32_t* kinds[] = {&run.spec.crash_ppm, &run.spec.objective_fail_ppm,
                              &run.spec.store_error_ppm, &run.spec.slow_worker_ppm,
                              &run.spec.late_join_ppm, &run.spec.stale_read_ppm, &run.spec.stall_ppm};
    for (std::uint32_t* ppm : kinds) {
      if (*ppm > 0 && !s.bernoulli(1, 2)) *ppm = 0;
    }
    // Drawn after the others (and only when configured), so older scenarios keep their draws.
    if (run.spec.clock_skewed() && !s.bernoulli(1, 2)) {
      run.spec.clock_skew_us = 0;
      run.spec.clock_drift_ppm = 0;
    }
  }
  run.crash_budget = spec.max_crashes ? *spec.max_crashes : workers - 1;
  return run;
}

WorkerFaults::WorkerFaults(const RunFaults& run, std::uint64_t run_seed, int worker)
    : run_(run),
      crash_(stream_of(run_seed, worker, Fault::kCrash)),
      crash_point_(stream_of(run_seed, worker, kCrashPointStream)),
      objective_(stream_of(run_seed, worker, Fault::kObjectiveFail)),
      store_(stream_of(run_seed, worker, Fault::kStoreError)),
      stale_(stream_of(run_seed, worker, Fault::kStaleRead)),
      heartbeat_store_(stream_of(run_seed, worker, kHeartbeatErrorStream)),
      stall_(stream_of(run_seed, worker, Fault::kStall)) {
  RandomStream slow = stream_of(run_seed, worker, Fault::kSlowWorker);
  if (draw(slow, run.spec.slow_worker_ppm)) slow_factor_ = run.spec.slow_factor;
}

bool WorkerFaults::crash_now(VirtualTime now_us) {
  return run_.active(now_us) && draw(crash_, run_.spec.crash_ppm);
}

VirtualTime WorkerFaults::crash_after_us(VirtualTime duration_us) {
  if (duration_us <= 0) return 0;
  return static_cast<VirtualTime>(crash_point_.uniform_inclusive(static_cast<std::uint64_t>(duration_us)));
}

bool WorkerFaults::objective_fails(VirtualTime now_us) {
  return run_.active(now_us) && draw(objective_, run_.spec.objective_fail_ppm);
}

bool WorkerFaults::store_error(VirtualTime now_us) {
  return run_.active(now_us) && draw(store_, run_.spec.store_error_ppm);
}

bool WorkerFaults::store_error_was_applied() { return store_.bernoulli(1, 2); }

bool WorkerFaults::heartbeat_store_error(VirtualTime now_us) {
  return run_.active(now_us) && draw(heartbeat_store_, run_.spec.store_error_ppm);
}

bool WorkerFaults::heartbeat_error_was_applied() { return heartbeat_store_.bernoulli(1, 2); }

bool WorkerFaults::stale_read(VirtualTime now_us) {
  return run_.active(now_us) && draw(stale_, run_.spec.stale_read_ppm);
}

std::optional<WorkerFaults::Stall> WorkerFaults::stall_now(VirtualTime now_us, VirtualTime duration_us) {
  if (!run_.active(now_us) || !draw(stall_, run_.spec.stall_ppm)) return std::nullopt;
  Stall st;
  st.after_us = duration_us > 0 ? static_cast<VirtualTime>(stall_.uniform_inclusive(static_cast<std::uint64_t>(duration_us))) : 0;
  st.for_us = run_.spec.stall_duration.sample(stall_);
  return st;
}

ProcessClock process_clock(const RunFaults& run, std::uint64_t run_seed, int process) {
  ProcessClock c;
  if (!run.spec.clock_skewed()) return c;
  RandomStream s = stream_of(run_seed, process, Fault::kClockSkew);
  const auto span = [&s](std::int64_t max) {
    return max > 0 ? static_cast<std::int64_t>(s.uniform_inclusive(static_cast<std::uint64_t>(2 * max))) - max : 0;
  };
  c.offset_us = span(run.spec.clock_skew_us);
  c.drift_ppm = span(run.spec.clock_drift_ppm);
  return c;
}

VirtualTime late_join_delay_us(const RunFaults& run, std::uint64_t run_seed, int process) {
  if (run.spec.late_join_ppm == 0) return 0;
  RandomStream s = stream_of(run_seed, process, Fault::kLateJoin);
  if (!draw(s, run.spec.late_join_ppm)) return 0;
  return run.spec.late_join_delay.sample(s);
}

}  // namespace samplersim
