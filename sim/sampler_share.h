// SamplerShare: immutable data the samplers of one run build once and share (issue 15), e.g. one
// Optuna GridSampler permutation for every simulated process whose seed gives the same shuffle.
//
// Contract:
//  - Ownership and lifetime: simulate() owns one SamplerShare per run and points every
//    SamplerSetup::share of that run at it; it is dropped when the run ends. Entries are
//    std::shared_ptr<const T>: a sampler keeps what it took alive for as long as it lives, even past
//    the SamplerShare (nothing is ever freed under a holder). A setup without a share (hand-built
//    setups) builds privately; results must not depend on whether a share is present.
//  - Keys: exact strings (never hashes) naming everything the value depends on, prefixed by the
//    building type's name so two kinds of entry never meet. get_or_build asserts that a key is
//    always asked for with the same T.
//  - Determinism: entries are found by key, never iterated; a value equals what `build` returns for
//    its key (the caller's contract), so sharing changes memory and time only.
//  - Thread safety: get_or_build and size are mutex-guarded, and `build` runs under the lock (one
//    build per key, even when fibers or threads ask at once). A run's fibers share one thread, so
//    the lock is uncontended there; a sweep's threads each have their own run and share.
//  - Errors: an exception from `build` leaves no entry and propagates.
// Cost: one std::map lookup (O(log entries · key length)) per get_or_build, plus the build once.
#pragma once

#include <cstddef>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <typeindex>
#include <utility>

#include "sim/invariant.h"

namespace samplersim {

class SamplerShare {
 public:
  SamplerShare() = default;
  SamplerShare(const SamplerShare&) = delete;
  SamplerShare& operator=(const SamplerShare&) = delete;

  // The entry for `key`, built with `build()` (returning std::shared_ptr<const T>) the first time.
  template <class T, class Build>
  std::shared_ptr<const T> get_or_build(const std::string& key, Build&& build) {
    const std::lock_guard<std::mutex> lock(mutex_);
    auto it = entries_.find(key);
    if (it != entries_.end()) {
      SIM_ASSERT(it->second.type == std::type_index(typeid(T)));
      return std::static_pointer_cast<const T>(it->second.value);
    }
    std::shared_ptr<const T> value = std::forward<Build>(build)();
    SIM_ASSERT(value != nullptr);
    entries_.emplace(key, Entry{std::type_index(typeid(T)), value});
    return value;
  }

  // Entries built so far (tests count builds with it).
  std::size_t size() const {
    const std::lock_guard<std::mutex> lock(mutex_);
    return entries_.size();
  }

 private:
  struct Entry {
    std::type_index type;
    std::shared_ptr<const void> value;
  };
  mutable std::mutex mutex_;
  std::map<std::string, Entry> entries_;
};

}  // namespace samplersim
