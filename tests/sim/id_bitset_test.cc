// IdBitset (sim/id_bitset.h): after every operation of random sequences (set, resize with either
// value, across word and 4,096-id block boundaries) count(), test(), select(k) for every k, last()
// and members() equal a plain vector<bool>'s. Deterministic: fixed seeds, each failure names its step.
#include "sim/id_bitset.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

namespace samplersim {
namespace {

void expect_same(const IdBitset& bits, const std::vector<bool>& want, const std::string& where) {
  ASSERT_EQ(bits.size(), static_cast<std::int64_t>(want.size())) << where;
  std::vector<std::int64_t> members;
  for (std::size_t i = 0; i < want.size(); ++i) {
    ASSERT_EQ(bits.test(static_cast<std::int64_t>(i)), want[i]) << where << " id " << i;
    if (want[i]) members.push_back(static_cast<std::int64_t>(i));
  }
  ASSERT_EQ(bits.count(), static_cast<std::int64_t>(members.size())) << where;
  for (std::size_t k = 0; k < members.size(); ++k) {
    ASSERT_EQ(bits.select(static_cast<std::int64_t>(k)), members[k]) << where << " k " << k;
  }
  ASSERT_EQ(bits.last(), members.empty() ? -1 : members.back()) << where;
  const std::vector<int> listed = bits.members();
  ASSERT_EQ(listed.size(), members.size()) << where;
  for (std::size_t k = 0; k < members.size(); ++k) ASSERT_EQ(listed[k], members[k]) << where << " k " << k;
}

TEST(IdBitset, MatchesAVectorOfBoolUnderRandomOperations) {
  for (std::uint32_t seed : {1u, 2u, 3u}) {
    std::mt19937 rng(seed);  // a fixed local engine: the sequence is the same on every run
    IdBitset bits;
    std::vector<bool> want;
    for (int step = 0; step < 400; ++step) {
      const std::string where = "seed " + std::to_string(seed) + " step " + std::to_string(step);
      const unsigned op = rng() % 10;
      if (op == 0 || want.empty()) {
        const bool value = rng() % 2 == 0;
        const std::size_t grow = rng() % 3 == 0 ? 5000 + rng() % 3000 : rng() % 130;
        bits.resize(static_cast<std::int64_t>(want.size() + grow), value);
        want.resize(want.size() + grow, value);
      } else {
        for (int j = 0; j < 50; ++j) {
          const std::size_t id = rng() % want.size();
          const bool value = rng() % 3 != 0;
          bits.set(static_cast<std::int64_t>(id), value);
          want[id] = value;
        }
      }
      if (step % 20 == 0 || step == 399) expect_same(bits, want, where);
      ASSERT_EQ(bits.count(), static_cast<std::int64_t>(std::count(want.begin(), want.end(), true))) << where;
    }
  }
}

TEST(IdBitset, EmptyAndShrinkingRequestsAreHarmless) {
  IdBitset bits;
  EXPECT_EQ(bits.count(), 0);
  EXPECT_EQ(bits.last(), -1);
  bits.resize(10, true);
  bits.resize(3, false);  // never shrinks
  EXPECT_EQ(bits.size(), 10);
  EXPECT_EQ(bits.count(), 10);
  EXPECT_EQ(bits.select(9), 9);
  for (int i = 0; i < 10; ++i) bits.set(i, false);
  EXPECT_EQ(bits.last(), -1);
  EXPECT_EQ(bits.count(), 0);
}

}  // namespace
}  // namespace samplersim
