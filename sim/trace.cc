#include "sim/trace.h"

#include <fmt/format.h>

namespace samplersim {

void Trace::mix_u64(std::uint64_t v) {
  // One multiply-xorshift round per 64-bit field: defined on values, not on memory layout, so the
  // hash is the same on every platform; far cheaper than byte-wise FNV on the hot path.
  hash_ = (hash_ ^ v) * 0x9e3779b97f4a7c15ULL;
  hash_ ^= hash_ >> 32;
}

void Trace::record(const TraceEvent& e) {
  mix_u64(static_cast<std::uint64_t>(e.t_us));
  mix_u64(static_cast<std::uint64_t>(static_cast<std::int64_t>(e.worker)));
  mix_u64(static_cast<std::uint64_t>(e.kind));
  mix_u64(static_cast<std::uint64_t>(static_cast<std::int64_t>(e.trial)));
  mix_u64(static_cast<std::uint64_t>(e.a));
  mix_u64(static_cast<std::uint64_t>(e.b));
  mix_u64(e.detail.size());
  hash_ = fnv1a_64(e.detail, hash_);
  ++count_;
  if (keep_events_) events_.push_back(e);
  if (observer_ != nullptr) observer_->on_event(e);
}

std::string_view to_string(TraceKind k) {
  switch (k) {
    case TraceKind::kWorkerStart: return "start";
    case TraceKind::kWorkerStop: return "stop";
    case TraceKind::kPick: return "pick";
    case TraceKind::kStoreOp: return "store";
    case TraceKind::kObjectiveStart: return "eval";
    case TraceKind::kObjectiveEnd: return "tell";
    case TraceKind::kStopFlag: return "stop-flag";
    case TraceKind::kSamplerDraw: return "draw";
    case TraceKind::kFault: return "fault";
    case TraceKind::kProcessError: return "process-error";
  }
  return "?";
}

std::string format_hash(std::uint64_t h) { return fmt::format("{:016x}", h); }

}  // namespace samplersim
