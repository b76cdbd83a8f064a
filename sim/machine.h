// Machine: CPU time and the GIL for the worker fibers of one run (issue 12; [machine] in a scenario).
//
// Every simulated thread (an engine worker) belongs to a process, and every process to a host.
// A thread spends time in four ways, each a call here made on its own fiber:
//  - cpu(w, work):    Python work. The thread first takes its process's GIL, then computes `work`
//                     core-nanoseconds on its host, shared with the host's other computations by
//                     processor sharing (sim/processor_sharing.h). It keeps the GIL afterwards.
//  - native(w, work): a native call that releases the GIL around `work` core-ns of computing
//                     (numpy's nogil sections, os.urandom, SQLite's C code): a thread waiting for
//                     the GIL may take it meanwhile, and the caller then waits to get it back.
//  - block_until / block / wake: waits that run no Python (sleep, I/O, lock and queue waits); the
//                     GIL is released for their whole length.
//  - off_host_cpu(w, host, work): work done for the thread on another host's cores (a database
//                     server's backend), GIL released.
//
// The GIL follows CPython 3.2+ (Python/ceval_gil.c): a free GIL is taken at once, whoever waits; a
// thread releasing it signals one waiter (FIFO), which runs after a wake-up latency drawn from
// `MachineSpec::wake_latency` and takes the GIL only if it is still free then; a waiter that waited
// a whole switch interval without any switch of holder sets the drop request, and the holder, if it
// is computing, drops the GIL at once and waits until another thread took it (FORCE_SWITCHING).
// Without a MachineSpec the run does not construct a Machine at all.
//
// Determinism: only virtual time, worker ids and one random stream per process (wake-up
// latencies) decide anything. Invariants (asserted): a GIL has at most one holder, which is not
// waiting for it; a computing thread is on exactly one host's processor-sharing set; every wait
// loop is bounded. Cost: per CPU start/end O(k log W) for the k computations on the host.
#pragma once

#include <cstdint>
#include <deque>
#include <limits>
#include <vector>

#include "sim/engine.h"
#include "sim/machine_spec.h"
#include "sim/processor_sharing.h"
#include "sim/random_stream.h"

namespace samplersim {

class Machine {
 public:
  // `process_of_thread[w]` = process index of engine worker w (every worker the run spawns).
  Machine(Engine& engine, const MachineSpec& spec, int processes, const std::vector<int>& process_of_thread,
          std::uint64_t run_seed);

  void cpu(WorkerId w, std::int64_t work_ns);
  void native(WorkerId w, std::int64_t work_ns);
  void off_host_cpu(WorkerId w, int host, std::int64_t work_ns);
  void block_until(WorkerId w, VirtualTime wake_us);
  void block_for(WorkerId w, VirtualTime duration_us) { block_until(w, engine_.now_us() + duration_us); }
  // Blocks until another thread calls wake(w) (a condition, queue or event wait). GIL released.
  void block(WorkerId w);
  // Wakes a thread blocked in block(): it runs after a wake-up latency. Returns false if `w` is
  // not blocked (a wake-up nobody waits for is lost, as a condition signal is).
  bool wake(WorkerId w);
  // The thread ends (its fiber returns): it releases the GIL if it holds it.
  void exit_thread(WorkerId w);

  int host_of_process(int process) const { return process % spec_.hosts; }
  int process_of(WorkerId w) const { return threads_[static_cast<std::size_t>(w)].process; }
  const MachineSpec& spec() const { return spec_; }
  // Diagnostics (tests, benchmarks): GIL switches of `process` and forced drops so far.
  std::uint64_t gil_switches(int process) const { return gils_[static_cast<std::size_t>(process)].switch_number; }
  std::uint64_t forced_drops() const { return forced_drops_; }

  // A wait with no end of its own: a parked worker is woken by reschedule only.
  static constexpr VirtualTime kParkedUs = std::numeric_limits<VirtualTime>::max() / 4;
  static constexpr int kMaxWaitRounds = 1'000'000;  // bound on every wait loop of one call

 private:
  enum class ThreadState : std::uint8_t { kRunning, kComputing, kGilWait, kSwitchWait, kBlocked };
  struct Thread {
    int process = 0;
    ThreadState state = ThreadState::kRunning;
    bool signalled = false;        // kGilWait: a releaser signalled it; it wakes at its wake-up time
    VirtualTime deadline_us = 0;   // kGilWait: end of its current switch interval
    bool woken = false;            // kBlocked: wake() was called
  };
  struct Gil {
    WorkerId holder = -1;
    WorkerId last_holder = -1;
    std::uint64_t switch_number = 0;
    bool drop_request = false;
    std::deque<WorkerId> waiters;     // FIFO, the order COND_SIGNAL wakes them in
    std::vector<WorkerId> switch_waiters;  // forced droppers waiting for another thread to take it
    RandomStream wake_stream{0};
  };

  Thread& thread(WorkerId w) { return threads_[static_cast<std::size_t>(w)]; }
  Gil& gil_of(WorkerId w) { return gils_[static_cast<std::size_t>(thread(w).process)]; }
  ProcessorSharing& host_of(WorkerId w) { return hosts_[static_cast<std::size_t>(host_of_process(thread(w).process))]; }

  void acquire_gil(WorkerId w);
  void take_gil(Gil& gil, WorkerId w);
  void release_gil(WorkerId w);
  void signal_one_waiter(Gil& gil);
  void request_drop(Gil& gil);
  void forced_drop(WorkerId w);
  // Computes `work_ns` on `host` for `w`; with `holds_gil`, a drop request preempts it.
  void compute(WorkerId w, ProcessorSharing& host, std::int64_t work_ns, bool holds_gil);
  // After a start or stop on `host`: every other computation there gets its new completion time.
  void reschedule_host(ProcessorSharing& host, WorkerId except);
  VirtualTime wake_latency_us(Gil& gil, std::int64_t* latency_ns = nullptr);

  Engine& engine_;
  MachineSpec spec_;
  std::vector<ProcessorSharing> hosts_;
  std::vector<Gil> gils_;
  std::vector<Thread> threads_;
  std::uint64_t forced_drops_ = 0;
};

}  // namespace samplersim
