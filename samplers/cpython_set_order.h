// CPython set iteration order for small non-negative ints, as Optuna's GridSampler builds its
// target list: L = list((set(range(N)) - set(visited)) - set(running)) and the fallback
// list(set(range(N)) - set(visited)). Reference: shared/reference/optuna-grid-behaviour.md
// section 7 (and the vectors in section 8).
//
// Two layers:
//  - IntSetTable: a literal emulation of CPython's open-addressed set table (hash(k) == k, probe
//    walk with LINEAR_PROBES = 9 and PERTURB_SHIFT = 5, fill/used, growth and rebuild, the
//    set_merge copy, A - B with its copy path and new-set path). It is the reference.
//  - unvisited_order / fallback_list / target_list: the per-trial entry points. They compute the
//    same lists from membership masks without building any set: first only the counts and
//    table sizes that decide each difference's path (set(range(N)) is known to hold key k in
//    slot k); when every key provably sits in its home slot the answer is the ascending
//    survivors, compacted straight from the masks. Otherwise they emulate only what can move:
//    keys added in ascending order need walking only for those at or above the table size
//    (over an occupancy bitmap); other insertion orders use a tight full-table emulation.
//
// Invariants: keys are ints >= 0 (hash(k) == k); results never depend on the order of the ids in
// `visited` / `running`, only on membership and the number of distinct ids (|B| decides between
// the copy path and the new-set path). The fast entry points must equal the reference emulation
// for every input (tested on thousands of random cases and against real CPython). This file never
// holds state between calls and never reads anything but its arguments.
// Cost: entry points are O(N) per call: a few word-at-a-time passes over the masks (8 ids per
// step), plus, when keys wrap, O(wrapped keys x walk + table words) or at worst O(S) for an
// emulated table of S <= 8 x survivors slots. Measured for N = 10,000 at -O2: ~5-10 us per call
// when the answer is ascending, ~10-25 us when it is not. The reference is O(N + |V| + |R|) with
// far larger constants (it builds every set: ~0.3-1 ms at N = 10,000); use it in tests only.
// Across trials, samplers/set_order_tracker.h keeps the wrapped target list (first difference on the
// new-set path, second on the copy path) up to date instead, for O(1)-ish draws of one element.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <span>
#include <vector>

namespace samplersim {

// The only behavioural difference observed between CPython versions (section 7): when an add makes
// the table grow. 3.7+: fill*5 >= mask*3. 3.6: fill*3 >= mask*2.
enum class SetGrowthRule : std::uint8_t { kPython37Plus, kPython36 };

class IntSetTable {
 public:
  static constexpr std::size_t kMinSize = 8;       // PySet_MINSIZE
  static constexpr std::size_t kLinearProbes = 9;  // LINEAR_PROBES
  static constexpr unsigned kPerturbShift = 5;     // PERTURB_SHIFT
  static constexpr int kEmptySlot = -1;            // slot value: never used
  static constexpr int kDummySlot = -2;            // slot value: DELETED

  // set(): empty table of kMinSize slots.
  explicit IntSetTable(SetGrowthRule rule = SetGrowthRule::kPython37Plus);

  // An empty table of `table_size` slots (a power of two >= kMinSize), as set_table_resize leaves
  // it before re-inserting. Throws std::invalid_argument otherwise.
  static IntSetTable with_table_size(std::size_t table_size,
                                     SetGrowthRule rule = SetGrowthRule::kPython37Plus);

  // set(range(n)): adds 0, 1, ..., n-1 one by one (so the table ends with key k in slot k).
  static IntSetTable from_range(int n, SetGrowthRule rule = SetGrowthRule::kPython37Plus);

  // set(keys): adds the keys in the given order (duplicates are no-ops).
  static IntSetTable from_keys(std::span<const int> keys,
                               SetGrowthRule rule = SetGrowthRule::kPython37Plus);

  // set_add_entry: walk to the key (no-op) or the first EMPTY slot, store it, fill/used += 1, then
  // grow if the growth rule says so. Requires key >= 0 and no DELETED slots (the modelled
  // operations never add after a deletion, so dummy reuse is deliberately not modelled): throws
  // std::invalid_argument / std::logic_error otherwise.
  void add(int key);

  // set_insert_clean: store an absent key at the first EMPTY slot on its walk; no growth check.
  // Requires key >= 0, key absent and a free slot (std::logic_error otherwise).
  void insert_clean(int key);

  // set_contains_entry.
  bool contains(int key) const;

  // set_discard_entry: mark the key's slot DELETED (used -= 1, fill unchanged). Returns whether
  // the key was present.
  bool discard(int key);

  // set_table_resize(minused): new size = smallest power of two > minused (at least kMinSize);
  // live keys re-inserted in old slot order; DELETED slots dropped (fill = used).
  void rebuild(std::size_t minused);

  // set(self) / self.copy(): set_merge into an empty set. Presize to 2*|self| when
  // |self|*5 >= 21 (|self| >= 5); copy slot for slot if the sizes match and self has no DELETED
  // slots, else re-insert in self's slot order.
  IntSetTable copy() const;

  // self - other (set_difference): copy path if (|self| >> 2) > |other| (copy, then discard
  // other's keys), else a new set built by adding self's keys not in other, in slot order.
  // The result uses self's growth rule.
  IntSetTable difference(const IntSetTable& other) const;

  // Iteration order: live keys in slot order.
  std::vector<int> keys() const;

  std::size_t size() const { return used_; }   // live keys (used)
  std::size_t fill() const { return fill_; }   // live + DELETED slots
  std::size_t table_size() const { return slots_.size(); }
  bool has_dummies() const { return fill_ != used_; }
  SetGrowthRule rule() const { return rule_; }
  // Raw slot content: a key, kEmptySlot or kDummySlot.
  int slot(std::size_t index) const { return slots_.at(index); }

 private:
  IntSetTable(std::size_t table_size, SetGrowthRule rule);

  // First slot on key's walk that holds the key or is EMPTY (DELETED slots are walked past).
  std::size_t walk(int key) const;
  bool needs_growth() const;

  std::vector<int> slots_;
  std::size_t fill_ = 0;
  std::size_t used_ = 0;
  SetGrowthRule rule_;
};

// Smallest power of two > minused, at least IntSetTable::kMinSize (set_table_resize's size).
std::size_t set_table_size_for(std::size_t minused);

// The growth chain's pieces, as the functions above use them: the fill at which an add into a
// table of `size` slots (no deletions) makes it grow, the minused that growth passes to
// set_table_resize, and the table size of `count` keys merged into an empty set (set(A), A.copy()).
std::size_t set_growth_trigger(std::size_t size, SetGrowthRule rule = SetGrowthRule::kPython37Plus);
std::size_t set_growth_minused(std::size_t used);
std::size_t set_merge_table_size(std::size_t count);

// Table size of a set that received `count` successful adds starting empty (no deletions),
// e.g. the new-set path of A - B with `count` survivors. O(log count).
std::size_t set_table_size_after_adds(std::size_t count,
                                      SetGrowthRule rule = SetGrowthRule::kPython37Plus);

// list(set(range(n)) - B), B given as a membership mask over [0, n) (in_b.size() == n, nonzero =
// member) plus its distinct count b_distinct >= number of members in the mask (members of B
// outside [0, n) only add to the count). Throws std::invalid_argument on bad sizes/counts.
std::vector<int> unvisited_order(int n, const std::vector<std::uint8_t>& in_b, int b_distinct,
                                 SetGrowthRule rule = SetGrowthRule::kPython37Plus);

// list(set(range(n)) - set(V)), V given by its membership mask (size n).
std::vector<int> fallback_list(int n, const std::vector<std::uint8_t>& visited_mask,
                               SetGrowthRule rule = SetGrowthRule::kPython37Plus);

// list((set(range(n)) - set(V)) - set(R)). The second difference's B is set(R): its membership
// removes running ids, and its size |set(R)| counts every distinct running id, including ids that
// are also visited (they are no longer in the left set, yet still push toward the new-set path).
std::vector<int> target_list(int n, const std::vector<std::uint8_t>& visited_mask,
                             const std::vector<std::uint8_t>& running_mask,
                             SetGrowthRule rule = SetGrowthRule::kPython37Plus);

// What target_list / fallback_list return, decided from counts alone (no mask is read): kAscending
// means the list is the ascending ids in the set it draws from (free ids: neither visited nor
// running; for the fallback, unvisited ids), so a caller that keeps those ids in an IdBitset
// (sim/id_bitset.h) can take its k-th element with select() instead of building the list; kOther:
// build it with the masks. target_list and fallback_list decide through these, so the two can never
// disagree. O(log n).
enum class ListShape : std::uint8_t { kAscending, kOther };

struct ListCounts {
  std::size_t n = 0;
  std::size_t visited = 0;            // distinct visited ids (all in [0, n))
  std::size_t running = 0;            // |set(R)|: distinct running ids, visited or not
  std::size_t free = 0;               // ids neither visited nor running
  std::ptrdiff_t max_unvisited = -1;  // largest id not visited, -1 if none
  std::ptrdiff_t max_free = -1;       // largest free id, -1 if none
};
ListShape target_list_shape(const ListCounts& c, SetGrowthRule rule = SetGrowthRule::kPython37Plus);
ListShape fallback_list_shape(const ListCounts& c, SetGrowthRule rule = SetGrowthRule::kPython37Plus);

// The ids the lists are made of, in ascending order, as the caller enumerates them (from masks, or
// from IdBitsets in O(n / 64 + ids) instead of O(n)): unvisited ids (c.n - c.visited of them) and
// free ids (c.free). Each is called at most twice per list.
struct AscendingIds {
  std::function<std::vector<int>()> unvisited;
  std::function<std::vector<int>()> free;
};

// target_list / fallback_list from counts, ascending ids and the running ids' mask (membership of
// ids < c.n, may be null for the fallback): the same lists as the mask entry points below, which
// are these with counts and ids taken from the masks. Cost: the enumerations plus the emulation of
// what moves (see above); no scan of every id of its own.
std::vector<int> target_list(const ListCounts& c, const AscendingIds& ids, const std::uint8_t* running_mask,
                             SetGrowthRule rule = SetGrowthRule::kPython37Plus);
std::vector<int> fallback_list(const ListCounts& c, const AscendingIds& ids,
                               SetGrowthRule rule = SetGrowthRule::kPython37Plus);

// Literal emulations with IntSetTable (the reference the fast entry points are tested against).
// visited / running are grid-id lists as Optuna collects them: any order, duplicates allowed,
// ids >= 0 (ids >= n are allowed and simply absent from range(n)).
std::vector<int> reference_target_list(int n, std::span<const int> visited,
                                       std::span<const int> running,
                                       SetGrowthRule rule = SetGrowthRule::kPython37Plus);
std::vector<int> reference_fallback_list(int n, std::span<const int> visited,
                                         SetGrowthRule rule = SetGrowthRule::kPython37Plus);
// Reference for unvisited_order: B = mask members plus (b_distinct - members) extra keys n, n+1...
std::vector<int> reference_unvisited_order(int n, const std::vector<std::uint8_t>& in_b,
                                           int b_distinct,
                                           SetGrowthRule rule = SetGrowthRule::kPython37Plus);

}  // namespace samplersim
