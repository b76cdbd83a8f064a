// Explicit, seeded random streams for everything a simulation draws (timings, faults, schedule
// picks, "OS entropy" of sampler processes).
//
// A stream is SplitMix64 over a 64-bit state. Streams are derived from (run seed, purpose, a, b)
// by hashing, never by drawing from another stream, so adding or removing draws in one stream
// never shifts another (this keeps RapidCheck shrinking and run-to-run comparisons stable).
// Cost: a few nanoseconds per draw. Not thread-safe; one stream belongs to one owner.
#pragma once

#include <cstdint>
#include <string_view>

namespace samplersim {

// Well-known purposes, so that two parts of the engine never share a stream by accident.
enum class StreamPurpose : std::uint64_t {
  kSchedule = 1,        // strategy picks
  kObjectiveTime = 2,   // objective duration per worker
  kStoreLatency = 3,    // request/response latency per worker
  kStartJitter = 4,     // process start offsets
  kEntropy = 5,         // a sampler process's "OS entropy" (seed=None, reseed_rng)
  kFault = 6,           // fault injection per worker
  kRunSeed = 7,         // run seed of repetition r from the scenario seed
  kMachine = 8,         // machine model: OS wake-up latencies per process (sim/machine.h)
  kStoreCost = 9,       // store presets: client CPU and I/O draws per worker (sim/store_cost.h)
  kUser = 100,          // first value free for extensions
};

// SplitMix64 finaliser: a bijective 64-bit mix.
std::uint64_t mix64(std::uint64_t x);

class RandomStream {
 public:
  explicit RandomStream(std::uint64_t seed) : state_(seed) {}

  // Stream for (run_seed, purpose, a, b); distinct inputs give unrelated streams.
  static RandomStream derive(std::uint64_t run_seed, StreamPurpose purpose, std::uint64_t a = 0,
                             std::uint64_t b = 0);

  std::uint64_t next_u64();
  std::uint32_t next_u32() { return static_cast<std::uint32_t>(next_u64() >> 32); }

  // Uniform integer in [0, max_inclusive], unbiased (rejection sampling).
  std::uint64_t uniform_inclusive(std::uint64_t max_inclusive);

  // True with probability numerator / denominator (exact integer arithmetic).
  bool bernoulli(std::uint64_t numerator, std::uint64_t denominator);

 private:
  std::uint64_t state_;
};

// Seed of repetition `rep` of a scenario whose base seed is `scenario_seed`.
std::uint64_t run_seed_for_rep(std::uint64_t scenario_seed, std::uint64_t rep);

}  // namespace samplersim
