#include "sim/trial_state.h"

namespace samplersim {

std::string_view to_string(TrialState s) {
  switch (s) {
    case TrialState::kRunning: return "RUNNING";
    case TrialState::kComplete: return "COMPLETE";
    case TrialState::kPruned: return "PRUNED";
    case TrialState::kFail: return "FAIL";
    case TrialState::kWaiting: return "WAITING";
  }
  return "?";
}

std::optional<TrialState> trial_state_from_string(std::string_view name) {
  for (TrialState s : kAllTrialStates) {
    if (to_string(s) == name) return s;
  }
  return std::nullopt;
}

}  // namespace samplersim
