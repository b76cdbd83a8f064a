// Store operations and their latency model: the vocabulary shared by the StoreClient, traces and
// scenario files (`[store.request_latency_by_op]` names operations by these strings).
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

#include "sim/duration_dist.h"

namespace samplersim {

enum class StoreOp : std::uint8_t {
  kCreateTrial = 0,
  kListWaiting = 1,
  kClaimWaiting = 2,
  kGetTrial = 3,
  kGetAllTrials = 4,
  kSetTrialSystemAttr = 5,
  kSetTrialParam = 6,
  kSetTrialState = 7,
  kGetStudyAttr = 8,
  kStudyAttrInsertIfAbsent = 9,
  // Appended for the coordination fixes and fault models (issue 4); values above are unchanged.
  kClaimCombination = 10,     // atomic insert-if-absent of a (study, combination) claim / lease
  kReleaseClaim = 11,         // the holder gives a claim back (its trial failed)
  kCompleteCombination = 12,  // idempotent: mark a combination done once
  kRecordHeartbeat = 13,      // heartbeat row upsert by the trial's heartbeat thread (own connection)
  kGetStaleTrials = 14,       // fail_stale_trials' read of stale RUNNING trials
};
inline constexpr int kStoreOpCount = 15;
std::string_view to_string(StoreOp op);
std::optional<StoreOp> store_op_from_string(std::string_view name);

// Operations that write: they take the store's single write lock (SQLite allows one writer).
constexpr bool is_write(StoreOp op) {
  return op == StoreOp::kCreateTrial || op == StoreOp::kClaimWaiting ||
         op == StoreOp::kSetTrialSystemAttr || op == StoreOp::kSetTrialParam ||
         op == StoreOp::kSetTrialState || op == StoreOp::kStudyAttrInsertIfAbsent ||
         op == StoreOp::kClaimCombination || op == StoreOp::kReleaseClaim ||
         op == StoreOp::kCompleteCombination || op == StoreOp::kRecordHeartbeat;
}

// Latency of store operations. `request_by_op[op]`, when set, replaces `request` for that
// operation (e.g. a slow create_trial: SQLite's study-row lock and commit).
struct StoreLatency {
  DurationDist request;
  DurationDist response;
  std::array<std::optional<DurationDist>, kStoreOpCount> request_by_op{};
  // Time a write holds the store's single write lock; writes queue for it in arrival order and
  // apply when they release it (their commit). Zero: writes never wait for each other.
  DurationDist write_service;

  const DurationDist& request_for(StoreOp op) const {
    const auto& o = request_by_op[static_cast<std::size_t>(op)];
    return o ? *o : request;
  }
};

}  // namespace samplersim
