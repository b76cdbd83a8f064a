// numpy's legacy RandomState (MT19937) as Optuna 3.0+ GridSampler uses it, reproduced bit for bit:
// integer seeding, raw 32-bit outputs, the masked bounded-integer rule, Fisher-Yates shuffle and
// choice(list). Reference: shared/reference/optuna-grid-behaviour.md section 6.1-6.4.
//
// Invariants: the stream equals numpy.random.RandomState(seed) for every seed in [0, 2^32); only
// the operations modelled here exist, so no draw can come from an implementation-defined
// distribution (never std::uniform_int_distribution or std::shuffle). draws() counts every raw
// 32-bit output consumed since construction or the last reseed. This file must never read entropy,
// the wall clock or any global state; "seed=None" is the caller's business.
// Cost: construction/reseed: a 2.5 KB state init (623 dependent steps), or a copy of it when this
// thread seeded the same seed recently (a per-thread memo of pure seeded states: no observable
// state); next32 a few ns: the state is regenerated lazily, one word per output (see next32), so a
// stream that draws k outputs twists k words, never a whole 624-word block it will not use;
// bounded(max) < 2 draws on average; shuffle(n) n-1 bounded draws; choice_index(n) one bounded
// draw (none when n == 1). A copy is a 2.5 KB copy.
// Not thread-safe: one instance belongs to one simulated sampler.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <utility>
#include <vector>

namespace samplersim {

class NumpyRandomState {
 public:
  // RandomState(seed) for an int seed: Knuth/Matsumoto init_genrand (numpy's mt19937_seed).
  explicit NumpyRandomState(std::uint32_t seed);

  // RandomState.seed(seed): same state as a fresh NumpyRandomState(seed); draws() restarts at 0.
  void reseed(std::uint32_t seed);

  // One tempered MT19937 output. MT19937 regenerates its 624 words as a block, in place, word i
  // from words i, i+1 and i+397 (mod 624) as they are at that point of the block; this regenerates
  // word i just before it is output, in the same order, so every word (and output) is the same.
  std::uint32_t next32();

  // Raw 32-bit outputs consumed since construction or the last reseed.
  std::uint64_t draws() const { return draws_; }

  // numpy random_interval / masked bounded uint32: uniform in [0, max]. max == 0 draws nothing;
  // otherwise repeat next32() & mask until <= max, mask = max with all lower bits set.
  std::uint32_t bounded(std::uint32_t max);

  // RandomState.shuffle(list): for i = n-1 down to 1, swap x[i] and x[bounded(i)].
  // Draws at least n-1 outputs. Requires n - 1 < 2^32.
  template <class T>
  void shuffle(std::span<T> items) {
    if (items.size() < 2) return;
    check_shuffle_size(items.size());
    for (std::size_t i = items.size() - 1; i >= 1; --i) {
      const std::size_t j = bounded(static_cast<std::uint32_t>(i));
      using std::swap;
      swap(items[i], items[j]);
    }
  }
  template <class T>
  void shuffle(std::vector<T>& items) {
    shuffle(std::span<T>(items));
  }

  // Index k such that RandomState.choice(L) returns L[k] for a list of length n:
  // bounded(n - 1), so n == 1 draws nothing. Throws std::invalid_argument for n == 0 (numpy raises
  // ValueError) and std::out_of_range for n > 2^32 (numpy's 64-bit path, not modelled).
  std::size_t choice_index(std::size_t n);
  // The index the next choice_index(n) returns, without drawing: the state and draws() are
  // unchanged (no copy of the state either). Same errors as choice_index. Cost: as choice_index,
  // unless more than 226 outputs in a row are rejected (each is accepted with probability > 1/2):
  // then a copy of the state draws.
  std::size_t peek_choice_index(std::size_t n) const;

  // RandomState.random_sample(): two raw draws a, b; ((a >> 5) * 2^26 + (b >> 6)) / 2^53.
  double random_sample();

  // Index k such that RandomState.choice(L, p=p) returns L[k] (size=None): cdf = p.cumsum()
  // (sequential), cdf /= cdf[-1], one random_sample u, searchsorted(cdf, u, side="right").
  // Requires a non-empty p with a positive last cumulative sum (numpy validates p first).
  std::size_t choice_index_weighted(std::span<const double> p);

 private:
  static void check_shuffle_size(std::size_t n);

  static constexpr std::size_t kWords = 624;    // MT19937's n
  static constexpr std::uint32_t kShift = 397;  // MT19937's m
  // Outputs ahead that output_ahead computes exactly: the j-th next output regenerates word
  // next_word_ + j from words j, j+1 and j+397 ahead (mod 624); the draws before it regenerate
  // only the words 0..j-1 ahead, so for j < 624 - 397 none of those three has changed yet.
  static constexpr std::uint32_t kExactAhead = kWords - kShift;

  // Word i as the regeneration makes it from the current words (i, i+1, i+397 mod 624).
  std::uint32_t regenerated_word(std::uint32_t i) const;
  static std::uint32_t temper(std::uint32_t z);
  // The output `ahead` draws from now (0: what next32 returns next), without drawing; ahead <
  // kExactAhead.
  std::uint32_t output_ahead(std::uint32_t ahead) const;

  // MT19937's words: those before next_word_ as the current block's regeneration made them, the
  // rest as the previous block (or init_genrand, numpy's mt19937_seed, before the first) left them.
  std::array<std::uint32_t, kWords> mt_{};
  std::uint32_t next_word_ = 0;  // the word next32 regenerates and outputs next
  std::uint64_t draws_ = 0;
};

}  // namespace samplersim
