// Tests for PythonRandom: every CPython `random` vector of reference section 8 (seed outputs,
// choice sequences, the one-element choice that still draws), 64-bit seeds and getrandbits, and
// fresh vectors generated at test time by Debian's python3 (skipped, never failed, when python3
// cannot run). Must never depend on the wall clock: every generated case comes from a fixed seed.
#include "samplers/python_random.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace samplersim {
namespace {

std::vector<std::size_t> choices(PythonRandom& rng, std::size_t n, int count) {
  std::vector<std::size_t> out;
  for (int i = 0; i < count; ++i) out.push_back(rng.choice_index(n));
  return out;
}

// getstate()[1][-1] (the MT index) after `draws` raw outputs from a fresh seed.
std::uint64_t mt_position(std::uint64_t draws) { return draws == 0 ? 624 : (draws - 1) % 624 + 1; }

TEST(PythonRandom, SeedOutputsMatchCPython) {
  PythonRandom s42(42);
  for (const std::uint32_t w : {2746317213U, 478163327U, 107420369U, 3184935163U, 1181241943U}) {
    EXPECT_EQ(s42.next32(), w);
  }
  PythonRandom s0(0);
  for (const std::uint32_t w : {3626764237U, 1654615998U, 3255389356U, 3823568514U, 1806341205U}) {
    EXPECT_EQ(s0.next32(), w);
  }
  EXPECT_EQ(s0.draws(), 5U);
}

TEST(PythonRandom, ChoiceSequencesMatchCPython) {
  struct Case {
    std::size_t n;
    std::vector<std::size_t> seed0;
    std::vector<std::size_t> seed42;
  };
  const std::vector<Case> cases = {
      {3, {1, 1, 0, 1, 2}, {2, 0, 0, 2, 1}},
      {7, {6, 3, 6, 3, 0}, {5, 0, 0, 5, 2}},
      {100, {49, 97, 53, 5, 33}, {81, 14, 3, 94, 35}},
  };
  for (const Case& c : cases) {
    PythonRandom r0(0);
    EXPECT_EQ(choices(r0, c.n, 5), c.seed0) << "seed 0, n " << c.n;
    PythonRandom r42(42);
    EXPECT_EQ(choices(r42, c.n, 5), c.seed42) << "seed 42, n " << c.n;
  }
}

TEST(PythonRandom, OneElementChoiceStillDraws) {
  // k = bit_length(1) = 1: getrandbits(1) until it is 0; measured 2 outputs after seed(42).
  PythonRandom rng(42);
  EXPECT_EQ(rng.choice_index(1), 0U);
  EXPECT_EQ(rng.draws(), 2U);
}

TEST(PythonRandom, RandbelowRejectsWithTopBits) {
  // seed(0) outputs >> 30 (k = bit_length(3) = 2): 3, 1 -> the first is rejected.
  PythonRandom rng(0);
  EXPECT_EQ(rng.randbelow(3), 1U);
  EXPECT_EQ(rng.draws(), 2U);
  EXPECT_THROW(rng.randbelow(0), std::invalid_argument);
  EXPECT_THROW(rng.choice_index(0), std::invalid_argument);
}

TEST(PythonRandom, ReseedRestartsTheStream) {
  PythonRandom rng(5);
  for (int i = 0; i < 700; ++i) rng.next32();
  rng.reseed(42);
  EXPECT_EQ(rng.draws(), 0U);
  EXPECT_EQ(rng.next32(), 2746317213U);
}

TEST(PythonRandom, GetrandbitsSplitsWideRequestsIntoWords) {
  PythonRandom a(0);
  PythonRandom b(0);
  const std::uint64_t low = b.next32();
  const std::uint64_t high = b.next32() >> (32 - 8);
  EXPECT_EQ(a.getrandbits(40), low | (high << 32));
  EXPECT_EQ(a.getrandbits(0), 0U);
  EXPECT_EQ(a.draws(), 2U);
}

// ---------------------------------------------------------------------------------------------
// Fresh vectors from real CPython.

std::string python_interpreter() {
  return std::filesystem::exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";
}

bool python_imports(const std::string& module) {
  const std::string command = python_interpreter() + " -c 'import " + module + "' >/dev/null 2>&1";
  return std::system(command.c_str()) == 0;
}

// Runs a Python script; returns its standard output. Fails the test if the script fails.
std::string run_python(const std::string& script) {
  std::string path = (std::filesystem::temp_directory_path() / "samplersim_pr_XXXXXX").string();
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

constexpr const char* kPythonScript = R"PY(
import random
gen = random.Random(777)
for case in range(50):
    seed = gen.choice([gen.randrange(100), gen.randrange(2**32), gen.randrange(2**64)])
    r = random.Random(seed)
    print("R", seed, *[r.getrandbits(32) for _ in range(6)])
    n = gen.choice([1, 2, gen.randint(1, 10), gen.randint(1, 1000), gen.randrange(1, 2**32),
                    gen.randrange(2**32, 2**45)])
    r = random.Random(seed)
    seq = [r.choice(range(n)) for _ in range(10)]
    print("C", seed, n, r.getstate()[1][-1], *seq)
    k = gen.randint(1, 64)
    r = random.Random(seed)
    print("G", seed, k, *[r.getrandbits(k) for _ in range(5)])
)PY";

TEST(PythonRandom, MatchesCPythonOnFreshlyGeneratedCases) {
  if (!python_imports("random")) {
    GTEST_SKIP() << "python3 is not runnable (" << python_interpreter()
                 << "); cannot compare against real CPython";
  }
  const std::string output = run_python(kPythonScript);
  std::istringstream lines(output);
  std::string line;
  int checked = 0;
  while (std::getline(lines, line)) {
    std::istringstream in(line);
    std::string tag;
    in >> tag;
    std::vector<std::uint64_t> v;
    for (std::uint64_t x = 0; in >> x;) v.push_back(x);
    ASSERT_GE(v.size(), 2U) << line;
    PythonRandom rng(v[0]);
    if (tag == "R") {
      for (std::size_t i = 1; i < v.size(); ++i) EXPECT_EQ(rng.next32(), v[i]) << line;
    } else if (tag == "C") {
      const std::vector<std::uint64_t> want(v.begin() + 3, v.end());
      std::vector<std::uint64_t> got;
      for (std::size_t i = 0; i < want.size(); ++i) got.push_back(rng.choice_index(v[1]));
      EXPECT_EQ(got, want) << line;
      EXPECT_EQ(mt_position(rng.draws()), v[2]) << "raw outputs consumed, " << line;
    } else if (tag == "G") {
      const int k = static_cast<int>(v[1]);
      for (std::size_t i = 2; i < v.size(); ++i) EXPECT_EQ(rng.getrandbits(k), v[i]) << line;
    } else {
      ADD_FAILURE() << "unexpected line from python: " << line;
    }
    ++checked;
  }
  EXPECT_EQ(checked, 150) << "python produced fewer cases than scripted";
}

}  // namespace
}  // namespace samplersim
