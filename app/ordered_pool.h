// run_ordered: the one thread pool. Runs numbered tasks 0..count-1 on `jobs` threads and hands
// their results to the calling thread in index order, whatever the thread count and timing, so
// everything built from the results (tables, results files) is identical for every --jobs.
//
// Contract:
// - compute(i) runs on a worker thread (on the calling thread when jobs == 1); it must not touch
//   state shared with other tasks. Workers claim indices in ascending order and never run more
//   than `window` tasks ahead of the first undelivered one (bounds memory: O(window) results).
// - deliver(first, batch) runs on the calling thread with the results of tasks first,
//   first+1, ..., first+batch.size()-1: every contiguous run of finished tasks, in order, once.
// - If compute(i) throws, the results below i are still delivered, nothing at or above i is, and
//   the exception of the lowest failing index is rethrown (the error never depends on timing).
//   If deliver throws, the workers stop and its exception is rethrown.
// - Each worker thread is a fresh std::thread, so each runs its own fiber scheduler.
// Cost: one mutex round trip per task; threads live for one call.
#pragma once

#include <algorithm>
#include <condition_variable>
#include <cstdint>
#include <exception>
#include <functional>
#include <map>
#include <mutex>
#include <thread>
#include <vector>

namespace samplersim {

// Threads to use for `jobs` (<= 0: one per hardware thread).
inline int effective_jobs(int jobs) {
  return jobs > 0 ? jobs : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
}

template <class T>
void run_ordered(std::int64_t count, int jobs, std::int64_t window, const std::function<T(std::int64_t)>& compute,
                 const std::function<void(std::int64_t first, std::vector<T>& batch)>& deliver) {
  if (count <= 0) return;
  jobs = static_cast<int>(std::min<std::int64_t>(effective_jobs(jobs), count));
  if (jobs == 1) {
    std::vector<T> one(1);
    for (std::int64_t i = 0; i < count; ++i) {
      one[0] = compute(i);
      deliver(i, one);
    }
    return;
  }
  window = std::max<std::int64_t>(window, jobs);

  std::mutex mutex;
  std::condition_variable changed;
  std::map<std::int64_t, T> ready;  // finished results waiting for their turn
  std::int64_t next = 0;            // next index a worker claims
  std::int64_t delivered = 0;       // every index below this was delivered
  bool stop = false;
  std::exception_ptr error;
  std::int64_t error_index = count;

  auto work = [&] {
    for (;;) {
      std::int64_t i = 0;
      {
        std::unique_lock lock(mutex);
        if (stop || next >= count || next > error_index) return;
        i = next++;
        changed.wait(lock, [&] { return i < delivered + window || stop; });
        if (stop) return;
      }
      try {
        T result = compute(i);
        std::lock_guard lock(mutex);
        ready.emplace(i, std::move(result));
      } catch (...) {
        std::lock_guard lock(mutex);
        if (i < error_index) {
          error_index = i;
          error = std::current_exception();
        }
      }
      changed.notify_all();
    }
  };

  std::vector<std::thread> threads;
  // Stops and joins the workers on every way out of this function.
  struct Joiner {
    std::mutex& mutex;
    bool& stop;
    std::condition_variable& changed;
    std::vector<std::thread>& threads;
    ~Joiner() {
      {
        std::lock_guard lock(mutex);
        stop = true;
      }
      changed.notify_all();
      for (std::thread& t : threads) t.join();
    }
  } joiner{mutex, stop, changed, threads};
  for (int j = 0; j < jobs; ++j) threads.emplace_back(work);

  std::exception_ptr deliver_error;
  std::unique_lock lock(mutex);
  while (delivered < count) {
    changed.wait(lock, [&] { return ready.count(delivered) > 0 || delivered >= error_index; });
    if (delivered >= error_index) break;
    const std::int64_t first = delivered;
    std::vector<T> batch;
    for (auto it = ready.find(delivered); it != ready.end() && it->first == delivered; it = ready.erase(it)) {
      batch.push_back(std::move(it->second));
      ++delivered;
    }
    lock.unlock();
    changed.notify_all();
    try {
      deliver(first, batch);
    } catch (...) {
      deliver_error = std::current_exception();
    }
    lock.lock();
    if (deliver_error) break;
  }
  lock.unlock();
  // Join before rethrowing: no worker may outlive the state it uses.
  {
    std::lock_guard stop_lock(mutex);
    stop = true;
  }
  changed.notify_all();
  for (std::thread& t : threads) t.join();
  threads.clear();
  if (deliver_error) std::rethrow_exception(deliver_error);
  if (error) std::rethrow_exception(error);
}

}  // namespace samplersim
