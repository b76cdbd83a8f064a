// Seed policy: how each sampler process gets its seed.
//
//   none        every process passes seed=None (the model derives that process's "OS entropy"
//               from the run seed, so it is reproducible in simulation but independent per process)
//   same:S      every process passes seed=S
//   distinct:S  process i (0-based) passes seed=S+i
// Invariant: 0 <= S and S + processes - 1 < 2^32 (numpy's RandomState limit), checked by the
// scenario loader against the process count.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace samplersim {

struct SeedPolicy {
  enum class Kind { kNone, kSame, kDistinct };
  Kind kind = Kind::kNone;
  std::uint64_t seed = 0;  // S for kSame / kDistinct

  // Seed passed to the sampler of `process`; nullopt means seed=None.
  std::optional<std::uint64_t> seed_for_process(int process) const;

  std::string to_string() const;  // "none", "same:42", "distinct:1"
  friend bool operator==(const SeedPolicy&, const SeedPolicy&) = default;
};

// Parses "none", "same:S", "distinct:S". Returns nullopt on anything else (S must be a decimal
// integer in [0, 2^32)).
std::optional<SeedPolicy> parse_seed_policy(std::string_view text);

}  // namespace samplersim
