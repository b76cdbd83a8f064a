// Baton: hands control back and forth between the engine's thread and one worker's real thread.
//
// Real-library mode runs each simulated worker's Python code on its own OS thread, but never two
// at once: exactly one party (the engine, or this worker) holds the baton and runs; the other is
// blocked in this class. Handing the baton is a mutex/condition-variable handoff, so everything
// one party wrote happens-before what the other reads next (no data race, nothing left to the OS
// scheduler's timing). Invariant: `holder_` names the only party allowed to run.
// Cost: two context switches of the OS per handoff (a few microseconds).
#pragma once

#include <condition_variable>
#include <mutex>

namespace samplersim::real {

class Baton {
 public:
  // Engine side: give the baton to the worker and block until it is handed back.
  void to_worker_and_wait();
  // Worker side: block until the engine hands the baton over (the thread's first wait).
  void wait_for_worker_turn();
  // Worker side: give the baton to the engine and block until it comes back.
  void to_engine_and_wait();
  // Worker side: give the baton to the engine for the last time (the thread is about to end).
  void to_engine_final();

 private:
  enum class Holder { kEngine, kWorker };
  void hand(Holder to);
  void wait_until(Holder me);

  std::mutex mutex_;
  std::condition_variable changed_;
  Holder holder_ = Holder::kEngine;
};

}  // namespace samplersim::real
