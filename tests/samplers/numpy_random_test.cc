// Tests for NumpyRandomState: every numpy vector of reference section 8 (raw MT19937 outputs,
// shuffles and the outputs they consume, choice sequences, the 4.0+ default sampler's post-shuffle
// choices and grid order), the bounded-integer edge cases, and fresh vectors generated at test
// time by Debian's python3 + numpy (skipped, never failed, when numpy is not importable).
// Must never depend on the wall clock: every generated case comes from a fixed seed.
#include "samplers/numpy_random.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <numeric>
#include <sstream>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace samplersim {
namespace {

std::vector<int> iota_vector(int n) {
  std::vector<int> v(static_cast<std::size_t>(n));
  std::iota(v.begin(), v.end(), 0);
  return v;
}

std::vector<std::size_t> choices(NumpyRandomState& rng, std::size_t n, int count) {
  std::vector<std::size_t> out;
  for (int i = 0; i < count; ++i) out.push_back(rng.choice_index(n));
  return out;
}

// Position numpy reports in get_state()[2] after `draws` raw outputs from a fresh seed.
std::uint64_t mt_position(std::uint64_t draws) { return draws == 0 ? 624 : (draws - 1) % 624 + 1; }

TEST(NumpyRandomState, RawOutputsMatchNumpy) {
  NumpyRandomState s42(42);
  const std::vector<std::uint32_t> want42 = {1608637542U, 3421126067U, 4083286876U, 787846414U,
                                             3143890026U};
  for (const std::uint32_t w : want42) EXPECT_EQ(s42.next32(), w);
  EXPECT_EQ(s42.draws(), 5U);

  NumpyRandomState s0(0);
  const std::vector<std::uint32_t> want0 = {2357136044U, 2546248239U, 3071714933U, 3626093760U,
                                            2588848963U};
  for (const std::uint32_t w : want0) EXPECT_EQ(s0.next32(), w);
}

TEST(NumpyRandomState, ShuffleMatchesNumpy) {
  struct Case {
    std::uint32_t seed;
    int n;
    std::vector<int> want;
  };
  const std::vector<Case> cases = {
      {42, 10, {8, 1, 5, 0, 7, 2, 9, 4, 3, 6}}, {42, 9, {7, 1, 5, 0, 8, 2, 4, 3, 6}},
      {42, 4, {1, 3, 0, 2}},                    {0, 10, {2, 8, 4, 9, 1, 6, 7, 3, 0, 5}},
      {0, 9, {7, 2, 1, 4, 8, 6, 3, 0, 5}},      {0, 4, {2, 3, 1, 0}},
  };
  for (const Case& c : cases) {
    NumpyRandomState rng(c.seed);
    std::vector<int> items = iota_vector(c.n);
    rng.shuffle(items);
    EXPECT_EQ(items, c.want) << "seed " << c.seed << " n " << c.n;
  }
}

TEST(NumpyRandomState, ShuffleConsumesTheMeasuredRawOutputs) {
  const std::vector<std::pair<int, std::uint64_t>> cases = {{4, 4}, {9, 10}, {10, 12}, {100, 138}};
  for (const auto& [n, want] : cases) {
    NumpyRandomState rng(0);
    std::vector<int> items = iota_vector(n);
    rng.shuffle(items);
    EXPECT_EQ(rng.draws(), want) << "n " << n;
  }
}

TEST(NumpyRandomState, ShuffleOfZeroOrOneItemDrawsNothing) {
  NumpyRandomState rng(0);
  std::vector<int> none;
  rng.shuffle(none);
  std::vector<int> one = {7};
  rng.shuffle(one);
  EXPECT_EQ(rng.draws(), 0U);
  EXPECT_EQ(one, std::vector<int>{7});
}

TEST(NumpyRandomState, ShuffleWorksOnSpansAndOtherElementTypes) {
  NumpyRandomState a(42);
  NumpyRandomState b(42);
  std::vector<std::int64_t> wide = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
  std::vector<int> narrow = iota_vector(10);
  a.shuffle(wide);
  b.shuffle(std::span<int>(narrow));
  const std::vector<std::int64_t> want = {8, 1, 5, 0, 7, 2, 9, 4, 3, 6};
  EXPECT_EQ(wide, want);
  EXPECT_EQ(std::vector<std::int64_t>(narrow.begin(), narrow.end()), want);
}

TEST(NumpyRandomState, ChoiceSequencesMatchNumpy) {
  struct Case {
    std::size_t n;
    std::vector<std::size_t> seed0;
    std::vector<std::size_t> seed42;
  };
  const std::vector<Case> cases = {
      {1, {0, 0, 0, 0, 0}, {0, 0, 0, 0, 0}},
      {2, {0, 1, 1, 0, 1}, {0, 1, 0, 0, 0}},
      {3, {0, 1, 0, 1, 1}, {2, 0, 2, 2, 0}},
      {7, {4, 5, 0, 3, 3}, {6, 3, 4, 6, 2}},
      {100, {44, 47, 64, 67, 67}, {51, 92, 14, 71, 60}},
  };
  for (const Case& c : cases) {
    NumpyRandomState r0(0);
    EXPECT_EQ(choices(r0, c.n, 5), c.seed0) << "seed 0, n " << c.n;
    NumpyRandomState r42(42);
    EXPECT_EQ(choices(r42, c.n, 5), c.seed42) << "seed 42, n " << c.n;
    if (c.n == 1) {
      EXPECT_EQ(r0.draws(), 0U) << "a one-element choice must not draw";
      EXPECT_EQ(r42.draws(), 0U);
    }
  }
}

TEST(NumpyRandomState, DefaultSamplerChoicesAfterConstructorShuffle) {
  // Optuna 4.0+: LazyRandomState(0), shuffle of the N-item grid, then choice on 3-element lists.
  const std::vector<std::pair<int, std::vector<std::size_t>>> cases = {
      {9, {1, 2, 0, 2, 0}}, {10, {0, 2, 0, 0, 0}}, {4, {1, 1, 2, 0, 2}}};
  for (const auto& [n, want] : cases) {
    NumpyRandomState rng(0);
    std::vector<int> grid = iota_vector(n);
    rng.shuffle(grid);
    EXPECT_EQ(choices(rng, 3, 5), want) << "N " << n;
  }
}

TEST(NumpyRandomState, DefaultSamplerGridOrderExample) {
  // {"y": ["a","b"], "x": [2,0,1]}: names sorted (x, y), product with y fastest.
  using Point = std::pair<int, char>;
  const std::vector<Point> product = {{2, 'a'}, {2, 'b'}, {0, 'a'}, {0, 'b'}, {1, 'a'}, {1, 'b'}};
  std::vector<Point> seed0 = product;
  NumpyRandomState(0).shuffle(seed0);
  EXPECT_EQ(seed0,
            (std::vector<Point>{{1, 'b'}, {0, 'a'}, {2, 'b'}, {0, 'b'}, {2, 'a'}, {1, 'a'}}));
  std::vector<Point> seed42 = product;
  NumpyRandomState(42).shuffle(seed42);
  EXPECT_EQ(seed42,
            (std::vector<Point>{{2, 'a'}, {2, 'b'}, {1, 'b'}, {0, 'a'}, {1, 'a'}, {0, 'b'}}));
}

TEST(NumpyRandomState, BoundedUsesTheMaskedRejectionRule) {
  NumpyRandomState rng(0);
  EXPECT_EQ(rng.bounded(0), 0U);
  EXPECT_EQ(rng.draws(), 0U);
  // max = 2^32 - 1: the mask keeps every bit, so the raw output is returned as is.
  EXPECT_EQ(rng.bounded(0xFFFFFFFFU), 2357136044U);
  // Seed 0 raw outputs & 7: 4, 7, 5, 0 (2357136044, 2546248239, 3071714933, 3626093760).
  // bounded(5) rejects 7 and returns 5 after consuming outputs 2 and 3.
  EXPECT_EQ(rng.bounded(5), 5U);  // output 2: & 7 == 7 > 5 rejected; output 3: 5
  EXPECT_EQ(rng.draws(), 3U);
  NumpyRandomState fresh(0);
  EXPECT_EQ(fresh.bounded(5), 4U);  // 2357136044 & 7 == 4
  EXPECT_EQ(fresh.bounded(1), 1U);  // 2546248239 & 1
}

TEST(NumpyRandomState, BoundedMaskCoversEveryBitBelowTheTopOne) {
  // Measured with numpy 1.24.2: randint(0, max + 1, dtype=np.uint32) four times, and the raw
  // outputs consumed (get_state()[2]). A mask that misses low bits would give other values.
  struct Case {
    std::uint32_t seed;
    std::uint32_t max;
    std::vector<std::uint32_t> want;
    std::uint64_t draws;
  };
  const std::vector<Case> cases = {
      {0, 0x80000001U, {1819583497U, 1650906866U, 1879422756U, 1277901399U}, 14},
      {0, 0x10001U, {43567U, 42613U, 45891U, 21243U}, 6},
      {42, 0x80000001U, {1608637542U, 787846414U, 670094950U, 1914837113U}, 10},
      {42, 0x10001U, {15795U, 860U, 54886U, 6265U}, 10},
  };
  for (const Case& c : cases) {
    NumpyRandomState rng(c.seed);
    std::vector<std::uint32_t> got;
    for (std::size_t i = 0; i < c.want.size(); ++i) got.push_back(rng.bounded(c.max));
    EXPECT_EQ(got, c.want) << "seed " << c.seed << " max " << c.max;
    EXPECT_EQ(rng.draws(), c.draws) << "seed " << c.seed << " max " << c.max;
  }
}

TEST(NumpyRandomState, ReseedRestartsTheStreamAndTheCount) {
  NumpyRandomState rng(7);
  for (int i = 0; i < 1000; ++i) rng.next32();
  rng.reseed(42);
  EXPECT_EQ(rng.draws(), 0U);
  EXPECT_EQ(rng.next32(), 1608637542U);
}

TEST(NumpyRandomState, ChoiceOfEmptyListThrows) {
  NumpyRandomState rng(0);
  EXPECT_THROW(rng.choice_index(0), std::invalid_argument);
}

// The state is regenerated one word per output (numpy_random.h): outputs across many 624-word
// blocks, and a copy taken mid-block, must be MT19937's. The C++ standard fixes the 10,000th
// output of MT19937 seeded with 5489 ([rand.predef]: 4123659995), 16 regenerations in.
TEST(NumpyRandomState, OutputsAcrossRegenerationsAreMt19937s) {
  NumpyRandomState rng(5489);
  std::uint32_t last = 0;
  for (int i = 0; i < 10000; ++i) last = rng.next32();
  EXPECT_EQ(last, 4123659995U);

  NumpyRandomState original(0);
  for (int i = 0; i < 700; ++i) original.next32();  // into the second block
  NumpyRandomState copy = original;
  NumpyRandomState fresh(0);
  for (int i = 0; i < 700; ++i) fresh.next32();
  for (int i = 0; i < 1500; ++i) {
    const std::uint32_t want = fresh.next32();
    ASSERT_EQ(original.next32(), want) << "output " << 700 + i;
    ASSERT_EQ(copy.next32(), want) << "output " << 700 + i;
  }
}

// peek_choice_index computes the next choice without drawing: at every position of the state
// (across the 624-word wrap-around), for lists whose bound rejects rarely and about half the time.
TEST(NumpyRandomState, PeekIsTheNextChoiceAndDrawsNothing) {
  const std::vector<std::size_t> sizes = {1, 2, 3, 20, 1000, (std::size_t{1} << 31) + 2, std::size_t{1} << 32};
  NumpyRandomState rng(42);
  for (int position = 0; position < 1400; ++position) {
    for (const std::size_t n : sizes) {
      const std::uint64_t draws = rng.draws();
      const std::size_t peeked = rng.peek_choice_index(n);
      EXPECT_EQ(rng.draws(), draws);
      NumpyRandomState drawer = rng;
      ASSERT_EQ(peeked, drawer.choice_index(n)) << "position " << position << " n " << n;
    }
    rng.next32();
  }
  EXPECT_THROW((void)rng.peek_choice_index(0), std::invalid_argument);
}

// ---------------------------------------------------------------------------------------------
// Fresh vectors from real numpy.

std::string python_interpreter() {
  return std::filesystem::exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";
}

bool python_imports(const std::string& module) {
  const std::string command = python_interpreter() + " -c 'import " + module + "' >/dev/null 2>&1";
  return std::system(command.c_str()) == 0;
}

// Runs a Python script; returns its standard output. Fails the test if the script fails.
std::string run_python(const std::string& script) {
  std::string path = (std::filesystem::temp_directory_path() / "samplersim_np_XXXXXX").string();
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

constexpr const char* kNumpyScript = R"PY(
import random
import numpy as np
gen = random.Random(20250601)
for case in range(50):
    seed = gen.randrange(2**32)
    n = gen.choice([gen.randint(1, 12), gen.randint(1, 1200)])
    rs = np.random.RandomState(seed)
    x = list(range(n))
    rs.shuffle(x)
    print("S", seed, n, rs.get_state()[2], *x)
    rs = np.random.RandomState(seed)
    m = gen.choice([1, 2, gen.randint(1, 10), gen.randint(1, 5000)])
    print("C", seed, m, *[int(rs.choice(list(range(m)))) for _ in range(12)])
    big_n = gen.randint(1, 300)
    m = gen.randint(1, 60)
    rs = np.random.RandomState(seed)
    g = list(range(big_n))
    rs.shuffle(g)
    print("P", seed, big_n, m, *[int(rs.choice(list(range(m)))) for _ in range(6)])
    mx = gen.choice([gen.randrange(1, 2**32), gen.randrange(1, 2**16), gen.randrange(1, 64),
                     2**32 - 1])
    rs = np.random.RandomState(seed)
    print("B", seed, mx, *[int(rs.randint(0, mx + 1, dtype=np.uint32)) for _ in range(6)])
    rs = np.random.RandomState(seed)
    print("R", seed, *[int(v) for v in rs.randint(0, 2**32, size=6, dtype=np.uint32)])
for mx in [1, 2, 2**16, 2**16 + 1, 2**24 + 3, 2**31, 2**31 + 1, 2**32 - 2]:
    seed = gen.randrange(2**32)
    rs = np.random.RandomState(seed)
    print("B", seed, mx, *[int(rs.randint(0, mx + 1, dtype=np.uint32)) for _ in range(6)])
)PY";

std::vector<std::uint64_t> parse_numbers(std::istringstream& in) {
  std::vector<std::uint64_t> out;
  std::uint64_t v = 0;
  while (in >> v) out.push_back(v);
  return out;
}

TEST(NumpyRandomState, MatchesNumpyOnFreshlyGeneratedCases) {
  if (!python_imports("numpy")) {
    GTEST_SKIP() << "python3 cannot import numpy (" << python_interpreter()
                 << "); install python3-numpy to compare against real numpy";
  }
  const std::string output = run_python(kNumpyScript);
  std::istringstream lines(output);
  std::string line;
  int checked = 0;
  while (std::getline(lines, line)) {
    std::istringstream in(line);
    std::string tag;
    in >> tag;
    const std::vector<std::uint64_t> v = parse_numbers(in);
    ASSERT_GE(v.size(), 2U) << line;
    const auto seed = static_cast<std::uint32_t>(v[0]);
    NumpyRandomState rng(seed);
    if (tag == "S") {
      const auto n = static_cast<int>(v[1]);
      std::vector<int> items = iota_vector(n);
      rng.shuffle(items);
      const std::vector<std::uint64_t> want(v.begin() + 3, v.end());
      EXPECT_EQ(std::vector<std::uint64_t>(items.begin(), items.end()), want) << line;
      EXPECT_EQ(mt_position(rng.draws()), v[2]) << "raw outputs consumed, " << line;
    } else if (tag == "C") {
      const std::vector<std::uint64_t> want(v.begin() + 2, v.end());
      std::vector<std::uint64_t> got;
      for (std::size_t i = 0; i < want.size(); ++i) got.push_back(rng.choice_index(v[1]));
      EXPECT_EQ(got, want) << line;
    } else if (tag == "P") {
      std::vector<int> grid = iota_vector(static_cast<int>(v[1]));
      rng.shuffle(grid);
      const std::vector<std::uint64_t> want(v.begin() + 3, v.end());
      std::vector<std::uint64_t> got;
      for (std::size_t i = 0; i < want.size(); ++i) got.push_back(rng.choice_index(v[2]));
      EXPECT_EQ(got, want) << line;
    } else if (tag == "B") {
      const std::vector<std::uint64_t> want(v.begin() + 2, v.end());
      std::vector<std::uint64_t> got;
      for (std::size_t i = 0; i < want.size(); ++i) {
        got.push_back(rng.bounded(static_cast<std::uint32_t>(v[1])));
      }
      EXPECT_EQ(got, want) << line;
    } else if (tag == "R") {
      const std::vector<std::uint64_t> want(v.begin() + 1, v.end());
      std::vector<std::uint64_t> got;
      for (std::size_t i = 0; i < want.size(); ++i) got.push_back(rng.next32());
      EXPECT_EQ(got, want) << line;
    } else {
      ADD_FAILURE() << "unexpected line from python: " << line;
    }
    ++checked;
  }
  EXPECT_EQ(checked, 258) << "python produced fewer cases than scripted";
}

}  // namespace
}  // namespace samplersim
