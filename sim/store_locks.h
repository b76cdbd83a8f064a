// StoreLocks: the storage-side locks and logs of one run's store presets, shared by every client.
//
// Plain state; sim/store_cost.h takes and releases them (only there, always within one worker's
// store call). What each lock is in the real storage:
//  - sqlite_writer: SQLite's database write lock (RESERVED at the first DML, held to the commit);
//  - lock_file: JournalFileSymlinkLock's `<journal>.lock` symlink;
//  - study_row: PostgreSQL's `SELECT ... FOR UPDATE` of the study row in create_new_trial, queued
//    by the server in arrival order;
//  - process_locks: InMemoryStorage's RLock / JournalStorage's thread lock, one per process;
//  - journal_records / replayed: the journal's length and how far each process has replayed it;
//  - warmed: the process has made its first ask (its storage client compiled its statements).
// Invariants (asserted by the users): a lock's holder is never among its waiters; a released lock
// has no holder.
#pragma once

#include <cstdint>
#include <deque>
#include <vector>

#include "sim/strategy.h"

namespace samplersim {

// A lock that blocked threads wait for in FIFO order (a futex: the releaser wakes the first waiter,
// which takes the lock if nobody took it first).
struct QueuedLock {
  WorkerId holder = -1;
  int depth = 0;  // re-entrant holds (RLock)
  std::deque<WorkerId> waiters;
};

struct StoreLocks {
  explicit StoreLocks(int processes)
      : process_locks(static_cast<std::size_t>(processes)), replayed(static_cast<std::size_t>(processes), 0),
        warmed(static_cast<std::size_t>(processes), 0) {}

  WorkerId sqlite_writer = -1;
  WorkerId lock_file = -1;
  QueuedLock study_row;
  std::vector<QueuedLock> process_locks;
  std::uint64_t journal_records = 0;
  std::vector<std::uint64_t> replayed;
  std::vector<std::uint8_t> warmed;
};

}  // namespace samplersim
