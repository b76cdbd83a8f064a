#include "real/baton.h"

namespace samplersim::real {

void Baton::hand(Holder to) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    holder_ = to;
  }
  changed_.notify_all();
}

void Baton::wait_until(Holder me) {
  std::unique_lock<std::mutex> lock(mutex_);
  changed_.wait(lock, [&] { return holder_ == me; });
}

void Baton::to_worker_and_wait() {
  hand(Holder::kWorker);
  wait_until(Holder::kEngine);
}

void Baton::wait_for_worker_turn() { wait_until(Holder::kWorker); }

void Baton::to_engine_and_wait() {
  hand(Holder::kEngine);
  wait_until(Holder::kWorker);
}

void Baton::to_engine_final() { hand(Holder::kEngine); }

}  // namespace samplersim::real
