#include "sim/simulation.h"
#include "sim/invariant.h"

#include <algorithm>
#include <cassert>
#include <functional>
#include <optional>

#include <fmt/format.h>

#include "sim/engine.h"
#include "sim/machine.h"
#include "sim/optimize_loop.h"
#include "sim/sampler_share.h"
#include "sim/store_locks.h"
#include "sim/store_preset.h"
#include "sim/study_store.h"

namespace samplersim {

namespace {

// study.enqueue_trial's system attribute (optuna/study/study.py), not a sampler's.
constexpr const char* kFixedParamsKey = "fixed_params";

SamplerSetup sampler_setup(const RunRequest& req, const GridSpace& grid, const ObjectivePlan& plan, int process,
                           std::optional<std::uint64_t> seed, const std::vector<GridParam>* sampler_grid,
                           SamplerShare& share) {
  const ScenarioSpec& spec = *req.spec;
  SamplerSetup setup;
  setup.grid = &grid;
  setup.seed = seed;
  setup.run_seed = req.run_seed;
  setup.process = process;
  setup.heartbeat_interval_us = spec.faults.heartbeat_interval_us;
  setup.grace_us = spec.faults.heartbeat() ? spec.faults.effective_grace_us() : 0;
  setup.values = &spec.grid;
  setup.sampler_grid = sampler_grid;
  setup.suggest_order = &plan.params;
  setup.store_kind = spec.store_kind;
  setup.share = &share;
  return setup;
}

// A resumed study's trials (spec.initial_trials), then the trials enqueued before the run, put in
// the store as they are at time 0 (no store operations). Their grid attributes are what an earlier
// process running the compared policy wrote (its own sampler instance, process index -1). Initial
// trials whose objective got a full point of the metrics space are evaluations (of no duration).
void seed_study(const RunRequest& req, const GridSpace& grid, const ObjectivePlan& plan, StudyStore& store,
                SamplerShare& share, RunOutcome& out) {
  const ScenarioSpec& spec = *req.spec;
  std::unique_ptr<Sampler> earlier;
  for (const InitialTrial& it : spec.initial_trials) {
    TrialRecord t;
    t.state = it.state;
    t.worker = -1;
    const std::vector<int> params = sorted_params(grid, it.params);
    if (it.state == TrialState::kWaiting) {
      t.params.assign(params.size(), -1);
      t.fixed_params = params;
      t.system_attrs.emplace_back(kFixedParamsKey, 1);
    } else {
      t.params.assign(params.begin(), params.end());
    }
    if (is_finished(it.state)) t.finished_us = 0;
    const bool full = std::all_of(params.begin(), params.end(), [](int v) { return v >= 0; });
    std::int64_t label = -1;
    // A driver policy (real:optuna) writes its own initial trials' attributes into its storage.
    if (it.sampler_wrote && req.policy->make) {
      if (!earlier) {
        try {
          earlier = req.policy->make(sampler_setup(req, grid, plan, -1, req.seed_policy.seed_for_process(0), nullptr, share));
        } catch (const SamplerConstructionError&) {
          // The earlier process could not have written grid attributes either.
        }
      }
      if (earlier) {
        std::vector<std::pair<std::string, std::int64_t>> attrs;
        label = earlier->earlier_trial_attrs(full ? grid.combination_of(params) : -1, it.grid_id, attrs);
        t.system_attrs.insert(t.system_attrs.end(), attrs.begin(), attrs.end());
      }
    }
    const int number = store.add_trial(t);
    // A RUNNING trial was left by a process that died before the run. With heartbeats on (the
    // scenario's [faults] describe the study it resumes), its heartbeat row holds that process's
    // last beat, stamped at time 0: fail_stale_trials fails it once a checker's clock is more than
    // the grace period past that stamp, by the ordinary rule. Without heartbeats it has no row and,
    // as in Optuna, is never failed as stale.
    if (it.state == TrialState::kRunning && spec.faults.heartbeat()) store.record_heartbeat(number, 0);
    bool evaluated = it.state != TrialState::kWaiting;
    std::vector<int> point(plan.grid_param_of.size());
    for (std::size_t q = 0; q < point.size(); ++q) {
      point[q] = params[static_cast<std::size_t>(plan.grid_param_of[q])];
      evaluated = evaluated && point[q] >= 0;
    }
    if (evaluated) {
      Evaluation e;
      e.trial = number;
      e.combination = plan.space.combination_of(point);
      e.grid_id = label;
      e.start_us = 0;
      e.end_us = 0;
      e.state = it.state;
      out.evaluation_log.push_back(e);
    }
  }
  out.initial_trials = static_cast<std::int64_t>(spec.initial_trials.size());
  for (const EnqueueSpec& e : spec.enqueued) {
    if (e.by != EnqueueSpec::By::kBefore) continue;
    TrialRecord t;
    t.state = TrialState::kWaiting;
    t.worker = -1;
    t.params.assign(static_cast<std::size_t>(grid.param_count()), -1);
    t.fixed_params = sorted_params(grid, e.params);
    t.system_attrs.emplace_back(kFixedParamsKey, 1);
    store.add_trial(t);
  }
}

// Engine fibers per process of `group`: its threads, plus what a driver adds (WorkerDriver::
// extra_threads).
int fibers_per_process(const WorkerGroup& group, const WorkerDriver* driver) {
  return group.threads + (driver != nullptr ? driver->extra_threads(group) : 0);
}

// The process of every engine worker the run spawns, in spawn order: each group's fibers (process
// by process), then the by-process enqueuers (a thread of the process that enqueues).
std::vector<int> process_of_workers(const ScenarioSpec& spec, const std::vector<WorkerGroup>& groups,
                                    const WorkerDriver* driver) {
  std::vector<int> process_of;
  int p = 0;
  for (const WorkerGroup& group : groups) {
    const auto fibers = static_cast<std::size_t>(fibers_per_process(group, driver));
    for (int i = 0; i < group.processes; ++i, ++p) process_of.insert(process_of.end(), fibers, p);
  }
  for (const EnqueueSpec& e : spec.enqueued) {
    if (e.by == EnqueueSpec::By::kProcess) process_of.push_back(e.process);
  }
  return process_of;
}

std::int64_t grid_size_of(const std::vector<GridParam>& grid) {
  std::int64_t n = 1;
  for (const GridParam& p : grid) n *= static_cast<std::int64_t>(p.values.size());
  return n;
}

RunOutcome simulate_unchecked(const RunRequest& req, const std::vector<int>& omitted_processes, Trace& trace) {
  const ScenarioSpec& spec = *req.spec;
  const GridSpace grid = grid_space_of(spec);
  const ObjectivePlan plan = objective_plan(spec, grid);
  const std::vector<WorkerGroup> groups = worker_groups(spec);
  StudyStore store(grid.param_count());
  RunOutcome out;
  {
    // Most runs end near one trial per combination (+ one per worker, + the initial trials): room
    // for that and a quarter more (repeats; a growth just past the room would hold the old and the
    // new buffer at once: peak memory x 2), within the run's trial limit. Untouched room costs
    // virtual memory only. A hint: nothing observable depends on it.
    const std::int64_t usual = grid.size() + spec.workers() + static_cast<std::int64_t>(spec.initial_trials.size());
    const std::int64_t expected = std::min<std::int64_t>(usual + usual / 4 + 64, spec.limits.max_trials_per_run);
    store.reserve_trials(expected);
    out.evaluation_log.reserve(static_cast<std::size_t>(expected));
  }
  SamplerShare share;  // before the samplers, which may keep entries of it past it (shared_ptr)
  seed_study(req, grid, plan, store, share, out);

  std::vector<ProcessState> processes;
  std::vector<std::int64_t> group_grid_sizes;
  for (std::size_t g = 0; g < groups.size(); ++g) {
    const WorkerGroup& group = groups[g];
    group_grid_sizes.push_back(group.grid.empty() ? grid.size() : grid_size_of(group.grid));
    for (int i = 0; i < group.processes; ++i) {
      const int p = static_cast<int>(processes.size());
      ProcessState& proc = processes.emplace_back();
      proc.index = p;
      proc.group = static_cast<int>(g);
      const std::optional<std::uint64_t> seed = group.seed ? group.seed->seed : req.seed_policy.seed_for_process(p);
      try {
        if (!req.policy->make_driver) {
          SamplerSetup setup = sampler_setup(req, grid, plan, p, seed, group.grid.empty() ? nullptr : &group.grid, share);
          setup.threads = group.threads;
          proc.sampler = req.policy->make(setup);
        }
      } catch (const SamplerConstructionError& e) {
        proc.error = e.error();  // the script raised while building its sampler: no trial runs
        ++out.process_errors[static_cast<std::size_t>(e.error())];
      }
    }
  }
  std::unique_ptr<WorkerDriver> driver;
  if (req.policy->make_driver) driver = req.policy->make_driver(DriverSetup{&spec, &req.seed_policy, req.run_seed});

  EngineLimits limits;
  limits.max_time_us = spec.limits.max_virtual_time_us;
  Engine engine(*req.strategy, trace, limits);
  std::optional<RunFaults> faults;
  SIM_ASSERT((spec.faults.present || spec.faults.fault_free()) && "a fault set without faults.present would be ignored");
  if (spec.faults.present) faults = RunFaults::make(spec.faults, req.run_seed, spec.workers());
  // Store preset: the machine model and the storage's locks (absent otherwise: nothing changes).
  std::optional<Machine> machine;
  std::optional<StoreLocks> locks;
  std::optional<PresetRuntime> preset;
  if (spec.store_kind != StoreKind::kLegacy) {
    machine.emplace(engine, spec.machine, spec.processes, process_of_workers(spec, groups, driver.get()), req.run_seed);
    locks.emplace(spec.processes);
    preset.emplace(PresetRuntime{*machine, *locks, *store_preset(spec.store_kind), req.policy->client_profile,
                                 machine->host_of_process(0), req.run_seed});
  }
  RunShared shared{spec, grid, plan, groups, engine, store, trace, out, processes, req.run_seed,
                   faults ? &*faults : nullptr, req.policy->features, group_grid_sizes, preset ? &*preset : nullptr};
  SIM_ASSERT(std::is_sorted(omitted_processes.begin(), omitted_processes.end()));
  const auto is_omitted = [&omitted_processes](int process) {
    return std::binary_search(omitted_processes.begin(), omitted_processes.end(), process);
  };
  std::vector<VirtualTime> process_start_us;
  WorkerId next_worker = 0;
  int p = 0;
  for (const WorkerGroup& group : groups) {
    for (int i = 0; i < group.processes; ++i, ++p) {
      RandomStream jitter = RandomStream::derive(req.run_seed, StreamPurpose::kStartJitter, static_cast<std::uint64_t>(p));
      VirtualTime start_us = group.start_us + i * group.start_stagger_us + group.start_jitter.sample(jitter);
      if (faults) start_us += late_join_delay_us(*faults, req.run_seed, p);
      process_start_us.push_back(start_us);
      const bool omitted = is_omitted(p);
      for (int t = 0, fibers = fibers_per_process(group, driver.get()); t < fibers; ++t) {
        const WorkerId w = next_worker++;
        WorkerDriver* d = driver.get();
        std::function<void()> body = [&shared, d, p, t, w] {
          if (d != nullptr) {
            d->run_worker(shared, p, t, w);
          } else {
            run_optimize_worker(shared, p, t, w);
          }
        };
        if (omitted) body = [] {};  // a left-out process: its workers keep their ids and starts
        const WorkerId spawned = engine.spawn(std::move(body), start_us);
        SIM_ASSERT(spawned == w);
        (void)spawned;
      }
    }
  }
  SIM_ASSERT(p == spec.processes);  // omitted_processes index the processes of every group in order
  for (std::size_t e = 0; e < spec.enqueued.size(); ++e) {
    const EnqueueSpec& enqueue = spec.enqueued[e];
    if (enqueue.by != EnqueueSpec::By::kProcess) continue;
    const VirtualTime start_us = process_start_us[static_cast<std::size_t>(enqueue.process)] + enqueue.at_us;
    const WorkerId w = next_worker++;
    WorkerDriver* d = driver.get();
    std::function<void()> body = [&shared, d, e, w] {
      if (d != nullptr) {
        d->run_enqueuer(shared, e, w);
      } else {
        run_enqueuer(shared, e, w);
      }
    };
    if (is_omitted(enqueue.process)) body = [] {};  // the enqueuing process is left out
    engine.spawn(std::move(body), start_us);
  }
  engine.run();

  for (std::size_t w = 0; w < engine.worker_count(); ++w) {
    out.makespan_us = std::max(out.makespan_us, engine.worker_stop_us(static_cast<WorkerId>(w)));
  }
  out.choice_points = engine.schedule().size();
  out.schedule = engine.schedule();
  compute_outcome(store, plan.space.size(), out);
  out.trace_hash = trace.hash();
  out.trace_events = trace.size();
  return out;
}

}  // namespace

RunOutcome simulate(const RunRequest& req, Trace* trace) { return simulate_without(req, {}, trace); }

RunOutcome simulate_without(const RunRequest& req, const std::vector<int>& omitted_processes, Trace* trace) {
  SIM_ASSERT(req.spec && req.policy && req.strategy);
  SIM_ASSERT(omitted_processes.empty() ||
             (!req.policy->make_driver && omitted_processes.front() >= 0 && omitted_processes.back() < req.spec->processes &&
              static_cast<int>(omitted_processes.size()) < req.spec->processes));
  Trace local(false);
  Trace& t = trace ? *trace : local;
  try {
    return simulate_unchecked(req, omitted_processes, t);
  } catch (const ReplayDivergence&) {
    throw;  // a finding about the recorded schedule, not a failed run
  } catch (const SimulationLimitExceeded& e) {
    throw RunLimitReached(fmt::format("run failed (scenario {}, policy {}, seed policy {}, run seed {}, "
                                      "strategy {}): {}",
                                      req.spec->name, req.policy->name, req.seed_policy.to_string(),
                                      req.run_seed, req.strategy->name(), e.what()));
  } catch (const std::exception& e) {
    throw RunFailure(fmt::format("run failed (scenario {}, policy {}, seed policy {}, run seed {}, "
                                 "strategy {}): {}",
                                 req.spec->name, req.policy->name, req.seed_policy.to_string(),
                                 req.run_seed, req.strategy->name(), e.what()));
  }
}

}  // namespace samplersim
