// Sampler: the narrow interface between the engine's model of study.optimize and one sampling
// policy (a model of a real sampler version, or a coordination fix), plus the registry of
// policies by name.
//
// One Sampler instance belongs to one simulated process and is shared by that process's threads,
// exactly as Optuna's n_jobs threads share one sampler. Samplers touch the study only through the
// StoreClient passed in each call (every access is a timed store operation) and draw randomness
// only from streams derived from their SamplerSetup. Adding a policy means adding one file pair in
// samplers/ whose .cc registers it; nothing outside samplers/ changes.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "sim/grid_space.h"
#include "sim/python_error.h"
#include "sim/random_stream.h"
#include "sim/store_client.h"
#include "sim/worker_driver.h"

namespace samplersim {

struct ScenarioSpec;

struct GridParam;     // sim/scenario_spec.h
class SamplerShare;   // sim/sampler_share.h

struct SamplerSetup {
  const GridSpace* grid = nullptr;
  std::optional<std::uint64_t> seed;  // the seed the user passed; nullopt = seed=None
  std::uint64_t run_seed = 0;         // for deriving this process's "OS entropy" streams
  int process = 0;
  // The scenario's dimensions in file order with their values (for policies whose grid order
  // depends on the values, e.g. Optuna 2.x sorts them); may be null in hand-built setups.
  const std::vector<GridParam>* values = nullptr;
  // Heartbeat as the scenario's [faults] table sets it (0: off). Leases use it when on.
  VirtualTime heartbeat_interval_us = 0;
  VirtualTime grace_us = 0;
  // The store preset's kind: Optuna 2.x–3.1 cache reads only for RDB storages (caches_reads).
  StoreKind store_kind = StoreKind::kLegacy;
  // The process's own GridSampler grid (a [[group]]'s `grid`: the [grid] dimensions in file order,
  // each a subset of its values in the group's order); null: `values` itself (issue 11).
  const std::vector<GridParam>* sampler_grid = nullptr;
  // The objective's suggests in order: the sorted grid parameter index of each (-1: a name outside
  // the grid), for define-by-run samplers (BruteForceSampler); null in hand-built setups.
  const std::vector<int>* suggest_order = nullptr;
  // The run's store of immutable data its samplers share (simulate() owns it; null in hand-built
  // setups, which then build privately). Sharing never changes results, only memory and time.
  SamplerShare* share = nullptr;
  // Threads sharing this sampler (the process's n_jobs); 0: unknown (hand-built setups), taken as
  // several. A sampler may skip work that only matters when threads interleave inside it.
  int threads = 0;
};

// Raised by a policy's factory when the real library raises while building the sampler (2.x sorts
// each dimension's values and raises TypeError on mixed types): the process never runs a trial.
class SamplerConstructionError : public std::runtime_error {
 public:
  SamplerConstructionError(PyError error, const std::string& what) : std::runtime_error(what), error_(error) {}
  PyError error() const { return error_; }

 private:
  PyError error_;
};

// Parts of the Optuna API that a policy's versions lack (a process using one raises at setup:
// AttributeError). Coordination fixes and 3.x+ models have all of them.
struct LibraryFeatures {
  bool ask_tell = true;              // Study.ask / Study.tell (2.5+)
  bool max_trials_callback = true;   // optuna.study.MaxTrialsCallback (2.8+)
  bool retry_callback = true;        // RetryFailedTrialCallback (2.8+)
};

// What a policy says before a worker asks for its next trial (optional hook; see before_ask).
struct WorkCheck {
  enum class Kind : std::uint8_t { kWork = 0, kWait = 1, kDone = 2 };
  Kind kind = Kind::kWork;
  VirtualTime wait_us = 0;          // kWait without on_claims_change: poll again after this long
  std::optional<int> trial;         // kWork: the policy already obtained this trial (it popped it)
  // kWait, event-driven (StoreClient::wait_for_claims_change): ask again when the claims table
  // changes from `seen` (its version as the deciding read saw it) or at true time `until_us`
  // (kNeverUs: no deadline), whichever comes first; wait_us is then unused.
  struct ClaimsChange {
    std::uint64_t seen = 0;
    VirtualTime until_us = 0;
  };
  std::optional<ClaimsChange> on_claims_change;
};

// What a sampler sees of one trial.
struct TrialContext {
  StoreClient& store;
  int number = -1;        // trial number
  TrialView snapshot;     // before_trial: Trial.__init__'s get_trial; after_trial: tell's get_trial
  // Set by the sampler's before_trial: its own name for the point this trial evaluates (Optuna's
  // grid_id), -1 if it has none. Traces and the evaluation log show it; metrics never use it.
  std::int64_t label = -1;
  // Set by a claiming policy's before_trial: the epoch of its claim on the combination
  // (StudyStore::Claim::epoch; later holdings of it have larger ones), -1 if it claims nothing.
  std::int64_t claim_epoch = -1;
  // Outputs of a hook (issue 11): the Python exception it raised (suggest: inside the objective, so
  // the trial FAILs; after_trial: inside tell, after which the state is still written), and a
  // study.stop() called from before_trial (Optuna 2.0–2.3 decide the stop in ask).
  PyError raised = PyError::kNone;
  bool stop_requested = false;
};

class Sampler {
 public:
  virtual ~Sampler() = default;

  // BaseSampler.reseed_rng(): optimize(n_jobs>1) calls it before every trial job.
  virtual void reseed_rng() {}

  // The grid step inside Trial.__init__ (sample_relative / infer_relative_search_space /
  // before_trial, depending on the version): may read the study and write system attrs.
  virtual void before_trial(TrialContext& trial) = 0;

  // suggest_* for sorted parameter `param`: the value index to evaluate, or nullopt when the real
  // sampler raises (the trial then fails).
  virtual std::optional<int> suggest(TrialContext& trial, int param) = 0;

  // after_trial(state); runs before the state is written. Returns true to call study.stop().
  virtual bool after_trial(TrialContext& trial, TrialState state) = 0;

  // ---- optional hooks for coordination fixes (defaults: what the real library does) ----
  // Before study.ask(): work to do (optionally a trial the policy popped itself), wait and poll
  // again, or nothing left (the worker leaves its optimize loop).
  virtual WorkCheck before_ask(StoreClient& /*store*/) { return {}; }
  // After after_trial, before the state write: the state to write (e.g. an idempotent completion
  // may demote a duplicate COMPLETE). Must not return RUNNING or WAITING.
  virtual TrialState on_tell(TrialContext& /*trial*/, TrialState state) { return state; }
  // True if this policy needs its worker to heart-beat during trials (a lease).
  virtual bool wants_heartbeat() const { return false; }

  // ---- resumed studies (issue 11) ----
  // A trial an earlier process running this policy over this sampler's grid left in the study:
  // appends to `attrs` the system attributes that process wrote on it, for canonical combination
  // `combination` (-1: its params do not name a full point), or with the stored `grid_id` when one
  // is given. Returns its label (the sampler's name for the point, -1: none). Default: a sampler
  // that writes nothing. Cost: O(1) after construction.
  virtual std::int64_t earlier_trial_attrs(std::int64_t /*combination*/, std::optional<std::int64_t> /*grid_id*/,
                                           std::vector<std::pair<std::string, std::int64_t>>& /*attrs*/) const {
    return -1;
  }
};

struct PolicyInfo {
  std::string name;     // registry key, e.g. "optuna-3.6"
  std::string family;   // versions it models, e.g. "Optuna 3.4–3.6"
  std::string summary;  // one line for `samplersim list`
  std::function<std::unique_ptr<Sampler>(const SamplerSetup&)> make;
  // Set instead of `make` by a policy that runs its own worker body (sim/worker_driver.h): one
  // driver per run replaces the optimize-loop model for every worker.
  std::function<std::unique_ptr<WorkerDriver>(const DriverSetup&)> make_driver = {};
  // Which Optuna client code issues its store calls, for the costs of a store preset.
  ClientProfile client_profile = ClientProfile::kOptuna4;
  LibraryFeatures features{};  // what the modelled versions' API offers
  // What of a scenario this policy cannot simulate: "" (or unset) if it can run all of it, else
  // "<scenario key>" or "<scenario key> <why>" (the first word names the key). Commands check it
  // before any run (app/arms.h check_can_simulate: one line naming the file, line and key, exit 2).
  std::function<std::string(const ScenarioSpec&)> cannot_simulate = {};
  // The peak bytes this policy's samplers hold in one run of `spec` under the seed policy, as
  // estimated before it starts (unset: small). Commands refuse an arm whose estimate exceeds
  // [run] max_sampler_memory_mib (app/arms.h check_sampler_memory: exit 2).
  std::function<std::int64_t(const ScenarioSpec&, const SeedPolicy&)> sampler_bytes = {};
};

class PolicyRegistry {
 public:
  // Registers a policy; called from a static initializer in the policy's .cc file.
  static bool add(PolicyInfo info);
  static const PolicyInfo* find(const std::string& name);
  static std::vector<const PolicyInfo*> all();  // sorted by name
  static std::vector<std::string> names();      // sorted
};

}  // namespace samplersim
