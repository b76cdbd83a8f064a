// CPython small-int set order: table emulation and Optuna target-list entry points; see
// cpython_set_order.h for invariants and cost.
#include "sim/invariant.h"
#include "samplers/cpython_set_order.h"

#include <algorithm>
#include <bit>
#include <cassert>
#include <cstring>
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

// First fill (= used; no deletions) at which an add into a table of `size` slots makes it grow:
// the smallest f with growth_due(f, size - 1).
std::size_t growth_trigger(std::size_t size, SetGrowthRule rule) {
  const std::size_t mask = size - 1;
  return rule == SetGrowthRule::kPython36 ? (2 * mask + 2) / 3 : (3 * mask + 4) / 5;
}

void check_mask(int n, const std::vector<std::uint8_t>& mask, const char* what) {
  if (n < 0) throw std::invalid_argument(std::string(what) + ": n must be >= 0");
  if (mask.size() != static_cast<std::size_t>(n)) {
    throw std::invalid_argument(std::string(what) + ": mask size " + std::to_string(mask.size()) +
                                " != n " + std::to_string(n));
  }
}

// ---- Mask scanning, eight bytes at a time (masks are bytes; any nonzero byte is a member).

constexpr std::uint64_t kLow7 = 0x7F7F7F7F7F7F7F7FULL;
constexpr std::uint64_t kAllHigh = ~kLow7;

std::uint64_t load8(const std::uint8_t* p) {
  std::uint64_t w = 0;
  std::memcpy(&w, p, sizeof w);
  return w;
}

// 0x80 in every nonzero byte of w, 0 elsewhere (no carries cross bytes: 0x7F + 0x7F < 0x100).
std::uint64_t nonzero_bytes(std::uint64_t w) { return (((w & kLow7) + kLow7) | w) & kAllHigh; }

// Sum of the eight byte lanes of x.
std::size_t sum_lanes(std::uint64_t x) {
  x = (x & 0x00FF00FF00FF00FFULL) + ((x >> 8) & 0x00FF00FF00FF00FFULL);  // four 16-bit sums
  return static_cast<std::size_t>((x * 0x0001000100010001ULL) >> 48);
}

struct MaskCounts {
  std::size_t a = 0;        // members of a
  std::size_t b = 0;        // members of b
  std::size_t neither = 0;  // ids in neither
};

// Members of a, of b (b may be null) and ids in neither. Per word each byte lane of the
// accumulators grows by at most 1, so batches of 255 words cannot overflow a lane.
MaskCounts count_masks(const std::uint8_t* a, const std::uint8_t* b, std::size_t n) {
  MaskCounts c;
  std::size_t either = 0;
  std::size_t k = 0;
  const std::size_t whole = n & ~std::size_t{7};
  while (k < whole) {
    const std::size_t batch_end = std::min(whole, k + 8 * 255);
    std::uint64_t lanes_a = 0;
    std::uint64_t lanes_b = 0;
    std::uint64_t lanes_either = 0;
    for (; k < batch_end; k += 8) {
      const std::uint64_t na = nonzero_bytes(load8(a + k));
      const std::uint64_t nb = b != nullptr ? nonzero_bytes(load8(b + k)) : 0;
      lanes_a += na >> 7;
      lanes_b += nb >> 7;
      lanes_either += (na | nb) >> 7;
    }
    c.a += sum_lanes(lanes_a);
    c.b += sum_lanes(lanes_b);
    either += sum_lanes(lanes_either);
  }
  for (; k < n; ++k) {
    const bool in_a = a[k] != 0;
    const bool in_b = b != nullptr && b[k] != 0;
    c.a += static_cast<std::size_t>(in_a);
    c.b += static_cast<std::size_t>(in_b);
    either += static_cast<std::size_t>(in_a || in_b);
  }
  c.neither = n - either;
  return c;
}

// Largest id in neither a nor b (b may be null), or -1. Scans from the end: in practice the last
// few ids decide.
std::ptrdiff_t last_free(const std::uint8_t* a, const std::uint8_t* b, std::size_t n) {
  for (std::size_t k = n; k > 0; --k) {
    if ((a[k - 1] | (b != nullptr ? b[k - 1] : 0)) == 0) return static_cast<std::ptrdiff_t>(k - 1);
  }
  return -1;
}

// kFreePositions[m] lists the set bits of the byte m in ascending order (padding repeats 0).
struct BytePositions {
  std::uint8_t at[256][8];
};
constexpr BytePositions make_byte_positions() {
  BytePositions table{};
  for (unsigned m = 0; m < 256; ++m) {
    unsigned t = 0;
    for (unsigned bit = 0; bit < 8; ++bit) {
      if ((m >> bit) & 1U) table.at[m][t++] = static_cast<std::uint8_t>(bit);
    }
  }
  return table;
}
constexpr BytePositions kFreePositions = make_byte_positions();

// Ascending ids in neither a nor b (b may be null); `count` is their number (from the counts).
// Eight ids per step: a bitmask of the free bytes indexes a table of their positions, and eight
// unconditional stores (absorbed by 8 spare slots) replace a branch per id.
std::vector<int> ascending_free(const std::uint8_t* a, const std::uint8_t* b, std::size_t n,
                                std::size_t count) {
  std::vector<int> out(count + 8);
  int* dst = out.data();
  std::size_t j = 0;
  std::size_t k = 0;
  for (; k + 8 <= n; k += 8) {
    const std::uint64_t w = load8(a + k) | (b != nullptr ? load8(b + k) : 0);
    // 0x01 in the low bit of each free byte, gathered into bit i for byte i.
    const std::uint64_t free_low = (~nonzero_bytes(w) & kAllHigh) >> 7;
    const auto m = static_cast<unsigned>((free_low * 0x0102040810204080ULL) >> 56);
    const std::uint8_t* pos = kFreePositions.at[m];
    const int base = static_cast<int>(k);
    for (std::size_t t = 0; t < 8; ++t) dst[j + t] = base + pos[t];
    j += static_cast<std::size_t>((free_low * 0x0101010101010101ULL) >> 56);  // popcount
  }
  for (; k < n; ++k) {
    dst[j] = static_cast<int>(k);
    j += static_cast<std::size_t>((a[k] | (b != nullptr ? b[k] : 0)) == 0);
  }
  SIM_ASSERT(j == count);
  out.resize(j);
  return out;
}

// Keys of `keys` whose mask byte is zero, order kept (branch-free). Every key < mask size.
std::vector<int> keep_free(const std::vector<int>& keys, const std::uint8_t* mask) {
  std::vector<int> out(keys.size() + 1);
  std::size_t j = 0;
  for (const int k : keys) {
    out[j] = k;
    j += static_cast<std::size_t>(mask[static_cast<std::size_t>(k)] == 0);
  }
  out.resize(j);
  return out;
}

// ---- Tight table emulation for the fast path (distinct keys, no DELETED slots ever). It walks
// exactly like IntSetTable::walk; the tests hold the two against each other.

constexpr int kFree = -1;

// set_insert_clean / set_add_entry for a key known to be absent: first EMPTY slot on its walk.
void insert_absent(int* slots, std::size_t mask, int key) {
  std::size_t perturb = static_cast<std::size_t>(key);
  std::size_t i = perturb & mask;
  for (;;) {
    if (slots[i] == kFree) {
      slots[i] = key;
      return;
    }
    if (i + IntSetTable::kLinearProbes <= mask) {
      for (std::size_t j = i + 1; j <= i + IntSetTable::kLinearProbes; ++j) {
        if (slots[j] == kFree) {
          slots[j] = key;
          return;
        }
      }
    }
    perturb >>= IntSetTable::kPerturbShift;
    i = (i * 5 + 1 + perturb) & mask;
  }
}

// Live keys of slots[0, size) in slot order, branch-free, into dst (room for live + 1).
std::size_t compact_live(const int* slots, std::size_t size, int* dst) {
  std::size_t j = 0;
  for (std::size_t s = 0; s < size; ++s) {
    dst[j] = slots[s];
    j += static_cast<std::size_t>(slots[s] != kFree);
  }
  return j;
}

// Live keys in slot order, skipping members of `skip` (may be null). Branch-free: bitwise
// tests only, and a free slot (-1) reads skip[0] harmlessly instead of skip[-1].
std::vector<int> slot_order(const std::vector<int>& slots, std::size_t live,
                            const std::uint8_t* skip) {
  std::vector<int> out(live + 1);
  int* dst = out.data();
  std::size_t j = 0;
  if (skip == nullptr) {
    j = compact_live(slots.data(), slots.size(), dst);
  } else {
    for (const int k : slots) {
      const auto index = static_cast<std::size_t>(k & ~(k >> 31));  // k, or 0 for a free slot
      const auto used = static_cast<unsigned>(k != kFree);
      const auto kept = static_cast<unsigned>(skip[index] == 0);
      dst[j] = k;
      j += used & kept;
    }
  }
  out.resize(j);
  return out;
}

// Iteration order of a new set after adding the distinct `keys` in this order (the new-set path
// of A - B), minus members of `skip` (may be null): the growth chain is replayed, each rebuild
// re-inserting in old slot order. General but O(final table size + keys x walk).
std::vector<int> new_set_order(const std::vector<int>& keys, SetGrowthRule rule,
                               const std::uint8_t* skip) {
  std::size_t size = kMinSize;
  std::vector<int> slots(size, kFree);
  std::vector<int> grown;
  std::vector<int> live(keys.size() + 1);
  std::size_t trigger = growth_trigger(size, rule);
  for (std::size_t added = 0; added < keys.size();) {
    insert_absent(slots.data(), size - 1, keys[added]);
    ++added;
    if (added == trigger) {
      const std::size_t count = compact_live(slots.data(), size, live.data());
      size = set_table_size_for(growth_minused(added));
      grown.assign(size, kFree);
      for (std::size_t t = 0; t < count; ++t) insert_absent(grown.data(), size - 1, live[t]);
      slots.swap(grown);
      trigger = growth_trigger(size, rule);  // beyond `added`: the new table exceeds 4*added
    }
  }
  return slot_order(slots, keys.size(), skip);
}

// Iteration order of the copy path's result: `keys` (A's slot order) merged into an empty table
// of `size` slots, then the members of `removed` deleted.
std::vector<int> reinserted_order(const std::vector<int>& keys, std::size_t size,
                                  const std::uint8_t* removed) {
  std::vector<int> slots(size, kFree);
  for (const int k : keys) insert_absent(slots.data(), size - 1, k);
  return slot_order(slots, keys.size(), removed);
}

// ---- Ascending insertion shortcut. When distinct keys arrive in ascending order into a table of
// `size` slots in which every earlier key sits at home, each key below `size` finds its home slot
// free (only keys at their own homes precede it), so the table ends as: every key < size at home,
// and the keys >= size placed by their walks, in ascending order, around them. Only those wrapped
// keys need walking, over an occupancy bitmap.

std::size_t first_free_on_walk(const std::vector<std::uint64_t>& occupied, std::size_t mask,
                               int key) {
  const auto is_free = [&occupied](std::size_t s) {
    return ((occupied[s >> 6] >> (s & 63)) & 1U) == 0;
  };
  std::size_t perturb = static_cast<std::size_t>(key);
  std::size_t i = perturb & mask;
  for (;;) {
    if (is_free(i)) return i;
    if (i + IntSetTable::kLinearProbes <= mask) {
      for (std::size_t j = i + 1; j <= i + IntSetTable::kLinearProbes; ++j) {
        if (is_free(j)) return j;
      }
    }
    perturb >>= IntSetTable::kPerturbShift;
    i = (i * 5 + 1 + perturb) & mask;
  }
}

// Iteration order of that final table (keys ascending and distinct), minus `skip` members.
// Slots are tracked in bitmaps; the wrapped keys' slots are remembered in `moved_key`, read only
// where the `moved` bitmap says so.
std::vector<int> place_ascending(const std::vector<int>& keys, std::size_t size,
                                 const std::uint8_t* skip) {
  const std::size_t mask = size - 1;
  const std::size_t words = (size + 63) / 64;
  const auto below = [](int k, std::size_t bound) { return static_cast<std::size_t>(k) < bound; };
  const auto home_end = static_cast<std::size_t>(
      std::lower_bound(keys.begin(), keys.end(), size, below) - keys.begin());
  std::vector<std::uint64_t> occupied(words, 0);
  {
    // Keys are ascending: accumulate each bitmap word in a register.
    std::size_t word = 0;
    std::uint64_t bits = 0;
    for (std::size_t t = 0; t < home_end; ++t) {
      const auto k = static_cast<std::size_t>(keys[t]);
      if ((k >> 6) != word) {
        occupied[word] = bits;
        word = k >> 6;
        bits = 0;
      }
      bits |= std::uint64_t{1} << (k & 63);
    }
    if (home_end > 0) occupied[word] = bits;
  }
  std::vector<std::uint64_t> moved(words, 0);
  std::vector<int> moved_key;
  if (home_end < keys.size()) moved_key.resize(size);
  for (std::size_t t = home_end; t < keys.size(); ++t) {
    const std::size_t slot = first_free_on_walk(occupied, mask, keys[t]);
    occupied[slot >> 6] |= std::uint64_t{1} << (slot & 63);
    moved[slot >> 6] |= std::uint64_t{1} << (slot & 63);
    moved_key[slot] = keys[t];
  }
  std::vector<int> out(keys.size() + 1);
  int* dst = out.data();
  std::size_t j = 0;
  for (std::size_t w = 0; w < words; ++w) {
    for (std::uint64_t bits = occupied[w]; bits != 0; bits &= bits - 1) {
      const auto bit = static_cast<unsigned>(std::countr_zero(bits));
      const std::size_t slot = w * 64 + bit;
      int k = static_cast<int>(slot);  // a home key: slot == key
      if (((moved[w] >> bit) & 1U) != 0) k = moved_key[slot];
      dst[j] = k;
      j += static_cast<std::size_t>(skip == nullptr || skip[static_cast<std::size_t>(k)] == 0);
    }
  }
  out.resize(j);
  return out;
}

// Iteration order of a new set after adding the ascending, distinct `keys` (minus `skip`). The
// shortcut applies when the keys present at the last growth all lie below the final size: that
// rebuild then puts each at home whatever the old order, and later adds come in ascending order.
std::vector<int> ascending_new_set_order(const std::vector<int>& keys, SetGrowthRule rule,
                                         const std::uint8_t* skip) {
  std::size_t size = kMinSize;
  std::size_t last_growth = 0;  // keys present when the final table was built (0: never grew)
  for (std::size_t trigger = growth_trigger(size, rule); trigger <= keys.size();
       trigger = growth_trigger(size, rule)) {
    last_growth = trigger;
    size = set_table_size_for(growth_minused(trigger));
  }
  if (last_growth == 0 || static_cast<std::size_t>(keys[last_growth - 1]) < size) {
    return place_ascending(keys, size, skip);
  }
  return new_set_order(keys, rule, skip);
}

// ---- set(range(n)) - B, described without building anything. set(range(n)) holds key k in
// slot k (its table is larger than n) and has no DELETED slots.
struct RangeMinus {
  std::size_t survivors = 0;           // |result|
  std::size_t table_size = kMinSize;   // result's table
  bool dummies = false;                // result has DELETED slots (copy path removed something)
  bool ascending = true;               // every key is in its home slot
};

RangeMinus describe_range_minus(std::size_t n, std::size_t b_distinct, std::size_t members,
                                std::ptrdiff_t max_survivor, SetGrowthRule rule) {
  RangeMinus d;
  d.survivors = n - members;
  if ((n >> 2) > b_distinct) {
    // Copy path: the copy's table (> 2n slots, or 8 for n == 4) keeps every key at home.
    d.table_size = merge_table_size(n);
    d.dummies = members > 0;
    d.ascending = true;
    return d;
  }
  // New-set path, survivors added in ascending order. If the final table exceeds the largest key,
  // its last rebuild and every later add put each key at home.
  d.table_size = set_table_size_after_adds(d.survivors, rule);
  d.ascending = max_survivor < 0 || static_cast<std::size_t>(max_survivor) < d.table_size;
  return d;
}

// Iteration order of set(range(n)) - B as described by `d`, given its survivors in ascending
// order, minus `skip` members (may be null; must be null when d.ascending, where callers take the
// ascending ids without B and R at once instead).
std::vector<int> range_minus_order(std::vector<int> survivors, const RangeMinus& d, SetGrowthRule rule,
                                   const std::uint8_t* skip) {
  SIM_ASSERT(!d.ascending || skip == nullptr);
  SIM_ASSERT(survivors.size() == d.survivors);
  if (d.ascending) return survivors;
  return ascending_new_set_order(survivors, rule, skip);
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

std::size_t set_growth_trigger(std::size_t size, SetGrowthRule rule) { return growth_trigger(size, rule); }
std::size_t set_growth_minused(std::size_t used) { return growth_minused(used); }
std::size_t set_merge_table_size(std::size_t count) { return merge_table_size(count); }

std::size_t set_table_size_after_adds(std::size_t count, SetGrowthRule rule) {
  std::size_t size = kMinSize;
  for (;;) {
    const std::size_t trigger = growth_trigger(size, rule);
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
  const auto un = static_cast<std::size_t>(n);
  const std::size_t members = count_masks(in_b.data(), nullptr, un).a;
  if (static_cast<std::size_t>(b_distinct) < members) {
    throw std::invalid_argument("unvisited_order: b_distinct is below the members in the mask");
  }
  const RangeMinus d = describe_range_minus(un, static_cast<std::size_t>(b_distinct), members,
                                            last_free(in_b.data(), nullptr, un), rule);
  return range_minus_order(ascending_free(in_b.data(), nullptr, un, d.survivors), d, rule, nullptr);
}

ListShape target_list_shape(const ListCounts& c, SetGrowthRule rule) {
  SIM_ASSERT(c.visited + c.free <= c.n && c.running <= c.n);
  const RangeMinus first = describe_range_minus(c.n, c.visited, c.visited, c.max_unvisited, rule);
  const std::size_t u1 = first.survivors;
  if ((u1 >> 2) > c.running) {
    // Copy path (see target_list): a slot-for-slot copy keeps the first result's order; a
    // re-insertion puts every key below the new table size at home.
    const std::size_t size = merge_table_size(u1);
    if (size == first.table_size && !first.dummies) return first.ascending ? ListShape::kAscending : ListShape::kOther;
    if (u1 == 0 || static_cast<std::size_t>(c.max_unvisited) < size) return ListShape::kAscending;
    return ListShape::kOther;
  }
  // New-set path: ascending when every free id lies below the final table size.
  const std::size_t size = set_table_size_after_adds(c.free, rule);
  if (c.max_free < 0 || static_cast<std::size_t>(c.max_free) < size) return ListShape::kAscending;
  return ListShape::kOther;
}

ListShape fallback_list_shape(const ListCounts& c, SetGrowthRule rule) {
  return describe_range_minus(c.n, c.visited, c.visited, c.max_unvisited, rule).ascending ? ListShape::kAscending
                                                                                          : ListShape::kOther;
}

std::vector<int> fallback_list(const ListCounts& c, const AscendingIds& ids, SetGrowthRule rule) {
  const RangeMinus d = describe_range_minus(c.n, c.visited, c.visited, c.max_unvisited, rule);
  return range_minus_order(ids.unvisited(), d, rule, nullptr);
}

std::vector<int> target_list(const ListCounts& c, const AscendingIds& ids, const std::uint8_t* running_mask,
                             SetGrowthRule rule) {
  if (target_list_shape(c, rule) == ListShape::kAscending) return ids.free();
  const std::uint8_t* r = running_mask;
  const RangeMinus first = describe_range_minus(c.n, c.visited, c.visited, c.max_unvisited, rule);
  const std::size_t u1 = first.survivors;
  // Second difference, B = set(R). |B| counts every distinct running id, visited or not; only
  // unvisited running ids are actually removed.
  if ((u1 >> 2) > c.running) {
    // Copy path: merge the first result into an empty set, then delete R's keys.
    const std::size_t size = merge_table_size(u1);
    if (size == first.table_size && !first.dummies) {
      // Slot-for-slot copy: the first result's order, minus R (not ascending: see the shape).
      return range_minus_order(ids.unvisited(), first, rule, r);
    }
    // Re-insertion in the first result's slot order; keys below the table size land at home.
    if (first.ascending) return place_ascending(ids.unvisited(), size, r);
    return reinserted_order(range_minus_order(ids.unvisited(), first, rule, nullptr), size, r);
  }
  // New-set path: add the first result's keys that are not in R, in its slot order.
  if (first.ascending) return ascending_new_set_order(ids.free(), rule, nullptr);
  return new_set_order(keep_free(range_minus_order(ids.unvisited(), first, rule, nullptr), r), rule, nullptr);
}

namespace {

// Counts and ascending enumerations of the two masks (the mask entry points' inputs).
ListCounts mask_counts(std::size_t n, const std::uint8_t* v, const std::uint8_t* r) {
  const MaskCounts counts = count_masks(v, r, n);
  ListCounts c;
  c.n = n;
  c.visited = counts.a;
  c.running = r != nullptr ? counts.b : 0;
  c.free = counts.neither;
  c.max_unvisited = last_free(v, nullptr, n);
  c.max_free = counts.neither == 0 ? -1 : last_free(v, r, n);
  return c;
}

AscendingIds mask_ids(const ListCounts& c, const std::uint8_t* v, const std::uint8_t* r) {
  return AscendingIds{[&c, v] { return ascending_free(v, nullptr, c.n, c.n - c.visited); },
                      [&c, v, r] { return ascending_free(v, r, c.n, c.free); }};
}

}  // namespace

std::vector<int> fallback_list(int n, const std::vector<std::uint8_t>& visited_mask, SetGrowthRule rule) {
  check_mask(n, visited_mask, "fallback_list");
  const ListCounts c = mask_counts(static_cast<std::size_t>(n), visited_mask.data(), nullptr);
  return fallback_list(c, mask_ids(c, visited_mask.data(), nullptr), rule);
}

std::vector<int> target_list(int n, const std::vector<std::uint8_t>& visited_mask,
                             const std::vector<std::uint8_t>& running_mask, SetGrowthRule rule) {
  check_mask(n, visited_mask, "target_list (visited)");
  check_mask(n, running_mask, "target_list (running)");
  const ListCounts c = mask_counts(static_cast<std::size_t>(n), visited_mask.data(), running_mask.data());
  return target_list(c, mask_ids(c, visited_mask.data(), running_mask.data()), running_mask.data(), rule);
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
