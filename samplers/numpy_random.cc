// numpy legacy RandomState model; see numpy_random.h for invariants and cost.
#include "samplers/numpy_random.h"

#include <algorithm>
#include <array>
#include <limits>
#include <stdexcept>

namespace samplersim {

namespace {

// init_genrand is 623 dependent multiply steps (~1-2 us), paid by every sampler of every run: with
// a fixed seed (same:S, optuna-4's seed 0) the same few seeds recur run after run on a thread. A
// small direct-mapped memo of seeded states per thread turns the repeats into a 5 KB copy. It
// holds only pure function values of the seed, so nothing observable depends on it.
const std::mt19937& seeded_engine(std::uint32_t seed) {
  struct Entry {
    bool valid = false;
    std::uint32_t seed = 0;
    std::mt19937 engine;
  };
  constexpr std::size_t kEntries = 8;
  thread_local std::array<Entry, kEntries> memo;
  Entry& e = memo[(seed ^ (seed >> 3)) % kEntries];
  if (!e.valid || e.seed != seed) {
    e.engine.seed(seed);
    e.seed = seed;
    e.valid = true;
  }
  return e.engine;
}

}  // namespace

NumpyRandomState::NumpyRandomState(std::uint32_t seed) : engine_(seeded_engine(seed)) {}

void NumpyRandomState::reseed(std::uint32_t seed) {
  engine_ = seeded_engine(seed);
  draws_ = 0;
}

std::uint32_t NumpyRandomState::next32() {
  ++draws_;
  return static_cast<std::uint32_t>(engine_());
}

std::uint32_t NumpyRandomState::bounded(std::uint32_t max) {
  if (max == 0) return 0;
  std::uint32_t mask = max;
  mask |= mask >> 1;
  mask |= mask >> 2;
  mask |= mask >> 4;
  mask |= mask >> 8;
  mask |= mask >> 16;
  std::uint32_t value = next32() & mask;
  while (value > max) value = next32() & mask;
  return value;
}

void NumpyRandomState::check_shuffle_size(std::size_t n) {
  if (static_cast<std::uint64_t>(n - 1) > std::numeric_limits<std::uint32_t>::max()) {
    throw std::out_of_range("NumpyRandomState::shuffle: more than 2^32 items is not modelled");
  }
}

std::size_t NumpyRandomState::choice_index(std::size_t n) {
  if (n == 0) {
    throw std::invalid_argument("NumpyRandomState::choice_index: empty list (numpy raises)");
  }
  if (static_cast<std::uint64_t>(n - 1) > std::numeric_limits<std::uint32_t>::max()) {
    throw std::out_of_range("NumpyRandomState::choice_index: lists over 2^32 are not modelled");
  }
  return bounded(static_cast<std::uint32_t>(n - 1));
}

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
