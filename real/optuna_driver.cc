#include "real/optuna_driver.h"

#include <algorithm>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>
#include <pybind11/embed.h>

#include "real/native_module.h"
#include "real/python_runtime.h"
#include "real/worker_link.h"
#include "sim/grid_space.h"
#include "sim/python_error.h"
#include "sim/sampler.h"
#include "sim/scenario_spec.h"
#include "sim/seed_policy.h"
#include "sim/store_kind.h"
#include "sim/worker_driver.h"

namespace py = pybind11;

namespace samplersim::real {

namespace {

py::object python_value(const GridValue& v) {
  switch (v.kind) {
    case GridValue::Kind::kInt: return py::int_(v.int_value);
    case GridValue::Kind::kFloat: return py::float_(v.float_value);
    case GridValue::Kind::kString: return py::str(v.string_value);
    case GridValue::Kind::kBool: return py::bool_(v.bool_value);
    case GridValue::Kind::kNone: return py::none();
  }
  return py::none();
}

// What this mode cannot run yet; empty if the scenario is supported.
//
// Heartbeats and the retry callback, as Optuna 3.1.0 runs them (/usr/lib/python3/dist-packages/
// optuna): _run_trial (study/_optimize.py) calls storages.fail_stale_trials(study) before each
// ask when the storage is a BaseHeartbeat with an interval (_CachedStorage is one and forwards
// record_heartbeat, _get_stale_trial_ids, get_heartbeat_interval and get_failed_trial_callback to
// its backend); fail_stale_trials (storages/_heartbeat.py) sets each stale id FAIL (a
// compare-and-set: set_trial_state_values returns False if it lost) and then calls the storage's
// failed_trial_callback on each trial it failed; RDBStorage._get_stale_trial_ids judges RUNNING
// trials with a heartbeat row by `(now() - heartbeat).seconds > grace_period` (grace default 2 x
// interval; `.seconds` truncates to whole seconds). The objective runs inside
// get_heartbeat_thread(...): a threading.Thread (HeartbeatThread._record_heartbeat) that writes
// record_heartbeat(trial_id), then waits stop_event.wait(timeout=interval), until the objective
// returns and join()s it. RetryFailedTrialCallback (optuna/_callbacks.py) adds a WAITING copy of
// each failed trial (study.add_trial: params, distributions, user and system attrs with
// failed_trial and retry_history), so it fires only for trials fail_stale_trials failed.
// Study.ask outside optimize only warns ("Heartbeat of storage is supposed to be used with
// Study.optimize."): an ask-and-tell script neither beats nor fails stale trials.
// Here: the real fail_stale_trials and RetryFailedTrialCallback run; SimStorage answers
// _get_stale_trial_ids with the model's get_stale_trials (the model's staleness rule, at the
// process's clock: older than the grace, not RDBStorage's whole-second `.seconds > grace`), and
// samplersim writes the heartbeat rows on virtual time (WorkerLink::objective_time) in place of the
// Python thread, which would run outside the scheduler. Refused: ask-and-tell loops with a
// heartbeat (the model beats and fails stale trials there, the real library does not: a model
// disagreement), and stalls or skewed clocks with a heartbeat (a live trial failed as stale makes
// the real tell raise `Trial#n has already finished`, which the model does not model).
//
// Threads (n_jobs > 1): Optuna's own _optimize runs on the process's main thread (an extra fiber,
// OptunaDriver::extra_threads) and submits one _optimize_sequential job per trial to a pool of
// `threads` pool threads (optuna_bridge.py _SimThreadPool in place of ThreadPoolExecutor; the
// scenario reader allows threads only with optimize loops). Refused with threads: faults (the model
// draws them per thread, and a crash would have to end the process's other threads too).
std::string unsupported(const ScenarioSpec& spec) {
  // A preset's client CPU, locks and GIL act on the model's steps (sim/store_cost.h); here the
  // real library's calls would run on plain latencies instead, and look like the preset's numbers.
  if (spec.store_kind != StoreKind::kLegacy) {
    return fmt::format("store.kind = \"{}\", a store preset: it runs on the [store] latencies,", to_string(spec.store_kind));
  }
  const FaultSpec& f = spec.faults;
  for (const WorkerGroup& g : worker_groups(spec)) {
    if (g.threads > 1 && f.present) {
      return fmt::format("{} > 1 with [faults]", spec.groups.empty() ? "workers.threads" : "group.threads");
    }
  }
  if (f.store_error_ppm > 0) return "faults.store_error_probability";
  if (f.stale_read_ppm > 0) return "faults.stale_read_probability";
  if (f.heartbeat()) {
    // Optuna 3.1.0's Study.ask only warns outside optimize: an ask-and-tell script neither beats
    // nor fails stale trials, while the model's ask-and-tell loop does both (a model disagreement,
    // docs/real-library-mode.md). A live trial failed as stale (a stall or a skewed clock past the
    // grace) makes the real tell raise, which the model does not model.
    for (const WorkerGroup& g : worker_groups(spec)) {
      if (g.loop.kind != LoopKind::kOptimize) return "faults.heartbeat_interval with an ask-and-tell loop";
    }
    if (f.stall_ppm > 0) return "faults.stall_probability with faults.heartbeat_interval";
    if (f.clock_skewed()) return "faults.clock_skew / clock_drift_ppm with faults.heartbeat_interval";
  }
  return {};
}

// {name: value} of a trial's params given as value indices per [grid] dimension in file order
// (-1: not set): enqueue_trial's params of an [[enqueue]] entry, an initial trial's params.
py::dict params_dict(const ScenarioSpec& spec, const std::vector<int>& indices) {
  py::dict params;
  for (std::size_t d = 0; d < spec.grid.size(); ++d) {
    const int index = indices[d];
    if (index >= 0) params[py::str(spec.grid[d].name)] = python_value(spec.grid[d].values[static_cast<std::size_t>(index)]);
  }
  return params;
}

// What the objective suggests, in order, as [(name, choices)] (sim/optimize_loop.cc
// objective_plan): [objective] params, or every [grid] dimension in file order; a name of the grid
// with its [grid] values, a name outside it with two placeholder choices (0, 1): with one choice
// Trial._suggest would return it without asking the sampler (distribution.single()), whereas the
// model's objective, like a user's with a real distribution, gets GridSampler's ValueError.
py::list objective_suggests(const ScenarioSpec& spec) {
  py::list suggests;
  const auto add = [&](const std::string& name) {
    py::list values;
    for (const GridParam& param : spec.grid) {
      if (param.name != name) continue;
      for (const GridValue& v : param.values) values.append(python_value(v));
    }
    if (values.empty()) {
      values.append(py::int_(0));
      values.append(py::int_(1));
    }
    suggests.append(py::make_tuple(name, values));
  };
  if (spec.objective.params.empty()) {
    for (const GridParam& param : spec.grid) add(param.name);
  } else {
    for (const std::string& name : spec.objective.params) add(name);
  }
  return suggests;
}

// The worker loop for run_worker (optuna_bridge.py): "kind" is "optimize" or "ask-tell"; an
// ask-and-tell loop (plain or Hydra's) asks "batch" trials, runs their objectives in turn and tells
// each, "n_trials" in all (None: until the stop error ends it; Hydra: capped at the grid size), and
// handles study.stop()'s RuntimeError, recognised by its exact message ("stop_error"), by "on_stop":
// "raise", "swallow" or "break" (sim/scenario_spec.h LoopSpec, sim/optimize_loop.cc ask_and_tell).
py::dict loop_spec(const ScenarioSpec& spec, const WorkerGroup& group) {
  py::dict loop;
  const LoopSpec& l = group.loop;
  loop["kind"] = l.kind == LoopKind::kOptimize ? "optimize" : "ask-tell";
  loop["batch"] = l.batch;
  std::optional<std::int64_t> budget;
  if (group.n_trials) budget = *group.n_trials;
  // Hydra caps n_trials at the size of the group's GridSampler grid (sim/optimize_loop.cc).
  std::int64_t grid_size = spec.combinations();
  if (!group.grid.empty()) {
    grid_size = 1;
    for (const GridParam& param : group.grid) grid_size *= static_cast<std::int64_t>(param.values.size());
  }
  if (l.kind == LoopKind::kHydra) budget = std::min<std::int64_t>(budget.value_or(grid_size), grid_size);
  loop["n_trials"] = budget ? py::object(py::int_(*budget)) : py::object(py::none());
  const StopErrorHandling on_stop = l.kind == LoopKind::kHydra ? StopErrorHandling::kSwallow : l.on_stop_error;
  switch (on_stop) {
    case StopErrorHandling::kRaise: loop["on_stop"] = "raise"; break;
    case StopErrorHandling::kSwallow: loop["on_stop"] = "swallow"; break;
    case StopErrorHandling::kBreak: loop["on_stop"] = "break"; break;
  }
  loop["stop_error"] = std::string(py_error_info(PyError::kStopOutsideOptimize).message);
  loop["catch_all"] = l.catch_all;
  loop["suggests"] = objective_suggests(spec);
  // A scheduled [objective] fail raises the exception the model names (kObjectiveRaised), so that
  // optimize re-raising it is recognised by its message.
  constexpr std::string_view kRuntimeError = "RuntimeError: ";
  const std::string_view fail_message = py_error_info(PyError::kObjectiveRaised).message;
  if (fail_message.substr(0, kRuntimeError.size()) != kRuntimeError) {
    throw std::logic_error("real:optuna: the scheduled objective failure is not a RuntimeError");
  }
  loop["scheduled_fail_message"] = std::string(fail_message.substr(kRuntimeError.size()));
  return loop;
}

// What the workers of one worker group run (its stop rules and loop); GIL held.
struct PythonGroup {
  py::object n_trials;
  py::object max_trials;
  py::list max_trials_states;
  py::dict loop;  // loop_spec(): how each worker runs its trials
};

// Python objects of one run; created and destroyed with the GIL held.
struct PythonRun {
  py::object storage;
  py::list grid;                    // [(name, [values])] in file order
  std::vector<py::object> processes;  // bridge.make_process results
  std::vector<std::size_t> group_of;  // per process: its index in `groups`
  std::vector<PythonGroup> groups;    // worker_groups(spec): one for a [workers] scenario
  py::list enqueues_at_start;  // params of the by = "each-process" entries, in file order
};

class OptunaDriver final : public WorkerDriver {
 public:
  explicit OptunaDriver(const DriverSetup& setup) {
    const ScenarioSpec& spec = *setup.spec;
    if (const std::string what = unsupported(spec); !what.empty()) {
      throw std::runtime_error(fmt::format("real:optuna does not simulate {} yet", what));
    }
    for (int p = 0; p < spec.processes; ++p) {
      entropy_.push_back(RandomStream::derive(setup.run_seed, StreamPurpose::kEntropy,
                                              static_cast<std::uint64_t>(p), kRealEntropyTag));
    }
    py::module_& bridge = bridge_module();
    py::gil_scoped_acquire gil;
    py_ = std::make_unique<PythonRun>();
    try {
      build(bridge, spec, *setup.seed_policy);
    } catch (...) {
      py_.reset();  // with the GIL still held
      throw;
    }
  }

  ~OptunaDriver() override {
    py::gil_scoped_acquire gil;
    py_.reset();
  }

  // optimize(n_jobs > 1): the main thread that submits the jobs, beside the n_jobs pool threads.
  int extra_threads(const WorkerGroup& group) const override { return group.threads > 1 ? 1 : 0; }

  // Thread t < threads: optimize's loop (n_jobs = 1), or a pool thread of optimize(n_jobs =
  // threads); thread `threads` (threads > 1): the main thread, running the real optimize(n_jobs).
  void run_worker(RunShared& run, int process, int thread, WorkerId worker) override {
    py::object body;
    {
      py::gil_scoped_acquire gil;
      const std::size_t g = py_->group_of[static_cast<std::size_t>(process)];
      const PythonGroup& group = py_->groups[g];
      const int n_jobs = run.groups[g].threads;
      const py::object& proc = py_->processes[static_cast<std::size_t>(process)];
      const py::object partial = py::module_::import("functools").attr("partial");
      if (n_jobs > 1 && thread < n_jobs) {
        body = partial(bridge_module().attr("run_pool_thread"), proc);
      } else {
        const bool first = thread == 0 || n_jobs > 1;  // the thread that runs the process's enqueues
        body = partial(bridge_module().attr("run_worker"), proc, group.n_trials, group.max_trials,
                       group.max_trials_states, first ? py::object(py_->enqueues_at_start) : py::object(py::list()),
                       group.loop, n_jobs);
      }
    }
    WorkerLink link(run, process, thread, worker, std::move(body), &entropy_[static_cast<std::size_t>(process)]);
    link.run();
  }

  // Fibers of `process` before its enqueuer's: its group's threads and extra threads.
  int fibers_of_process(const RunShared& run, int process) const {
    const WorkerGroup& g = run.groups[static_cast<std::size_t>(run.processes[static_cast<std::size_t>(process)].group)];
    return g.threads + extra_threads(g);
  }

  // [[enqueue]] by = "process": a thread of the process (traced as the thread after its others) that calls
  // the process's study.enqueue_trial once, at the time the engine starts this fiber.
  void run_enqueuer(RunShared& run, std::size_t index, WorkerId worker) override {
    const EnqueueSpec& e = run.spec.enqueued[index];
    py::object body;
    {
      py::gil_scoped_acquire gil;
      body = py::module_::import("functools").attr("partial")(
          bridge_module().attr("enqueue_by_process"), py_->processes[static_cast<std::size_t>(e.process)],
          params_dict(run.spec, e.params));
    }
    WorkerLink link(run, e.process, fibers_of_process(run, e.process), worker, std::move(body),
                    &entropy_[static_cast<std::size_t>(e.process)]);
    link.run();
  }

 private:
  // [(name, [values])] of a GridSampler search space, in its order.
  static py::list grid_list(const std::vector<GridParam>& grid) {
    py::list out;
    for (const GridParam& param : grid) {
      py::list values;
      for (const GridValue& v : param.values) values.append(python_value(v));
      out.append(py::make_tuple(param.name, values));
    }
    return out;
  }

  // With the GIL held: the storage, the grid and one Study per process (each with its group's
  // GridSampler grid and seed), and each worker group's stop rules and loop.
  void build(py::module_& bridge, const ScenarioSpec& spec, const SeedPolicy& seed_policy) {
    const GridSpace grid = grid_space_of(spec);
    py::dict positions;
    for (int p = 0; p < grid.param_count(); ++p) positions[py::str(grid.params()[static_cast<std::size_t>(p)].name)] = p;
    py_->grid = grid_list(spec.grid);
    const FaultSpec& f = spec.faults;
    py_->storage = bridge.attr("make_storage")(
        positions, py_->grid,
        f.heartbeat() ? py::object(py::float_(static_cast<double>(f.heartbeat_interval_us) / 1e6)) : py::object(py::none()),
        f.retry_failed);
    // A resumed study's trials, then the trials enqueued before any process starts, in the numbers
    // the model's seed_study gives them: untimed, as the model's are.
    for (const InitialTrial& it : spec.initial_trials) {
      bridge.attr("add_initial_trial")(py_->storage, static_cast<int>(it.state), params_dict(spec, it.params),
                                       it.grid_id ? py::object(py::int_(*it.grid_id)) : py::object(py::none()),
                                       it.sampler_wrote);
    }
    for (const EnqueueSpec& e : spec.enqueued) {
      if (e.by == EnqueueSpec::By::kBefore) bridge.attr("enqueue_before")(py_->storage, params_dict(spec, e.params));
      if (e.by == EnqueueSpec::By::kEachProcess) py_->enqueues_at_start.append(params_dict(spec, e.params));
    }
    // Processes are numbered across the groups in group order (sim/simulation.cc), as are their
    // seeds: a group's `seed` replaces the compared seed policy's (the model's rule).
    const std::vector<WorkerGroup> groups = worker_groups(spec);
    int p = 0;
    for (std::size_t g = 0; g < groups.size(); ++g) {
      const WorkerGroup& group = groups[g];
      PythonGroup& out = py_->groups.emplace_back();
      out.loop = loop_spec(spec, group);
      out.n_trials = group.n_trials ? py::object(py::int_(*group.n_trials)) : py::object(py::none());
      out.max_trials = group.max_trials ? py::object(py::int_(*group.max_trials)) : py::object(py::none());
      for (TrialState s : kAllTrialStates) {
        if (group.max_trials_states.contains(s)) out.max_trials_states.append(static_cast<int>(s));
      }
      const py::list sampler_grid = group.grid.empty() ? py_->grid : grid_list(group.grid);
      for (int i = 0; i < group.processes; ++i, ++p) {
        SetupEntropy entropy(&entropy_[static_cast<std::size_t>(p)]);
        const std::optional<std::uint64_t> seed = group.seed ? group.seed->seed : seed_policy.seed_for_process(p);
        const std::uint64_t random_seed = entropy_[static_cast<std::size_t>(p)].next_u64();
        py_->processes.push_back(bridge.attr("make_process")(
            py_->storage, sampler_grid, seed ? py::object(py::int_(*seed)) : py::object(py::none()), random_seed));
        py_->group_of.push_back(g);
      }
    }
  }

  RunLock lock_;  // first: held for the driver's whole life
  std::vector<RandomStream> entropy_;  // per process; its threads draw in schedule order
  std::unique_ptr<PythonRun> py_;
};

const bool kRegistered = PolicyRegistry::add(PolicyInfo{
    "real:optuna", "the installed Optuna (any importable version; --python-path)",
    "runs the real optuna package's GridSampler and study.optimize per process, under the scheduler",
    nullptr,
    [](const DriverSetup& setup) -> std::unique_ptr<WorkerDriver> { return std::make_unique<OptunaDriver>(setup); },
    ClientProfile::kOptuna4, LibraryFeatures{}, unsupported});

}  // namespace

}  // namespace samplersim::real
