#include "sim/engine.h"

#include <algorithm>
#include <utility>

#include <boost/context/fixedsize_stack.hpp>
#include <fmt/format.h>

#if defined(__SANITIZE_ADDRESS__)
#define SAMPLERSIM_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SAMPLERSIM_ASAN 1
#endif
#endif
#if defined(SAMPLERSIM_ASAN)
#include <sanitizer/common_interface_defs.h>
#endif

namespace samplersim {

namespace ctx = boost::context;

namespace {

// Worker stacks are reused across the runs of one thread: allocating and freeing a 128 KiB stack
// per worker per run (each free makes glibc consolidate its free lists) cost as much as a small
// run's waits. A thread keeps at most kMaxPooled free stacks; the rest go back to malloc. One
// thread-local lookup per worker per run. ASan builds do not pool: a reused stack could carry poison
// left by the fiber that used it before.
class StackPool {
 public:
  static constexpr std::size_t kMaxPooled = 64;

  StackPool() { free_.reserve(kMaxPooled); }
  ~StackPool() {
    for (ctx::stack_context& s : free_) inner_.deallocate(s);
  }
  StackPool(const StackPool&) = delete;
  StackPool& operator=(const StackPool&) = delete;

  ctx::stack_context allocate() {
    if (free_.empty()) return inner_.allocate();
    const ctx::stack_context s = free_.back();
    free_.pop_back();
    return s;
  }
  void deallocate(ctx::stack_context& s) noexcept {
    if (free_.size() < kMaxPooled) {
      free_.push_back(s);  // within the reserved capacity: cannot throw
    } else {
      inner_.deallocate(s);
    }
  }

  static StackPool& of_this_thread() {
    thread_local StackPool pool;
    return pool;
  }

 private:
  ctx::fixedsize_stack inner_;
  std::vector<ctx::stack_context> free_;
};

// Stack allocator of one worker: takes a stack from this thread's pool and remembers where it
// lives (for the ASan annotations). Stacks are freed on the thread that allocated them.
class RecordingStack {
 public:
  explicit RecordingStack(ctx::stack_context* out) : out_(out) {}
  ctx::stack_context allocate() {
#if defined(SAMPLERSIM_ASAN)
    ctx::stack_context sctx = ctx::fixedsize_stack().allocate();
#else
    ctx::stack_context sctx = StackPool::of_this_thread().allocate();
#endif
    *out_ = sctx;
    return sctx;
  }
  void deallocate(ctx::stack_context& sctx) noexcept {
#if defined(SAMPLERSIM_ASAN)
    ctx::fixedsize_stack().deallocate(sctx);
#else
    StackPool::of_this_thread().deallocate(sctx);
#endif
  }

 private:
  ctx::stack_context* out_;
};

}  // namespace

Engine::Engine(Strategy& strategy, Trace& trace, EngineLimits limits)
    : strategy_(strategy), trace_(trace), limits_(limits) {}

// run() returns only after every worker has returned, so no fiber is left suspended here (a
// suspended boost::context::fiber would be unwound by its destructor with forced_unwind).
Engine::~Engine() = default;

WorkerId Engine::spawn(std::function<void()> body, VirtualTime start_us) {
  SIM_ASSERT(!ran_ && "spawn() after run()");
  SIM_ASSERT(start_us >= 0);
  const auto id = static_cast<WorkerId>(workers_.size());
  Worker worker;
  worker.body = std::move(body);
  worker.start_us = start_us;
  workers_.push_back(std::move(worker));
  return id;
}

// AddressSanitizer must be told about every stack switch, or an exception thrown on a fiber stack
// (which ASan would take for the thread's stack) leaves stale poison behind and is reported as an
// overflow. Debian's Boost.Context uses fcontext, which does not annotate switches itself, so
// switch_to() and the end of worker_main() annotate every switch the engine makes. The caller's
// stack bounds are learnt on the first switch into a worker (always from run()). No-ops without
// ASan.
Engine::StackBounds Engine::stack_of(WorkerId w) const {
  if (w < 0) return main_stack_;
  const ctx::stack_context& s = workers_[static_cast<std::size_t>(w)].stack;
  return {static_cast<const char*>(s.sp) - s.size, s.size};
}

void Engine::switch_to(WorkerId target, ctx::fiber& self) {
  ctx::fiber& next = target >= 0 ? workers_[static_cast<std::size_t>(target)].fiber : main_fiber_;
  handoff_ = &self;
#if defined(SAMPLERSIM_ASAN)
  void* fake = nullptr;
  const StackBounds bounds = stack_of(target);
  __sanitizer_start_switch_fiber(&fake, bounds.bottom, bounds.size);
#endif
  ctx::fiber from = std::move(next).resume();
#if defined(SAMPLERSIM_ASAN)
  __sanitizer_finish_switch_fiber(fake, nullptr, nullptr);
#endif
  // Back here: whoever switched to us left its continuation to be stored where it said.
  *handoff_ = std::move(from);
}

ctx::fiber Engine::worker_main(WorkerId w, ctx::fiber&& from) {
#if defined(SAMPLERSIM_ASAN)
  StackBounds came_from;
  __sanitizer_finish_switch_fiber(nullptr, &came_from.bottom, &came_from.size);
  if (main_stack_.bottom == nullptr) main_stack_ = came_from;  // the first switch is from run()
#endif
  *handoff_ = std::move(from);
  Worker& me = workers_[static_cast<std::size_t>(w)];
  try {
    SIM_ASSERT(current_ == w);
    me.body();
  } catch (const ctx::detail::forced_unwind&) {
    throw;  // Boost.Context unwinding a fiber it destroys: not ours to stop
  } catch (const Cancelled&) {
    // unwound on purpose after another worker failed
  } catch (...) {
    if (!error_) error_ = std::current_exception();
  }
  me.done = true;
  me.stop_us = now_us_;
  me.body = nullptr;  // release captured state while still on this fiber
  --live_;
  const WorkerId next = hand_over();
  handoff_ = &me.fiber;  // the next context stores our (finished, empty) continuation here
#if defined(SAMPLERSIM_ASAN)
  const StackBounds bounds = stack_of(next);
  __sanitizer_start_switch_fiber(nullptr, bounds.bottom, bounds.size);  // this fiber ends
#endif
  return std::move(next >= 0 ? workers_[static_cast<std::size_t>(next)].fiber : main_fiber_);
}

void Engine::wait(VirtualTime wake_us) {
  const WorkerId me = current_;
  timers_.push({wake_us, me});
  const WorkerId next = hand_over();
  if (next != me) switch_to(next, workers_[static_cast<std::size_t>(me)].fiber);
  SIM_ASSERT(current_ == me);
  if (cancelling_) throw Cancelled{};
}

void Engine::reschedule(WorkerId w, VirtualTime wake_us) {
  SIM_ASSERT(w >= 0 && static_cast<std::size_t>(w) < workers_.size());
  SIM_ASSERT(is_waiting(w) && "only a waiting worker can be rescheduled");
  SIM_ASSERT(wake_us >= now_us_ && "virtual time must not go backwards");
  const auto in_due = std::lower_bound(due_.begin(), due_.end(), w);
  if (in_due != due_.end() && *in_due == w) {  // left over from a choice point, due at now_us_
    if (wake_us == now_us_) return;
    due_.erase(in_due);  // the rest stay in ascending id
    timers_.push({wake_us, w});
    return;
  }
  const bool queued = timers_.update(w, wake_us);
  SIM_ASSERT(queued && "a waiting worker is in due_ or the timer queue");
}

WorkerId Engine::hand_over() noexcept {
  if (cancelling_ || error_ || !anyone_waits() || limit_reached()) return -1;
  WorkerId w = -1;
  try {
    w = next_worker();
    ++steps_;
    current_ = w;
    trace_.step(w, now_us_);  // partial-order reduction: a new step of `w` begins
    return w;
  } catch (...) {  // the Strategy (e.g. a replay that diverged), an observer or a failed invariant
    if (w >= 0) timers_.push({now_us_, w});  // still parked, to be unwound
    error_ = std::current_exception();
    return -1;
  }
}

WorkerId Engine::next_worker() {
  SIM_ASSERT(anyone_waits());
  const VirtualTime t = next_due_us();
  SIM_ASSERT(t >= now_us_);
  now_us_ = t;
  if (due_.empty()) {
    if (!timers_.top_is_tied()) return timers_.pop().worker;
    while (!timers_.empty() && timers_.top().wake_us == t) due_.push_back(timers_.pop().worker);  // ascending id
  } else {
    while (!timers_.empty() && timers_.top().wake_us == t) {  // woke at the instant of the choice
      const WorkerId w = timers_.pop().worker;
      due_.insert(std::lower_bound(due_.begin(), due_.end(), w), w);
    }
    if (due_.size() == 1) {
      const WorkerId w = due_.front();
      due_.clear();
      return w;
    }
  }
  const std::size_t index = strategy_.pick(ChoicePoint{schedule_.size(), t, due_});
  SIM_ASSERT(index < due_.size());
  const WorkerId w = due_[index];
  schedule_.push_back(static_cast<std::uint32_t>(index));
  trace_.record({t, w, TraceKind::kPick, -1, static_cast<std::int64_t>(index),
                 static_cast<std::int64_t>(due_.size()), {}});
  due_.erase(due_.begin() + static_cast<std::ptrdiff_t>(index));  // the others stay due at t
  return w;
}

void Engine::resume(WorkerId w) {
  SIM_ASSERT(!workers_[static_cast<std::size_t>(w)].done && current_ == w);
  switch_to(w, main_fiber_);  // workers run (and hand over among themselves) until one returns here
  current_ = -1;
}

void Engine::cancel_all() {
  cancelling_ = true;
  for (WorkerId w : due_) timers_.push({now_us_, w});
  due_.clear();
  while (!timers_.empty()) {  // in (wake time, id) order
    current_ = timers_.pop().worker;
    ++steps_;
    trace_.step(current_, now_us_);
    resume(current_);
  }
}

void Engine::run() {
  SIM_ASSERT(!ran_ && "an Engine runs once");
  ran_ = true;
  timers_.reserve(workers_.size());
  due_.reserve(workers_.size());
  for (std::size_t i = 0; i < workers_.size(); ++i) {
    const auto w = static_cast<WorkerId>(i);
    workers_[i].fiber = ctx::fiber(std::allocator_arg, RecordingStack(&workers_[i].stack),
                                   [this, w](ctx::fiber&& from) { return worker_main(w, std::move(from)); });
    timers_.push({workers_[i].start_us, w});
    ++live_;
  }

  // Control comes back here only when a hand-over found a limit, an error or nothing waiting.
  std::exception_ptr limit_error;
  while (anyone_waits() && !error_) {
    if (limit_reached()) {
      // Which limit, in the scenario's terms and hours (a multi-day grid is a normal use).
      const auto hours = [](VirtualTime us) { return static_cast<double>(us) / 3.6e9; };
      limit_error = std::make_exception_ptr(SimulationLimitExceeded(
          next_due_us() > limits_.max_time_us
              ? fmt::format("the run passed [run] max_virtual_time ({:.1f} h of simulated time, after {} steps); "
                            "raise it in the scenario's [run] table, e.g. max_virtual_time = \"{:.0f}h\"",
                            hours(limits_.max_time_us), steps_, std::max(10.0, 10 * hours(limits_.max_time_us)))
              : fmt::format("the run took more than {} engine steps (at {:.1f} h of simulated time): a livelock, or a "
                            "run far longer than a study (steps limit {}, virtual time limit {:.1f} h)",
                            limits_.max_steps, hours(next_due_us()), limits_.max_steps, hours(limits_.max_time_us))));
      break;
    }
    const WorkerId w = hand_over();
    if (w >= 0) resume(w);
  }
  if (anyone_waits()) cancel_all();
  SIM_ASSERT(live_ == 0 && "every worker must have returned");

  if (error_) std::rethrow_exception(error_);
  if (limit_error) std::rethrow_exception(limit_error);
}

}  // namespace samplersim
