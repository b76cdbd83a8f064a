// CPython small-int set order: table emulation and Optuna target-list entry points; see
// cpython_set_order.h for invariants and cost.
#include "samplers/cpython_set_order.h"

#include <algorithm>
#include <bit>
#include <stdexcept>
#include <string>
#include <utility>

namespace samplersim {
namespace {

constexpr std::size_t kMinSize = IntSetTable::kMinSize;

// The growth test set_add_entry applies after storing a new key.
bool growth_due(std::size_t fill, std::size_t mask, SetGrowthRule rule) {
  return rule == SetGrowthRule::kPython36 ? fill * 3 >= mask * 2 : fill * 5 >= mask * 3;
}

// The minused argument set_add_entry passes to set_table_resize when it grows.
std::size_t growth_minused(std::size_t used) { return used > 50000 ? used * 2 : used * 4; }

// Table size after set_merge of `count` keys into an empty set (set(A), A.copy(), and the first
// step of the copy path of A - B): presized to 2*count when (0 + count)*5 >= mask*3 = 21.
std::size_t merge_table_size(std::size_t count) {
  return count * 5 >= (kMinSize - 1) * 3 ? set_table_size_for(2 * count) : kMinSize;
}

// Keys of `keys` whose mask entry is zero, order kept. Branch-free so random masks do not cost a
// misprediction per key. Every key must be < mask.size().
std::vector<int> keep_unmasked(const std::vector<int>& keys, const std::vector<std::uint8_t>& mask) {
  std::vector<int> out(keys.size());
  std::size_t j = 0;
  for (const int k : keys) {
    out[j] = k;
    j += static_cast<std::size_t>(mask[static_cast<std::size_t>(k)] == 0);
  }
  out.resize(j);
  return out;
}

std::size_t count_members(const std::vector<std::uint8_t>& mask) {
  std::size_t members = 0;
  for (const std::uint8_t m : mask) members += static_cast<std::size_t>(m != 0);
  return members;
}

void check_mask(int n, const std::vector<std::uint8_t>& mask, const char* what) {
  if (n < 0) throw std::invalid_argument(std::string(what) + ": n must be >= 0");
  if (mask.size() != static_cast<std::size_t>(n)) {
    throw std::invalid_argument(std::string(what) + ": mask size " + std::to_string(mask.size()) +
                                " != n " + std::to_string(n));
  }
}

// What the fast path knows about an intermediate set: its live keys in slot order and enough of
// its table to decide the next difference.
struct Layout {
  std::vector<int> order;  // live keys in slot (iteration) order
  std::size_t table_size = kMinSize;
  bool has_dummies = false;  // some slot is DELETED (decides the slot-for-slot copy)
  bool ascending = true;     // order is sorted (every key in its home slot)
};

int max_key(const std::vector<int>& keys, bool ascending) {
  return ascending ? keys.back() : *std::max_element(keys.begin(), keys.end());
}

// set(range(n)) - B. set(range(n)) holds key k in slot k (its table is larger than n), so its
// slot order is 0..n-1 and it has no DELETED slots.
Layout range_minus(int n, const std::vector<std::uint8_t>& in_b, std::size_t b_distinct,
                   bool count_b, SetGrowthRule rule) {
  const auto un = static_cast<std::size_t>(n);
  std::vector<int> survivors(un);
  std::size_t j = 0;
  for (std::size_t k = 0; k < un; ++k) {
    survivors[j] = static_cast<int>(k);
    j += static_cast<std::size_t>(in_b[k] == 0);
  }
  survivors.resize(j);
  const std::size_t members = un - j;
  if (count_b) {
    b_distinct = members;
  } else if (b_distinct < members) {
    throw std::invalid_argument("unvisited_order: b_distinct is below the members in the mask");
  }

  if ((un >> 2) > b_distinct) {
    // Copy path: the copy's table (> 2n slots) keeps every key at home; B's keys become DELETED.
    return Layout{std::move(survivors), merge_table_size(un), members > 0, true};
  }
  // New-set path: survivors added in ascending order. If the final table exceeds the largest key,
  // the last rebuild (and every later add) puts each key at home: ascending.
  const std::size_t size = set_table_size_after_adds(survivors.size(), rule);
  if (survivors.empty() || static_cast<std::size_t>(survivors.back()) < size) {
    return Layout{std::move(survivors), size, false, true};
  }
  IntSetTable table(rule);
  for (const int k : survivors) table.add(k);
  return Layout{table.keys(), table.table_size(), false, false};
}

// A - B for an intermediate set A described by `a`, B by membership mask and distinct count.
Layout layout_minus(const Layout& a, const std::vector<std::uint8_t>& in_b, std::size_t b_distinct,
                    SetGrowthRule rule) {
  const std::size_t ua = a.order.size();
  if ((ua >> 2) > b_distinct) {
    // Copy path: set_merge into an empty set, then discard B's keys.
    const std::size_t size = merge_table_size(ua);
    if (size == a.table_size && !a.has_dummies) {
      std::vector<int> kept = keep_unmasked(a.order, in_b);  // slot-for-slot copy keeps A's order
      const bool dummies = kept.size() != ua;
      return Layout{std::move(kept), size, dummies, a.ascending};
    }
    if (ua == 0 || static_cast<std::size_t>(max_key(a.order, a.ascending)) < size) {
      // Re-inserted keys all land at home whatever the insertion order.
      std::vector<int> kept = keep_unmasked(a.order, in_b);
      if (!a.ascending) std::sort(kept.begin(), kept.end());
      const bool dummies = kept.size() != ua;
      return Layout{std::move(kept), size, dummies, true};
    }
    IntSetTable table = IntSetTable::with_table_size(size, rule);
    for (const int k : a.order) table.insert_clean(k);
    std::vector<int> kept = keep_unmasked(table.keys(), in_b);
    const bool dummies = kept.size() != ua;
    return Layout{std::move(kept), size, dummies, false};
  }
  // New-set path: add A's keys not in B, in A's slot order.
  std::vector<int> survivors = keep_unmasked(a.order, in_b);
  const std::size_t size = set_table_size_after_adds(survivors.size(), rule);
  if (survivors.empty() || static_cast<std::size_t>(max_key(survivors, a.ascending)) < size) {
    if (!a.ascending) std::sort(survivors.begin(), survivors.end());
    return Layout{std::move(survivors), size, false, true};
  }
  IntSetTable table(rule);
  for (const int k : survivors) table.add(k);
  return Layout{table.keys(), table.table_size(), false, false};
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// IntSetTable

IntSetTable::IntSetTable(SetGrowthRule rule) : IntSetTable(kMinSize, rule) {}

IntSetTable::IntSetTable(std::size_t table_size, SetGrowthRule rule)
    : slots_(table_size, kEmptySlot), rule_(rule) {}

IntSetTable IntSetTable::with_table_size(std::size_t table_size, SetGrowthRule rule) {
  if (table_size < kMinSize || !std::has_single_bit(table_size)) {
    throw std::invalid_argument("IntSetTable: table size must be a power of two >= 8");
  }
  return IntSetTable(table_size, rule);
}

IntSetTable IntSetTable::from_range(int n, SetGrowthRule rule) {
  IntSetTable table(rule);
  for (int k = 0; k < n; ++k) table.add(k);
  return table;
}

IntSetTable IntSetTable::from_keys(std::span<const int> keys, SetGrowthRule rule) {
  IntSetTable table(rule);
  for (const int k : keys) table.add(k);
  return table;
}

std::size_t IntSetTable::walk(int key) const {
  // hash(k) == k for 0 <= k < 2^61 - 1; perturb starts as the (unsigned) hash.
  const std::size_t mask = slots_.size() - 1;
  std::size_t perturb = static_cast<std::size_t>(key);
  std::size_t i = perturb & mask;
  for (;;) {
    // Slots i..i+LINEAR_PROBES when they do not run past the end, else slot i only.
    const std::size_t last = (i + kLinearProbes <= mask) ? i + kLinearProbes : i;
    for (std::size_t j = i; j <= last; ++j) {
      const int s = slots_[j];
      if (s == key || s == kEmptySlot) return j;
    }
    perturb >>= kPerturbShift;
    i = (i * 5 + 1 + perturb) & mask;
  }
}

bool IntSetTable::needs_growth() const { return growth_due(fill_, slots_.size() - 1, rule_); }

void IntSetTable::add(int key) {
  if (key < 0) throw std::invalid_argument("IntSetTable::add: keys must be >= 0");
  if (has_dummies()) {
    throw std::logic_error("IntSetTable::add after a deletion (dummy reuse is not modelled)");
  }
  const std::size_t j = walk(key);
  if (slots_[j] == key) return;
  slots_[j] = key;
  ++fill_;
  ++used_;
  if (needs_growth()) rebuild(growth_minused(used_));
}

void IntSetTable::insert_clean(int key) {
  if (key < 0) throw std::invalid_argument("IntSetTable::insert_clean: keys must be >= 0");
  if (fill_ >= slots_.size()) throw std::logic_error("IntSetTable::insert_clean: table is full");
  const std::size_t j = walk(key);
  if (slots_[j] == key) throw std::logic_error("IntSetTable::insert_clean: key already present");
  slots_[j] = key;
  ++fill_;
  ++used_;
}

bool IntSetTable::contains(int key) const {
  if (key < 0) return false;
  return slots_[walk(key)] == key;
}

bool IntSetTable::discard(int key) {
  if (key < 0) return false;
  const std::size_t j = walk(key);
  if (slots_[j] != key) return false;
  slots_[j] = kDummySlot;
  --used_;
  return true;
}

void IntSetTable::rebuild(std::size_t minused) {
  std::vector<int> old(set_table_size_for(minused), kEmptySlot);
  old.swap(slots_);
  fill_ = 0;
  used_ = 0;
  for (const int k : old) {
    if (k >= 0) insert_clean(k);
  }
}

IntSetTable IntSetTable::copy() const {
  IntSetTable result(rule_);
  if (used_ == 0) return result;
  // set_merge: one presize for all incoming keys, (fill + other.used)*5 >= mask*3 with fill == 0.
  if (merge_table_size(used_) != kMinSize) result.rebuild(2 * used_);
  if (result.slots_.size() == slots_.size() && !has_dummies()) {
    result.slots_ = slots_;
    result.fill_ = fill_;
    result.used_ = used_;
    return result;
  }
  for (const int k : slots_) {
    if (k >= 0) result.insert_clean(k);
  }
  return result;
}

IntSetTable IntSetTable::difference(const IntSetTable& other) const {
  if ((used_ >> 2) > other.used_) {
    // set_copy_and_difference: copy, then set_difference_update_internal.
    IntSetTable result = copy();
    for (const int k : other.slots_) {
      if (k >= 0) result.discard(k);
    }
    // "If more than 1/4th are dummies, then resize them away." With |other| < |self|/4 and the
    // copy presized to > 2|self| slots this never fires here; kept for fidelity.
    if (result.fill_ - result.used_ > (result.slots_.size() - 1) / 4) {
      result.rebuild(growth_minused(result.used_));
    }
    return result;
  }
  IntSetTable result(rule_);
  for (const int k : slots_) {
    if (k >= 0 && !other.contains(k)) result.add(k);
  }
  return result;
}

std::vector<int> IntSetTable::keys() const {
  std::vector<int> out;
  out.reserve(used_);
  for (const int k : slots_) {
    if (k >= 0) out.push_back(k);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Sizes

std::size_t set_table_size_for(std::size_t minused) {
  std::size_t size = kMinSize;
  while (size <= minused) size <<= 1;
  return size;
}

std::size_t set_table_size_after_adds(std::size_t count, SetGrowthRule rule) {
  std::size_t size = kMinSize;
  for (;;) {
    // First fill (= used, no deletions) at which an add into this table triggers growth.
    const std::size_t mask = size - 1;
    const std::size_t trigger =
        rule == SetGrowthRule::kPython36 ? (2 * mask + 2) / 3 : (3 * mask + 4) / 5;
    if (trigger > count) return size;
    // After growing, the table exceeds 4*trigger (2*trigger past 50,000), so the next trigger
    // lies beyond this one.
    size = set_table_size_for(growth_minused(trigger));
  }
}

// ---------------------------------------------------------------------------------------------
// Entry points

std::vector<int> unvisited_order(int n, const std::vector<std::uint8_t>& in_b, int b_distinct,
                                 SetGrowthRule rule) {
  check_mask(n, in_b, "unvisited_order");
  if (b_distinct < 0) throw std::invalid_argument("unvisited_order: b_distinct must be >= 0");
  return range_minus(n, in_b, static_cast<std::size_t>(b_distinct), false, rule).order;
}

std::vector<int> fallback_list(int n, const std::vector<std::uint8_t>& visited_mask,
                               SetGrowthRule rule) {
  check_mask(n, visited_mask, "fallback_list");
  return range_minus(n, visited_mask, 0, true, rule).order;
}

std::vector<int> target_list(int n, const std::vector<std::uint8_t>& visited_mask,
                             const std::vector<std::uint8_t>& running_mask, SetGrowthRule rule) {
  check_mask(n, visited_mask, "target_list (visited)");
  check_mask(n, running_mask, "target_list (running)");
  const Layout unvisited = range_minus(n, visited_mask, 0, true, rule);
  // |set(R)| counts running ids that are also visited: they still decide the path.
  return layout_minus(unvisited, running_mask, count_members(running_mask), rule).order;
}

std::vector<int> reference_target_list(int n, std::span<const int> visited,
                                       std::span<const int> running, SetGrowthRule rule) {
  const IntSetTable all = IntSetTable::from_range(n, rule);
  const IntSetTable v = IntSetTable::from_keys(visited, rule);
  const IntSetTable r = IntSetTable::from_keys(running, rule);
  return all.difference(v).difference(r).keys();
}

std::vector<int> reference_fallback_list(int n, std::span<const int> visited,
                                         SetGrowthRule rule) {
  const IntSetTable all = IntSetTable::from_range(n, rule);
  return all.difference(IntSetTable::from_keys(visited, rule)).keys();
}

std::vector<int> reference_unvisited_order(int n, const std::vector<std::uint8_t>& in_b,
                                           int b_distinct, SetGrowthRule rule) {
  check_mask(n, in_b, "reference_unvisited_order");
  std::vector<int> members;
  for (int k = 0; k < n; ++k) {
    if (in_b[static_cast<std::size_t>(k)] != 0) members.push_back(k);
  }
  if (b_distinct < static_cast<int>(members.size())) {
    throw std::invalid_argument("reference_unvisited_order: b_distinct below the mask's members");
  }
  // Members of B outside range(n) only count toward |B|.
  for (int extra = n; static_cast<int>(members.size()) < b_distinct; ++extra) {
    members.push_back(extra);
  }
  const IntSetTable all = IntSetTable::from_range(n, rule);
  return all.difference(IntSetTable::from_keys(members, rule)).keys();
}

}  // namespace samplersim
