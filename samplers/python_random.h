// CPython's `random` module (Mersenne Twister) as Optuna 2.x GridSampler uses it through the global
// `random.choice`: random.seed(int), getrandbits, _randbelow and choice, reproduced bit for bit.
// Reference: shared/reference/optuna-grid-behaviour.md section 6.5.
//
// Invariants: PythonRandom(s) yields the same 32-bit outputs as `random.seed(s)` followed by
// `random.getrandbits(32)` calls, for every s in [0, 2^64); randbelow/choice_index consume exactly
// the outputs CPython's _randbelow_with_getrandbits consumes (k = bit_length(n), so even n == 1
// draws at least once). draws() counts raw 32-bit outputs since construction or the last reseed.
// The MT19937 core (init_genrand, init_by_array, regeneration, tempering) is implemented here from
// the published reference algorithm; this file must never read entropy, the wall clock or any
// global state.
// Cost: construction/reseed ~2.5 KB state init (init_by_array: ~1250 mixing steps); next32 a few
// ns; randbelow(n) < 2 getrandbits calls on average. Not thread-safe.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

namespace samplersim {

class PythonRandom {
 public:
  // random.seed(seed) for a non-negative int: init_by_array over the little-endian 32-bit words
  // of seed (one word, [0], for seed 0).
  explicit PythonRandom(std::uint64_t seed);

  // random.seed(seed) again; draws() restarts at 0.
  void reseed(std::uint64_t seed);

  // One tempered MT19937 output (random.getrandbits(32)).
  std::uint32_t next32();

  // random.getrandbits(k) for 0 <= k <= 64 (k == 0 returns 0 and draws nothing, as in 3.9+).
  // Words are filled least significant first; the last word keeps its top bits.
  std::uint64_t getrandbits(int k);

  // Raw 32-bit outputs consumed since construction or the last reseed.
  std::uint64_t draws() const { return draws_; }

  // random._randbelow(n) with getrandbits: k = bit_length(n); r = getrandbits(k) until r < n.
  // Throws std::invalid_argument for n == 0.
  std::size_t randbelow(std::size_t n);

  // Index k such that random.choice(L) returns L[k] for a list of length n (= randbelow(n)).
  // Throws std::invalid_argument for n == 0 (CPython raises IndexError).
  std::size_t choice_index(std::size_t n);

 private:
  static constexpr int kStateSize = 624;

  void init_genrand(std::uint32_t seed);
  void init_by_array(const std::uint32_t* key, std::size_t key_length);
  void regenerate();

  std::array<std::uint32_t, kStateSize> mt_{};
  int index_ = kStateSize;
  std::uint64_t draws_ = 0;
};

}  // namespace samplersim
