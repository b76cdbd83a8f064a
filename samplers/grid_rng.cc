#include "samplers/grid_rng.h"

#include "sim/invariant.h"

namespace samplersim {

namespace {

std::variant<NumpyRandomState, PythonRandom> seeded(const GridFamily& f, const SamplerSetup& s,
                                                     RandomStream& entropy) {
  switch (f.rng) {
    case GridRngKind::kNumpyRandomState: {
      SIM_ASSERT(!s.seed || *s.seed < (std::uint64_t{1} << 32));
      if (s.seed) return NumpyRandomState(static_cast<std::uint32_t>(*s.seed));
      if (f.seed_when_none == SeedWhenNone::kZero) return NumpyRandomState(0);
      return NumpyRandomState(entropy.next_u32());  // RandomState() seeded from OS entropy
    }
    case GridRngKind::kPythonRandom: {
      if (s.seed) return PythonRandom(*s.seed);  // random.seed(S)
      if (f.seed_when_none == SeedWhenNone::kZero) return PythonRandom(0);
      // The global random is seeded from OS entropy at interpreter start.
      return PythonRandom(entropy.next_u64());
    }
  }
  SIM_ASSERT(false && "unknown GridRngKind");
  return NumpyRandomState(0);
}

}  // namespace

GridRng::GridRng(const GridFamily& family, const SamplerSetup& setup)
    : entropy_(RandomStream::derive(setup.run_seed, StreamPurpose::kEntropy,
                                    static_cast<std::uint64_t>(setup.process))),
      rng_(seeded(family, setup, entropy_)) {}

void GridRng::reseed_rng() {
  if (auto* numpy = std::get_if<NumpyRandomState>(&rng_)) numpy->reseed(entropy_.next_u32());
}

std::size_t GridRng::choice_index(std::size_t n) {
  return std::visit([n](auto& rng) { return rng.choice_index(n); }, rng_);
}

void GridRng::shuffle(std::vector<std::int64_t>& grid) {
  auto* numpy = std::get_if<NumpyRandomState>(&rng_);
  SIM_ASSERT(numpy != nullptr);
  numpy->shuffle(grid);
}

}  // namespace samplersim
