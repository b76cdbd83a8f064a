#include "samplers/grid_rng.h"

#include "sim/invariant.h"

namespace samplersim {

namespace {

// The seed the family's RNG gets (drawing from `entropy` only for seed=None with kEntropy).
std::uint64_t seed_of(const GridFamily& f, const SamplerSetup& s, RandomStream& entropy) {
  switch (f.rng) {
    case GridRngKind::kNumpyRandomState: {
      SIM_ASSERT(!s.seed || *s.seed < (std::uint64_t{1} << 32));
      if (s.seed) return *s.seed;
      if (f.seed_when_none == SeedWhenNone::kZero) return 0;
      return entropy.next_u32();  // RandomState() seeded from OS entropy
    }
    case GridRngKind::kPythonRandom: {
      if (s.seed) return *s.seed;  // random.seed(S)
      if (f.seed_when_none == SeedWhenNone::kZero) return 0;
      // The global random is seeded from OS entropy at interpreter start.
      return entropy.next_u64();
    }
  }
  SIM_ASSERT(false && "unknown GridRngKind");
  return 0;
}

std::variant<NumpyRandomState, PythonRandom> seeded(const GridFamily& f, std::uint64_t seed) {
  if (f.rng == GridRngKind::kNumpyRandomState) return NumpyRandomState(static_cast<std::uint32_t>(seed));
  return PythonRandom(seed);
}

}  // namespace

GridRng::GridRng(const GridFamily& family, const SamplerSetup& setup)
    : entropy_(RandomStream::derive(setup.run_seed, StreamPurpose::kEntropy,
                                    static_cast<std::uint64_t>(setup.process))),
      construction_seed_(seed_of(family, setup, entropy_)),
      rng_(seeded(family, construction_seed_)) {}

void GridRng::reseed_rng() {
  if (auto* numpy = std::get_if<NumpyRandomState>(&rng_)) numpy->reseed(entropy_.next_u32());
}

std::size_t GridRng::choice_index(std::size_t n) {
  return std::visit([n](auto& rng) { return rng.choice_index(n); }, rng_);
}

std::size_t GridRng::peek_choice_index(std::size_t n) const {
  if (const auto* numpy = std::get_if<NumpyRandomState>(&rng_)) return numpy->peek_choice_index(n);
  PythonRandom copy = std::get<PythonRandom>(rng_);
  return copy.choice_index(n);
}

void GridRng::shuffle(std::vector<std::int32_t>& grid) {
  auto* numpy = std::get_if<NumpyRandomState>(&rng_);
  SIM_ASSERT(numpy != nullptr);
  numpy->shuffle(grid);  // the swaps depend on the length only, not on the element type
}

const NumpyRandomState& GridRng::numpy() const {
  const auto* numpy = std::get_if<NumpyRandomState>(&rng_);
  SIM_ASSERT(numpy != nullptr);
  return *numpy;
}

void GridRng::restore_numpy(const NumpyRandomState& state) {
  auto* numpy = std::get_if<NumpyRandomState>(&rng_);
  SIM_ASSERT(numpy != nullptr);
  *numpy = state;
}

}  // namespace samplersim
