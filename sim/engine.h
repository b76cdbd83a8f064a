// Engine: a deterministic discrete-event scheduler for worker fibers over virtual time.
//
// Workers are Boost.Fiber fibers written as plain sequential code. A worker gives up control only
// by waiting on the virtual clock (sleep_until / sleep_for); each wait is a yield point. The engine
// keeps its own timer queue (never Boost's timers, which read the wall clock). When several workers
// are due at the same virtual instant, the Strategy picks one (a choice point, recorded in the
// schedule); when none is due, the clock jumps to the earliest wake-up.
//
// Invariants (asserted):
//  - exactly one fiber runs at a time, all on the thread that called run();
//  - virtual time never decreases; a worker never wakes before its wake-up time;
//  - runnable workers are ordered by WorkerId, never by pointer or hash;
//  - every loop is bounded: run() stops with SimulationLimitExceeded after `limits.max_steps`
//    resumptions or past `limits.max_time_us`.
// An exception escaping a worker (including a failed assertion expressed as an exception) stops the
// simulation: the other workers are unwound and the exception is rethrown from run(), never
// std::terminate. Lifetime: an Engine runs once; spawn() before run().
// Cost: two fiber switches plus O(log W) timer work per wait.
#pragma once

#include <cstdint>
#include <exception>
#include <functional>
#include <set>
#include <stdexcept>
#include <utility>
#include <vector>

#include "sim/strategy.h"
#include "sim/trace.h"
#include "sim/virtual_time.h"

#include <boost/context/stack_context.hpp>

namespace boost::fibers {
class context;
}

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
  void sleep_until(VirtualTime wake_us);
  void sleep_for(VirtualTime duration_us) { sleep_until(now_us_ + duration_us); }

  // --- results ---
  const std::vector<std::uint32_t>& schedule() const { return schedule_; }
  std::uint64_t steps() const { return steps_; }
  VirtualTime worker_stop_us(WorkerId w) const { return workers_[static_cast<std::size_t>(w)].stop_us; }
  std::size_t worker_count() const { return workers_.size(); }

 private:
  class Algorithm;
  struct Worker {
    std::function<void()> body;
    VirtualTime start_us = 0;
    VirtualTime stop_us = -1;
    boost::fibers::context* ctx = nullptr;
    boost::context::stack_context stack;  // where its fiber stack lives
    bool done = false;
  };
  struct Cancelled {};  // thrown into parked workers to unwind them

  void worker_entry(WorkerId w);
  WorkerId next_worker();  // pops the next due worker, asking the strategy on ties
  void resume(WorkerId w);
  void cancel_all();
  void register_spawned(boost::fibers::context* ctx);

  Strategy& strategy_;
  Trace& trace_;
  EngineLimits limits_;
  Algorithm* algo_ = nullptr;  // owned by Boost's scheduler (intrusive_ptr)
  std::vector<Worker> workers_;
  std::set<std::pair<VirtualTime, WorkerId>> timers_;  // (wake time, worker)
  std::vector<WorkerId> due_;                          // scratch: runnable at a choice point
  std::vector<std::uint32_t> schedule_;
  VirtualTime now_us_ = 0;
  WorkerId current_ = -1;
  WorkerId spawning_ = -1;
  std::uint64_t steps_ = 0;
  std::size_t live_ = 0;
  bool cancelling_ = false;
  bool ran_ = false;
  std::exception_ptr error_;
};

}  // namespace samplersim
