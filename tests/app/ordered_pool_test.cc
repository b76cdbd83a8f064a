// run_ordered (app/ordered_pool.h), the one thread pool: results reach the caller in index order,
// each once, for every thread count and window; the lowest failing task's error wins and nothing
// at or after it is delivered; an error in delivery stops the pool. No assertion depends on timing:
// every expectation holds for every interleaving the contract allows.
#include <gtest/gtest.h>

#include <atomic>
#include <stdexcept>
#include <string>
#include <vector>

#include "app/ordered_pool.h"

namespace samplersim {
namespace {

struct Delivered {
  std::vector<std::int64_t> values;
  int calls = 0;
};

Delivered run_squares(std::int64_t count, int jobs, std::int64_t window) {
  Delivered d;
  run_ordered<std::int64_t>(
      count, jobs, window, [](std::int64_t i) { return i * i; },
      [&](std::int64_t first, std::vector<std::int64_t>& batch) {
        EXPECT_EQ(first, static_cast<std::int64_t>(d.values.size())) << "batches must be contiguous and in order";
        EXPECT_FALSE(batch.empty());
        d.values.insert(d.values.end(), batch.begin(), batch.end());
        ++d.calls;
      });
  return d;
}

TEST(OrderedPool, DeliversEveryResultOnceInIndexOrderForAnyThreadCountAndWindow) {
  std::vector<std::int64_t> expected;
  for (std::int64_t i = 0; i < 1000; ++i) expected.push_back(i * i);
  for (int jobs : {1, 2, 3, 8}) {
    for (std::int64_t window : {1, 3, 64, 5000}) {
      const Delivered d = run_squares(1000, jobs, window);
      EXPECT_EQ(d.values, expected) << "jobs " << jobs << ", window " << window;
      EXPECT_GE(d.calls, 1);
    }
  }
}

TEST(OrderedPool, NoTaskNoCall) {
  const Delivered d = run_squares(0, 4, 8);
  EXPECT_EQ(d.calls, 0);
}

TEST(OrderedPool, TheLowestFailingTaskWinsAndNothingFromItOnIsDelivered) {
  for (int jobs : {1, 2, 8}) {
    std::vector<std::int64_t> got;
    try {
      run_ordered<std::int64_t>(
          1000, jobs, 16,
          [](std::int64_t i) -> std::int64_t {
            if (i == 500 || i == 501 || i == 700) throw std::runtime_error("task " + std::to_string(i));
            return i;
          },
          [&](std::int64_t, std::vector<std::int64_t>& batch) { got.insert(got.end(), batch.begin(), batch.end()); });
      ADD_FAILURE() << "no exception with jobs " << jobs;
    } catch (const std::runtime_error& e) {
      EXPECT_STREQ(e.what(), "task 500") << "jobs " << jobs;
    }
    ASSERT_EQ(got.size(), 500u) << "jobs " << jobs;
    for (std::int64_t i = 0; i < 500; ++i) ASSERT_EQ(got[static_cast<std::size_t>(i)], i);
  }
}

TEST(OrderedPool, AnErrorInDeliveryStopsThePoolAndIsRethrown) {
  for (int jobs : {1, 2, 8}) {
    std::atomic<std::int64_t> computed{0};
    std::int64_t delivered = 0;
    EXPECT_THROW(run_ordered<std::int64_t>(
                     100'000, jobs, 16,
                     [&](std::int64_t i) {
                       ++computed;
                       return i;
                     },
                     [&](std::int64_t, std::vector<std::int64_t>& batch) {
                       delivered += static_cast<std::int64_t>(batch.size());
                       if (delivered >= 100) throw std::logic_error("disk full");
                     }),
                 std::logic_error)
        << "jobs " << jobs;
    // The workers stopped: at most the window (and one task per thread) beyond what was delivered.
    EXPECT_LE(computed.load(), delivered + 16 + jobs) << "jobs " << jobs;
  }
}

}  // namespace
}  // namespace samplersim
