// SourceDpor: stateless source-DPOR with sleep sets (Abdulla, Aronis, Jonsson, Sagonas, "Optimal
// dynamic partial order reduction", POPL 2014, Algorithm 1) over the engine's choice points.
//
// Model. An event is one worker step (sim/step_observer.h): worker, virtual instant, footprint
// (the shared objects it read and wrote). Two events are DEPENDENT when they belong to the same
// worker or to two threads of one process (they share the process's sampler), or when they touch
// the same object and at least one writes (see `conflict`). Happens-before is the transitive
// closure of program order, dependency, and virtual time: timings come from per-worker streams and
// a worker's next wake-up is fixed by its own history, so an event can never move to another
// instant; only events of one instant can be reordered, and only at a choice point.
// Each run follows a prefix of worker choices, then the lowest runnable worker that is not asleep.
// After the run, every race (two dependent events of different workers at one instant with no
// event happens-between them) adds one initial of notdep(e, E).e' to the backtrack set of the
// choice point before e; the next run revisits the deepest choice point with a backtrack worker
// that is neither explored nor asleep. Sleep sets: a worker explored at a choice point (or asleep
// there) sleeps in the branches after it until a step dependent with its next step runs.
//
// Guarantees (the paper's Theorem): every Mazurkiewicz class of complete runs (runs equal up to
// swapping adjacent independent events) is explored, and no two complete explored runs are
// equivalent; a run that reaches a point where every runnable worker is asleep is "sleep-set
// blocked": it is finished with default picks (the engine cannot stop a run midway) and counted
// apart. classes() = runs that were not blocked. Cost per run: one simulation plus O(m² · W) race
// analysis per instant of m steps and W workers.
// Not thread-safe; one instance explores one (scenario, policy, run seed).
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "sim/step_observer.h"
#include "sim/strategy.h"
#include "sim/trace.h"

namespace samplersim {

// True if the two accesses touch overlapping objects and at least one writes. Overlaps: the same
// object and id; every heartbeat row (kEveryRow) with any one; the whole store with any store
// object; the trial table with any trial row.
bool conflict(const SharedAccess& a, const SharedAccess& b);

class SourceDpor {
 public:
  // Workers w and v belong to the same process iff w / threads_per_process == v / threads_per_process.
  explicit SourceDpor(int threads_per_process);
  SourceDpor(const SourceDpor&) = delete;
  SourceDpor& operator=(const SourceDpor&) = delete;
  ~SourceDpor();

  // For the next run: its strategy, and the observer to attach to its Trace (set_observer).
  Strategy& strategy();
  StepObserver& observer();
  // After that run returned: analyses its races and plans the next run. False when every class
  // has been explored (the previous run was the last).
  bool finish_run();

  std::uint64_t runs() const { return runs_; }
  std::uint64_t blocked_runs() const { return blocked_runs_; }
  std::uint64_t classes() const { return runs_ - blocked_runs_; }
  bool last_run_blocked() const { return last_blocked_; }

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
  std::uint64_t runs_ = 0;
  std::uint64_t blocked_runs_ = 0;
  bool last_blocked_ = false;
};

// The class fingerprint of a run: a hash of each worker's own sequence of trace events (every
// event but the engine's picks), combined in worker order. Runs that differ only by swapping
// independent steps have the same fingerprint (each worker sees the same values at the same
// instants), so the set of fingerprints of a schedule space is what a sound reduction must keep.
// Forwards every hook to `next` (may be null) so it can sit in front of a SourceDpor observer.
class ClassFingerprint final : public StepObserver {
 public:
  explicit ClassFingerprint(StepObserver* next) : next_(next) {}
  void on_step(WorkerId worker, VirtualTime now_us) override;
  void on_access(const SharedAccess& access) override;
  void on_event(const TraceEvent& event) override;
  std::uint64_t value() const;

 private:
  StepObserver* next_;
  std::vector<std::uint64_t> per_worker_;
};

}  // namespace samplersim
