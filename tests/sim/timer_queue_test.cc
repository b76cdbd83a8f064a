// TimerQueue contract: pops in (wake time, worker id) order exactly as an ordered set would,
// top_is_tied() says whether another timer shares the earliest instant, and the capacity bound
// is enforced. Random operation sequences on fixed seeds, compared with std::set.
#include "sim/timer_queue.h"

#include <gtest/gtest.h>

#include <set>
#include <utility>

#include "sim/random_stream.h"

namespace samplersim {
namespace {

TEST(TimerQueue, PopsInWakeTimeThenWorkerOrderLikeAnOrderedSet) {
  for (std::uint64_t seed = 1; seed <= 50; ++seed) {
    RandomStream rng(seed);
    const int workers = 1 + static_cast<int>(rng.uniform_inclusive(300));
    TimerQueue queue;
    queue.reserve(static_cast<std::size_t>(workers));
    std::set<std::pair<VirtualTime, WorkerId>> model;
    std::vector<bool> waiting(static_cast<std::size_t>(workers), false);
    VirtualTime now = 0;
    for (int op = 0; op < 5000; ++op) {
      const auto w = static_cast<WorkerId>(rng.uniform_inclusive(static_cast<std::uint64_t>(workers - 1)));
      if (!waiting[static_cast<std::size_t>(w)] && rng.bernoulli(1, 2)) {
        // few distinct times, so ties are common
        const VirtualTime wake = now + static_cast<VirtualTime>(rng.uniform_inclusive(3));
        queue.push({wake, w});
        model.emplace(wake, w);
        waiting[static_cast<std::size_t>(w)] = true;
      } else if (!model.empty()) {
        ASSERT_EQ(queue.size(), model.size()) << "seed " << seed;
        const auto first = *model.begin();
        const bool tied = model.size() > 1 && std::next(model.begin())->first == first.first;
        ASSERT_EQ(queue.top().wake_us, first.first) << "seed " << seed;
        ASSERT_EQ(queue.top().worker, first.second) << "seed " << seed;
        ASSERT_EQ(queue.top_is_tied(), tied) << "seed " << seed;
        const Timer t = queue.pop();
        ASSERT_EQ(t.wake_us, first.first) << "seed " << seed;
        ASSERT_EQ(t.worker, first.second) << "seed " << seed;
        model.erase(model.begin());
        waiting[static_cast<std::size_t>(t.worker)] = false;
        now = t.wake_us;
      }
    }
    while (!model.empty()) {
      ASSERT_EQ(queue.pop().worker, model.begin()->second) << "seed " << seed;
      model.erase(model.begin());
    }
    EXPECT_TRUE(queue.empty());
  }
}

TEST(TimerQueue, MoreTimersThanTheCapacityIsAnInvariantViolation) {
  TimerQueue queue;
  queue.reserve(2);
  queue.push({5, 0});
  queue.push({5, 1});
  EXPECT_THROW(queue.push({6, 2}), InvariantViolation);
}

}  // namespace
}  // namespace samplersim

namespace samplersim {
namespace {

// update() moves one worker's timer earlier or later; the queue must still pop exactly as an ordered
// set in which the entry was erased and re-inserted would. 50 fixed seeds, few distinct times (ties
// are common), any failure names its seed.
TEST(TimerQueue, UpdateMovesATimerLikeEraseAndInsertInAnOrderedSet) {
  for (std::uint64_t seed = 1; seed <= 50; ++seed) {
    RandomStream rng(seed);
    const int workers = 1 + static_cast<int>(rng.uniform_inclusive(100));
    TimerQueue queue;
    queue.reserve(static_cast<std::size_t>(workers));
    std::set<std::pair<VirtualTime, WorkerId>> model;
    std::vector<VirtualTime> wake(static_cast<std::size_t>(workers), -1);  // -1: no timer
    VirtualTime now = 0;
    for (int op = 0; op < 5000; ++op) {
      const auto w = static_cast<WorkerId>(rng.uniform_inclusive(static_cast<std::uint64_t>(workers - 1)));
      VirtualTime& mine = wake[static_cast<std::size_t>(w)];
      const std::uint64_t kind = rng.uniform_inclusive(2);
      if (kind == 0 && mine < 0) {
        mine = now + static_cast<VirtualTime>(rng.uniform_inclusive(3));
        queue.push({mine, w});
        model.emplace(mine, w);
      } else if (kind == 1) {
        const VirtualTime to = now + static_cast<VirtualTime>(rng.uniform_inclusive(3));
        ASSERT_EQ(queue.update(w, to), mine >= 0) << "seed " << seed;
        if (mine >= 0) {
          model.erase({mine, w});
          model.emplace(to, w);
          mine = to;
        }
      } else if (!model.empty()) {
        const auto first = *model.begin();
        const bool tied = model.size() > 1 && std::next(model.begin())->first == first.first;
        ASSERT_EQ(queue.top_is_tied(), tied) << "seed " << seed;
        const Timer t = queue.pop();
        ASSERT_EQ(t.wake_us, first.first) << "seed " << seed;
        ASSERT_EQ(t.worker, first.second) << "seed " << seed;
        model.erase(model.begin());
        wake[static_cast<std::size_t>(t.worker)] = -1;
        now = t.wake_us;
      }
      ASSERT_EQ(queue.size(), model.size()) << "seed " << seed;
    }
    while (!model.empty()) {
      ASSERT_EQ(queue.pop().worker, model.begin()->second) << "seed " << seed;
      model.erase(model.begin());
    }
    EXPECT_TRUE(queue.empty());
  }
}

}  // namespace
}  // namespace samplersim

namespace samplersim {
namespace {

// Wake-ups near the wheel's edge (issue 15's wheel: within TimerQueue::kWheelSlots us of the last
// popped time a timer goes to the wheel if its slot is free, else to the heap). An instant pushed
// while it was just beyond the edge (heap) and again once it came within (wheel), or pushed twice
// within, has entries in both parts: the order and top_is_tied() must take both into account, as
// an ordered set does. 50 fixed seeds;
// pushes, updates and pops in random order; any failure names its seed.
TEST(TimerQueue, TimersOnBothSidesOfTheWheelEdgeKeepTheOrderedSetOrder) {
  constexpr auto kEdge = static_cast<VirtualTime>(TimerQueue::kWheelSlots);
  std::int64_t cross_ties = 0;  // pops at an instant with entries in both parts (by construction below)
  for (std::uint64_t seed = 1; seed <= 50; ++seed) {
    RandomStream rng(seed);
    const int workers = static_cast<int>(TimerQueue::kWheelMinWorkers + rng.uniform_inclusive(200));  // with a wheel
    TimerQueue queue;
    queue.reserve(static_cast<std::size_t>(workers));
    std::set<std::pair<VirtualTime, WorkerId>> model;
    std::vector<VirtualTime> wake(static_cast<std::size_t>(workers), -1);  // -1: no timer
    std::vector<VirtualTime> pushed_at(static_cast<std::size_t>(workers), -1);
    VirtualTime now = 0;
    // Near (0..3 us), around the edge (edge - 3 .. edge + 3) or far beyond it (2 edges + 0..3).
    const auto draw = [&] {
      switch (rng.uniform_inclusive(2)) {
        case 0: return now + static_cast<VirtualTime>(rng.uniform_inclusive(3));
        case 1: return now + kEdge - 3 + static_cast<VirtualTime>(rng.uniform_inclusive(6));
        default: return now + 2 * kEdge + static_cast<VirtualTime>(rng.uniform_inclusive(3));
      }
    };
    for (int op = 0; op < 20000; ++op) {
      const auto w = static_cast<WorkerId>(rng.uniform_inclusive(static_cast<std::uint64_t>(workers - 1)));
      VirtualTime& mine = wake[static_cast<std::size_t>(w)];
      const std::uint64_t kind = rng.uniform_inclusive(9);
      if (kind < 4 && mine < 0) {
        mine = draw();
        pushed_at[static_cast<std::size_t>(w)] = now;
        queue.push({mine, w});
        model.emplace(mine, w);
      } else if (kind == 4) {
        const VirtualTime to = draw();
        ASSERT_EQ(queue.update(w, to), mine >= 0) << "seed " << seed;
        if (mine >= 0) {
          model.erase({mine, w});
          model.emplace(to, w);
          mine = to;
          pushed_at[static_cast<std::size_t>(w)] = now;
        }
      } else if (!model.empty()) {
        const auto first = *model.begin();
        const bool tied = model.size() > 1 && std::next(model.begin())->first == first.first;
        ASSERT_EQ(queue.top().wake_us, first.first) << "seed " << seed;
        ASSERT_EQ(queue.top().worker, first.second) << "seed " << seed;
        ASSERT_EQ(queue.top_is_tied(), tied) << "seed " << seed;
        if (tied) {
          // Entries of this instant pushed when it was beyond the edge and when it was within.
          bool far = false;
          bool near = false;
          for (auto it = model.begin(); it != model.end() && it->first == first.first; ++it) {
            const bool was_far = it->first - pushed_at[static_cast<std::size_t>(it->second)] >= kEdge;
            far = far || was_far;
            near = near || !was_far;
          }
          cross_ties += far && near ? 1 : 0;
        }
        const Timer t = queue.pop();
        ASSERT_EQ(t.wake_us, first.first) << "seed " << seed;
        ASSERT_EQ(t.worker, first.second) << "seed " << seed;
        model.erase(model.begin());
        wake[static_cast<std::size_t>(t.worker)] = -1;
        now = t.wake_us;
      }
      ASSERT_EQ(queue.size(), model.size()) << "seed " << seed;
    }
    while (!model.empty()) {
      ASSERT_EQ(queue.top_is_tied(), model.size() > 1 && std::next(model.begin())->first == model.begin()->first)
          << "seed " << seed;
      ASSERT_EQ(queue.pop().worker, model.begin()->second) << "seed " << seed;
      model.erase(model.begin());
    }
    EXPECT_TRUE(queue.empty());
  }
  EXPECT_GT(cross_ties, 0) << "the seeds no longer reach an instant with entries on both sides of the edge";
}

}  // namespace
}  // namespace samplersim
