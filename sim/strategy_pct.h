// PctStrategy: probabilistic concurrency testing (Burckhardt et al., ASPLOS 2010) over the
// engine's choice points.
//
// pct:D gives every worker a random priority when it is first seen at a choice point (all initial
// priorities are >= D, distinct), and draws D-1 priority-change points uniformly among the
// `estimated_steps` choice points of a run. At a choice point the runnable worker with the highest
// priority runs; at the j-th change point that worker's priority first drops to D-1-j (below every
// initial priority) and the choice is made again. A bug of depth D is hit with probability at least
// 1/(n·k^(D-1)) for n workers and k choice points.
// Draws only from (run seed, kSchedule), so timings never move when the priorities do.
// Cost: O(runnable) per choice point; O(workers) memory.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "sim/strategy.h"

namespace samplersim {

class PctStrategy final : public Strategy {
 public:
  // depth >= 1; estimated_steps >= 1 (the number of choice points the run is expected to have).
  PctStrategy(std::uint64_t run_seed, int depth, std::uint64_t estimated_steps);
  std::size_t pick(const ChoicePoint& cp) override;
  std::string name() const override;

 private:
  std::uint64_t priority_of(WorkerId w);

  RandomStream stream_;
  int depth_;
  std::vector<std::uint64_t> change_points_;  // sorted choice-point indices
  std::map<WorkerId, std::uint64_t> priority_;  // ordered by worker id, never by pointer
  int changes_done_ = 0;
};

}  // namespace samplersim
