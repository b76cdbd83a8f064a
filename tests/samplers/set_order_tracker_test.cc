// Differential tests of the incremental set-order model (samplers/set_order_tracker.h) against the
// literal IntSetTable emulation (samplers/cpython_set_order.h): TimedTable against IntSetTable on
// random timed insert/remove histories, and SetOrderTracker against reference_target_list along
// simulated runs (ids claimed uniformly at random, in ascending or descending runs, low ids first,
// or in clustered blocks; several processes; each claim's id finished later), synced after every
// event or in batches. Large grids (up to 2^21 ids) in a reduced form: runs start near a growth
// trigger of the unvisited set, and the tracker is checked against the reference at a few points.
// Every case comes from a fixed seed; nothing depends on the clock.
#include "samplers/set_order_tracker.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <numeric>
#include <random>
#include <vector>

#include "samplers/cpython_set_order.h"
#include "sim/id_bitset.h"

namespace samplersim {
namespace {

using Rng = std::mt19937_64;

int below(Rng& rng, int n) { return static_cast<int>(rng() % static_cast<std::uint64_t>(n)); }

// The slots of IntSetTable after inserting `keys` (in `order` of their times) into `size` slots.
std::vector<int> reference_slots(std::size_t size, const std::vector<std::pair<std::int64_t, int>>& timed) {
  std::vector<std::pair<std::int64_t, int>> by_time = timed;
  std::sort(by_time.begin(), by_time.end());
  IntSetTable t = IntSetTable::with_table_size(size);
  for (const auto& [time, key] : by_time) t.insert_clean(key);
  std::vector<int> slots(size);
  for (std::size_t s = 0; s < size; ++s) slots[s] = t.slot(s);
  return slots;
}

TEST(TimedTable, EqualsInsertionInTimeOrderAfterEveryInsertAndRemove) {
  Rng rng(20261202);
  int displaced = 0;
  int chained = 0;
  for (int c = 0; c < 400; ++c) {
    const std::size_t size = std::size_t{8} << below(rng, 8);  // 8 .. 1024 slots
    const int max_keys = static_cast<int>(size * 3 / 5);
    const int key_range = below(rng, 3) == 0 ? static_cast<int>(size) : static_cast<int>(size) * (2 + below(rng, 6));
    TimedTable table(size);
    std::vector<std::pair<std::int64_t, int>> present;  // (time, key)
    std::vector<char> used(static_cast<std::size_t>(key_range), 0);
    std::vector<char> time_used(1 << 16, 0);
    for (int step = 0; step < 3 * max_keys; ++step) {
      const bool add = present.empty() || (static_cast<int>(present.size()) < max_keys && below(rng, 3) != 0);
      if (add) {
        int key = below(rng, key_range);
        while (used[static_cast<std::size_t>(key)] != 0) key = (key + 1) % key_range;
        int time = below(rng, 1 << 16);
        while (time_used[static_cast<std::size_t>(time)] != 0) time = (time + 1) % (1 << 16);
        used[static_cast<std::size_t>(key)] = 1;
        time_used[static_cast<std::size_t>(time)] = 1;
        table.clear_log();
        table.insert(key, time);
        displaced += table.log().size() > 1 ? 1 : 0;
        present.emplace_back(time, key);
      } else {
        const auto i = static_cast<std::size_t>(below(rng, static_cast<int>(present.size())));
        table.clear_log();
        table.remove(present[i].second);
        chained += table.log().size() > 1 ? 1 : 0;
        used[static_cast<std::size_t>(present[i].second)] = 0;
        time_used[static_cast<std::size_t>(present[i].first)] = 0;
        present.erase(present.begin() + static_cast<std::ptrdiff_t>(i));
      }
      const std::vector<int> want = reference_slots(size, present);
      for (std::size_t s = 0; s < size; ++s) {
        ASSERT_EQ(table.key_at(s), want[s]) << "case " << c << " step " << step << " slot " << s << " size " << size;
      }
    }
  }
  // Both chains must occur, or the comparison proves little.
  EXPECT_GT(displaced, 1000);
  EXPECT_GT(chained, 1000);
}

// A simulated run over grid ids [0, n): the index's bitsets and a journal of changed ids, as the
// study store keeps them.
struct SimRun {
  int n = 0;
  std::vector<char> visited;
  std::vector<int> running_count;
  IdBitset unfinished;
  IdBitset free;
  std::vector<std::int64_t> journal;
  std::size_t visited_count = 0;
  std::size_t running_distinct = 0;

  explicit SimRun(int ids) : n(ids), visited(static_cast<std::size_t>(ids), 0), running_count(static_cast<std::size_t>(ids), 0) {
    unfinished.resize(ids, true);
    free.resize(ids, true);
  }
  void refresh(int id) {
    const auto i = static_cast<std::size_t>(id);
    unfinished.set(id, visited[i] == 0);
    free.set(id, visited[i] == 0 && running_count[i] == 0);
    journal.push_back(id);
  }
  void start(int id) {
    if (running_count[static_cast<std::size_t>(id)]++ == 0) ++running_distinct;
    refresh(id);
  }
  void finish(int id) {
    const auto i = static_cast<std::size_t>(id);
    if (--running_count[i] == 0) --running_distinct;
    if (visited[i] == 0) ++visited_count;
    visited[i] = 1;
    refresh(id);
  }
  ListCounts counts() const {
    ListCounts c;
    c.n = static_cast<std::size_t>(n);
    c.visited = visited_count;
    c.running = running_distinct;
    c.free = static_cast<std::size_t>(free.count());
    c.max_unvisited = unfinished.last();
    c.max_free = free.last();
    return c;
  }
  std::vector<int> reference() const {
    std::vector<int> v;
    std::vector<int> r;
    for (int k = 0; k < n; ++k) {
      if (visited[static_cast<std::size_t>(k)] != 0) v.push_back(k);
      if (running_count[static_cast<std::size_t>(k)] != 0) r.push_back(k);
    }
    return reference_target_list(n, v, r);
  }
};

enum class Claims { kUniform, kAscending, kDescending, kLowFirst, kBlocks };

// The id a process claims next: free ids only (as a run draws them while free ids remain), else any
// unvisited id (the fallback), else -1.
int pick(SimRun& run, Claims how, Rng& rng, int& cursor) {
  const IdBitset& from = run.free.count() > 0 ? run.free : run.unfinished;
  if (from.count() == 0) return -1;
  const std::int64_t count = from.count();
  switch (how) {
    case Claims::kUniform: return static_cast<int>(from.select(static_cast<std::int64_t>(rng() % static_cast<std::uint64_t>(count))));
    case Claims::kAscending: return static_cast<int>(from.select(0));
    case Claims::kDescending: return static_cast<int>(from.last());
    case Claims::kLowFirst: {  // low ids far more often: the high ids, which wrap, stay unvisited
      const std::int64_t k = static_cast<std::int64_t>(rng() % static_cast<std::uint64_t>(count));
      return static_cast<int>(from.select(below(rng, 4) == 0 ? k : k / 8));
    }
    case Claims::kBlocks: {  // runs of neighbouring ids from a random start
      if (below(rng, 32) == 0) cursor = below(rng, run.n);
      for (int step = 0; step < run.n; ++step, cursor = (cursor + 1) % run.n) {
        if (from.test(cursor)) return cursor;
      }
      return -1;
    }
  }
  return -1;
}

struct RunStats {
  int compared = 0;
  int non_ascending = 0;
};

// Runs `run` to completion with `processes` workers; whenever the tracker applies, syncs it (every
// `sync_every` events) and compares every `check_every`-th time with the reference.
void drive(SimRun& run, int processes, Claims how, Rng& rng, int sync_every, int check_every, RunStats& stats,
           const char* what) {
  SetOrderTracker tracker;
  std::vector<int> in_flight;
  int cursor = 0;
  int events = 0;
  int syncs = 0;
  for (;;) {
    const bool can_start = static_cast<int>(in_flight.size()) < processes && run.visited_count < static_cast<std::size_t>(run.n);
    if (in_flight.empty() && !can_start) break;
    if (can_start && (in_flight.empty() || below(rng, 2) == 0)) {
      const int id = pick(run, how, rng, cursor);
      if (id < 0) break;
      run.start(id);
      in_flight.push_back(id);
    } else {
      const auto i = static_cast<std::size_t>(below(rng, static_cast<int>(in_flight.size())));
      run.finish(in_flight[i]);
      in_flight.erase(in_flight.begin() + static_cast<std::ptrdiff_t>(i));
    }
    ++events;
    const ListCounts c = run.counts();
    if (!SetOrderTracker::applies(c) || events % sync_every != 0) continue;
    tracker.sync(run.unfinished, run.free, run.journal);
    run.journal.clear();
    if (++syncs % check_every != 0) continue;
    const std::vector<int> want = run.reference();
    ASSERT_EQ(tracker.target_list(), want) << what << " n " << run.n << " event " << events;
    ASSERT_EQ(static_cast<std::int64_t>(want.size()), run.free.count());
    const auto k = static_cast<std::size_t>(below(rng, static_cast<int>(want.size())));
    ASSERT_EQ(tracker.target_at(static_cast<std::int64_t>(k)), want[k]) << what << " k " << k;
    ++stats.compared;
    stats.non_ascending += std::is_sorted(want.begin(), want.end()) ? 0 : 1;
  }
}

TEST(SetOrderTracker, EqualsReferenceAlongSimulatedRuns) {
  constexpr Claims kModes[] = {Claims::kUniform, Claims::kAscending, Claims::kDescending, Claims::kLowFirst,
                               Claims::kBlocks};
  Rng rng(42);
  RunStats stats;
  for (int c = 0; c < 80; ++c) {
    const Claims how = kModes[static_cast<std::size_t>(c) % std::size(kModes)];
    int n = c % 6 == 0 ? 3000 + below(rng, 5000) : 16 + below(rng, 1500);
    if (c % 10 == 1) n = 4 + below(rng, 60);  // tiny grids: tables of 8-128 slots
    const int processes = 1 + below(rng, c % 3 == 0 ? 64 : 8);
    const int sync_every = c % 4 == 0 ? 1 + below(rng, 20) : 1;
    SimRun run(n);
    drive(run, processes, how, rng, sync_every, n > 3000 ? 25 : 1, stats, "run");
    if (HasFatalFailure()) return;
  }
  // The runs must reach the wrapped (non-ascending) lists, where the tracker does real work.
  EXPECT_GT(stats.compared, 5000);
  EXPECT_GT(stats.non_ascending, 2000);
}

// Large grids, reduced: visit all but `left` ids at random (no tracker yet), then run on from there
// with the tracker synced after every event, comparing with the reference at a few points (each
// comparison builds every set of the reference: ~0.1-1 s at 2^21 ids).
TEST(SetOrderTracker, EqualsReferenceOnLargeGridsNearGrowthTriggers) {
  Rng rng(2097152);
  RunStats stats;
  // Unvisited counts just above growth triggers of the new set (78,643 and 157,286 keys) and the
  // copy's size steps, so the runs cross a layout change with large tables on both sides.
  const int starts[] = {19700, 78700, 131100, 157400};
  const int grids[] = {1 << 21, 1000000, 700001, 786435};
  for (std::size_t c = 0; c < std::size(grids); ++c) {
    const int n = grids[c];
    const int left = starts[c];
    SimRun run(n);
    std::vector<int> ids(static_cast<std::size_t>(n));
    std::iota(ids.begin(), ids.end(), 0);
    std::shuffle(ids.begin(), ids.end(), rng);
    for (int i = 0; i < n - left; ++i) {
      run.start(ids[static_cast<std::size_t>(i)]);
      run.finish(ids[static_cast<std::size_t>(i)]);
    }
    run.journal.clear();
    SetOrderTracker tracker;
    std::vector<int> in_flight;
    const int processes = 1024;
    for (int event = 0; event < 6000; ++event) {
      if (static_cast<int>(in_flight.size()) < processes && (in_flight.empty() || below(rng, 2) == 0)) {
        const std::int64_t k = static_cast<std::int64_t>(rng() % static_cast<std::uint64_t>(run.free.count()));
        const int id = static_cast<int>(run.free.select(k));
        run.start(id);
        in_flight.push_back(id);
      } else {
        const auto i = static_cast<std::size_t>(below(rng, static_cast<int>(in_flight.size())));
        run.finish(in_flight[i]);
        in_flight.erase(in_flight.begin() + static_cast<std::ptrdiff_t>(i));
      }
      if (!SetOrderTracker::applies(run.counts())) continue;
      tracker.sync(run.unfinished, run.free, run.journal);
      run.journal.clear();
      if (event % 2000 != 1999) continue;
      const std::vector<int> want = run.reference();
      ASSERT_EQ(tracker.target_list(), want) << "n " << n << " event " << event;
      ++stats.compared;
      stats.non_ascending += std::is_sorted(want.begin(), want.end()) ? 0 : 1;
    }
    EXPECT_GE(tracker.rebuilds(), 1);
  }
  EXPECT_EQ(stats.compared, 12);
  EXPECT_EQ(stats.non_ascending, 12);
}

}  // namespace
}  // namespace samplersim
