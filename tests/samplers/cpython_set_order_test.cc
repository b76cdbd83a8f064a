// Tests for the CPython set-order model: every set-order row of reference section 8 (including the
// Python 3.6 example), the IntSetTable mechanics (home slots, growth sizes, copy and difference
// paths), the fast entry points against the literal emulation on thousands of seeded random cases,
// and fresh cases generated at test time by Debian's python3 (skipped, never failed, when python3
// cannot run). Must never depend on the wall clock: every generated case comes from a fixed seed.
#include "samplers/cpython_set_order.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <numeric>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace samplersim {
namespace {

constexpr SetGrowthRule kBothRules[] = {SetGrowthRule::kPython37Plus, SetGrowthRule::kPython36};

std::vector<int> range_of(int lo, int hi) {  // [lo, hi]
  std::vector<int> v;
  for (int k = lo; k <= hi; ++k) v.push_back(k);
  return v;
}

std::vector<std::uint8_t> mask_of(int n, const std::vector<int>& ids) {
  std::vector<std::uint8_t> mask(static_cast<std::size_t>(n), 0);
  for (const int id : ids) mask.at(static_cast<std::size_t>(id)) = 1;
  return mask;
}

const char* rule_name(SetGrowthRule rule) {
  return rule == SetGrowthRule::kPython36 ? "3.6" : "3.7+";
}

// Fast and reference target/fallback lists for one case must both equal the expectation.
void expect_lists(int n, const std::vector<int>& visited, const std::vector<int>& running,
                  const std::vector<int>& want_list, const std::vector<int>& want_fallback,
                  SetGrowthRule rule) {
  const auto v = mask_of(n, visited);
  const auto r = mask_of(n, running);
  EXPECT_EQ(target_list(n, v, r, rule), want_list) << "fast, N " << n << " " << rule_name(rule);
  EXPECT_EQ(reference_target_list(n, visited, running, rule), want_list)
      << "reference, N " << n << " " << rule_name(rule);
  EXPECT_EQ(fallback_list(n, v, rule), want_fallback) << "fast, N " << n << " " << rule_name(rule);
  EXPECT_EQ(reference_fallback_list(n, visited, rule), want_fallback)
      << "reference, N " << n << " " << rule_name(rule);
}

TEST(CPythonSetOrder, ReferenceRowsOnEveryVersion) {
  for (const SetGrowthRule rule : kBothRules) {
    expect_lists(9, {0, 2, 3, 4, 5, 6, 7}, {}, {8, 1}, {8, 1}, rule);
    expect_lists(9, range_of(0, 6), {}, {8, 7}, {8, 7}, rule);
    expect_lists(10, {0, 1, 2, 4, 5, 6, 7}, {3}, {8, 9}, {8, 9, 3}, rule);
    expect_lists(10, range_of(1, 6), {0}, {8, 9, 7}, {0, 8, 9, 7}, rule);
    expect_lists(16, range_of(3, 12), {13}, {0, 1, 2, 14, 15}, {0, 1, 2, 13, 14, 15}, rule);
    expect_lists(100, range_of(0, 89), {95, 96, 97}, {98, 99, 90, 91, 92, 93, 94},
                 {96, 97, 98, 99, 90, 91, 92, 93, 94, 95}, rule);
  }
}

TEST(CPythonSetOrder, Python36GrowthRuleExample) {
  // N = 81, V = 1..61, R = {}: survivors 0, 62..80.
  std::vector<int> want37 = {0};
  for (int k = 64; k <= 80; ++k) want37.push_back(k);
  want37.push_back(62);
  want37.push_back(63);
  std::vector<int> want36 = want37;
  std::swap(want36[1], want36[2]);  // [0, 65, 64, 66, ...]
  const auto v = mask_of(81, range_of(1, 61));
  const auto r = mask_of(81, {});
  EXPECT_EQ(target_list(81, v, r), want37);
  EXPECT_EQ(target_list(81, v, r, SetGrowthRule::kPython36), want36);
  EXPECT_EQ(reference_target_list(81, range_of(1, 61), {}), want37);
  EXPECT_EQ(reference_target_list(81, range_of(1, 61), {}, SetGrowthRule::kPython36), want36);
}

TEST(CPythonSetOrder, RunningIdsThatAreVisitedStillCountTowardB) {
  // Measured with CPython 3.11: both running ids are visited, yet |set(R)| = 2 sends the second
  // difference down the new-set path (5 >> 2 = 1 is not > 2), which keeps ascending order.
  const std::vector<int> visited = {0,  2,  3,  4,  5,  6,  7,  8,  9,  11, 12,
                                    14, 15, 16, 17, 18, 19, 20, 22, 23, 25, 26};
  const auto v = mask_of(27, visited);
  EXPECT_EQ(target_list(27, v, mask_of(27, {12, 16})), (std::vector<int>{1, 10, 13, 21, 24}));
  EXPECT_EQ(reference_target_list(27, visited, std::vector<int>{12, 16}),
            (std::vector<int>{1, 10, 13, 21, 24}));
  // Without them (|B| = 0) the copy path re-inserts the 5 survivors into a 16-slot table, where
  // 21 and 24 wrap to slots 5 and 8. The first difference itself (32 slots) is ascending.
  EXPECT_EQ(target_list(27, v, mask_of(27, {})), (std::vector<int>{1, 21, 24, 10, 13}));
  EXPECT_EQ(fallback_list(27, v), (std::vector<int>{1, 10, 13, 21, 24}));
}

TEST(CPythonSetOrder, DuplicatesAndOrderOfIdsDoNotMatter) {
  const std::vector<int> a = {5, 1, 1, 7, 3, 5, 0, 2, 4, 6};
  std::vector<int> b = {0, 1, 2, 3, 4, 5, 6, 7};
  std::reverse(b.begin(), b.end());
  EXPECT_EQ(reference_target_list(9, a, std::vector<int>{8, 8}),
            reference_target_list(9, b, std::vector<int>{8}));
  EXPECT_EQ(reference_fallback_list(9, a), (std::vector<int>{8}));
}

TEST(IntSetTable, SetOfRangeHoldsEveryKeyAtHome) {
  for (const int n : {0, 1, 4, 5, 9, 100, 4097}) {
    for (const SetGrowthRule rule : kBothRules) {
      const IntSetTable t = IntSetTable::from_range(n, rule);
      ASSERT_GT(t.table_size(), static_cast<std::size_t>(n));
      EXPECT_EQ(t.size(), static_cast<std::size_t>(n));
      EXPECT_FALSE(t.has_dummies());
      for (int k = 0; k < n; ++k) ASSERT_EQ(t.slot(static_cast<std::size_t>(k)), k);
    }
  }
  EXPECT_EQ(IntSetTable::from_range(5).table_size(), 32U);  // grows at the 5th add to > 20
  EXPECT_EQ(IntSetTable::from_range(4).table_size(), 8U);
}

TEST(IntSetTable, ProbeWalkUsesLinearProbesThenPerturbation) {
  IntSetTable t;  // 8 slots: i + 9 <= 7 never holds, so each step looks at one slot only
  t.add(8);       // slot 0
  t.add(0);       // home 0 taken; perturb 0 -> i = (0*5 + 1 + 0) & 7 = 1
  EXPECT_EQ(t.slot(0), 8);
  EXPECT_EQ(t.slot(1), 0);
  t.add(16);  // home 0 taken; perturb 16 >> 5 = 0 -> slot 1 taken -> i = (1*5+1) & 7 = 6
  EXPECT_EQ(t.slot(6), 16);
  EXPECT_EQ(t.keys(), (std::vector<int>{8, 0, 16}));

  IntSetTable big = IntSetTable::with_table_size(64);
  big.insert_clean(64);   // slot 0
  big.insert_clean(128);  // linear probe: slot 1
  big.insert_clean(1);    // home 1 taken: linear probe to slot 2
  EXPECT_EQ(big.slot(1), 128);
  EXPECT_EQ(big.slot(2), 1);
  EXPECT_TRUE(big.contains(1));
  EXPECT_FALSE(big.contains(65));
  EXPECT_THROW(big.insert_clean(1), std::logic_error);
}

TEST(IntSetTable, GrowthSizesMatchIncrementalAdds) {
  for (const SetGrowthRule rule : kBothRules) {
    IntSetTable t(rule);
    EXPECT_EQ(set_table_size_after_adds(0, rule), t.table_size());
    for (int k = 0; k < 70000; ++k) {  // crosses the 50,000 "used * 2" switch
      t.add(k);
      ASSERT_EQ(set_table_size_after_adds(static_cast<std::size_t>(k) + 1, rule), t.table_size())
          << "after " << k + 1 << " adds, " << rule_name(rule);
    }
  }
  EXPECT_EQ(set_table_size_after_adds(19), 128U);
  EXPECT_EQ(set_table_size_after_adds(20, SetGrowthRule::kPython36), 32U);
  EXPECT_EQ(set_table_size_after_adds(21, SetGrowthRule::kPython36), 128U);
  EXPECT_EQ(set_table_size_for(20), 32U);
  EXPECT_EQ(set_table_size_for(0), 8U);
  EXPECT_EQ(set_table_size_for(8), 16U);
}

TEST(IntSetTable, CopyPresizesAndCopiesSlotForSlotOnlyWhenSizesMatch) {
  const IntSetTable small = IntSetTable::from_range(4);
  EXPECT_EQ(small.copy().table_size(), 8U);  // 4*5 < 21: no presize
  const IntSetTable five = IntSetTable::from_range(5);  // 32 slots
  EXPECT_EQ(five.copy().table_size(), 16U);             // smallest power of two > 10
  // A wrapped table of the same size is copied slot for slot (order kept).
  IntSetTable wrapped;
  for (const int k : {8, 0, 16}) wrapped.add(k);
  EXPECT_EQ(wrapped.copy().keys(), (std::vector<int>{8, 0, 16}));
}

TEST(IntSetTable, DifferenceTakesTheCopyPathOnlyWhenBIsSmall) {
  const IntSetTable a = IntSetTable::from_range(20);
  const IntSetTable b4 = IntSetTable::from_keys(std::vector<int>{1, 2, 3, 4});
  const IntSetTable b5 = IntSetTable::from_keys(std::vector<int>{1, 2, 3, 4, 5});
  const IntSetTable copy_path = a.difference(b4);  // 20 >> 2 = 5 > 4
  EXPECT_TRUE(copy_path.has_dummies());
  EXPECT_EQ(copy_path.size(), 16U);
  EXPECT_EQ(copy_path.fill(), 20U);
  EXPECT_EQ(copy_path.table_size(), 64U);  // > 40
  const IntSetTable new_set = a.difference(b5);  // 5 > 5 fails
  EXPECT_FALSE(new_set.has_dummies());
  EXPECT_EQ(new_set.size(), 15U);
  EXPECT_EQ(new_set.table_size(), set_table_size_after_adds(15));
  EXPECT_THROW(IntSetTable(copy_path).add(99), std::logic_error);
}

TEST(UnvisitedOrder, DistinctCountBeyondTheMaskOnlyChangesThePath) {
  // set(range(16)) - B with B = {3..12} (10 members) and with 10 more members outside range(16).
  const auto mask = mask_of(16, range_of(3, 12));
  EXPECT_EQ(unvisited_order(16, mask, 10), (std::vector<int>{0, 1, 2, 13, 14, 15}));
  for (const int extra : {0, 1, 5, 40}) {
    for (const SetGrowthRule rule : kBothRules) {
      EXPECT_EQ(unvisited_order(16, mask, 10 + extra, rule),
                reference_unvisited_order(16, mask, 10 + extra, rule));
    }
  }
  // N = 40, B = {0..7}: copy path (40 >> 2 = 10 > 8); with |B| = 10 the new-set path instead.
  const auto small_b = mask_of(40, range_of(0, 7));
  EXPECT_EQ(unvisited_order(40, small_b, 8), range_of(8, 39));
  EXPECT_EQ(unvisited_order(40, small_b, 10), reference_unvisited_order(40, small_b, 10));
  // N = 100, B = {0..89} plus 30 ids outside range(100): the new-set path wraps 90..99 either way.
  const auto most = mask_of(100, range_of(0, 89));
  const std::vector<int> wrapped = {96, 97, 98, 99, 90, 91, 92, 93, 94, 95};
  EXPECT_EQ(unvisited_order(100, most, 90), wrapped);
  EXPECT_EQ(unvisited_order(100, most, 120), wrapped);
  EXPECT_EQ(reference_unvisited_order(100, most, 120), wrapped);
  EXPECT_THROW(unvisited_order(16, mask, 9), std::invalid_argument);
  EXPECT_THROW(unvisited_order(17, mask, 10), std::invalid_argument);
  EXPECT_THROW(target_list(16, mask, mask_of(15, {})), std::invalid_argument);
}

// ---------------------------------------------------------------------------------------------
// Fast entry points against the literal emulation.

class SplitMix64 {
 public:
  explicit SplitMix64(std::uint64_t seed) : state_(seed) {}
  std::uint64_t next() {
    std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  int below(int n) { return n <= 0 ? 0 : static_cast<int>(next() % static_cast<std::uint64_t>(n)); }

 private:
  std::uint64_t state_;
};

struct Case {
  int n = 0;
  std::vector<int> visited;
  std::vector<int> running;
};

// Visited/running lists shaped like a real study: random picks with duplicates, the 3.4+
// trial-number prefix, samples without repeats, |V| near N/4 and |R| near |survivors|/4 (the two
// path thresholds), nearly finished grids.
Case random_case(SplitMix64& rng, int max_n) {
  Case c;
  const int size_class = rng.below(3);
  c.n = size_class == 0 ? rng.below(41) : size_class == 1 ? rng.below(301) : rng.below(max_n + 1);
  const int n = c.n;
  if (n == 0) return c;
  std::vector<int> perm(static_cast<std::size_t>(n));
  std::iota(perm.begin(), perm.end(), 0);
  for (int i = n - 1; i > 0; --i) std::swap(perm[static_cast<std::size_t>(i)],
                                            perm[static_cast<std::size_t>(rng.below(i + 1))]);
  const int fraction_permille = rng.below(1001);
  int distinct = n * fraction_permille / 1000;
  switch (rng.below(5)) {
    case 0:  // random picks with duplicates
      for (int i = 0; i < distinct * 13 / 10; ++i) c.visited.push_back(rng.below(n));
      break;
    case 1:  // trial-number prefix
      for (int k = 0; k < distinct; ++k) c.visited.push_back(k);
      break;
    case 2:
      c.visited.assign(perm.begin(), perm.begin() + distinct);
      break;
    case 3:
      distinct = std::clamp(n / 4 + rng.below(5) - 2, 0, n);
      c.visited.assign(perm.begin(), perm.begin() + distinct);
      break;
    default:
      distinct = n - std::min(n, rng.below(41));
      c.visited.assign(perm.begin(), perm.begin() + distinct);
      break;
  }
  const std::set<int> visited_set(c.visited.begin(), c.visited.end());
  std::vector<int> unvisited;
  for (int k = 0; k < n; ++k) {
    if (visited_set.count(k) == 0) unvisited.push_back(k);
  }
  const int u = static_cast<int>(unvisited.size());
  int running = 0;
  switch (rng.below(4)) {
    case 0: running = 0; break;
    case 1: running = rng.below(6); break;
    case 2: running = rng.below(n / 3 + 2); break;
    default: running = std::max(0, u / 4 + rng.below(5) - 2); break;
  }
  for (int i = 0; i < running; ++i) {
    const bool pick_unvisited = !unvisited.empty() && rng.below(10) < 7;
    c.running.push_back(pick_unvisited ? unvisited[static_cast<std::size_t>(rng.below(u))]
                                       : rng.below(n));
  }
  return c;
}

bool is_ascending(const std::vector<int>& v) { return std::is_sorted(v.begin(), v.end()); }

TEST(CPythonSetOrder, FastPathEqualsEmulationOnRandomCases) {
  int non_ascending_targets = 0;
  int non_ascending_fallbacks = 0;
  for (const SetGrowthRule rule : kBothRules) {
    SplitMix64 rng(rule == SetGrowthRule::kPython36 ? 36 : 37);
    for (int i = 0; i < 3000; ++i) {
      const Case c = random_case(rng, i % 30 == 0 ? 10000 : 3000);
      const auto v = mask_of(c.n, c.visited);
      const auto r = mask_of(c.n, c.running);
      const std::vector<int> want = reference_target_list(c.n, c.visited, c.running, rule);
      ASSERT_EQ(target_list(c.n, v, r, rule), want)
          << "case " << i << " N " << c.n << " |V| " << c.visited.size() << " |R| "
          << c.running.size() << " " << rule_name(rule);
      const std::vector<int> want_fallback = reference_fallback_list(c.n, c.visited, rule);
      ASSERT_EQ(fallback_list(c.n, v, rule), want_fallback) << "case " << i;
      non_ascending_targets += is_ascending(want) ? 0 : 1;
      non_ascending_fallbacks += is_ascending(want_fallback) ? 0 : 1;
    }
  }
  // The generator must reach the wrapped (emulated) branches, or this test proves little.
  EXPECT_GT(non_ascending_targets, 300);
  EXPECT_GT(non_ascending_fallbacks, 300);
}

// ListShape (what a caller may take from an id set's select() instead of the list): when it says
// kAscending, the reference emulation's list is exactly the ascending free (or unvisited) ids; and
// both answers occur on the generator's cases, so the test can fail either way.
TEST(CPythonSetOrder, AscendingShapeMeansTheReferenceListIsTheAscendingIds) {
  int ascending = 0;
  int other = 0;
  for (const SetGrowthRule rule : kBothRules) {
    SplitMix64 rng(rule == SetGrowthRule::kPython36 ? 360 : 370);
    for (int i = 0; i < 3000; ++i) {
      const Case c = random_case(rng, i % 30 == 0 ? 10000 : 3000);
      const std::set<int> v(c.visited.begin(), c.visited.end());
      const std::set<int> r(c.running.begin(), c.running.end());
      ListCounts counts;
      counts.n = static_cast<std::size_t>(c.n);
      counts.visited = v.size();
      counts.running = r.size();
      std::vector<int> free_ids;
      std::vector<int> unvisited_ids;
      for (int k = 0; k < c.n; ++k) {
        if (v.count(k) == 0) unvisited_ids.push_back(k);
        if (v.count(k) == 0 && r.count(k) == 0) free_ids.push_back(k);
      }
      counts.free = free_ids.size();
      counts.max_unvisited = unvisited_ids.empty() ? -1 : unvisited_ids.back();
      counts.max_free = free_ids.empty() ? -1 : free_ids.back();
      const std::string where = "case " + std::to_string(i) + " N " + std::to_string(c.n) + " " + rule_name(rule);
      if (target_list_shape(counts, rule) == ListShape::kAscending) {
        ++ascending;
        ASSERT_EQ(reference_target_list(c.n, c.visited, c.running, rule), free_ids) << where;
      } else {
        ++other;
      }
      if (fallback_list_shape(counts, rule) == ListShape::kAscending) {
        ASSERT_EQ(reference_fallback_list(c.n, c.visited, rule), unvisited_ids) << where;
      }
    }
  }
  EXPECT_GT(ascending, 1000);
  EXPECT_GT(other, 300);
}

TEST(CPythonSetOrder, FastPathEqualsEmulationOnEverySmallShape) {
  // Every N <= 24 with many visited/running sets, so each threshold is crossed on both sides.
  SplitMix64 rng(2024);
  for (const SetGrowthRule rule : kBothRules) {
    for (int n = 0; n <= 24; ++n) {
      for (int i = 0; i < 400; ++i) {
        Case c;
        c.n = n;
        if (n > 0) {
          const int v_count = rng.below(n + 1);
          for (int j = 0; j < v_count; ++j) c.visited.push_back(rng.below(n));
          const int r_count = rng.below(n / 2 + 2);
          for (int j = 0; j < r_count; ++j) c.running.push_back(rng.below(n));
        }
        ASSERT_EQ(target_list(n, mask_of(n, c.visited), mask_of(n, c.running), rule),
                  reference_target_list(n, c.visited, c.running, rule))
            << "N " << n << " case " << i << " " << rule_name(rule);
      }
    }
  }
}

TEST(UnvisitedOrder, FastPathEqualsEmulationOnRandomCases) {
  SplitMix64 rng(99);
  for (int i = 0; i < 2000; ++i) {
    const SetGrowthRule rule = kBothRules[i % 2];
    const Case c = random_case(rng, 2000);
    const auto mask = mask_of(c.n, c.visited);
    const int members = static_cast<int>(std::count(mask.begin(), mask.end(), 1));
    const int b_distinct = members + (rng.below(3) == 0 ? rng.below(c.n / 2 + 3) : 0);
    ASSERT_EQ(unvisited_order(c.n, mask, b_distinct, rule),
              reference_unvisited_order(c.n, mask, b_distinct, rule))
        << "case " << i << " N " << c.n << " |B| " << b_distinct;
  }
}

// ---------------------------------------------------------------------------------------------
// Fresh cases from real CPython.

std::string python_interpreter() {
  return std::filesystem::exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";
}

bool python_runs() {
  const std::string command = python_interpreter() + " -c 'import sys' >/dev/null 2>&1";
  return std::system(command.c_str()) == 0;
}

// Runs a Python script; returns its standard output. Fails the test if the script fails.
std::string run_python(const std::string& script) {
  std::string path = (std::filesystem::temp_directory_path() / "samplersim_so_XXXXXX").string();
  const int fd = mkstemp(path.data());
  if (fd < 0) {
    ADD_FAILURE() << "cannot create a temporary file";
    return {};
  }
  close(fd);
  std::ofstream(path) << script;
  const std::string command = python_interpreter() + " " + path;
  std::string output;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) {
    std::filesystem::remove(path);
    ADD_FAILURE() << "popen failed for " << command;
    return {};
  }
  char buffer[65536];
  std::size_t got = 0;
  while ((got = std::fread(buffer, 1, sizeof buffer, pipe)) > 0) output.append(buffer, got);
  const int status = pclose(pipe);
  std::filesystem::remove(path);
  EXPECT_EQ(status, 0) << "python script failed: " << command;
  return output;
}

constexpr const char* kSetOrderScript = R"PY(
import random, sys
print("VER", sys.version_info[0], sys.version_info[1])
gen = random.Random(4242)
def pick_n():
    return gen.choice([gen.randint(0, 40), gen.randint(0, 300), gen.randint(0, 3000)])
for case in range(200):
    n = pick_n()
    mode = gen.randrange(5)
    if n == 0:
        V = []
    elif mode == 0:
        V = [gen.randrange(n) for _ in range(int(gen.random() * n * 1.3))]
    elif mode == 1:
        V = list(range(int(gen.random() * n)))
    elif mode == 2:
        V = gen.sample(range(n), int(gen.random() * n))
    elif mode == 3:
        V = gen.sample(range(n), max(0, min(n, n // 4 + gen.randint(-2, 2))))
    else:
        V = gen.sample(range(n), n - gen.randint(0, min(n, 40)))
    unv = sorted(set(range(n)) - set(V))
    u = len(unv)
    count = [0, gen.randint(0, 5), gen.randint(0, n // 3 + 1),
             max(0, u // 4 + gen.randint(-2, 2))][gen.randrange(4)]
    R = [] if n == 0 else [gen.choice(unv) if unv and gen.random() < 0.7 else gen.randrange(n)
                           for _ in range(count)]
    print("N", n)
    print("V", *V)
    print("R", *R)
    print("L", *list((set(range(n)) - set(V)) - set(R)))
    print("F", *list(set(range(n)) - set(V)))
for case in range(50):
    top = gen.choice([16, 100, 5000, 10**6])
    keys = [gen.randrange(top) for _ in range(gen.randint(0, 3000))]
    print("K", *keys)
    print("O", *list(set(keys)))
for case in range(50):
    n = pick_n()
    B = [gen.randrange(n + 50) for _ in range(gen.randint(0, n + 10))]
    print("N", n)
    print("B", *B)
    print("U", *list(set(range(n)) - set(B)))
)PY";

// Reads the next line and checks its tag; returns the integers after the tag.
std::vector<int> read_tagged(std::istringstream& lines, const std::string& tag) {
  std::string line;
  if (!std::getline(lines, line)) {
    ADD_FAILURE() << "python output ended before a '" << tag << "' line";
    return {};
  }
  std::istringstream in(line);
  std::string got_tag;
  in >> got_tag;
  EXPECT_EQ(got_tag, tag) << line.substr(0, 80);
  std::vector<int> out;
  for (int x = 0; in >> x;) out.push_back(x);
  return out;
}

TEST(CPythonSetOrder, MatchesCPythonOnFreshlyGeneratedCases) {
  if (!python_runs()) {
    GTEST_SKIP() << "python3 is not runnable (" << python_interpreter()
                 << "); cannot compare against real CPython sets";
  }
  const std::string output = run_python(kSetOrderScript);
  std::istringstream lines(output);
  const std::vector<int> version = read_tagged(lines, "VER");
  ASSERT_EQ(version.size(), 2U);
  if (version[0] == 3 && version[1] < 6) {
    GTEST_SKIP() << "CPython " << version[0] << "." << version[1] << " is not modelled";
  }
  const SetGrowthRule rule = (version[0] == 3 && version[1] == 6) ? SetGrowthRule::kPython36
                                                                  : SetGrowthRule::kPython37Plus;
  int non_ascending = 0;
  for (int i = 0; i < 200; ++i) {
    const std::vector<int> n_line = read_tagged(lines, "N");
    ASSERT_EQ(n_line.size(), 1U);
    const int n = n_line[0];
    const std::vector<int> visited = read_tagged(lines, "V");
    const std::vector<int> running = read_tagged(lines, "R");
    const std::vector<int> want = read_tagged(lines, "L");
    const std::vector<int> want_fallback = read_tagged(lines, "F");
    const auto v = mask_of(n, visited);
    const auto r = mask_of(n, running);
    ASSERT_EQ(target_list(n, v, r, rule), want) << "case " << i << " N " << n;
    ASSERT_EQ(reference_target_list(n, visited, running, rule), want) << "case " << i;
    ASSERT_EQ(fallback_list(n, v, rule), want_fallback) << "case " << i;
    ASSERT_EQ(reference_fallback_list(n, visited, rule), want_fallback) << "case " << i;
    non_ascending += is_ascending(want) ? 0 : 1;
  }
  EXPECT_GT(non_ascending, 10) << "the generated cases should include wrapped orders";
  for (int i = 0; i < 50; ++i) {
    const std::vector<int> keys = read_tagged(lines, "K");
    const std::vector<int> want = read_tagged(lines, "O");
    ASSERT_EQ(IntSetTable::from_keys(keys, rule).keys(), want) << "set(keys) case " << i;
  }
  for (int i = 0; i < 50; ++i) {
    const std::vector<int> n_line = read_tagged(lines, "N");
    ASSERT_EQ(n_line.size(), 1U);
    const int n = n_line[0];
    const std::vector<int> b = read_tagged(lines, "B");
    const std::vector<int> want = read_tagged(lines, "U");
    std::vector<std::uint8_t> mask(static_cast<std::size_t>(n), 0);
    for (const int id : b) {
      if (id < n) mask[static_cast<std::size_t>(id)] = 1;
    }
    const int distinct = static_cast<int>(std::set<int>(b.begin(), b.end()).size());
    ASSERT_EQ(unvisited_order(n, mask, distinct, rule), want) << "range - B case " << i;
    ASSERT_EQ(IntSetTable::from_range(n, rule).difference(IntSetTable::from_keys(b, rule)).keys(),
              want)
        << "range - B case " << i;
  }
}

}  // namespace
}  // namespace samplersim
