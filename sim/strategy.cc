#include "sim/strategy.h"
#include "sim/invariant.h"

#include <cassert>

#include <fmt/format.h>

namespace samplersim {

std::size_t RandomStrategy::pick(const ChoicePoint& cp) {
  SIM_ASSERT(cp.runnable.size() >= 2);
  return static_cast<std::size_t>(stream_.uniform_inclusive(cp.runnable.size() - 1));
}

std::size_t ReplayStrategy::pick(const ChoicePoint& cp) {
  if (next_ >= picks_.size()) {
    throw ReplayDivergence(fmt::format("replay diverged at choice point {}: the schedule has only {} picks",
                                       cp.index, picks_.size()));
  }
  const std::uint32_t p = picks_[next_++];
  if (p >= cp.runnable.size()) {
    throw ReplayDivergence(fmt::format("replay diverged at choice point {}: pick {} is out of range ({} workers runnable)",
                                       cp.index, p, cp.runnable.size()));
  }
  return p;
}

std::size_t ChoicesStrategy::pick(const ChoicePoint& cp) {
  if (next_ >= choices_.size()) return 0;
  return choices_[next_++] % cp.runnable.size();
}

}  // namespace samplersim
