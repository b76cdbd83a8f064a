#include "sim/random_stream.h"
#include "sim/invariant.h"

#include <cassert>

namespace samplersim {

std::uint64_t mix64(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

RandomStream RandomStream::derive(std::uint64_t run_seed, StreamPurpose purpose, std::uint64_t a,
                                  std::uint64_t b) {
  std::uint64_t h = mix64(run_seed);
  h = mix64(h ^ static_cast<std::uint64_t>(purpose));
  h = mix64(h ^ a);
  h = mix64(h ^ (b + 0x632be59bd9b4e019ULL));
  return RandomStream(h);
}

std::uint64_t RandomStream::next_u64() {
  state_ += 0x9e3779b97f4a7c15ULL;
  std::uint64_t z = state_;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

std::uint64_t RandomStream::uniform_inclusive(std::uint64_t max_inclusive) {
  if (max_inclusive == 0) return 0;
  if (max_inclusive == ~std::uint64_t{0}) return next_u64();
  const std::uint64_t range = max_inclusive + 1;
  // Reject the top partial block so every value is equally likely: accept v < limit. limit is at
  // least 2^64 - range, so a v below that is accepted without computing limit (a 64-bit division
  // saved on nearly every call; the accepted values and the draws consumed are the same).
  const std::uint64_t surely_below_limit = std::uint64_t{0} - range;
  for (int attempt = 0; attempt < 1000; ++attempt) {
    const std::uint64_t v = next_u64();
    if (v < surely_below_limit || v < ~std::uint64_t{0} - (~std::uint64_t{0} % range)) return v % range;
  }
  SIM_ASSERT(false && "uniform_inclusive: rejection loop exceeded its bound");
  return 0;
}

bool RandomStream::bernoulli(std::uint64_t numerator, std::uint64_t denominator) {
  SIM_ASSERT(denominator > 0 && numerator <= denominator);
  if (numerator == 0) return false;
  if (numerator == denominator) return true;
  return uniform_inclusive(denominator - 1) < numerator;
}

std::uint64_t run_seed_for_rep(std::uint64_t scenario_seed, std::uint64_t rep) {
  return RandomStream::derive(scenario_seed, StreamPurpose::kRunSeed, rep).next_u64();
}

}  // namespace samplersim
