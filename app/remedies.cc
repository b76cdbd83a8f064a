#include "app/remedies.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <string_view>

#include <fmt/args.h>
#include <fmt/format.h>
#include <fmt/ranges.h>

#include "app/guarantees.h"
#include "app/result_line.h"
#include "app/scenario_edit.h"
#include "sim/errors.h"
#include "sim/sampler.h"

namespace samplersim {

namespace {

// ---- the Optuna versions the user may run (the policies modelling them) ----

enum class Dialect : std::uint8_t { kOptuna2, kOptuna3Plus };

struct OptunaModel {
  std::string_view policy;
  Dialect dialect;
  bool none_is_shared_seed;  // seed=None already gives every process the same permutation (4.x)
};

constexpr OptunaModel kOptunaModels[] = {
    {"optuna-2", Dialect::kOptuna2, false},     {"optuna-3.1", Dialect::kOptuna3Plus, false},
    {"optuna-3.2", Dialect::kOptuna3Plus, false}, {"optuna-3.6", Dialect::kOptuna3Plus, false},
    {"optuna-4", Dialect::kOptuna3Plus, true},
};
constexpr std::string_view kUpgradePolicy = "optuna-4";

const OptunaModel* model_of(std::string_view policy) {
  for (const OptunaModel& m : kOptunaModels) {
    if (m.policy == policy) return &m;
  }
  return nullptr;
}

// ---- the catalogue ----

enum class Edits : std::uint8_t { kNone, kMaxTrialsAll, kTrialsShare, kNoTrialCap, kHeartbeatRetry };

enum class Applies : std::uint8_t {
  kAlways,
  kSeedNotShared,           // the arm's processes do not already share one seed
  kHasTrialCap,             // the scenario sets n_trials or a MaxTrialsCallback
  kCrashesWithoutHeartbeat, // workers crash and no heartbeat fails their trials
  kNotNewestModel,          // the arm is older than the upgrade target
};

// A base change (a version or a seed) is offered alone and combined with every setting; a setting
// (a stop rule, heartbeats) alone and after each base change; a standalone remedy alone.
enum class Kind : std::uint8_t { kBase, kSetting, kStandalone };

struct RemedyRow {
  std::string_view id;
  RemedyGroup group;
  std::string_view title;
  std::string_view policy;       // "" = the arm's
  std::string_view seed_policy;  // "" = the arm's
  Edits edits;
  Applies applies;
  Kind kind;
  std::string_view note;
  std::string_view code_2x;  // Optuna 2.9–2.10 (also used for the maintainers' design text)
  std::string_view code_3x;  // Optuna 3.0 and later ("" = same as code_2x)
};

constexpr std::string_view kEnqueueNote =
    "the simulation assumes an atomic WAITING -> RUNNING claim (PostgreSQL and MySQL lock the row; "
    "on SQLite two processes can both run one enqueued trial: docs/optuna-facts.md section 10); each "
    "process ends with one PRUNED trial that evaluates nothing";

// The same for a scenario on the sqlite store kind, whose preset models that non-atomic claim.
constexpr std::string_view kEnqueueNoteSqlite =
    "on SQLite the WAITING -> RUNNING claim is a read and a later write, so two processes can both run one "
    "enqueued trial (docs/optuna-facts.md section 10): the simulation includes that race and the errors it "
    "raises; PostgreSQL and MySQL lock the row; each process ends with one PRUNED trial that evaluates nothing";

constexpr std::string_view kEnqueueCode3 =
    "import itertools\n"
    "import optuna\n"
    "\n"
    "search_space = {space}\n"
    "\n"
    "# once, before any worker starts:\n"
    "study = optuna.create_study(study_name=STUDY_NAME, storage=STORAGE_URL, load_if_exists=True)\n"
    "for values in itertools.product(*search_space.values()):\n"
    "    study.enqueue_trial(dict(zip(search_space, values)), user_attrs={{\"grid_point\": True}})\n"
    "\n"
    "# in every worker process:\n"
    "def objective(trial):\n"
    "    if not trial.user_attrs.get(\"grid_point\"):  # nothing was waiting: the grid is done\n"
    "        trial.study.stop()\n"
    "        raise optuna.TrialPruned()\n"
    "{suggest}"
    "    ...  # train and return the score as before\n"
    "\n"
    "study = optuna.load_study(study_name=STUDY_NAME, storage=STORAGE_URL,\n"
    "                          sampler=optuna.samplers.RandomSampler())\n"
    "study.optimize(objective)";

constexpr std::string_view kEnqueueCode2 =
    "import itertools\n"
    "import optuna\n"
    "\n"
    "search_space = {space}\n"
    "\n"
    "# once, before any worker starts:\n"
    "study = optuna.create_study(study_name=STUDY_NAME, storage=STORAGE_URL, load_if_exists=True)\n"
    "for values in itertools.product(*search_space.values()):\n"
    "    study.enqueue_trial(dict(zip(search_space, values)))\n"
    "\n"
    "# in every worker process:\n"
    "def objective(trial):\n"
    "    if \"fixed_params\" not in trial.system_attrs:  # nothing was waiting: the grid is done\n"
    "        trial.study.stop()\n"
    "        raise optuna.TrialPruned()\n"
    "{suggest}"
    "    ...  # train and return the score as before\n"
    "\n"
    "study = optuna.load_study(study_name=STUDY_NAME, storage=STORAGE_URL,\n"
    "                          sampler=optuna.samplers.RandomSampler())\n"
    "study.optimize(objective)";

const std::vector<RemedyRow>& catalogue() {
  using G = RemedyGroup;
  static const std::vector<RemedyRow> kRows = {
      // Ranked within its group after the changes that keep the version; first so that among equal
      // numbers the plain upgrade comes before the upgrade combined with a setting.
      {"upgrade-4", G::kUpgrade, "Upgrade to Optuna 4.x", kUpgradePolicy, "", Edits::kNone, Applies::kNotNewestModel, Kind::kBase, "",
       "pip install --upgrade \"optuna>=4.0\"\n"
       "# no code change: with seed=None every process uses seed 0, so all share one permutation of the grid",
       ""},
      {"same-seed", G::kSameVersion, "Pass the same seed to GridSampler in every process", "", "same:42", Edits::kNone,
       Applies::kSeedNotShared, Kind::kBase, "",
       "import random\n"
       "random.seed(42)  # in every process, before study.optimize: 2.x's GridSampler draws from Python's random",
       "search_space = {space}\n"
       "sampler = optuna.samplers.GridSampler(search_space, seed=42)  # the same seed in every process"},
      {"max-trials-none", G::kSameVersion,
       "Stop every process once the study holds as many trials as the grid has combinations", "", "",
       Edits::kMaxTrialsAll, Applies::kAlways, Kind::kSetting,
       "FAIL and crashed (RUNNING) trials count too, so their combinations are not run again",
       "from optuna.study import MaxTrialsCallback\n"
       "# every process: stop once the study holds {n} trials in any state ({n} = grid size)\n"
       "study.optimize(objective, callbacks=[MaxTrialsCallback({n}, states=None)])",
       ""},
      {"n-trials-share", G::kSameVersion, "Give each process its share of the grid with n_trials", "", "",
       Edits::kTrialsShare, Applies::kAlways, Kind::kSetting,
       "a process that crashes or fails leaves its share undone; no process takes over its work",
       "# every process: {n} combinations / {processes} processes\n"
       "study.optimize(objective, n_trials={share})",
       ""},
      {"no-trial-cap", G::kSameVersion, "Let the GridSampler stop the study: no n_trials, no MaxTrialsCallback", "", "",
       Edits::kNoTrialCap, Applies::kHasTrialCap, Kind::kSetting, "",
       "# every process: no n_trials and no MaxTrialsCallback; GridSampler stops each process when the grid is done\n"
       "study.optimize(objective)",
       ""},
      {"enqueue-grid", G::kSameVersion, "Enqueue the whole grid once, then let every process pop trials until none waits",
       // Its code runs study.optimize(objective): the user's n_trials and MaxTrialsCallback go (a
       // MaxTrialsCallback counts the WAITING trials and would stop every process at once).
       "enqueue-all", "", Edits::kNoTrialCap, Applies::kAlways, Kind::kStandalone, kEnqueueNote, kEnqueueCode2,
       kEnqueueCode3},
      {"heartbeat-retry", G::kSameVersion,
       "Turn on heartbeats and RetryFailedTrialCallback so a crashed trial is failed and re-run", "", "",
       Edits::kHeartbeatRetry, Applies::kCrashesWithoutHeartbeat, Kind::kSetting,
       "RDB storages only (JournalStorage has no heartbeat up to 4.9); the retry copy re-runs the crashed "
       "combination only if some process is still running when it appears",
       "storage = optuna.storages.RDBStorage(\n"
       "    url=STORAGE_URL,\n"
       "    heartbeat_interval={hb},  # seconds between heartbeats of a running trial\n"
       "    grace_period={grace},  # a RUNNING trial silent this long is failed at the next trial's start\n"
       "    failed_trial_callback=optuna.storages.RetryFailedTrialCallback(max_retry=None),\n"
       ")",
       ""},
      {"shared-seed", G::kMaintainers, "GridSampler stores its permutation seed in the study and every process reads it",
       "shared-seed", "", Edits::kNone, Applies::kAlways, Kind::kStandalone, "",
       "Design (not in Optuna): the first process stores its permutation seed with an insert-if-absent study "
       "attribute; every process reads it back and shuffles with it.\n"
       "Storage primitive: study_attr_insert_if_absent.",
       ""},
      {"atomic-claim", G::kMaintainers, "GridSampler claims each combination atomically before evaluating it",
       "atomic-claim", "", Edits::kNone, Applies::kAlways, Kind::kStandalone, "",
       "Design (not in Optuna): read the unclaimed combinations, claim one with an atomic insert-if-absent keyed by "
       "(study, combination); on a conflict re-read (at most 8 tries); leave when nothing is unclaimed.\n"
       "Storage primitive: claim_combination.",
       ""},
      {"enqueue-all", G::kMaintainers, "GridSampler enqueues the grid itself, once, and every process pops from the queue",
       "enqueue-all", "", Edits::kNone, Applies::kAlways, Kind::kStandalone, "",
       "Design (not in Optuna): the first worker to win an insert-if-absent on enqueue_owner enqueues one WAITING trial "
       "per combination, then sets enqueue_done; everyone pops with the atomic WAITING -> RUNNING update; leave when "
       "nothing waits and enqueue_done is set.\n"
       "Storage primitive: pop_waiting_trial (exists).",
       ""},
      {"leased-claim", G::kMaintainers,
       "GridSampler claims each combination with a lease renewed by the heartbeat; expired leases are taken over",
       "leased-claim", "", Edits::kNone, Applies::kAlways, Kind::kStandalone, "",
       "Design (not in Optuna): atomic-claim plus a lease renewed by the worker's heartbeat; a claim whose holder "
       "stopped beating more than the grace period ago is taken over atomically; a FAIL releases the claim; "
       "completion is idempotent; idle workers poll while live holders still run.\n"
       "Storage primitives: claim_combination, release_claim, complete_combination, record_heartbeat.",
       ""},
      {"fenced-leased-claim", G::kMaintainers,
       "GridSampler's leased claims carry fencing epochs: a holder whose lease was taken over cannot complete",
       "fenced-leased-claim", "", Edits::kNone, Applies::kAlways, Kind::kStandalone, "",
       "Design (not in Optuna): leased-claim where every claim takes the combination's next epoch from the storage "
       "and a take-over bumps it; completing and releasing are compare-and-set on the holder's epoch, so a holder "
       "that stalled (GC pause, preemption, partition) or whose clock lags past the grace period is refused and its "
       "trial told FAIL: one result per combination, never a stale holder's (its duplicate work is still lost time).\n"
       "Storage primitives: claim_combination (returning the epoch), release_claim and complete_combination with "
       "an epoch, record_heartbeat.",
       ""},
  };
  return kRows;
}

// ---- text of the user's grid as Python ----

std::string python_str(std::string_view s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\\' || c == '\'') out += '\\';
    out += c;
  }
  return out + "'";
}

std::string python_value(const GridValue& v) {
  if (v.kind == GridValue::Kind::kFloat && !std::isfinite(v.float_value)) {
    return std::isnan(v.float_value) ? "float('nan')" : v.float_value > 0 ? "float('inf')" : "float('-inf')";
  }
  return v.repr();
}

std::string python_space(const ScenarioSpec& spec) {
  std::string out = "{";
  for (std::size_t p = 0; p < spec.grid.size(); ++p) {
    if (p) out += ", ";
    out += python_str(spec.grid[p].name) + ": [";
    for (std::size_t i = 0; i < spec.grid[p].values.size(); ++i) {
      out += (i ? ", " : "") + python_value(spec.grid[p].values[i]);
    }
    out += "]";
  }
  return out + "}";
}

// Python keywords and the names the snippets themselves use: a parameter so named gets value_<i>.
constexpr std::string_view kReservedNames[] = {
    "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue", "def",
    "del", "elif", "else", "except", "finally", "for", "from", "global", "if", "import", "in", "is", "lambda",
    "nonlocal", "not", "or", "pass", "raise", "return", "try", "while", "with", "yield", "trial", "search_space",
    "optuna", "itertools", "study", "objective", "values", "random", "sampler", "storage"};

// The name itself when it is a Python identifier that clashes with nothing above, else value_<i>.
std::string python_identifier(std::string_view name, std::size_t index) {
  const auto word = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; };
  const bool ok = !name.empty() && !std::isdigit(static_cast<unsigned char>(name[0])) &&
                  std::all_of(name.begin(), name.end(), word) &&
                  std::find(std::begin(kReservedNames), std::end(kReservedNames), name) == std::end(kReservedNames);
  return ok ? std::string(name) : fmt::format("value_{}", index);
}

std::string python_suggest_lines(const ScenarioSpec& spec) {
  std::string out;
  for (std::size_t i = 0; i < spec.grid.size(); ++i) {
    const std::string& name = spec.grid[i].name;
    out += fmt::format("    {} = trial.suggest_categorical({}, search_space[{}])\n", python_identifier(name, i),
                       python_str(name), python_str(name));
  }
  return out;
}

std::string lower_first(std::string_view title) {
  std::string out(title);
  if (!out.empty()) out[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(out[0])));
  return out;
}

// Heartbeat for the simulation and the code: whole seconds (Optuna takes an int), a tenth of the
// shortest objective, between 1 s and 60 s; grace twice that (Optuna's default).
std::int64_t heartbeat_seconds(const ScenarioSpec& spec) {
  const std::int64_t tenth_s = spec.objective_duration.min_us / 10 / kMicrosPerSecond;
  return std::clamp<std::int64_t>(tenth_s, 1, 60);
}

std::int64_t share_of_grid(const ScenarioSpec& spec) {
  const std::int64_t n = spec.combinations();
  return (n + spec.processes - 1) / spec.processes;
}

nlohmann::json edits_of(Edits e, const ScenarioSpec& spec) {
  switch (e) {
    case Edits::kNone: return nlohmann::json::object();
    case Edits::kMaxTrialsAll:
      return {{"optimize.max_trials", spec.combinations()}, {"optimize.max_trials_states", "all"}};
    case Edits::kTrialsShare:
      return {{"optimize.n_trials", share_of_grid(spec)}, {"optimize.max_trials", nullptr},
              {"optimize.max_trials_states", nullptr}};
    case Edits::kNoTrialCap:
      return {{"optimize.n_trials", nullptr}, {"optimize.max_trials", nullptr}, {"optimize.max_trials_states", nullptr}};
    case Edits::kHeartbeatRetry: {
      const std::int64_t hb = heartbeat_seconds(spec);
      return {{"faults.heartbeat_interval", fmt::format("{}s", hb)},
              {"faults.grace_period", fmt::format("{}s", 2 * hb)},
              {"faults.retry_failed_trials", true}};
    }
  }
  return nlohmann::json::object();
}

// Whether a row's edits can be written into this scenario under the loader's loop rules
// (scenarios/SCHEMA.md, [optimize]): an [optimize] edit needs the scenario's one loop ([[group]]
// tables each have their own, and a scenario may not have both); MaxTrialsCallback is an argument of
// optimize(), so ask-and-tell loops have none; a loop that swallows the stop error needs its
// n_trials (it would never end).
bool edits_fit(Edits e, const ScenarioSpec& spec) {
  if (e == Edits::kNone || e == Edits::kHeartbeatRetry) return true;
  if (!spec.groups.empty()) return false;
  const bool swallows = spec.loop.kind == LoopKind::kHydra || spec.loop.on_stop_error == StopErrorHandling::kSwallow;
  switch (e) {
    case Edits::kMaxTrialsAll: return spec.loop.kind == LoopKind::kOptimize;
    case Edits::kNoTrialCap: return !swallows;
    case Edits::kTrialsShare: return true;
    case Edits::kNone:
    case Edits::kHeartbeatRetry: return true;
  }
  return false;
}

bool applies(Applies a, const ScenarioSpec& spec, const Arm& arm, const OptunaModel& model) {
  switch (a) {
    case Applies::kAlways: return true;
    case Applies::kSeedNotShared:
      return arm.seed_policy.kind == SeedPolicy::Kind::kDistinct ||
             (arm.seed_policy.kind == SeedPolicy::Kind::kNone && !model.none_is_shared_seed);
    case Applies::kHasTrialCap: return spec.n_trials.has_value() || spec.max_trials.has_value();
    case Applies::kCrashesWithoutHeartbeat: return spec.faults.crash_ppm > 0 && !spec.faults.heartbeat();
    case Applies::kNotNewestModel: return model.policy != kUpgradePolicy;
  }
  return false;
}

std::string code_of(const RemedyRow& row, Dialect dialect, const ScenarioSpec& spec) {
  const std::string_view templ = dialect == Dialect::kOptuna2 || row.code_3x.empty() ? row.code_2x : row.code_3x;
  fmt::dynamic_format_arg_store<fmt::format_context> args;
  const std::int64_t hb = heartbeat_seconds(spec);
  args.push_back(fmt::arg("space", python_space(spec)));
  args.push_back(fmt::arg("suggest", python_suggest_lines(spec)));
  args.push_back(fmt::arg("n", spec.combinations()));
  args.push_back(fmt::arg("processes", spec.processes));
  args.push_back(fmt::arg("share", share_of_grid(spec)));
  args.push_back(fmt::arg("hb", hb));
  args.push_back(fmt::arg("grace", 2 * hb));
  return fmt::vformat(templ, args);
}

std::string target_text(const Arm& arm, const nlohmann::json& edits) {
  std::string out = arm.label();
  if (edits.empty()) return out;
  out += " with";
  for (const auto& [k, v] : edits.items()) {
    out += fmt::format(" {}={}", k, v.is_null() ? "(removed)" : v.is_string() ? v.get<std::string>() : v.dump());
  }
  return out;
}

void add_candidate(std::vector<RemedyCandidate>& out, const ScenarioSpec& spec, const Arm& arm, RemedyOption option,
                   const nlohmann::json& edits, const Arm& target) {
  RemedyCandidate c;
  c.spec = apply_scenario_edits(spec, edits);
  c.edits = edits;
  // Edits that change nothing leave the user's scenario (so its runs are shared with the arms).
  if (!edits.empty() && canonical_scenario_text(c.spec) == canonical_scenario_text(spec)) {
    c.spec = spec;
    c.edits = nlohmann::json::object();
  }
  c.arm = target;
  c.target_key = scenario_digest(c.spec) + "|" + target.label();
  if (c.target_key == scenario_digest(spec) + "|" + arm.label()) return;  // the arm itself
  option.target = target_text(target, edits);
  c.option = std::move(option);
  out.push_back(std::move(c));
}

}  // namespace

bool is_optuna_model(const std::string& policy) { return model_of(policy) != nullptr; }

std::vector<std::string> remedy_ids() {
  std::vector<std::string> out;
  for (const RemedyRow& r : catalogue()) out.emplace_back(r.id);
  return out;
}

std::string guarantee_status_text(const std::string& policy) {
  for (const GuaranteeRow& row : guarantee_matrix()) {
    if (row.policy != policy) continue;
    std::string out;
    for (int property = 0; property < 2; ++property) {
      std::vector<std::string> holds, violated;
      for (std::size_t c = 0; c < kGuaranteeColumns.size(); ++c) {
        const Verdict v = property == 0 ? row.cells[c].coverage : row.cells[c].no_repeats;
        (v == Verdict::kHolds ? holds : violated).emplace_back(to_string(kGuaranteeColumns[c]));
      }
      const std::string_view what = property == 0 ? "coverage" : "no repeats";
      if (!out.empty()) out += "; ";
      if (violated.empty()) out += fmt::format("{} holds under every fault class", what);
      else if (holds.empty()) out += fmt::format("{} is violated under every fault class", what);
      else out += fmt::format("{} holds under {}, violated under {}", what, fmt::join(holds, ", "), fmt::join(violated, ", "));
    }
    return "guarantees matrix: " + out;
  }
  return "";
}

std::vector<RemedyCandidate> remedy_candidates(const ScenarioSpec& spec, const Arm& arm) {
  std::vector<RemedyCandidate> out;
  const OptunaModel* model = model_of(arm.policy->name);
  if (model == nullptr) return out;
  struct Change {
    const RemedyRow* row;
    Arm target;
    Dialect dialect;  // of the code written after this change (4.x after an upgrade)
  };
  // Applicable rows with the arm each one runs.
  std::vector<Change> changes;
  for (const RemedyRow& row : catalogue()) {
    if (!applies(row.applies, spec, arm, *model) || !edits_fit(row.edits, spec)) continue;
    Change c{&row, arm, model->dialect};
    if (!row.policy.empty()) {
      c.target.policy = PolicyRegistry::find(std::string(row.policy));
      if (c.target.policy == nullptr) continue;  // a build without that design
      if (const OptunaModel* m = model_of(row.policy)) c.dialect = m->dialect;
    }
    if (!row.seed_policy.empty()) c.target.seed_policy = *parse_seed_policy(row.seed_policy);
    changes.push_back(c);
  }
  const auto option_of = [&](const Change& c) {
    RemedyOption o;
    o.id = std::string(c.row->id);
    // Among equal numbers: one-line changes first, then a base change with a setting, then
    // restructuring the workers around a queue.
    o.order = (c.row->kind == Kind::kStandalone ? 2000 : 0) + static_cast<int>(c.row - catalogue().data());
    o.group = c.row->group;
    o.title = std::string(c.row->title);
    o.code = code_of(*c.row, model->dialect, spec);
    o.note = c.row->group == RemedyGroup::kMaintainers ? guarantee_status_text(std::string(c.row->policy))
                                                       : std::string(c.row->note);
    if (c.row->note == kEnqueueNote && spec.store_kind == StoreKind::kSqlite) o.note = std::string(kEnqueueNoteSqlite);
    return o;
  };
  for (const Change& c : changes) add_candidate(out, spec, arm, option_of(c), edits_of(c.row->edits, spec), c.target);
  // Each setting after each base change (a version or a seed), ranked after the single changes.
  int combined = 1000;
  for (const Change& base : changes) {
    if (base.row->kind != Kind::kBase) continue;
    for (const Change& setting : changes) {
      if (setting.row->kind != Kind::kSetting) continue;
      const RemedyOption b = option_of(base);
      RemedyOption o = option_of(setting);
      o.id = b.id + "+" + o.id;
      o.order = ++combined;
      o.group = base.row->group;
      o.title = b.title + " and " + lower_first(setting.row->title);
      o.code = b.code + "\n\n" + code_of(*setting.row, base.dialect, spec);
      add_candidate(out, spec, arm, std::move(o), edits_of(setting.row->edits, spec), base.target);
    }
  }
  return out;
}

}  // namespace samplersim
