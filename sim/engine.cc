#include "sim/engine.h"
#include "sim/invariant.h"

#include <cassert>
#include <cstdio>
#include <cstdlib>

#include <boost/context/fixedsize_stack.hpp>
#include <boost/fiber/algo/algorithm.hpp>
#include <boost/fiber/context.hpp>
#include <boost/fiber/fiber.hpp>
#include <boost/fiber/operations.hpp>
#include <boost/fiber/properties.hpp>
#include <boost/fiber/scheduler.hpp>
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

namespace bf = boost::fibers;

// AddressSanitizer must be told about every stack switch, or an exception thrown on a fiber stack
// (which ASan would take for the thread's stack) leaves stale poison behind and is reported as an
// overflow. Debian's Boost.Context uses fcontext, which does not annotate switches itself, so the
// engine annotates the two switches it makes: main → worker (resume) and worker → main (wait or
// return). No-ops without ASan.
namespace asan {
#if defined(SAMPLERSIM_ASAN)
struct StackBounds {
  const void* bottom = nullptr;
  std::size_t size = 0;
};
thread_local StackBounds main_stack;
inline void before_switch(void** fake_save, const void* bottom, std::size_t size) {
  __sanitizer_start_switch_fiber(fake_save, bottom, size);
}
inline void after_switch(void* fake, const void** old_bottom = nullptr, std::size_t* old_size = nullptr) {
  __sanitizer_finish_switch_fiber(fake, old_bottom, old_size);
}
#endif
}  // namespace asan

// Stack allocator that remembers where each worker's stack lives (for the ASan annotations).
class RecordingStack {
 public:
  explicit RecordingStack(boost::context::stack_context* out) : out_(out) {}
  boost::context::stack_context allocate() {
    boost::context::stack_context sctx = inner_.allocate();
    *out_ = sctx;
    return sctx;
  }
  void deallocate(boost::context::stack_context& sctx) noexcept { inner_.deallocate(sctx); }

 private:
  boost::context::fixedsize_stack inner_;
  boost::context::stack_context* out_;
};

namespace {
// Per-fiber slot: which worker a context belongs to and whether Boost considers it ready.
struct FiberSlot : bf::fiber_properties {
  explicit FiberSlot(bf::context* ctx) : bf::fiber_properties(ctx) {}
  WorkerId worker = -1;
  bool ready = false;
};
}  // namespace

// The Boost.Fiber scheduling algorithm. Boost hands it every fiber that becomes ready; it returns
// the one the engine designated, else the main fiber (which runs the engine loop), else the
// dispatcher (only when the engine gives it a turn to free terminated fibers). Worker contexts that
// Boost considers ready but that are not designated are parked on the virtual clock.
class Engine::Algorithm final : public bf::algo::algorithm_with_properties<FiberSlot> {
 public:
  explicit Algorithm(Engine* engine) : engine_(engine) {}

  void awakened(bf::context* ctx, FiberSlot& slot) noexcept override {
    if (ctx->is_context(bf::type::main_context)) {
      main_ = ctx;
    } else if (ctx->is_context(bf::type::dispatcher_context)) {
      dispatcher_ = ctx;
    } else {
      if (slot.worker < 0) {
        engine_->register_spawned(ctx);
        slot.worker = engine_->spawning_;
      }
      slot.ready = true;
    }
  }

  bf::context* pick_next() noexcept override {
    if (designated_ != nullptr) {
      FiberSlot& slot = properties(designated_);
      if (slot.ready) {
        slot.ready = false;
        return std::exchange(designated_, nullptr);
      }
    }
    if (dispatcher_turn_ && dispatcher_ != nullptr) {
      dispatcher_turn_ = false;
      return std::exchange(dispatcher_, nullptr);
    }
    if (main_ != nullptr) return std::exchange(main_, nullptr);
    if (dispatcher_ != nullptr) return std::exchange(dispatcher_, nullptr);
    return nullptr;
  }

  bool has_ready_fibers() const noexcept override {
    return main_ != nullptr || dispatcher_ != nullptr ||
           (designated_ != nullptr && const_cast<Algorithm*>(this)->properties(designated_).ready);
  }

  void suspend_until(std::chrono::steady_clock::time_point const&) noexcept override {
    // Unreachable by construction: the main fiber is ready whenever no worker is designated.
    std::fputs("samplersim: internal error: fiber scheduler found nothing to run\n", stderr);
    std::abort();
  }

  void notify() noexcept override {}

  bf::context* designated_ = nullptr;
  bool dispatcher_turn_ = false;

 private:
  Engine* engine_;
  bf::context* main_ = nullptr;
  bf::context* dispatcher_ = nullptr;
};

Engine::Engine(Strategy& strategy, Trace& trace, EngineLimits limits)
    : strategy_(strategy), trace_(trace), limits_(limits) {}

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

void Engine::register_spawned(bf::context* ctx) {
  assert(spawning_ >= 0);  // called from a noexcept scheduler hook
  workers_[static_cast<std::size_t>(spawning_)].ctx = ctx;
}

void Engine::worker_entry(WorkerId w) {
#if defined(SAMPLERSIM_ASAN)
  asan::after_switch(nullptr, &asan::main_stack.bottom, &asan::main_stack.size);
#endif
  current_ = w;
  try {
    workers_[static_cast<std::size_t>(w)].body();
  } catch (const Cancelled&) {
    // unwound on purpose after another worker failed
  } catch (...) {
    if (!error_) error_ = std::current_exception();
  }
  Worker& me = workers_[static_cast<std::size_t>(w)];
  me.done = true;
  me.stop_us = now_us_;
  me.body = nullptr;  // release captured state while still on this fiber
  --live_;
#if defined(SAMPLERSIM_ASAN)
  asan::before_switch(nullptr, asan::main_stack.bottom, asan::main_stack.size);  // this fiber ends
#endif
}

void Engine::sleep_until(VirtualTime wake_us) {
  SIM_ASSERT(current_ >= 0 && "sleep_until() outside a worker fiber");
  SIM_ASSERT(wake_us >= now_us_ && "virtual time must not go backwards");
  const WorkerId me = current_;
  timers_.emplace(wake_us, me);
#if defined(SAMPLERSIM_ASAN)
  void* fake = nullptr;
  asan::before_switch(&fake, asan::main_stack.bottom, asan::main_stack.size);
#endif
  boost::this_fiber::yield();  // back to the engine loop on the main fiber
#if defined(SAMPLERSIM_ASAN)
  asan::after_switch(fake);
#endif
  SIM_ASSERT(current_ == me);
  if (cancelling_) throw Cancelled{};
}

WorkerId Engine::next_worker() {
  SIM_ASSERT(!timers_.empty());
  const VirtualTime t = timers_.begin()->first;
  SIM_ASSERT(t >= now_us_);
  now_us_ = t;
  auto second = std::next(timers_.begin());
  if (second == timers_.end() || second->first != t) {
    const WorkerId w = timers_.begin()->second;
    timers_.erase(timers_.begin());
    return w;
  }
  due_.clear();
  for (auto it = timers_.begin(); it != timers_.end() && it->first == t; ++it) due_.push_back(it->second);
  const ChoicePoint cp{schedule_.size(), t, due_};
  const std::size_t index = strategy_.pick(cp);
  SIM_ASSERT(index < due_.size());
  schedule_.push_back(static_cast<std::uint32_t>(index));
  trace_.record({t, due_[index], TraceKind::kPick, -1, static_cast<std::int64_t>(index),
                 static_cast<std::int64_t>(due_.size()), {}});
  const WorkerId w = due_[index];
  timers_.erase({t, w});
  return w;
}

void Engine::resume(WorkerId w) {
  Worker& worker = workers_[static_cast<std::size_t>(w)];
  SIM_ASSERT(worker.ctx != nullptr && !worker.done);
  ++steps_;
  current_ = w;
  trace_.step(w, now_us_);  // partial-order reduction: a new step of `w` begins
  algo_->designated_ = worker.ctx;
#if defined(SAMPLERSIM_ASAN)
  void* fake = nullptr;
  const auto* stack_top = static_cast<const char*>(worker.stack.sp);
  asan::before_switch(&fake, stack_top - worker.stack.size, worker.stack.size);
#endif
  boost::this_fiber::yield();  // runs `w` until it waits or returns
#if defined(SAMPLERSIM_ASAN)
  asan::after_switch(fake);
#endif
  current_ = -1;
}

void Engine::cancel_all() {
  cancelling_ = true;
  while (!timers_.empty()) {
    const WorkerId w = timers_.begin()->second;
    timers_.erase(timers_.begin());
    resume(w);
  }
}

void Engine::run() {
  SIM_ASSERT(!ran_ && "an Engine runs once");
  ran_ = true;
  algo_ = new Algorithm(this);
  bf::context::active()->get_scheduler()->set_algo(bf::algo::algorithm::ptr_t(algo_));

  std::vector<bf::fiber> fibers;
  fibers.reserve(workers_.size());
  for (std::size_t i = 0; i < workers_.size(); ++i) {
    const auto w = static_cast<WorkerId>(i);
    spawning_ = w;
    fibers.emplace_back(bf::launch::post, std::allocator_arg, RecordingStack(&workers_[i].stack),
                        [this, w] { worker_entry(w); });
    SIM_ASSERT(workers_[i].ctx != nullptr);
    timers_.emplace(workers_[i].start_us, w);
    ++live_;
  }
  spawning_ = -1;

  std::exception_ptr limit_error;
  while (!timers_.empty()) {
    if (error_) break;
    if (steps_ >= limits_.max_steps || timers_.begin()->first > limits_.max_time_us) {
      limit_error = std::make_exception_ptr(SimulationLimitExceeded(fmt::format(
          "simulation exceeded its limit ({} steps, {} us virtual time; limits: {} steps, {} us)",
          steps_, timers_.begin()->first, limits_.max_steps, limits_.max_time_us)));
      break;
    }
    resume(next_worker());
  }
  if (!timers_.empty()) cancel_all();
  SIM_ASSERT(live_ == 0 && "every worker must have returned");

  // Give the dispatcher one turn to free the terminated fibers, then join them (no-ops now).
  algo_->dispatcher_turn_ = true;
  boost::this_fiber::yield();
  for (bf::fiber& f : fibers) f.join();

  if (error_) std::rethrow_exception(error_);
  if (limit_error) std::rethrow_exception(limit_error);
}

}  // namespace samplersim
