// Strategy: resolves a choice point, i.e. which of several workers runnable at the same
// virtual instant runs next.
//
// Contract: `pick` receives the runnable workers in ascending worker id order (never an order
// derived from pointers or hashing) and returns an index into that list. The engine records every
// pick in the run's Schedule; replaying those picks with ReplayStrategy reproduces the run bit for
// bit. A strategy must draw only from its own stream, never from timing streams, so that shrinking
// or replaying picks never reshuffles durations or latencies.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include "sim/random_stream.h"
#include "sim/virtual_time.h"
#include "sim/worker_id.h"

namespace samplersim {

struct ChoicePoint {
  std::uint64_t index = 0;             // 0-based count of choice points so far in this run
  VirtualTime now_us = 0;              // virtual instant of the choice
  std::span<const WorkerId> runnable;  // ascending worker ids; size() >= 2
};

class Strategy {
 public:
  virtual ~Strategy() = default;
  // Returns an index into `cp.runnable`.
  virtual std::size_t pick(const ChoicePoint& cp) = 0;
  // Short description for traces and result lines ("random", "replay", ...).
  virtual std::string name() const = 0;
};

// Uniform seeded random walk over schedules.
class RandomStrategy final : public Strategy {
 public:
  explicit RandomStrategy(std::uint64_t run_seed)
      : stream_(RandomStream::derive(run_seed, StreamPurpose::kSchedule)) {}
  std::size_t pick(const ChoicePoint& cp) override;
  std::string name() const override { return "random"; }

 private:
  RandomStream stream_;
};

// Raised when a replayed schedule does not fit the run (wrong scenario, or a changed model).
class ReplayDivergence : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Replays recorded picks exactly; any mismatch throws ReplayDivergence.
class ReplayStrategy final : public Strategy {
 public:
  explicit ReplayStrategy(std::vector<std::uint32_t> picks) : picks_(std::move(picks)) {}
  std::size_t pick(const ChoicePoint& cp) override;
  std::string name() const override { return "replay"; }
  bool fully_consumed() const { return next_ == picks_.size(); }

 private:
  std::vector<std::uint32_t> picks_;
  std::size_t next_ = 0;
};

// An explicit vector of pick indices, each taken modulo the number of runnable workers; after the
// vector ends, always the first runnable worker. The form RapidCheck generates and shrinks.
class ChoicesStrategy final : public Strategy {
 public:
  explicit ChoicesStrategy(std::vector<std::uint32_t> choices) : choices_(std::move(choices)) {}
  std::size_t pick(const ChoicePoint& cp) override;
  std::string name() const override { return "choices"; }

 private:
  std::vector<std::uint32_t> choices_;
  std::size_t next_ = 0;
};

}  // namespace samplersim
