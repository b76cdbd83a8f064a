#include "sim/trace.h"

#include <fmt/format.h>

namespace samplersim {

void Trace::mix_bytes(const void* data, std::size_t n) {
  const auto* p = static_cast<const unsigned char*>(data);
  for (std::size_t i = 0; i < n; ++i) {
    hash_ ^= p[i];
    hash_ *= 0x100000001b3ULL;  // FNV-1a prime
  }
}

void Trace::mix_u64(std::uint64_t v) {
  unsigned char bytes[8];
  for (int i = 0; i < 8; ++i) bytes[i] = static_cast<unsigned char>(v >> (8 * i));
  mix_bytes(bytes, sizeof bytes);
}

void Trace::record(const TraceEvent& e) {
  mix_u64(static_cast<std::uint64_t>(e.t_us));
  mix_u64(static_cast<std::uint64_t>(static_cast<std::int64_t>(e.worker)));
  mix_u64(static_cast<std::uint64_t>(e.kind));
  mix_u64(static_cast<std::uint64_t>(static_cast<std::int64_t>(e.trial)));
  mix_u64(static_cast<std::uint64_t>(e.a));
  mix_u64(static_cast<std::uint64_t>(e.b));
  mix_u64(e.detail.size());
  mix_bytes(e.detail.data(), e.detail.size());
  ++count_;
  if (keep_events_) events_.push_back(e);
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
  }
  return "?";
}

std::string format_hash(std::uint64_t h) { return fmt::format("{:016x}", h); }

}  // namespace samplersim
