// TimerQueue: the engine's queue of waiting workers, a 4-ary min-heap of (wake time, worker id).
//
// Order: by wake time, then by worker id (never by pointer or hash), so the workers due at one
// instant pop in ascending id. Both go into one 128-bit key (wake time in the high 64 bits, the
// non-negative worker id in the low 32), so the order is exact for every time and every
// comparison is branch-free. A worker waits at most once at a time, so the capacity is the
// worker count, fixed by reserve(); a push beyond it is an invariant violation (no growth, hence
// no allocation per wait; it replaces a std::set, which allocated a node per wait).
// pop() moves the hole down along the smallest children to a leaf, then lifts the last entry
// into place ("bottom-up" deletion); the storage behind the live entries holds sentinels (the
// largest key) so every group of four children can be compared without bounds checks.
// Cost: push O(log4 n) comparisons (usually one or two: new wake-ups tend to be late), pop
// 3 log4 n comparisons without data-dependent branches, top and top_is_tied O(1), update (move
// one worker's wake-up) O(n).
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "sim/invariant.h"
#include "sim/virtual_time.h"
#include "sim/worker_id.h"

namespace samplersim {

struct Timer {
  VirtualTime wake_us = 0;  // >= 0
  WorkerId worker = -1;     // >= 0
};

class TimerQueue {
 public:
  void reserve(std::size_t capacity) {
    keys_.assign(capacity + kArity, kSentinel);
    capacity_ = capacity;
    size_ = 0;
  }
  bool empty() const { return size_ == 0; }
  std::size_t size() const { return size_; }
  Timer top() const { return timer_of(keys_[0]); }

  // True if another timer is due at the same instant as top(): a choice point. In a heap every
  // entry's ancestors are no later, so such an entry has an ancestor among top()'s children
  // (the sentinels behind the live entries never match a wake time).
  bool top_is_tied() const {
    const std::uint64_t t = wake_bits(keys_[0]);
    const int tied = int{wake_bits(keys_[1]) == t} | int{wake_bits(keys_[2]) == t} |
                     int{wake_bits(keys_[3]) == t} | int{wake_bits(keys_[4]) == t};  // no branches
    return tied != 0;
  }

  void push(Timer t) {
    SIM_ASSERT(size_ < capacity_ && "more timers than workers");
    SIM_ASSERT(t.wake_us >= 0 && t.worker >= 0);
    sift_up(size_++, key_of(t));
  }

  // Moves worker `w`'s timer to `wake_us` (>= 0); false if `w` has no timer here. Only models
  // that change a waiting worker's wake-up (Engine::reschedule, sim/machine.h) call it, so the
  // hot path keeps no per-worker position: a scan finds the entry (each worker has at most one),
  // then it moves up or down like push and pop would. The resulting order is the key order, the
  // same as for a fresh push. Cost: O(n) to find, O(log4 n) to move.
  bool update(WorkerId w, VirtualTime wake_us) {
    SIM_ASSERT(wake_us >= 0 && w >= 0);
    std::size_t i = 0;
    while (i < size_ && static_cast<WorkerId>(static_cast<std::uint32_t>(keys_[i])) != w) ++i;
    if (i == size_) return false;
    const Key key = key_of({wake_us, w});
    if (key < keys_[i]) {
      sift_up(i, key);
    } else {
      sift_down(i, key);
    }
    return true;
  }

  Timer pop() {
    const Key first = keys_[0];
    const Key last = keys_[--size_];
    keys_[size_] = kSentinel;
    std::size_t hole = 0;
    for (;;) {  // down to a leaf along the smallest children
      const std::size_t child = kArity * hole + 1;
      if (child >= size_) break;
      const std::size_t a = child + (keys_[child + 1] < keys_[child] ? 1 : 0);
      const std::size_t b = child + 2 + (keys_[child + 3] < keys_[child + 2] ? 1 : 0);
      const std::size_t smallest = keys_[b] < keys_[a] ? b : a;
      keys_[hole] = keys_[smallest];
      hole = smallest;
    }
    while (hole > 0) {  // then the last entry back up to its place
      const std::size_t parent = (hole - 1) / kArity;
      if (!(last < keys_[parent])) break;
      keys_[hole] = keys_[parent];
      hole = parent;
    }
    if (size_ > 0) keys_[hole] = last;
    return timer_of(first);
  }

 private:
  __extension__ typedef unsigned __int128 Key;  // (wake time << 64) | worker id
  static constexpr std::size_t kArity = 4;
  static constexpr Key kSentinel = ~Key{0};  // larger than every key (worker ids are < 2^31)

  static Key key_of(Timer t) {
    return (static_cast<Key>(static_cast<std::uint64_t>(t.wake_us)) << 64) | static_cast<std::uint32_t>(t.worker);
  }
  static std::uint64_t wake_bits(Key k) { return static_cast<std::uint64_t>(k >> 64); }
  static Timer timer_of(Key k) {
    return {static_cast<VirtualTime>(wake_bits(k)), static_cast<WorkerId>(static_cast<std::uint32_t>(k))};
  }

  // Places `key` at or above position i (its old entry there is overwritten).
  void sift_up(std::size_t i, Key key) {
    while (i > 0) {
      const std::size_t parent = (i - 1) / kArity;
      if (!(key < keys_[parent])) break;
      keys_[i] = keys_[parent];
      i = parent;
    }
    keys_[i] = key;
  }
  // Places `key` at or below position i (its old entry there is overwritten). Children past the
  // live entries are sentinels, so the four can be compared without bounds checks.
  void sift_down(std::size_t i, Key key) {
    for (;;) {
      const std::size_t child = kArity * i + 1;
      if (child >= size_) break;
      std::size_t smallest = child;
      for (std::size_t c = child + 1; c < child + kArity; ++c) {
        if (keys_[c] < keys_[smallest]) smallest = c;
      }
      if (!(keys_[smallest] < key)) break;
      keys_[i] = keys_[smallest];
      i = smallest;
    }
    keys_[i] = key;
  }

  std::vector<Key> keys_ = std::vector<Key>(kArity + 1, kSentinel);  // live entries, then sentinels
  std::size_t size_ = 0;
  std::size_t capacity_ = 0;
};

}  // namespace samplersim
