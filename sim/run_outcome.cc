#include "sim/run_outcome.h"

#include "sim/invariant.h"
#include "sim/study_store.h"

namespace samplersim {

std::int64_t RunMetrics::processes_raised() const {
  std::int64_t n = 0;
  for (std::int32_t c : process_errors) n += c;
  return n;
}

void compute_outcome(const StudyStore& store, std::int64_t grid_size, RunOutcome& out) {
  out.grid_size = grid_size;
  out.trials = store.n_trials();
  for (TrialState s : kAllTrialStates) {
    out.trials_by_state[static_cast<std::size_t>(s)] = store.count(StateMask::only(s));
  }
  out.evaluations.assign(static_cast<std::size_t>(grid_size), 0);
  std::vector<std::int32_t> completes(static_cast<std::size_t>(grid_size), 0);
  out.objective_time_us = 0;
  out.wasted_time_us = 0;
  for (const Evaluation& e : out.evaluation_log) {
    SIM_ASSERT(e.combination >= 0 && e.combination < grid_size);
    const auto g = static_cast<std::size_t>(e.combination);
    const VirtualTime spent = (e.end_us >= 0 ? e.end_us : out.makespan_us) - e.start_us;
    SIM_ASSERT(spent >= 0);
    out.objective_time_us += spent;
    if (out.evaluations[g] > 0) out.wasted_time_us += spent;
    ++out.evaluations[g];
    const TrialState final_state = store.trial(e.trial).state;
    if (final_state == TrialState::kComplete) ++completes[g];
  }
  out.repeats = out.never_evaluated = out.uncovered = out.completed_twice = 0;
  for (std::size_t g = 0; g < out.evaluations.size(); ++g) {
    if (out.evaluations[g] == 0) ++out.never_evaluated;
    if (out.evaluations[g] > 1) out.repeats += out.evaluations[g] - 1;
    if (completes[g] == 0) ++out.uncovered;
    if (completes[g] > 1) out.completed_twice += completes[g] - 1;
  }
}

}  // namespace samplersim
