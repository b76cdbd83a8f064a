#include "sim/strategy_pct.h"
#include "sim/invariant.h"

#include <algorithm>
#include <cassert>

#include <fmt/format.h>

namespace samplersim {

PctStrategy::PctStrategy(std::uint64_t run_seed, int depth, std::uint64_t estimated_steps)
    : stream_(RandomStream::derive(run_seed, StreamPurpose::kSchedule)), depth_(depth) {
  SIM_ASSERT(depth >= 1 && estimated_steps >= 1);
  for (int j = 0; j + 1 < depth; ++j) change_points_.push_back(stream_.uniform_inclusive(estimated_steps - 1));
  std::sort(change_points_.begin(), change_points_.end());
}

std::string PctStrategy::name() const { return fmt::format("pct:{}", depth_); }

std::uint64_t PctStrategy::priority_of(WorkerId w) {
  auto it = priority_.find(w);
  if (it != priority_.end()) return it->second;
  // Initial priorities live above every changed one (which are < depth); ties are broken by the
  // lower worker id, so distinctness is not needed for determinism.
  const std::uint64_t p = static_cast<std::uint64_t>(depth_) + (stream_.next_u64() >> 1);
  priority_.emplace(w, p);
  return p;
}

std::size_t PctStrategy::pick(const ChoicePoint& cp) {
  SIM_ASSERT(cp.runnable.size() >= 2);
  auto best = [&] {
    std::size_t idx = 0;
    std::uint64_t top = 0;
    for (std::size_t i = 0; i < cp.runnable.size(); ++i) {
      const std::uint64_t p = priority_of(cp.runnable[i]);
      if (i == 0 || p > top) {
        top = p;
        idx = i;
      }
    }
    return idx;
  };
  std::size_t idx = best();
  // Several change points may fall on the same index: apply each in turn (bounded by depth).
  while (changes_done_ < static_cast<int>(change_points_.size()) &&
         change_points_[static_cast<std::size_t>(changes_done_)] <= cp.index) {
    ++changes_done_;
    priority_[cp.runnable[idx]] = static_cast<std::uint64_t>(depth_ - 1 - changes_done_);
    idx = best();
  }
  return idx;
}

}  // namespace samplersim
