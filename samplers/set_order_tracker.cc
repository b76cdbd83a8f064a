// SetOrderTracker and TimedTable: incremental CPython set tables; see set_order_tracker.h.
#include "samplers/set_order_tracker.h"

#include <algorithm>
#include <bit>
#include <limits>

#include "sim/invariant.h"

namespace samplersim {
namespace {

// CPython's probe walk for an int key (hash(k) == k): slots i..i+LINEAR_PROBES when they do not
// run past the end, else slot i alone; then perturb >>= PERTURB_SHIFT, i = (5i + 1 + perturb) & mask.
class Walk {
 public:
  Walk(int key, std::size_t mask) : perturb_(static_cast<std::size_t>(key)), mask_(mask), i_(perturb_ & mask) {
    start_window();
  }
  std::size_t slot() const { return j_; }
  void next() {
    if (j_ < last_) {
      ++j_;
      return;
    }
    perturb_ >>= IntSetTable::kPerturbShift;
    i_ = (i_ * 5 + 1 + perturb_) & mask_;
    start_window();
  }

 private:
  void start_window() {
    j_ = i_;
    last_ = i_ + IntSetTable::kLinearProbes <= mask_ ? i_ + IntSetTable::kLinearProbes : i_;
  }
  std::size_t perturb_;
  std::size_t mask_;
  std::size_t i_;
  std::size_t j_ = 0;
  std::size_t last_ = 0;
};

}  // namespace

// ---------------------------------------------------------------------------------------------
// TimedTable

TimedTable::TimedTable(std::size_t size) : mask_(size - 1), keys_(size, -1), times_(size, 0) {
  SIM_ASSERT(size >= IntSetTable::kMinSize && std::has_single_bit(size));
}

std::ptrdiff_t TimedTable::find(int key) const {
  for (Walk w(key, mask_);; w.next()) {
    const int k = keys_[w.slot()];
    if (k == key) return static_cast<std::ptrdiff_t>(w.slot());
    if (k < 0) return -1;  // every slot a present key's walk passes is occupied
  }
}

bool TimedTable::overflows(int key, std::size_t slot) const {
  const std::size_t i = static_cast<std::size_t>(key) & mask_;
  if (i + IntSetTable::kLinearProbes <= mask_) return slot < i || slot > i + IntSetTable::kLinearProbes;
  return slot != i;
}

void TimedTable::index_passes(int key, std::size_t slot, bool add) {
  if (!overflows(key, slot)) return;
  for (Walk w(key, mask_); w.slot() != slot; w.next()) {
    if (add) {
      passes_[w.slot()].emplace_back(key, slot);
      continue;
    }
    const auto it = passes_.find(w.slot());
    SIM_ASSERT(it != passes_.end());
    auto& v = it->second;
    const auto e = std::find_if(v.begin(), v.end(), [key](const auto& p) { return p.first == key; });
    SIM_ASSERT(e != v.end());
    *e = v.back();
    v.pop_back();
    if (v.empty()) passes_.erase(it);
  }
}

void TimedTable::place(int key, std::int64_t time, std::size_t slot) {
  keys_[slot] = key;
  times_[slot] = time;
  index_passes(key, slot, true);
}

void TimedTable::insert(int key, std::int64_t time) {
  SIM_ASSERT(key >= 0);
  int cur = key;
  std::int64_t t = time;
  std::ptrdiff_t from = -1;
  Walk w(cur, mask_);
  for (;;) {
    const std::size_t j = w.slot();
    const int occupant = keys_[j];
    if (occupant < 0) {
      place(cur, t, j);
      log_.push_back({cur, from, static_cast<std::ptrdiff_t>(j)});
      return;
    }
    SIM_ASSERT(occupant != cur && times_[j] != t);
    if (times_[j] > t) {
      // The occupant came later: at its time this slot is taken, so it walks on from here.
      const std::int64_t later = times_[j];
      index_passes(occupant, j, false);
      place(cur, t, j);
      log_.push_back({cur, from, static_cast<std::ptrdiff_t>(j)});
      cur = occupant;
      t = later;
      from = static_cast<std::ptrdiff_t>(j);
      w = Walk(cur, mask_);
      while (w.slot() != j) w.next();
    }
    w.next();
  }
}

void TimedTable::remove(int key) {
  const std::ptrdiff_t at = find(key);
  SIM_ASSERT(at >= 0);
  std::size_t hole = static_cast<std::size_t>(at);
  index_passes(key, hole, false);
  keys_[hole] = -1;
  log_.push_back({key, at, -1});
  for (;;) {
    // The earliest key whose walk passes the hole: it would have taken it. Keys placed in their first
    // window lie at most 9 slots on; the others are indexed by every slot they pass.
    int best = -1;
    std::size_t best_slot = 0;
    std::int64_t best_time = std::numeric_limits<std::int64_t>::max();
    for (std::size_t j = hole + 1; j <= hole + IntSetTable::kLinearProbes && j <= mask_; ++j) {
      const int y = keys_[j];
      if (y < 0) continue;
      const std::size_t i = static_cast<std::size_t>(y) & mask_;
      if (i + IntSetTable::kLinearProbes <= mask_ && i <= hole && j <= i + IntSetTable::kLinearProbes &&
          times_[j] < best_time) {
        best = y;
        best_slot = j;
        best_time = times_[j];
      }
    }
    if (const auto it = passes_.find(hole); it != passes_.end()) {
      for (const auto& [y, sy] : it->second) {
        if (times_[sy] < best_time) {
          best = y;
          best_slot = sy;
          best_time = times_[sy];
        }
      }
    }
    if (best < 0) return;
    index_passes(best, best_slot, false);
    keys_[best_slot] = -1;
    place(best, best_time, hole);
    log_.push_back({best, static_cast<std::ptrdiff_t>(best_slot), static_cast<std::ptrdiff_t>(hole)});
    hole = best_slot;
  }
}

// ---------------------------------------------------------------------------------------------
// SetOrderTracker

namespace {

// Net slot changes of a log: (key, slot after) for every key but `skip` whose slot differs from
// before the log.
std::vector<std::pair<int, std::ptrdiff_t>> net_moves(std::vector<TimedTable::Move> log, int skip) {
  std::stable_sort(log.begin(), log.end(), [](const auto& a, const auto& b) { return a.key < b.key; });
  std::vector<std::pair<int, std::ptrdiff_t>> out;
  for (std::size_t i = 0; i < log.size();) {
    std::size_t e = i;
    while (e + 1 < log.size() && log[e + 1].key == log[i].key) ++e;
    if (log[i].key != skip && log[i].from != log[e].to) out.emplace_back(log[i].key, log[e].to);
    i = e + 1;
  }
  return out;
}

}  // namespace

bool SetOrderTracker::applies(const ListCounts& c) {
  if (c.free == 0 || c.visited >= c.n) return false;
  if ((c.n >> 2) > c.visited) return false;  // first difference: copy path
  const std::size_t unvisited = c.n - c.visited;
  return (unvisited >> 2) > c.running;  // second difference: copy path
}

SetOrderTracker::Layout SetOrderTracker::layout_for(std::size_t keys) const {
  Layout l;
  l.sizes.push_back(IntSetTable::kMinSize);
  l.triggers.push_back(0);
  for (;;) {
    const std::size_t trigger = set_growth_trigger(l.sizes.back(), rule_);
    if (trigger > keys) break;
    l.sizes.push_back(set_table_size_for(set_growth_minused(trigger)));
    l.triggers.push_back(trigger);
  }
  const std::size_t copy = set_merge_table_size(keys);
  l.copy_size = copy != l.sizes.back() ? copy : 0;
  return l;
}

void SetOrderTracker::refresh_slot(std::size_t slot, const IdBitset& free) {
  const int k = final_table().key_at(slot);
  listed_.set(static_cast<std::int64_t>(slot), k >= 0 && free.test(k));
}

void SetOrderTracker::rebuild(const IdBitset& unfinished, const IdBitset& free) {
  ++rebuilds_;
  n_ = unfinished.size();
  in_u_ = unfinished;
  const std::vector<int> keys = unfinished.members();
  layout_ = layout_for(keys.size());
  tables_.clear();
  boundary_.clear();
  const std::size_t generations = layout_.sizes.size();
  for (std::size_t g = 0; g < generations; ++g) {
    TimedTable t(layout_.sizes[g]);
    std::int64_t base = 0;  // added keys' times follow every rebuilt key's
    if (g > 0) {
      const TimedTable& prev = tables_[g - 1];
      for (std::size_t s = 0; s < prev.size(); ++s) {
        if (prev.key_at(s) >= 0) t.insert(prev.key_at(s), static_cast<std::int64_t>(s));
      }
      base = static_cast<std::int64_t>(prev.size());
    }
    const std::size_t end = g + 1 < generations ? layout_.triggers[g + 1] : keys.size();
    if (g + 1 < generations) boundary_.push_back(keys[end - 1]);
    for (std::size_t i = layout_.triggers[g]; i < end; ++i) t.insert(keys[i], base + keys[i]);
    t.clear_log();
    tables_.push_back(std::move(t));
  }
  if (layout_.copy_size != 0) {
    TimedTable t(layout_.copy_size);
    const TimedTable& last = tables_.back();
    for (std::size_t s = 0; s < last.size(); ++s) {
      if (last.key_at(s) >= 0) t.insert(last.key_at(s), static_cast<std::int64_t>(s));
    }
    t.clear_log();
    tables_.push_back(std::move(t));
  }
  listed_ = IdBitset();
  listed_.resize(static_cast<std::int64_t>(final_table().size()), false);
  for (std::size_t s = 0; s < final_table().size(); ++s) refresh_slot(s, free);
  built_ = true;
}

bool SetOrderTracker::erase(int x, const IdBitset& free) {
  const auto before = static_cast<std::size_t>(in_u_.count());
  SIM_ASSERT(before > 0);
  if (!(layout_for(before - 1) == layout_)) return false;
  const std::size_t generations = layout_.sizes.size();
  // Generation g < last holds U's first triggers[g + 1] keys: x is among them iff x <= the last of
  // them; then the next key (which exists: the layout keeps its last growth) joins as the last add.
  std::vector<bool> holds(tables_.size(), true);
  std::vector<int> joins(generations, -1);
  for (std::size_t g = 0; g + 1 < generations; ++g) {
    holds[g] = x <= boundary_[g];
    if (!holds[g]) continue;
    int next = boundary_[g] + 1;  // the next key of U
    while (!in_u_.test(next)) ++next;
    joins[g] = next;
    boundary_[g] = next;
  }
  in_u_.set(x, false);
  std::vector<std::pair<int, std::ptrdiff_t>> changed;  // previous table's keys with a new slot
  for (std::size_t g = 0; g < tables_.size(); ++g) {
    if (!holds[g]) {
      SIM_ASSERT(changed.empty());
      continue;
    }
    TimedTable& t = tables_[g];
    t.clear_log();
    t.remove(x);
    // Re-time the rebuilt keys whose slot in the previous table changed (their time is that slot).
    for (const auto& [y, slot] : changed) t.remove(y);
    for (const auto& [y, slot] : changed) t.insert(y, slot);
    if (g + 1 < generations && joins[g] >= 0) {
      const std::int64_t base = g > 0 ? static_cast<std::int64_t>(layout_.sizes[g - 1]) : 0;
      t.insert(joins[g], base + joins[g]);
    }
    if (g + 1 == tables_.size()) {
      for (const TimedTable::Move& m : t.log()) {
        if (m.from >= 0) refresh_slot(static_cast<std::size_t>(m.from), free);
        if (m.to >= 0) refresh_slot(static_cast<std::size_t>(m.to), free);
      }
    }
    changed = net_moves(t.log(), x);
    t.clear_log();
  }
  return true;
}

void SetOrderTracker::sync(const IdBitset& unfinished, const IdBitset& free, std::span<const std::int64_t> changed) {
  SIM_ASSERT(unfinished.size() == free.size());
  if (!built_ || unfinished.size() != n_) {
    rebuild(unfinished, free);
    return;
  }
  for (const std::int64_t id : changed) {
    if (id < 0 || id >= n_) continue;
    const bool now = unfinished.test(id);
    const bool was = in_u_.test(id);
    if (was == now) continue;
    if (now || !erase(static_cast<int>(id), free)) {  // re-entered U, or the layout changes
      rebuild(unfinished, free);
      return;
    }
  }
  const TimedTable& f = final_table();
  for (const std::int64_t id : changed) {
    if (id < 0 || id >= n_ || !in_u_.test(id)) continue;
    const std::ptrdiff_t s = f.find(static_cast<int>(id));
    SIM_ASSERT(s >= 0);
    refresh_slot(static_cast<std::size_t>(s), free);
  }
}

int SetOrderTracker::target_at(std::int64_t k) const {
  return final_table().key_at(static_cast<std::size_t>(listed_.select(k)));
}

std::vector<int> SetOrderTracker::target_list() const {
  std::vector<int> out;
  for (std::size_t s = 0; s < final_table().size(); ++s) {
    if (listed_.test(static_cast<std::int64_t>(s))) out.push_back(final_table().key_at(s));
  }
  return out;
}

}  // namespace samplersim
