// TimerQueue: the engine's queue of waiting workers, ordered by (wake time, worker id).
//
// Order: by wake time, then by worker id (never by pointer or hash), so the workers due at one
// instant pop in ascending id. Both go into one 128-bit key (wake time in the high 64 bits, the
// non-negative worker id in the low 32), so the order is exact for every time.
// A worker waits at most once at a time, so the capacity is the worker count, fixed by reserve();
// worker ids are below it, and a push beyond it is an invariant violation (no growth, hence no
// allocation per wait; it replaces a std::set, which allocated a node per wait).
//
// Two parts; a push goes to one by its wake time as it is then:
//  - a timing wheel for the wake-ups within kWheelSlots us of the last popped time (`base`): one
//    slot per microsecond of [base, base + kWheelSlots), each holding at most one worker, with one
//    bit per slot (and one summary bit per 64 slots) to find the next occupied slot. Store
//    latencies (milliseconds) land here: push and pop are O(1), without the heap's walk over cold
//    cache lines (issue 15: the heap's pop was a fifth of a 10^6-point run with 1,024 workers);
//  - a 4-ary min-heap of 128-bit keys (TimerHeap, below) for everything else: later wake-ups
//    (objectives of seconds), a wake-up at an instant whose slot is taken (a tie), and a wake-up
//    earlier than the last popped time (the engine never pushes one, as its clock never goes
//    back; the heap keeps the order exact anyway).
// An entry stays in the part it was pushed to until it is popped or updated, so the entries of
// one instant may be in both (the first in the wheel and the others in the heap, or one pushed
// while the instant was far and one once it was near): the earliest entry is the smaller key of
// the two parts' earliest, and a tie is looked for in both.
// Queues for fewer than kWheelMinWorkers workers have no wheel: every timer is in the heap.
// Cost: push O(1) in the wheel, O(log4 n) in the heap; pop O(1) in the wheel (a find-next-bit over
// at most a few words), O(log4 n) in the heap; top and top_is_tied O(1); update (move one worker's
// wake-up) O(n + kWheelSlots / 64). Memory: 4 bytes per slot (not initialised: a slot is read
// only while its bit is set) plus 1 KiB of bits, and 16 bytes per worker for the heap.
#pragma once

#include <algorithm>
#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "sim/invariant.h"
#include "sim/virtual_time.h"
#include "sim/worker_id.h"

namespace samplersim {

struct Timer {
  VirtualTime wake_us = 0;  // >= 0
  WorkerId worker = -1;     // >= 0
};

// The heap part: a 4-ary min-heap of 128-bit (wake time, worker id) keys.
// pop() moves the hole down along the smallest children to a leaf, then lifts the last entry
// into place ("bottom-up" deletion); the storage behind the live entries holds sentinels (the
// largest key) so every group of four children can be compared without bounds checks.
// Cost: push O(log4 n) comparisons (usually one or two: new wake-ups tend to be late), pop
// 3 log4 n comparisons without data-dependent branches, top and top_is_tied O(1), find O(n),
// update_at and erase_at O(log4 n).
class TimerHeap {
 public:
  __extension__ typedef unsigned __int128 Key;  // (wake time << 64) | worker id
  static constexpr Key kSentinel = ~Key{0};     // larger than every key (worker ids are < 2^31)

  static Key key_of(Timer t) {
    return (static_cast<Key>(static_cast<std::uint64_t>(t.wake_us)) << 64) | static_cast<std::uint32_t>(t.worker);
  }
  static std::uint64_t wake_bits(Key k) { return static_cast<std::uint64_t>(k >> 64); }
  static Timer timer_of(Key k) {
    return {static_cast<VirtualTime>(wake_bits(k)), static_cast<WorkerId>(static_cast<std::uint32_t>(k))};
  }

  void reserve(std::size_t capacity) {
    keys_.assign(capacity + kArity, kSentinel);
    size_ = 0;
  }
  bool empty() const { return size_ == 0; }
  std::size_t size() const { return size_; }
  Key top_key() const { return keys_[0]; }  // kSentinel when empty

  // True if another entry has top()'s wake time. In a heap every entry's ancestors are no later,
  // so such an entry has an ancestor among top()'s children (the sentinels behind the live
  // entries never match a wake time).
  bool top_is_tied() const {
    const std::uint64_t t = wake_bits(keys_[0]);
    const int tied = int{wake_bits(keys_[1]) == t} | int{wake_bits(keys_[2]) == t} |
                     int{wake_bits(keys_[3]) == t} | int{wake_bits(keys_[4]) == t};  // no branches
    return tied != 0;
  }

  void push(Key key) { sift_up(size_++, key); }

  // The position of worker `w`'s entry, or size() if it has none.
  std::size_t find(WorkerId w) const {
    std::size_t i = 0;
    while (i < size_ && static_cast<WorkerId>(static_cast<std::uint32_t>(keys_[i])) != w) ++i;
    return i;
  }
  // Gives the entry at `i` the key `key` (same worker) and moves it into place.
  void update_at(std::size_t i, Key key) {
    if (key < keys_[i]) {
      sift_up(i, key);
    } else {
      sift_down(i, key);
    }
  }
  // Removes the entry at `i`.
  void erase_at(std::size_t i) {
    const Key last = keys_[--size_];
    keys_[size_] = kSentinel;
    if (i < size_) update_at(i, last);
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
  static constexpr std::size_t kArity = 4;

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
};

class TimerQueue {
 public:
  static constexpr std::size_t kWheelSlots = 8192;  // microseconds ahead of the last popped time
  // A queue for fewer workers keeps every timer in the heap: its few levels cost less than the
  // wheel's bit search and a run's 32 KiB of slots (engine_bench: 4 workers, grid-4x5-w4).
  static constexpr std::size_t kWheelMinWorkers = 64;

  void reserve(std::size_t capacity) {
    heap_.reserve(capacity);
    wheel_span_us_ = capacity >= kWheelMinWorkers ? static_cast<VirtualTime>(kWheelSlots) : 0;
    if (wheel_span_us_ > 0 && !slot_worker_) slot_worker_ = std::make_unique_for_overwrite<std::int32_t[]>(kWheelSlots);
    words_.fill(0);
    summary_.fill(0);
    capacity_ = capacity;
    wheel_size_ = 0;
    wheel_min_us_ = kNoWake;
    base_us_ = 0;
  }
  bool empty() const { return size() == 0; }
  std::size_t size() const { return heap_.size() + wheel_size_; }
  Timer top() const { return TimerHeap::timer_of(std::min(wheel_top_key(), heap_.top_key())); }

  // True if another timer is due at the same instant as top(): a choice point.
  bool top_is_tied() const {
    const Key in_heap = heap_.top_key();
    const Key in_wheel = wheel_top_key();
    if (in_wheel < in_heap) {
      return TimerHeap::wake_bits(in_heap) == TimerHeap::wake_bits(in_wheel);  // one worker per slot
    }
    return heap_.top_is_tied() || TimerHeap::wake_bits(in_wheel) == TimerHeap::wake_bits(in_heap);
  }

  void push(Timer t) {
    SIM_ASSERT(size() < capacity_ && "more timers than workers");
    SIM_ASSERT(t.wake_us >= 0 && t.worker >= 0 && static_cast<std::size_t>(t.worker) < capacity_);
    if (in_wheel_range(t.wake_us) && !occupied(slot_of(t.wake_us))) {
      wheel_push(t);
    } else {
      heap_.push(TimerHeap::key_of(t));
    }
  }

  // Moves worker `w`'s timer to `wake_us` (>= 0); false if `w` has no timer here. Only models
  // that change a waiting worker's wake-up (Engine::reschedule, sim/machine.h) call it, so the
  // hot path keeps no per-worker position: a scan finds the entry (each worker has at most one),
  // which is then taken out and pushed again. The resulting order is the key order, the same as
  // for a fresh push. Cost: O(n + kWheelSlots / 64).
  bool update(WorkerId w, VirtualTime wake_us) {
    SIM_ASSERT(wake_us >= 0 && w >= 0);
    if (wheel_erase(w)) {
      push({wake_us, w});
      return true;
    }
    const std::size_t i = heap_.find(w);
    if (i == heap_.size()) return false;
    if (in_wheel_range(wake_us) && !occupied(slot_of(wake_us))) {
      heap_.erase_at(i);
      wheel_push({wake_us, w});
    } else {
      heap_.update_at(i, TimerHeap::key_of({wake_us, w}));
    }
    return true;
  }

  Timer pop() {
    const Timer t = wheel_top_key() < heap_.top_key() ? wheel_pop() : heap_.pop();
    if (t.wake_us > base_us_) base_us_ = t.wake_us;  // every entry left is due at or after it
    return t;
  }

 private:
  using Key = TimerHeap::Key;
  static constexpr VirtualTime kNoWake = -1;  // wheel_min_us_ of an empty wheel
  static constexpr std::size_t kWords = kWheelSlots / 64;
  static constexpr std::size_t kSummaryWords = (kWords + 63) / 64;
  static_assert(kWheelSlots % 64 == 0 && (kWheelSlots & (kWheelSlots - 1)) == 0);

  // The wheel holds the wake-ups in [base, base + kWheelSlots): base is the last popped time, no
  // later than every entry, so each slot holds one instant and the slots in circular order from
  // base's are in time order. Without a wheel (few workers) the range is empty.
  bool in_wheel_range(VirtualTime wake_us) const {
    return wake_us >= base_us_ && wake_us - base_us_ < wheel_span_us_;
  }
  static std::size_t slot_of(VirtualTime wake_us) {
    return static_cast<std::size_t>(wake_us) & (kWheelSlots - 1);
  }
  Key wheel_top_key() const {
    if (wheel_size_ == 0) return TimerHeap::kSentinel;
    return TimerHeap::key_of({wheel_min_us_, slot_worker_[slot_of(wheel_min_us_)]});
  }
  bool occupied(std::size_t slot) const { return ((words_[slot >> 6] >> (slot & 63)) & 1) != 0; }
  void mark(std::size_t slot) {
    words_[slot >> 6] |= std::uint64_t{1} << (slot & 63);
    summary_[slot >> 12] |= std::uint64_t{1} << ((slot >> 6) & 63);
  }
  void unmark(std::size_t slot) {
    std::uint64_t& word = words_[slot >> 6];
    word &= ~(std::uint64_t{1} << (slot & 63));
    if (word == 0) summary_[slot >> 12] &= ~(std::uint64_t{1} << ((slot >> 6) & 63));
  }
  // The first occupied slot at or after `slot`, circularly (the wheel is not empty).
  std::size_t next_occupied(std::size_t slot) const {
    const std::size_t w = slot >> 6;
    const std::uint64_t here = words_[w] & (~std::uint64_t{0} << (slot & 63));
    if (here != 0) return (w << 6) + static_cast<std::size_t>(std::countr_zero(here));
    std::size_t word = kWords;
    const std::size_t from = w + 1;  // the words after this one, then from the start
    for (std::size_t k = from >> 6; k < kSummaryWords && word == kWords; ++k) {
      const std::uint64_t bits = summary_[k] & (k == (from >> 6) ? ~std::uint64_t{0} << (from & 63) : ~std::uint64_t{0});
      if (bits != 0) word = (k << 6) + static_cast<std::size_t>(std::countr_zero(bits));
    }
    for (std::size_t k = 0; k < kSummaryWords && word == kWords; ++k) {
      if (summary_[k] != 0) word = (k << 6) + static_cast<std::size_t>(std::countr_zero(summary_[k]));
    }
    SIM_ASSERT(word < kWords && "next_occupied on an empty wheel");
    return (word << 6) + static_cast<std::size_t>(std::countr_zero(words_[word]));
  }
  // After the earliest slot (at wheel_min_us_) emptied: the next occupied one, or none.
  void advance_wheel_min() {
    if (wheel_size_ == 0) {
      wheel_min_us_ = kNoWake;
      return;
    }
    const std::size_t from = slot_of(wheel_min_us_);
    wheel_min_us_ += static_cast<VirtualTime>((next_occupied(from) - from) & (kWheelSlots - 1));
  }

  // Into its free slot.
  void wheel_push(Timer t) {
    const std::size_t slot = slot_of(t.wake_us);
    slot_worker_[slot] = static_cast<std::int32_t>(t.worker);
    mark(slot);
    ++wheel_size_;
    if (wheel_min_us_ == kNoWake || t.wake_us < wheel_min_us_) wheel_min_us_ = t.wake_us;
  }
  Timer wheel_pop() {
    const VirtualTime wake_us = wheel_min_us_;
    const std::size_t slot = slot_of(wake_us);
    --wheel_size_;
    unmark(slot);
    advance_wheel_min();
    return {wake_us, static_cast<WorkerId>(slot_worker_[slot])};
  }
  // Takes worker `w` out of the wheel; false if it is not there.
  bool wheel_erase(WorkerId w) {
    if (wheel_size_ == 0) return false;
    for (std::size_t word = 0; word < kWords; ++word) {
      for (std::uint64_t bits = words_[word]; bits != 0; bits &= bits - 1) {
        const std::size_t slot = (word << 6) + static_cast<std::size_t>(std::countr_zero(bits));
        if (slot_worker_[slot] != w) continue;
        --wheel_size_;
        unmark(slot);
        if (slot == slot_of(wheel_min_us_)) advance_wheel_min();
        return true;
      }
    }
    return false;
  }

  TimerHeap heap_;
  std::unique_ptr<std::int32_t[]> slot_worker_;  // per slot: its worker (valid while the slot is occupied)
  std::array<std::uint64_t, kWords> words_{};        // bit per slot: occupied
  std::array<std::uint64_t, kSummaryWords> summary_{};  // bit per word of words_: not zero
  std::size_t capacity_ = 0;
  std::size_t wheel_size_ = 0;
  VirtualTime wheel_min_us_ = kNoWake;  // the earliest wake-up in the wheel
  VirtualTime base_us_ = 0;             // the last popped wake-up (0 before any)
  VirtualTime wheel_span_us_ = 0;       // kWheelSlots, or 0: no wheel (fewer than kWheelMinWorkers)
};

}  // namespace samplersim
