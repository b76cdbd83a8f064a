// Shards of a job array (app/sweep_shard.h): --shard parsing and the blocks of runs, which must
// cover every run exactly once, in order, for every K.
#include <gtest/gtest.h>

#include "app/sweep_shard.h"
#include "sim/errors.h"

namespace samplersim {
namespace {

TEST(SweepShard, ParsesOneBasedIOfK) {
  const SweepShard s = parse_shard("2/3");
  EXPECT_EQ(s.index, 2);
  EXPECT_EQ(s.count, 3);
  EXPECT_EQ(s.text(), "2/3");
  EXPECT_EQ(parse_shard("1/1").count, 1);
  EXPECT_EQ(parse_shard("1000000/1000000").index, 1'000'000);
}

TEST(SweepShard, RefusesMalformedShardsWithOneLineNamingTheOption) {
  for (const char* bad : {"0/3", "4/3", "x/y", "1/0", "", "3", "/3", "1/", "1/3/5", "-1/3", "+1/3", " 1/3", "1/3 ",
                          "1e0/3", "1/1000001", "99999999999999999999/3"}) {
    try {
      parse_shard(bad);
      ADD_FAILURE() << "accepted '" << bad << "'";
    } catch (const BadInput& e) {
      const std::string message = e.what();
      EXPECT_EQ(message.rfind("--shard: expected I/K with 1 <= I <= K <= 1000000", 0), 0u) << message;
      EXPECT_NE(message.find(std::string("got '") + bad + "'"), std::string::npos) << message;
      EXPECT_EQ(message.find('\n'), std::string::npos) << message;
    }
  }
}

TEST(SweepShard, BlocksCoverEveryRunOnceInOrderWithSizesWithinOne) {
  for (std::int64_t total : {0, 1, 2, 5, 86, 3900, 50'000'000}) {
    for (std::int64_t count : {1, 2, 3, 7, 86, 87, 1000, 1'000'000}) {
      std::int64_t next = 0;
      std::int64_t smallest = total;
      std::int64_t largest = 0;
      for (std::int64_t i = 1; i <= count; ++i) {
        const RunRange r = shard_range(total, SweepShard{i, count});
        ASSERT_EQ(r.first, next) << total << " runs, shard " << i << "/" << count;
        ASSERT_GE(r.size(), 0);
        smallest = std::min(smallest, r.size());
        largest = std::max(largest, r.size());
        next = r.last;
      }
      EXPECT_EQ(next, total) << total << " runs, " << count << " shards";
      EXPECT_LE(largest - smallest, 1) << total << " runs, " << count << " shards";
    }
  }
}

}  // namespace
}  // namespace samplersim
