// The verdict line of a replay, shared by `run --replay` and `replay`.
#include <fmt/format.h>

#include "cli/command.h"
#include "sim/trace.h"

namespace samplersim {

int print_replay_verdict(std::uint64_t recorded_hash, std::uint64_t replayed_hash) {
  if (replayed_hash != recorded_hash) {
    fmt::print("DIVERGED: recorded trace hash {}, replay gave {}\n", format_hash(recorded_hash),
               format_hash(replayed_hash));
    return kExitFinding;
  }
  fmt::print("reproduced: trace hash {} matches the recording\n", format_hash(recorded_hash));
  return kExitOk;
}

}  // namespace samplersim
