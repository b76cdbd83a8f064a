// Remedies as data: the changes that can stop repeated and lost grid combinations, each with its
// level, the exact code to write for the user's Optuna version, and how it is simulated.
//
// Levels (reports/remedy_ranking.h ranks them):
//   in your Optuna today — the same seed in every process; MaxTrialsCallback(N, states=None);
//     n_trials = ceil(N / processes); no trial cap; enqueue the whole grid and stop when nothing
//     waits; heartbeat + RetryFailedTrialCallback; upgrade to 4.x (alone and with each setting);
//   for library maintainers — the coordination designs (shared-seed, atomic-claim, enqueue-all,
//     leased-claim) with their status in the guarantees matrix (app/guarantees.h).
// Every remedy is simulated, never guessed: it is a target arm (a policy and seed policy) on the
// user's scenario with scenario edits (app/scenario_edit.h). A remedy applies only to an arm of a
// real-Optuna model (optuna-2 ... optuna-4) and only where it changes something (e.g. no
// "same seed" for an arm that already shares one); a target equal to the arm itself is dropped.
// Sources of the facts behind each row: docs/optuna-facts.md and docs/fidelity.md.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "app/arms.h"
#include "reports/remedy_ranking.h"
#include "sim/scenario_spec.h"

namespace samplersim {

// True for the policies that model a real Optuna version (the user's own arms).
bool is_optuna_model(const std::string& policy);

// One remedy for one arm, ready to simulate: its option text (stats empty) and its target.
struct RemedyCandidate {
  RemedyOption option;
  ScenarioSpec spec;     // the user's scenario with the remedy's edits
  nlohmann::json edits;  // those edits ({} when none): {"optimize.max_trials": 48, ...}
  Arm arm;               // the target policy and seed policy
  std::string target_key;  // "<scenario digest>|<policy>/<seed policy>": equal keys are one simulation
};

// The remedies for `arm` on `spec` (empty unless the arm is an Optuna model), in catalogue order.
// Throws only for a catalogue row the scenario loader refuses (an internal error).
std::vector<RemedyCandidate> remedy_candidates(const ScenarioSpec& spec, const Arm& arm);

// The catalogue's ids in order (for tests and documentation).
std::vector<std::string> remedy_ids();

// One line: what the guarantees matrix says about a policy's row ("coverage holds under no faults,
// store errors, ...; violated under ...; no repeats holds under every fault class").
std::string guarantee_status_text(const std::string& policy);

}  // namespace samplersim
