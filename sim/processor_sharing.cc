#include "sim/processor_sharing.h"

#include <algorithm>

#include "sim/invariant.h"

namespace samplersim {

namespace {
__extension__ typedef __int128 Wide;
}  // namespace

ProcessorSharing::ProcessorSharing(int cores, std::int64_t background_milli, std::int64_t speed_permille,
                                   std::int64_t share_permille)
    : cores_(cores), background_milli_(background_milli), speed_permille_(speed_permille),
      share_permille_(share_permille) {
  SIM_ASSERT(cores >= 1 && background_milli >= 0 && speed_permille >= 1);
  SIM_ASSERT(share_permille >= 1 && share_permille <= 1000);
}

std::int64_t ProcessorSharing::demand() const {
  return std::max<std::int64_t>(capacity(), 1000 * static_cast<std::int64_t>(jobs_.size()) + background_milli_);
}

void ProcessorSharing::settle(VirtualTime now_us) {
  SIM_ASSERT(now_us >= settled_us_);
  const VirtualTime elapsed = now_us - settled_us_;
  settled_us_ = now_us;
  if (elapsed == 0 || jobs_.empty()) return;
  const Wide received = Wide{elapsed} * speed_permille_ * capacity() / demand();
  for (auto& [worker, remaining] : jobs_) {
    remaining = received >= remaining ? 0 : static_cast<std::int64_t>(remaining - received);
  }
}

void ProcessorSharing::start(WorkerId worker, std::int64_t work_ns, VirtualTime now_us) {
  SIM_ASSERT(work_ns > 0);
  settle(now_us);
  const bool inserted = jobs_.emplace(worker, work_ns).second;
  SIM_ASSERT(inserted && "one computation per worker");
}

std::int64_t ProcessorSharing::stop(WorkerId worker, VirtualTime now_us) {
  settle(now_us);
  auto it = jobs_.find(worker);
  SIM_ASSERT(it != jobs_.end());
  const std::int64_t left = it->second;
  jobs_.erase(it);
  return left;
}

std::int64_t ProcessorSharing::remaining_ns(WorkerId worker) const {
  auto it = jobs_.find(worker);
  SIM_ASSERT(it != jobs_.end());
  return it->second;
}

VirtualTime ProcessorSharing::finish_us(WorkerId worker) const {
  const std::int64_t left = remaining_ns(worker);
  if (left == 0) return settled_us_;
  // smallest dt with floor(dt × speed × C / D) >= left  <=>  dt = ceil(left × D / (speed × C))
  const Wide num = Wide{left} * demand();
  const Wide den = Wide{speed_permille_} * capacity();
  return settled_us_ + static_cast<VirtualTime>((num + den - 1) / den);
}

}  // namespace samplersim
