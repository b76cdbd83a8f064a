// Engine: a deterministic discrete-event scheduler for worker fibers over virtual time.
//
// Workers are fibers (Boost.Context `boost::context::fiber`: a stack and a saved register set,
// switched by a few instructions) written as plain sequential code. A worker gives up control only
// by waiting on the virtual clock (sleep_until / sleep_for); each wait is a yield point. The engine
// keeps its own timer queue (never a wall clock). When several workers are due at the same virtual
// instant, the Strategy picks one (a choice point, recorded in the schedule); when none is due, the
// clock jumps to the earliest wake-up.
//
// How a wait hands over (each gives the order, step count and schedule the plain "engine loop picks
// the earliest (wake time, worker id), asking the Strategy on ties" would give):
//  - the waiting worker is alone and strictly first at its wake-up time: it continues at once, no
//    stack switch at all;
//  - otherwise the waiting worker itself takes the next worker (asking the Strategy if several are
//    due at that instant) and switches straight to it;
//  - a limit, an error or no worker left: it switches back to run() on the caller's stack.
// Nothing is installed per thread: an Engine touches no thread-local or global state, so engines
// may run one after another (or on different threads) freely. Boost.Fiber was used before; its
// scheduler (ready queues, dispatcher fiber, thread-local lookups per switch, and a per-thread
// algorithm that run() replaced and left dangling after the engine died) cost 17x a raw switch.
//
// Invariants (asserted):
//  - exactly one fiber runs at a time, all on the thread that called run();
//  - virtual time never decreases; a worker never wakes before its wake-up time;
//  - runnable workers are ordered by WorkerId, never by pointer or hash;
//  - every loop is bounded: run() stops with SimulationLimitExceeded after `limits.max_steps`
//    resumptions or past `limits.max_time_us`.
// An exception escaping a worker (including a failed assertion expressed as an exception) or the
// Strategy (which runs on the stack of the worker handing over, inside a try) stops the simulation:
// the other workers are unwound and the exception is rethrown from run(), never std::terminate.
// Lifetime: an Engine runs once; spawn() before run().
// Cost: per wait O(log W) timer work plus one stack switch, or none when the waiting worker is
// still the earliest due; O(k) more at a choice point among k workers. Each worker's stack
// (Boost.Context's default size, 128 KiB on Linux) is allocated by run() and freed when it returns.
#pragma once

#include <cstdint>
#include <exception>
#include <functional>
#include <stdexcept>
#include <vector>

#include <boost/context/fiber.hpp>
#include <boost/context/stack_context.hpp>

#include "sim/invariant.h"
#include "sim/strategy.h"
#include "sim/timer_queue.h"
#include "sim/trace.h"
#include "sim/virtual_time.h"

namespace samplersim {

struct EngineLimits {
  std::uint64_t max_steps = 50'000'000;                    // worker resumptions per run
  VirtualTime max_time_us = 24LL * 3600 * kMicrosPerSecond;  // virtual time bound
};

class SimulationLimitExceeded : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class Engine {
 public:
  Engine(Strategy& strategy, Trace& trace, EngineLimits limits);
  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  // Registers a worker that starts running `body` at virtual time `start_us`. Ids are dense,
  // in spawn order. Only before run().
  WorkerId spawn(std::function<void()> body, VirtualTime start_us);

  // Runs every worker to completion on the calling thread. Rethrows the first worker exception.
  void run();

  // --- for worker fibers ---
  VirtualTime now_us() const { return now_us_; }
  WorkerId current() const { return current_; }
  // Waits until virtual time `wake_us` (>= now). Throws InvariantViolation outside a worker or for
  // a time in the past.
  void sleep_until(VirtualTime wake_us) {
    SIM_ASSERT(current_ >= 0 && "sleep_until() outside a worker fiber");
    SIM_ASSERT(wake_us >= now_us_ && "virtual time must not go backwards");
    if (continues_at_once(wake_us)) {
      now_us_ = wake_us;  // exactly what the engine loop would do: no other worker is due first
      ++steps_;
      trace_.step(current_, now_us_);  // partial-order reduction: a new step begins
      return;
    }
    wait(wake_us);
  }
  void sleep_for(VirtualTime duration_us) { sleep_until(now_us_ + duration_us); }
  // Moves the wake-up of worker `w`, which must be waiting in sleep_until (and so is not the
  // running worker), to `wake_us` >= now. For models in which one worker's action changes when
  // another's wait ends (processor sharing and the GIL, sim/machine.h). Ties at the new time are
  // choice points like any other: the order is (wake time, worker id), as for a fresh wait.
  // Cost: O(W) (a scan of the timer queue; waits that are never rescheduled pay nothing for it).
  void reschedule(WorkerId w, VirtualTime wake_us);
  // Every worker that neither runs nor has returned waits (in due_ or the timer queue).
  bool is_waiting(WorkerId w) const {
    return w != current_ && !workers_[static_cast<std::size_t>(w)].done;
  }

  // --- results ---
  const std::vector<std::uint32_t>& schedule() const { return schedule_; }
  std::uint64_t steps() const { return steps_; }
  VirtualTime worker_stop_us(WorkerId w) const { return workers_[static_cast<std::size_t>(w)].stop_us; }
  std::size_t worker_count() const { return workers_.size(); }

 private:
  struct Worker {
    std::function<void()> body;
    VirtualTime start_us = 0;
    VirtualTime stop_us = -1;
    boost::context::fiber fiber;          // its suspended continuation while it does not run
    boost::context::stack_context stack;  // where its stack lives (for the ASan annotations)
    bool done = false;
  };
  struct Cancelled {};  // thrown into parked workers to unwind them
  struct StackBounds {  // a stack as AddressSanitizer is told about it
    const void* bottom = nullptr;
    std::size_t size = 0;
  };

  // The waiting worker is alone and strictly first at `wake_us` and no limit or error stops the
  // run: the engine loop would pop it next without a choice point, so it may simply continue.
  bool continues_at_once(VirtualTime wake_us) const {
    return !cancelling_ && !error_ && steps_ < limits_.max_steps && wake_us <= limits_.max_time_us &&
           due_.empty() && (timers_.empty() || timers_.top().wake_us > wake_us);
  }
  void wait(VirtualTime wake_us);  // the slow path of sleep_until: hand over to another context
  boost::context::fiber worker_main(WorkerId w, boost::context::fiber&& from);
  // The next worker to run (made current, one step counted), or -1 if the engine loop must act:
  // a limit, an error (including one the Strategy throws, stored in error_), cancelling, or no
  // worker waiting.
  WorkerId hand_over() noexcept;
  WorkerId next_worker();  // pops the next due worker, asking the strategy on ties
  bool limit_reached() const { return steps_ >= limits_.max_steps || next_due_us() > limits_.max_time_us; }
  bool anyone_waits() const { return !due_.empty() || !timers_.empty(); }
  VirtualTime next_due_us() const { return due_.empty() ? timers_.top().wake_us : now_us_; }
  void resume(WorkerId w);     // from the engine loop: runs workers until control comes back
  // Switches from the running context, whose continuation is to be stored in `self`, to worker
  // `target` (-1: the engine loop); returns when something switches back.
  void switch_to(WorkerId target, boost::context::fiber& self);
  StackBounds stack_of(WorkerId w) const;  // -1: the caller's stack
  void cancel_all();

  Strategy& strategy_;
  Trace& trace_;
  EngineLimits limits_;
  std::vector<Worker> workers_;
  // Waiting workers: those left over from the last choice point, all due at now_us_ (ascending
  // id), and the timer queue (every entry due at or after now_us_). The workers due next are due_
  // plus the timers due at now_us_, or else the timers due at the earliest wake-up.
  std::vector<WorkerId> due_;
  TimerQueue timers_;
  std::vector<std::uint32_t> schedule_;
  boost::context::fiber main_fiber_;     // the engine loop's continuation while a worker runs
  boost::context::fiber* handoff_ = nullptr;  // where the context just left stores its continuation
  StackBounds main_stack_;               // the caller's stack (learnt on the first switch; ASan)
  VirtualTime now_us_ = 0;
  WorkerId current_ = -1;
  std::uint64_t steps_ = 0;
  std::size_t live_ = 0;
  bool cancelling_ = false;
  bool ran_ = false;
  std::exception_ptr error_;
};

}  // namespace samplersim
