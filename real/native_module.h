// The thread-local context of samplersim_native outside a worker (real/native_module.cc).
#pragma once

#include "sim/random_stream.h"

namespace samplersim::real {

// While alive, OS entropy drawn on this thread outside a worker comes from `stream` (a process
// being set up: GridSampler(seed=None) draws at construction). Not owned; nests.
class SetupEntropy {
 public:
  explicit SetupEntropy(RandomStream* stream);
  ~SetupEntropy();
  SetupEntropy(const SetupEntropy&) = delete;
  SetupEntropy& operator=(const SetupEntropy&) = delete;

 private:
  RandomStream* previous_;
};

}  // namespace samplersim::real
