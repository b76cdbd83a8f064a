// SetOrderTracker: Optuna 3.x's target list L = list((set(range(n)) - set(V)) - set(R)), kept up to
// date across trials instead of rebuilt per trial, so that L[k] costs a select over slots.
//
// It covers the shape that is expensive to emulate (cpython_set_order.h): the first difference
// takes the new-set path (|V| >= n/4: the unvisited ids U are added in ascending order to a set
// that grows by rebuilds), the second the copy path ((|U| >> 2) > |set(R)|: the result is that
// table copied slot for slot, or re-inserted in its slot order into a table of another size, then
// R's keys deleted). That table holds only U, so it changes only when an id leaves U; R only
// decides which occupied slots are in L (a bitset over slots, with select()).
//
// Model: every table of the chain (each growth generation, and the copy's table when its size
// differs) is a TimedTable: the result of inserting keys at given times, each at the first slot on
// its CPython probe walk that is free at its time (no table here ever sees a deletion before an
// add). A generation's rebuilt keys have as time their slot in the previous generation (rebuilds
// re-insert in old slot order); keys added after the rebuild have time (previous size + key), so
// they follow in ascending order. Removing a key from such a history is exact and local: its slot
// becomes a hole, which the earliest later key whose walk passes the hole moves into, leaving a
// hole at its old slot, and so on; inserting a key at a time displaces the first occupant on its
// walk that came later, which walks on. When an id leaves U: in each generation that holds it, it
// is removed; the key that now enters before the growth is inserted last; keys whose slot changed
// in the previous generation are re-timed (removed, re-inserted). When |U| crosses a growth trigger
// or the copy's size changes, everything is rebuilt from U (a few times per run).
//
// Invariants: after sync(), for counts where applies() holds, target_at(k) == the k-th element of
// reference_target_list (tests/samplers/set_order_tracker_test.cc holds the two against each other
// on random and clustered runs); the tables only ever hold U's keys.
// Cost: sync O(changed ids x (generations holding the id x chain length x probe walk)), in
// practice a few microseconds per id at 10^6 ids; a rebuild O(sum of table sizes); target_at
// O(table size / 4096 + 64). Memory ~12 bytes per slot of every table (about 2 x the final table).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <unordered_map>
#include <utility>
#include <vector>

#include "samplers/cpython_set_order.h"
#include "sim/id_bitset.h"

namespace samplersim {

// A CPython set table as a timed insertion history (see above). Keys are distinct ints >= 0.
class TimedTable {
 public:
  explicit TimedTable(std::size_t size);  // power of two >= 8

  std::size_t size() const { return keys_.size(); }
  int key_at(std::size_t slot) const { return keys_[slot]; }
  std::int64_t time_at(std::size_t slot) const { return times_[slot]; }
  // The key's slot, or -1 when absent. O(probe walk).
  std::ptrdiff_t find(int key) const;

  // The table of the history plus `key` (absent) at `time` (distinct from every present time).
  void insert(int key, std::int64_t time);
  // The table of the history without `key` (present).
  void remove(int key);

  // Every slot change since clear_log(): key, slot before (-1: absent), slot after (-1: absent).
  struct Move {
    int key;
    std::ptrdiff_t from;
    std::ptrdiff_t to;
  };
  const std::vector<Move>& log() const { return log_; }
  void clear_log() { log_.clear(); }

 private:
  bool overflows(int key, std::size_t slot) const;  // slot outside the key's first probe window
  void index_passes(int key, std::size_t slot, bool add);
  void place(int key, std::int64_t time, std::size_t slot);

  std::size_t mask_;
  std::vector<int> keys_;            // slot -> key, -1 empty
  std::vector<std::int64_t> times_;  // slot -> its key's time
  // For keys outside their first window only: slot -> (key, key's slot) for every slot the key's
  // walk passes before its own (keys inside their first window are found by looking 9 slots on).
  std::unordered_map<std::size_t, std::vector<std::pair<int, std::size_t>>> passes_;
  std::vector<Move> log_;
};

class SetOrderTracker {
 public:
  explicit SetOrderTracker(SetGrowthRule rule = SetGrowthRule::kPython37Plus) : rule_(rule) {}

  // Whether target_at answers for these counts (first difference: new-set path; second: copy
  // path; at least one free id).
  static bool applies(const ListCounts& c);

  // Brings the tracker to U = `unfinished`, free ids = `free` (both over [0, n)). `changed` must hold
  // every id whose membership in either changed since the last sync (any order, repeats allowed);
  // the first sync, a different n or an id that re-enters U rebuilds from the bitsets.
  void sync(const IdBitset& unfinished, const IdBitset& free, std::span<const std::int64_t> changed);
  bool built() const { return built_; }

  // L[k] for the counts of the last sync (applies() must hold). k < free ids.
  int target_at(std::int64_t k) const;
  // |L|: free ids the tables hold.
  std::int64_t size() const { return listed_.count(); }
  // All of L (tests).
  std::vector<int> target_list() const;
  // Full rebuilds so far (tests, benchmarks).
  std::int64_t rebuilds() const { return rebuilds_; }

 private:
  struct Layout {
    std::vector<std::size_t> sizes;     // generation g's table size
    std::vector<std::size_t> triggers;  // keys present at the growth into generation g (0 for g = 0)
    std::size_t copy_size = 0;          // the copy's table size when it differs from the last, else 0
    bool operator==(const Layout&) const = default;
  };
  Layout layout_for(std::size_t keys) const;
  void rebuild(const IdBitset& unfinished, const IdBitset& free);
  // `key` leaves U; false when the layout changes (the caller rebuilds).
  bool erase(int key, const IdBitset& free);
  const TimedTable& final_table() const { return tables_.back(); }
  void refresh_slot(std::size_t slot, const IdBitset& free);

  SetGrowthRule rule_;
  bool built_ = false;
  std::int64_t n_ = 0;
  std::int64_t rebuilds_ = 0;
  IdBitset in_u_;               // U as the tables hold it
  Layout layout_;
  std::vector<TimedTable> tables_;  // generations, then the copy's table if any
  std::vector<int> boundary_;       // generation g (not the last): the largest key it holds
  IdBitset listed_;             // final table slots whose key is free
};

}  // namespace samplersim
