// StoreCost: one worker's client-side costs under a store preset (sim/store_preset.h), executed
// on the Machine (sim/machine.h) and the run's shared StoreLocks.
//
// A store call is split at its linearization instant (where StudyStore applies it):
//   before(op): CPU before the lock; the lock (SQLite: the write lock through the busy handler;
//               journal: the process lock, replay of unread lines, the lock file with its doubling
//               sleep; PostgreSQL: the study row for create_trial, round trips and server work;
//               InMemory: the process RLock); CPU while holding it; a commit's fsync.
//   after(op):  the lock's release, the journal's replay of its own line, the CPU after.
// Reads linearize after their CPU before the lock share (the SELECT or the replay). SQLite's
// read-then-write calls (OpCost::gap_permille) then compute their gap share with no lock held, and
// only then take the write lock: before(op) = pre CPU, read, gap CPU, write lock, hold CPU.
//
// The CPU that grows with the study (calibration/README.md, "Client CPU per trial vs study
// size", data in calibration/data/scaling/): the grid sampler walks every trial of the study and
// compares its stored search space with its own, value by value — per walk and per trial already
// in the study 2 µs + 1.36 µs × V, V = the grid's total number of values (fitted on 2^10, 10^3,
// 25x40 and 1000-value grids, Optuna 3.1.0–4.9.0, all storages). The samplers declare their walks
// (two per trial in 3.0–3.3, one in 3.4+ while the trial number is below the grid size).
// Optuna 3.1's _CachedStorage over RDB (SQLite, PostgreSQL; ClientProfile::kOptuna31) holds its
// process-wide `threading.Lock` for the whole of set_trial_param of a trial it owns, backend call
// included (optuna 3.1.0 optuna/storages/_cached_storage.py): the set_param calls of threads of one
// process are serialised on the process lock, so the first write of a name in the process (its
// INSERT) applies before a sibling's later write (sim/optimize_loop.cc suggest). Uncontended (one
// thread per process) the lock costs nothing. Not modelled: the same lock also covers 3.1's
// set_trial_state_values of an owned trial and read_trials_from_remote_storage (the model lets
// threads of one process overlap there).
// Draws come from the worker's own stream (run seed, kStoreCost, worker). Not thread-safe.
#pragma once

#include <cstdint>
#include <functional>

#include "sim/machine.h"
#include "sim/random_stream.h"
#include "sim/store_locks.h"
#include "sim/store_preset.h"

namespace samplersim {

inline constexpr std::int64_t kWalkPerTrialNs = 2000;         // per trial walked
inline constexpr std::int64_t kWalkPerTrialValueNs = 1360;    // per trial walked and grid value

class StoreCost {
 public:
  StoreCost(Machine& machine, StoreLocks& locks, const StorePreset& preset, ClientProfile profile, WorkerId worker,
            int process, int server_host, RandomStream stream);

  // `at_read`, if given, runs at the instant the call reads (after its CPU before the lock): the
  // SELECT of a read-then-write call that SQLite does not make atomic.
  void before(StoreOp op, const std::function<void()>& at_read = {});
  void after(StoreOp op);
  // Client work outside store calls; the process's first kAsk also costs the preset's first_ask.
  void step(ClientStep step);
  // One walk of the grid sampler over `trials` trials of a grid with `grid_values` values.
  void walk(std::int64_t trials, std::int64_t grid_values);
  // A wait that runs no Python (objective sleep, polling): the GIL is released.
  void sleep_for(VirtualTime duration_us) { machine_.block_for(worker_, duration_us); }
  void thread_exit() { machine_.exit_thread(worker_); }

  // SQLite: claiming a WAITING trial is a read of its state and a later write (not atomic).
  bool atomic_claims() const { return preset_.kind != StoreKind::kSqlite; }
  const StorePreset& preset() const { return preset_; }
  Machine& machine() { return machine_; }
  WorkerId worker() const { return worker_; }

 private:
  void lock_process();
  void lock_cache(StoreOp op);
  void unlock_process();
  void lock_queued(QueuedLock& lock);
  void unlock_queued(QueuedLock& lock);
  void take_sqlite_writer();
  void take_lock_file();
  void replay();
  void round_trips(int count, std::int64_t server_ns);

  Machine& machine_;
  StoreLocks& locks_;
  const StorePreset& preset_;
  ClientProfile profile_;
  WorkerId worker_;
  int process_;
  int server_host_;
  RandomStream stream_;
  // The call in progress (between before and after).
  std::int64_t post_ns_ = 0;
  bool holds_writer_ = false;
  bool holds_lock_file_ = false;
  bool holds_study_row_ = false;
  bool holds_process_lock_ = false;
  bool cache_lock_ = false;  // 3.1's _CachedStorage lock around set_trial_param (see the header)
};

}  // namespace samplersim
