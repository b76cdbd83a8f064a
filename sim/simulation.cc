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
#include "sim/store_locks.h"
#include "sim/store_preset.h"
#include "sim/study_store.h"

namespace samplersim {

namespace {

RunOutcome simulate_unchecked(const RunRequest& req, const std::vector<int>& omitted_processes, Trace& trace) {
  const ScenarioSpec& spec = *req.spec;
  const GridSpace grid = grid_space_of(spec);
  StudyStore store(grid.param_count());
  RunOutcome out;
  std::vector<ProcessState> processes(static_cast<std::size_t>(spec.processes));
  for (int p = 0; p < spec.processes; ++p) {
    SamplerSetup setup;
    setup.grid = &grid;
    setup.seed = req.seed_policy.seed_for_process(p);
    setup.run_seed = req.run_seed;
    setup.process = p;
    setup.heartbeat_interval_us = spec.faults.heartbeat_interval_us;
    setup.grace_us = spec.faults.heartbeat() ? spec.faults.effective_grace_us() : 0;
    setup.values = &spec.grid;
    setup.store_kind = spec.store_kind;
    processes[static_cast<std::size_t>(p)].index = p;
    if (!req.policy->make_driver) processes[static_cast<std::size_t>(p)].sampler = req.policy->make(setup);
  }
  std::unique_ptr<WorkerDriver> driver;
  if (req.policy->make_driver) driver = req.policy->make_driver(DriverSetup{&spec, &req.seed_policy, req.run_seed});

  EngineLimits limits;
  limits.max_time_us = spec.limits.max_virtual_time_us;
  Engine engine(*req.strategy, trace, limits);
  std::optional<RunFaults> faults;
  if (spec.faults.present) faults = RunFaults::make(spec.faults, req.run_seed, spec.workers());
  // Store preset: the machine model and the storage's locks (absent otherwise: nothing changes).
  std::optional<Machine> machine;
  std::optional<StoreLocks> locks;
  std::optional<PresetRuntime> preset;
  if (spec.store_kind != StoreKind::kLegacy) {
    std::vector<int> process_of_worker(static_cast<std::size_t>(spec.workers()));
    for (int w = 0; w < spec.workers(); ++w) process_of_worker[static_cast<std::size_t>(w)] = w / spec.threads;
    machine.emplace(engine, spec.machine, spec.processes, process_of_worker, req.run_seed);
    locks.emplace(spec.processes);
    preset.emplace(PresetRuntime{*machine, *locks, *store_preset(spec.store_kind), req.policy->client_profile,
                                 machine->host_of_process(0), req.run_seed});
  }
  RunShared shared{spec, grid, engine, store, trace, out, processes, req.run_seed,
                   faults ? &*faults : nullptr, preset ? &*preset : nullptr};
  SIM_ASSERT(std::is_sorted(omitted_processes.begin(), omitted_processes.end()));
  for (int p = 0; p < spec.processes; ++p) {
    const bool omitted = std::binary_search(omitted_processes.begin(), omitted_processes.end(), p);
    RandomStream jitter = RandomStream::derive(req.run_seed, StreamPurpose::kStartJitter,
                                               static_cast<std::uint64_t>(p));
    VirtualTime start_us = p * spec.start_stagger_us + spec.start_jitter.sample(jitter);
    if (faults) start_us += late_join_delay_us(*faults, req.run_seed, p);
    for (int t = 0; t < spec.threads; ++t) {
      const WorkerId w = p * spec.threads + t;
      WorkerDriver* d = driver.get();
      std::function<void()> body = [&shared, d, p, t, w] {
        if (d != nullptr) {
          d->run_worker(shared, p, t, w);
        } else {
          run_optimize_worker(shared, p, t, w);
        }
      };
      if (omitted) body = [] {};
      const WorkerId spawned = engine.spawn(std::move(body), start_us);
      SIM_ASSERT(spawned == w);
      (void)spawned;
    }
  }
  engine.run();

  for (std::size_t w = 0; w < engine.worker_count(); ++w) {
    out.makespan_us = std::max(out.makespan_us, engine.worker_stop_us(static_cast<WorkerId>(w)));
  }
  out.choice_points = engine.schedule().size();
  out.schedule = engine.schedule();
  compute_outcome(store, grid.size(), out);
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
  } catch (const std::exception& e) {
    throw RunFailure(fmt::format("run failed (scenario {}, policy {}, seed policy {}, run seed {}, "
                                 "strategy {}): {}",
                                 req.spec->name, req.policy->name, req.seed_policy.to_string(),
                                 req.run_seed, req.strategy->name(), e.what()));
  }
}

}  // namespace samplersim
