// FNV-1a, 64-bit (Fowler–Noll–Vo; constants from the FNV reference, draft-eastlake-fnv): the one
// hash of byte strings in samplersim. Used for scenario digests (result lines), duplicate-line
// detection in reports, and the text fields of the trace hash. Not cryptographic: it identifies
// inputs written by samplersim, it does not defend against chosen collisions. Its output is part
// of results files and trace hashes, so it must never change. Cost: O(bytes).
#pragma once

#include <cstdint>
#include <string_view>

namespace samplersim {

inline constexpr std::uint64_t kFnv1aOffsetBasis = 0xcbf29ce484222325ULL;
inline constexpr std::uint64_t kFnv1aPrime = 0x100000001b3ULL;

// Hash of `bytes`, continuing from `h` (pass a previous result to hash a concatenation).
constexpr std::uint64_t fnv1a_64(std::string_view bytes, std::uint64_t h = kFnv1aOffsetBasis) {
  for (const char c : bytes) {
    h ^= static_cast<unsigned char>(c);
    h *= kFnv1aPrime;
  }
  return h;
}

}  // namespace samplersim
