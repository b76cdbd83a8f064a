#include "sim/machine.h"

#include <algorithm>

#include "sim/invariant.h"

namespace samplersim {

namespace {
__extension__ typedef __int128 Wide;
}  // namespace

Machine::Machine(Engine& engine, const MachineSpec& spec, int processes, const std::vector<int>& process_of_thread,
                 std::uint64_t run_seed)
    : engine_(engine), spec_(spec) {
  SIM_ASSERT(spec.hosts >= 1 && processes >= 1);
  std::vector<int> per_host(static_cast<std::size_t>(spec.hosts), 0);
  for (int p = 0; p < processes; ++p) ++per_host[static_cast<std::size_t>(host_of_process(p))];
  hosts_.reserve(per_host.size());
  for (int n : per_host) {
    hosts_.emplace_back(spec.cores_of_host(n), spec.background_milli, spec.speed_permille, spec.cpu_share_permille);
  }
  gils_.resize(static_cast<std::size_t>(processes));
  for (int p = 0; p < processes; ++p) {
    gils_[static_cast<std::size_t>(p)].wake_stream =
        RandomStream::derive(run_seed, StreamPurpose::kMachine, static_cast<std::uint64_t>(p));
  }
  threads_.resize(process_of_thread.size());
  for (std::size_t w = 0; w < process_of_thread.size(); ++w) {
    SIM_ASSERT(process_of_thread[w] >= 0 && process_of_thread[w] < processes);
    threads_[w].process = process_of_thread[w];
  }
}

VirtualTime Machine::wake_latency_us(Gil& gil, std::int64_t* latency_ns) {
  // Nanoseconds uniform over the µs range, so that races shorter than a microsecond resolve.
  const std::int64_t lo = spec_.wake_latency.min_us * 1000;
  const std::int64_t hi = spec_.wake_latency.max_us * 1000;
  const std::int64_t ns = lo + static_cast<std::int64_t>(gil.wake_stream.uniform_inclusive(static_cast<std::uint64_t>(hi - lo)));
  if (latency_ns != nullptr) *latency_ns = ns;
  return (ns + 999) / 1000;
}

// ---- processor sharing ----

void Machine::reschedule_host(ProcessorSharing& host, WorkerId except) {
  for (const auto& [w, remaining] : host.computations()) {
    if (w == except) continue;
    SIM_ASSERT(thread(w).state == ThreadState::kComputing);
    engine_.reschedule(w, host.finish_us(w));
  }
}

void Machine::compute(WorkerId w, ProcessorSharing& host, std::int64_t work_ns, bool holds_gil) {
  Gil& gil = gil_of(w);
  std::int64_t left = work_ns;
  for (int round = 0; round < kMaxWaitRounds; ++round) {
    if (holds_gil && gil.drop_request && gil.holder == w) {
      forced_drop(w);
      acquire_gil(w);
      continue;
    }
    host.start(w, left, engine_.now_us());
    reschedule_host(host, w);
    thread(w).state = ThreadState::kComputing;
    engine_.sleep_until(host.finish_us(w));
    thread(w).state = ThreadState::kRunning;
    left = host.stop(w, engine_.now_us());
    reschedule_host(host, w);
    if (left == 0) return;
    // Woken before the work was done: a drop request (handled at the top of the loop).
  }
  SIM_ASSERT(false && "a computation exceeded its bound of preemptions");
}

// ---- the GIL ----

void Machine::take_gil(Gil& gil, WorkerId w) {
  SIM_ASSERT(gil.holder == -1);
  gil.holder = w;
  if (gil.last_holder != w) {
    gil.last_holder = w;
    ++gil.switch_number;
  }
  gil.drop_request = false;  // take_gil resets a pending drop request
  // FORCE_SWITCHING: threads that dropped the GIL on request wait until someone else took it.
  for (WorkerId s : gil.switch_waiters) {
    if (s != w && thread(s).state == ThreadState::kSwitchWait) {
      thread(s).state = ThreadState::kRunning;  // marks "switched"; it wakes after its latency
      engine_.reschedule(s, engine_.now_us() + wake_latency_us(gil));
    }
  }
  std::erase_if(gil.switch_waiters, [&](WorkerId s) { return thread(s).state != ThreadState::kSwitchWait; });
}

void Machine::signal_one_waiter(Gil& gil) {
  for (WorkerId h : gil.waiters) {
    Thread& t = thread(h);
    if (t.signalled) continue;
    t.signalled = true;
    const VirtualTime at = engine_.now_us() + wake_latency_us(gil);
    if (at < t.deadline_us) engine_.reschedule(h, at);
    return;
  }
}

void Machine::release_gil(WorkerId w) {
  Gil& gil = gil_of(w);
  SIM_ASSERT(gil.holder == w);
  gil.holder = -1;
  gil.drop_request = false;
  signal_one_waiter(gil);
}

void Machine::request_drop(Gil& gil) {
  gil.drop_request = true;
  const WorkerId h = gil.holder;
  if (h >= 0 && thread(h).state == ThreadState::kComputing) {
    engine_.reschedule(h, engine_.now_us());  // it stops at its next bytecode boundary
  }
}

void Machine::forced_drop(WorkerId w) {
  Gil& gil = gil_of(w);
  ++forced_drops_;
  release_gil(w);
  // Wait until another thread has taken it (its take_gil wakes us); if nobody waits any more,
  // nobody will: carry on.
  if (gil.waiters.empty()) return;
  thread(w).state = ThreadState::kSwitchWait;
  gil.switch_waiters.push_back(w);
  for (int round = 0; round < kMaxWaitRounds && thread(w).state == ThreadState::kSwitchWait; ++round) {
    engine_.sleep_until(kParkedUs);
  }
  SIM_ASSERT(thread(w).state != ThreadState::kSwitchWait);
  thread(w).state = ThreadState::kRunning;
}

void Machine::acquire_gil(WorkerId w) {
  Gil& gil = gil_of(w);
  if (gil.holder == w) return;
  if (gil.holder == -1) {
    take_gil(gil, w);
    return;
  }
  Thread& me = thread(w);
  gil.waiters.push_back(w);
  for (int round = 0; round < kMaxWaitRounds; ++round) {
    const std::uint64_t saved = gil.switch_number;
    me.state = ThreadState::kGilWait;
    me.signalled = false;
    me.deadline_us = engine_.now_us() + spec_.gil_switch_interval_us;
    engine_.sleep_until(me.deadline_us);
    me.state = ThreadState::kRunning;
    if (gil.holder == w) return;  // handed over by a thread that dropped it for a native call
    if (gil.holder == -1) {
      gil.waiters.erase(std::find(gil.waiters.begin(), gil.waiters.end(), w));
      me.signalled = false;
      take_gil(gil, w);
      return;
    }
    const bool timed_out = engine_.now_us() >= me.deadline_us;
    if (timed_out && gil.switch_number == saved) request_drop(gil);
  }
  SIM_ASSERT(false && "a thread waited for the GIL beyond its bound");
}

// ---- the public calls ----

void Machine::cpu(WorkerId w, std::int64_t work_ns) {
  if (work_ns <= 0) return;
  acquire_gil(w);
  compute(w, host_of(w), work_ns, true);
}

void Machine::native(WorkerId w, std::int64_t work_ns) {
  Gil& gil = gil_of(w);
  ProcessorSharing& host = host_of(w);
  if (gil.holder != w) {
    if (work_ns > 0) compute(w, host, work_ns, false);
    return;
  }
  // The GIL is dropped for the call: the first waiter not yet signalled is woken, and takes the
  // GIL if its wake-up latency is shorter than the call (at the host's current rate); otherwise
  // the caller has it back first and the waiter, once awake, waits again.
  WorkerId taker = -1;
  std::int64_t latency_ns = 0;
  VirtualTime latency_us = 0;
  for (WorkerId h : gil.waiters) {
    if (!thread(h).signalled) {
      taker = h;
      latency_us = wake_latency_us(gil, &latency_ns);
      break;
    }
  }
  host.settle(engine_.now_us());
  const std::int64_t active = static_cast<std::int64_t>(host.active_count()) + 1;
  const std::int64_t capacity = spec_.cpu_share_permille * host.cores();
  const Wide demand = std::max<Wide>(capacity, Wide{1000} * active + spec_.background_milli);
  const auto call_wall_ns = static_cast<std::int64_t>(Wide{work_ns} * 1000 * demand / (Wide{spec_.speed_permille} * capacity));
  if (taker >= 0) {
    Thread& t = thread(taker);
    t.signalled = true;
    const VirtualTime at = engine_.now_us() + latency_us;
    // A pending drop request makes the dropper wait for the switch (FORCE_SWITCHING): the waiter wins.
    if (gil.drop_request || latency_ns < call_wall_ns) {
      gil.holder = -1;
      gil.drop_request = false;
      gil.waiters.erase(std::find(gil.waiters.begin(), gil.waiters.end(), taker));
      take_gil(gil, taker);  // the waiter runs Python from `at` on
      t.state = ThreadState::kRunning;
      engine_.reschedule(taker, at);
      if (work_ns > 0) compute(w, host, work_ns, false);
      acquire_gil(w);
      return;
    }
    if (at < t.deadline_us) engine_.reschedule(taker, at);  // wakes, finds the GIL held, waits again
  }
  if (work_ns > 0) compute(w, host, work_ns, true);
}

void Machine::off_host_cpu(WorkerId w, int host, std::int64_t work_ns) {
  SIM_ASSERT(host >= 0 && host < static_cast<int>(hosts_.size()));
  if (work_ns <= 0) return;
  Gil& gil = gil_of(w);
  if (gil.holder == w) release_gil(w);
  compute(w, hosts_[static_cast<std::size_t>(host)], work_ns, false);
}

void Machine::block_until(WorkerId w, VirtualTime wake_us) {
  Gil& gil = gil_of(w);
  if (gil.holder == w) release_gil(w);
  thread(w).state = ThreadState::kRunning;
  engine_.sleep_until(wake_us);
}

void Machine::block(WorkerId w) {
  Gil& gil = gil_of(w);
  if (gil.holder == w) release_gil(w);
  Thread& me = thread(w);
  me.state = ThreadState::kBlocked;
  me.woken = false;
  for (int round = 0; round < kMaxWaitRounds && !me.woken; ++round) engine_.sleep_until(kParkedUs);
  SIM_ASSERT(me.woken);
  me.state = ThreadState::kRunning;
}

void Machine::exit_thread(WorkerId w) {
  if (gil_of(w).holder == w) release_gil(w);
}

bool Machine::wake(WorkerId w) {
  Thread& t = thread(w);
  if (t.state != ThreadState::kBlocked || t.woken) return false;
  t.woken = true;
  engine_.reschedule(w, engine_.now_us() + wake_latency_us(gils_[static_cast<std::size_t>(t.process)]));
  return true;
}

}  // namespace samplersim
