// CPython `random` model; see python_random.h for invariants and cost.
#include "samplers/python_random.h"

#include <bit>
#include <stdexcept>

namespace samplersim {
namespace {

constexpr int kN = 624;
constexpr int kM = 397;
constexpr std::uint32_t kMatrixA = 0x9908b0dfU;
constexpr std::uint32_t kUpperMask = 0x80000000U;
constexpr std::uint32_t kLowerMask = 0x7fffffffU;

constexpr std::uint32_t twist(std::uint32_t upper_from, std::uint32_t lower_from) {
  const std::uint32_t y = (upper_from & kUpperMask) | (lower_from & kLowerMask);
  return (y >> 1) ^ ((y & 1U) != 0 ? kMatrixA : 0U);
}

}  // namespace

PythonRandom::PythonRandom(std::uint64_t seed) { reseed(seed); }

void PythonRandom::reseed(std::uint64_t seed) {
  // CPython random_seed: key = 32-bit words of abs(seed), least significant first, as few as
  // hold every bit, but at least one (so seed 0 gives key [0]).
  const std::uint32_t key[2] = {static_cast<std::uint32_t>(seed),
                                static_cast<std::uint32_t>(seed >> 32)};
  const std::size_t key_length = (seed >> 32) != 0 ? 2 : 1;
  init_by_array(key, key_length);
  draws_ = 0;
}

void PythonRandom::init_genrand(std::uint32_t seed) {
  mt_[0] = seed;
  for (int i = 1; i < kN; ++i) {
    const std::uint32_t prev = mt_[static_cast<std::size_t>(i - 1)];
    mt_[static_cast<std::size_t>(i)] =
        1812433253U * (prev ^ (prev >> 30)) + static_cast<std::uint32_t>(i);
  }
  index_ = kN;
}

void PythonRandom::init_by_array(const std::uint32_t* key, std::size_t key_length) {
  init_genrand(19650218U);
  std::size_t i = 1;
  std::size_t j = 0;
  for (std::size_t k = (kN > key_length ? static_cast<std::size_t>(kN) : key_length); k > 0; --k) {
    const std::uint32_t prev = mt_[i - 1];
    mt_[i] = (mt_[i] ^ ((prev ^ (prev >> 30)) * 1664525U)) + key[j] + static_cast<std::uint32_t>(j);
    ++i;
    ++j;
    if (i >= static_cast<std::size_t>(kN)) {
      mt_[0] = mt_[kN - 1];
      i = 1;
    }
    if (j >= key_length) j = 0;
  }
  for (std::size_t k = kN - 1; k > 0; --k) {
    const std::uint32_t prev = mt_[i - 1];
    mt_[i] = (mt_[i] ^ ((prev ^ (prev >> 30)) * 1566083941U)) - static_cast<std::uint32_t>(i);
    ++i;
    if (i >= static_cast<std::size_t>(kN)) {
      mt_[0] = mt_[kN - 1];
      i = 1;
    }
  }
  mt_[0] = 0x80000000U;  // MSB is 1, assuring a non-zero initial array
  index_ = kN;
}

void PythonRandom::regenerate() {
  std::size_t kk = 0;
  for (; kk < static_cast<std::size_t>(kN - kM); ++kk) {
    mt_[kk] = mt_[kk + kM] ^ twist(mt_[kk], mt_[kk + 1]);
  }
  for (; kk < static_cast<std::size_t>(kN - 1); ++kk) {
    mt_[kk] = mt_[kk + kM - kN] ^ twist(mt_[kk], mt_[kk + 1]);
  }
  mt_[kN - 1] = mt_[kM - 1] ^ twist(mt_[kN - 1], mt_[0]);
  index_ = 0;
}

std::uint32_t PythonRandom::next32() {
  if (index_ >= kN) regenerate();
  std::uint32_t y = mt_[static_cast<std::size_t>(index_++)];
  y ^= y >> 11;
  y ^= (y << 7) & 0x9d2c5680U;
  y ^= (y << 15) & 0xefc60000U;
  y ^= y >> 18;
  ++draws_;
  return y;
}

std::uint64_t PythonRandom::getrandbits(int k) {
  if (k < 0 || k > 64) throw std::out_of_range("PythonRandom::getrandbits: k must be in [0, 64]");
  if (k == 0) return 0;
  if (k <= 32) return next32() >> (32 - k);
  // CPython fills 32-bit words from least to most significant; the last, partial word is the
  // top bits of its output.
  const std::uint64_t low = next32();
  const std::uint64_t high = next32() >> (64 - k);
  return low | (high << 32);
}

std::size_t PythonRandom::randbelow(std::size_t n) {
  if (n == 0) throw std::invalid_argument("PythonRandom::randbelow: n must be positive");
  const int k = std::bit_width(static_cast<std::uint64_t>(n));
  std::uint64_t r = getrandbits(k);
  while (r >= n) r = getrandbits(k);
  return static_cast<std::size_t>(r);
}

std::size_t PythonRandom::choice_index(std::size_t n) {
  if (n == 0) {
    throw std::invalid_argument("PythonRandom::choice_index: empty sequence (CPython raises)");
  }
  return randbelow(n);
}

}  // namespace samplersim
