// MachineSpec: the hosts the simulated processes run on ([machine] in a scenario), as plain data.
//
// Absent (present == false), nothing costs CPU and every process has the machine to itself: runs
// are exactly those of the build before the machine model existed. Present, every worker's
// client-side work (store calls, sampler steps; costs from the store preset, sim/store_preset.h) is
// CPU time on its process's host, shared by processor sharing (sim/processor_sharing.h), and the
// threads of one process run Python one at a time under its GIL (sim/machine.h).
// Defaults and sources are documented field by field; the loader (scenarios/) validates them.
#pragma once

#include <cstdint>

#include "sim/duration_dist.h"
#include "sim/virtual_time.h"

namespace samplersim {

struct MachineSpec {
  bool present = false;
  int hosts = 1;                        // 1..4096; process p runs on host p % hosts
  int cores = 0;                        // per host, 1..4096; 0: as many as processes on the host
  std::int64_t background_milli = 0;    // always-runnable consumers per host (other users' jobs), ‰
  // Share of each host's cores the simulated processes may use together, ‰ (a cgroup quota, or
  // Linux's autogroup share when other sessions compete: 1000 = all of them).
  std::int64_t cpu_share_permille = 1000;
  std::int64_t speed_permille = 1000;   // CPU speed relative to the calibration machine
  // CPython's sys.getswitchinterval(): a thread waiting this long for the GIL asks its holder to
  // drop it (the holder stops at its next bytecode boundary). Default 5 ms (CPython 3.2+).
  VirtualTime gil_switch_interval_us = 5000;
  // Time a thread blocked on a lock or condition (the GIL, a queue, an event) takes to run once
  // it is signalled: the OS wake-up. Drawn per wake-up, in nanoseconds from this µs range; it
  // decides the race between a thread that drops the GIL for a short native call and a waiter.
  DurationDist wake_latency = DurationDist::uniform(5, 60);

  // Cores of `host` when `processes_on_host` processes run there.
  int cores_of_host(int processes_on_host) const { return cores > 0 ? cores : (processes_on_host > 0 ? processes_on_host : 1); }

  friend bool operator==(const MachineSpec&, const MachineSpec&) = default;
};

}  // namespace samplersim
