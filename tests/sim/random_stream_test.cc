// Tests for RandomStream::uniform_inclusive: the rejection rule as documented (accept a raw draw v
// below limit = 2^64 - 1 - ((2^64 - 1) mod range), return v mod range), checked draw by draw
// against a second stream of the same seed, for ranges where rejection is rare and where about
// half of all draws are rejected (the fast path that skips computing limit must not change which).
#include "sim/random_stream.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

namespace samplersim {
namespace {

// The documented rule, from raw draws of `raw`.
std::uint64_t reference_uniform(RandomStream& raw, std::uint64_t max_inclusive) {
  const std::uint64_t range = max_inclusive + 1;
  const std::uint64_t limit = ~std::uint64_t{0} - (~std::uint64_t{0} % range);
  for (;;) {
    const std::uint64_t v = raw.next_u64();
    if (v < limit) return v % range;
  }
}

TEST(RandomStream, UniformInclusiveFollowsTheRejectionRuleDrawByDraw) {
  const std::uint64_t half = std::uint64_t{1} << 63;
  const std::vector<std::uint64_t> maxima = {1,        2,        999,      200'000,          (std::uint64_t{1} << 32) - 1,
                                             half - 1, half,     half + 1, ~std::uint64_t{0} - 1};
  for (const std::uint64_t max : maxima) {
    RandomStream stream(20261202);
    RandomStream raw(20261202);
    for (int i = 0; i < 2000; ++i) {
      ASSERT_EQ(stream.uniform_inclusive(max), reference_uniform(raw, max)) << "max " << max << " draw " << i;
    }
    EXPECT_EQ(stream.next_u64(), raw.next_u64()) << "max " << max << ": the same raw draws were consumed";
  }
}

TEST(RandomStream, UniformInclusiveEdgeRanges) {
  RandomStream stream(7);
  RandomStream raw(7);
  EXPECT_EQ(stream.uniform_inclusive(0), 0U);  // draws nothing
  EXPECT_EQ(stream.uniform_inclusive(~std::uint64_t{0}), raw.next_u64());  // the raw draw itself
  EXPECT_EQ(stream.next_u64(), raw.next_u64());
}

}  // namespace
}  // namespace samplersim
