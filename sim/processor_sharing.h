// ProcessorSharing: the cores of one host shared by the computations running on it.
//
// The fluid model of a time-sharing OS scheduler (Linux CFS): every active computation progresses
// at the same rate, speed × min(1, cores × share / (active + background)), where `background`
// counts always-runnable consumers competing in the same scheduling group (in thousandths, so that
// 0.5 can be expressed) and `share` is the part of the cores the group may use (a cgroup quota or
// Linux's autogroup share against other sessions). A computation is an amount of work in core-nanoseconds at
// the calibration machine's speed (speed = 1000 per mille); its completion time moves whenever
// another computation starts or ends on the host, which is why the Machine reschedules waiting
// workers (Engine::reschedule) after every change.
//
// Arithmetic is integer (exact, deterministic): between two changes each active computation
// receives floor(elapsed_us × speed‰ × C / D) core-ns, C = cores × share‰, D = max(C, 1000 ×
// active + background‰); a completion time is the first whole microsecond at which the remaining work is
// covered, so a computation never finishes before its work is done and at most 1 µs after.
// Invariants (asserted): remaining work >= 0; time never goes backwards; at most one computation
// per worker. Cost: O(log n) per start/end plus O(n) to list the n active computations.
#pragma once

#include <cstdint>
#include <map>

#include "sim/strategy.h"
#include "sim/virtual_time.h"

namespace samplersim {

class ProcessorSharing {
 public:
  // cores >= 1; background_milli >= 0 (1000 = one always-runnable consumer); speed_permille >= 1
  // (1000 = the calibration machine); 1 <= share_permille <= 1000.
  ProcessorSharing(int cores, std::int64_t background_milli, std::int64_t speed_permille,
                   std::int64_t share_permille = 1000);

  // Credits every active computation with its work done since the last change, at the rate that
  // held since then. Idempotent at one instant.
  void settle(VirtualTime now_us);

  // Starts computing `work_ns` core-ns (> 0) for `worker` at `now_us` (settles first).
  void start(WorkerId worker, std::int64_t work_ns, VirtualTime now_us);
  // Ends `worker`'s computation at `now_us` (settles first); returns the work left (0 if done).
  std::int64_t stop(WorkerId worker, VirtualTime now_us);

  bool active(WorkerId worker) const { return jobs_.count(worker) != 0; }
  std::int64_t remaining_ns(WorkerId worker) const;
  // Earliest whole microsecond at which `worker`'s computation completes at the current rate
  // (only valid right after settle(now) or a start/stop at now).
  VirtualTime finish_us(WorkerId worker) const;

  std::size_t active_count() const { return jobs_.size(); }
  // Active computations in worker order (for rescheduling them after a change).
  const std::map<WorkerId, std::int64_t>& computations() const { return jobs_; }

  int cores() const { return cores_; }

 private:
  std::int64_t capacity() const { return share_permille_ * cores_; }  // C
  std::int64_t demand() const;                                // D

  int cores_;
  std::int64_t background_milli_;
  std::int64_t speed_permille_;
  std::int64_t share_permille_;
  std::map<WorkerId, std::int64_t> jobs_;  // worker -> remaining core-ns; ordered: deterministic
  VirtualTime settled_us_ = 0;
};

}  // namespace samplersim
