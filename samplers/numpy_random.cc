// numpy legacy RandomState model; see numpy_random.h for invariants and cost.
#include "samplers/numpy_random.h"

#include <algorithm>
#include <array>
#include <limits>
#include <stdexcept>

#include "sim/invariant.h"

namespace samplersim {

namespace {

using Words = std::array<std::uint32_t, 624>;

// init_genrand (Knuth/Matsumoto; numpy's mt19937_seed): the words before the first regeneration.
void init_genrand(Words& mt, std::uint32_t seed) {
  mt[0] = seed;
  for (std::size_t i = 1; i < mt.size(); ++i) {
    const std::uint32_t prev = mt[i - 1];
    mt[i] = 1812433253U * (prev ^ (prev >> 30)) + static_cast<std::uint32_t>(i);
  }
}

// init_genrand is 623 dependent multiply steps (~1-2 us), paid by every sampler of every run: with
// a fixed seed (same:S, optuna-4's seed 0) the same few seeds recur run after run on a thread. A
// small direct-mapped memo of seeded states per thread turns the repeats into a 2.5 KB copy. It
// holds only pure function values of the seed, so nothing observable depends on it.
const Words& seeded_words(std::uint32_t seed) {
  struct Entry {
    bool valid = false;
    std::uint32_t seed = 0;
    Words words{};
  };
  constexpr std::size_t kEntries = 8;
  thread_local std::array<Entry, kEntries> memo;
  Entry& e = memo[(seed ^ (seed >> 3)) % kEntries];
  if (!e.valid || e.seed != seed) {
    init_genrand(e.words, seed);
    e.seed = seed;
    e.valid = true;
  }
  return e.words;
}

}  // namespace

NumpyRandomState::NumpyRandomState(std::uint32_t seed) : mt_(seeded_words(seed)) {}

void NumpyRandomState::reseed(std::uint32_t seed) {
  mt_ = seeded_words(seed);
  next_word_ = 0;
  draws_ = 0;
}

std::uint32_t NumpyRandomState::regenerated_word(std::uint32_t i) const {
  constexpr std::uint32_t kMatrixA = 0x9908b0dfU;
  const std::uint32_t after = i + 1 == kWords ? 0 : i + 1;
  const std::uint32_t far = i + kShift >= kWords ? i + kShift - static_cast<std::uint32_t>(kWords) : i + kShift;
  const std::uint32_t y = (mt_[i] & 0x80000000U) | (mt_[after] & 0x7fffffffU);
  return mt_[far] ^ (y >> 1) ^ ((y & 1U) != 0 ? kMatrixA : 0U);
}

std::uint32_t NumpyRandomState::temper(std::uint32_t z) {
  z ^= z >> 11;
  z ^= (z << 7) & 0x9d2c5680U;
  z ^= (z << 15) & 0xefc60000U;
  z ^= z >> 18;
  return z;
}

std::uint32_t NumpyRandomState::next32() {
  const std::uint32_t i = next_word_;
  const std::uint32_t z = regenerated_word(i);
  mt_[i] = z;
  next_word_ = i + 1 == kWords ? 0 : i + 1;
  ++draws_;
  return temper(z);
}

std::uint32_t NumpyRandomState::output_ahead(std::uint32_t ahead) const {
  SIM_ASSERT(ahead < kExactAhead);
  const std::uint32_t i = next_word_ + ahead;
  return temper(regenerated_word(i >= kWords ? i - static_cast<std::uint32_t>(kWords) : i));
}

namespace {

// The mask numpy's masked rejection uses for [0, max]: max with all lower bits set.
std::uint32_t mask_of(std::uint32_t max) {
  std::uint32_t mask = max;
  mask |= mask >> 1;
  mask |= mask >> 2;
  mask |= mask >> 4;
  mask |= mask >> 8;
  mask |= mask >> 16;
  return mask;
}

// choice_index's bound: n - 1, or the errors numpy's model refuses.
std::uint32_t choice_max(std::size_t n) {
  if (n == 0) {
    throw std::invalid_argument("NumpyRandomState::choice_index: empty list (numpy raises)");
  }
  if (static_cast<std::uint64_t>(n - 1) > std::numeric_limits<std::uint32_t>::max()) {
    throw std::out_of_range("NumpyRandomState::choice_index: lists over 2^32 are not modelled");
  }
  return static_cast<std::uint32_t>(n - 1);
}

}  // namespace

std::uint32_t NumpyRandomState::bounded(std::uint32_t max) {
  if (max == 0) return 0;
  const std::uint32_t mask = mask_of(max);
  std::uint32_t value = next32() & mask;
  while (value > max) value = next32() & mask;
  return value;
}

std::size_t NumpyRandomState::peek_choice_index(std::size_t n) const {
  const std::uint32_t max = choice_max(n);
  if (max == 0) return 0;
  const std::uint32_t mask = mask_of(max);
  for (std::uint32_t ahead = 0; ahead < kExactAhead; ++ahead) {
    const std::uint32_t value = output_ahead(ahead) & mask;
    if (value <= max) return value;
  }
  // kExactAhead outputs in a row rejected (each is accepted with probability > 1/2): a copy draws.
  NumpyRandomState copy = *this;
  return copy.choice_index(n);
}

void NumpyRandomState::check_shuffle_size(std::size_t n) {
  if (static_cast<std::uint64_t>(n - 1) > std::numeric_limits<std::uint32_t>::max()) {
    throw std::out_of_range("NumpyRandomState::shuffle: more than 2^32 items is not modelled");
  }
}

std::size_t NumpyRandomState::choice_index(std::size_t n) { return bounded(choice_max(n)); }

double NumpyRandomState::random_sample() {
  const std::uint32_t a = next32() >> 5;
  const std::uint32_t b = next32() >> 6;
  return (static_cast<double>(a) * 67108864.0 + static_cast<double>(b)) / 9007199254740992.0;
}

std::size_t NumpyRandomState::choice_index_weighted(std::span<const double> p) {
  if (p.empty()) throw std::invalid_argument("choice: empty p");
  std::vector<double> cdf(p.size());
  double running = 0.0;
  for (std::size_t i = 0; i < p.size(); ++i) {
    running = i == 0 ? p[0] : running + p[i];
    cdf[i] = running;
  }
  const double last = cdf.back();
  for (double& c : cdf) c /= last;
  const double u = random_sample();
  // searchsorted(side="right"): the first index whose cdf exceeds u.
  const auto it = std::upper_bound(cdf.begin(), cdf.end(), u);
  return static_cast<std::size_t>(it - cdf.begin());
}

}  // namespace samplersim
