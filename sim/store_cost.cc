#include "sim/store_cost.h"

#include <algorithm>

#include "sim/invariant.h"

namespace samplersim {

namespace {
constexpr int kMaxLockAttempts = 1'000'000;
constexpr VirtualTime kBusyStepAfterTimeoutUs = 100 * kMicrosPerMilli;
}  // namespace

StoreCost::StoreCost(Machine& machine, StoreLocks& locks, const StorePreset& preset, ClientProfile profile,
                     WorkerId worker, int process, int server_host, RandomStream stream)
    : machine_(machine), locks_(locks), preset_(preset), profile_(profile), worker_(worker), process_(process),
      server_host_(server_host), stream_(stream),
      cache_lock_((preset.kind == StoreKind::kSqlite || preset.kind == StoreKind::kPostgresql) &&
                  profile == ClientProfile::kOptuna31) {}

// ---- locks ----

void StoreCost::lock_queued(QueuedLock& lock) {
  if (lock.holder == worker_) {
    ++lock.depth;
    return;
  }
  for (int attempt = 0; attempt < kMaxLockAttempts; ++attempt) {
    if (lock.holder == -1) {
      lock.holder = worker_;
      lock.depth = 1;
      std::erase(lock.waiters, worker_);
      return;
    }
    if (std::find(lock.waiters.begin(), lock.waiters.end(), worker_) == lock.waiters.end()) {
      lock.waiters.push_back(worker_);
    }
    machine_.block(worker_);  // the release wakes the first waiter; it retries
  }
  SIM_ASSERT(false && "a lock wait exceeded its bound");
}

void StoreCost::unlock_queued(QueuedLock& lock) {
  SIM_ASSERT(lock.holder == worker_ && lock.depth > 0);
  if (--lock.depth > 0) return;
  lock.holder = -1;
  for (WorkerId w : lock.waiters) {
    if (machine_.wake(w)) break;  // one waiter per release, as a futex wakes one
  }
}

void StoreCost::lock_process() {
  if (preset_.kind != StoreKind::kInMemory && preset_.kind != StoreKind::kJournalFile) return;
  lock_queued(locks_.process_locks[static_cast<std::size_t>(process_)]);
  holds_process_lock_ = true;
}

void StoreCost::lock_cache(StoreOp op) {
  if (!cache_lock_) return;
  if (op != StoreOp::kSetTrialParam) return;
  lock_queued(locks_.process_locks[static_cast<std::size_t>(process_)]);
  holds_process_lock_ = true;
}

void StoreCost::unlock_process() {
  if (!holds_process_lock_) return;
  holds_process_lock_ = false;
  unlock_queued(locks_.process_locks[static_cast<std::size_t>(process_)]);
}

void StoreCost::take_sqlite_writer() {
  VirtualTime waited_us = 0;
  for (int attempt = 0; attempt < kMaxLockAttempts; ++attempt) {
    if (locks_.sqlite_writer == -1) {
      locks_.sqlite_writer = worker_;
      holds_writer_ = true;
      return;
    }
    VirtualTime delay_us = sqlite_busy_delay_us(attempt, waited_us, preset_.busy_timeout_us);
    if (delay_us <= 0) delay_us = kBusyStepAfterTimeoutUs;  // the timeout's error is not modelled
    machine_.block_for(worker_, delay_us);
    waited_us += delay_us;
  }
  SIM_ASSERT(false && "a SQLite busy wait exceeded its bound");
}

void StoreCost::take_lock_file() {
  VirtualTime sleep_us = preset_.lock_retry_first_us;
  for (int attempt = 0; attempt < kMaxLockAttempts; ++attempt) {
    if (locks_.lock_file == -1) {
      locks_.lock_file = worker_;
      holds_lock_file_ = true;
      return;
    }
    machine_.block_for(worker_, sleep_us);
    sleep_us = std::min(sleep_us * 2, preset_.lock_retry_max_us);
  }
  SIM_ASSERT(false && "a journal lock-file wait exceeded its bound");
}

void StoreCost::replay() {
  std::uint64_t& read = locks_.replayed[static_cast<std::size_t>(process_)];
  SIM_ASSERT(read <= locks_.journal_records);
  const auto lines = static_cast<std::int64_t>(locks_.journal_records - read);
  read = locks_.journal_records;
  machine_.cpu(worker_, lines * preset_.replay_line_ns);
}

void StoreCost::round_trips(int count, std::int64_t server_ns) {
  for (int i = 0; i < count; ++i) {
    const VirtualTime half_us = preset_.round_trip_us / 2;
    machine_.block_for(worker_, half_us);
    machine_.off_host_cpu(worker_, server_host_, server_ns / count);
    machine_.block_for(worker_, preset_.round_trip_us - half_us);
  }
}

// ---- calls ----

void StoreCost::before(StoreOp op, const std::function<void()>& at_read) {
  const OpCost& c = preset_.op(profile_, op);
  const std::int64_t cpu_ns = c.cpu.sample(stream_);
  const std::int64_t hold_ns = cpu_ns * c.hold_permille / 1000;
  const std::int64_t pre_ns = cpu_ns * c.pre_permille / 1000;
  const std::int64_t gap_ns = cpu_ns * c.gap_permille / 1000;
  SIM_ASSERT(c.pre_permille + c.gap_permille + c.hold_permille <= 1000);
  SIM_ASSERT(c.gap_permille == 0 || preset_.kind == StoreKind::kSqlite);  // only SQLite runs it
  post_ns_ = cpu_ns - pre_ns - gap_ns - hold_ns;
  SIM_ASSERT(post_ns_ >= 0);
  switch (preset_.kind) {
    case StoreKind::kSqlite:
      lock_cache(op);
      machine_.cpu(worker_, pre_ns);
      if (at_read) at_read();
      if (gap_ns > 0) machine_.cpu(worker_, gap_ns);
      if (is_write(op)) take_sqlite_writer();
      machine_.cpu(worker_, hold_ns);
      if (is_write(op) && preset_.commit_fsync_us > 0) machine_.block_for(worker_, preset_.commit_fsync_us);
      break;
    case StoreKind::kJournalFile:
      lock_process();
      replay();
      machine_.cpu(worker_, pre_ns);
      if (at_read) at_read();
      if (is_write(op)) take_lock_file();
      machine_.cpu(worker_, hold_ns);
      if (is_write(op) && preset_.append_fsync_us > 0) machine_.block_for(worker_, preset_.append_fsync_us);
      break;
    case StoreKind::kPostgresql:
      lock_cache(op);
      machine_.cpu(worker_, pre_ns);
      if (at_read) at_read();
      if (op == StoreOp::kCreateTrial) {
        lock_queued(locks_.study_row);
        holds_study_row_ = true;
      }
      round_trips(c.round_trips, c.server_ns);
      machine_.cpu(worker_, hold_ns);
      break;
    case StoreKind::kInMemory:
      lock_process();
      machine_.cpu(worker_, pre_ns);
      if (at_read) at_read();
      machine_.cpu(worker_, hold_ns);
      break;
    case StoreKind::kLegacy:
      SIM_ASSERT(false && "no preset");
  }
}

void StoreCost::after(StoreOp op) {
  switch (preset_.kind) {
    case StoreKind::kSqlite:
      if (holds_writer_) {
        SIM_ASSERT(locks_.sqlite_writer == worker_);
        locks_.sqlite_writer = -1;
        holds_writer_ = false;
      }
      machine_.cpu(worker_, post_ns_);
      unlock_process();
      break;
    case StoreKind::kJournalFile:
      if (is_write(op)) {
        ++locks_.journal_records;  // the appended line (the call took effect at this instant)
        if (holds_lock_file_) {
          SIM_ASSERT(locks_.lock_file == worker_);
          locks_.lock_file = -1;
          holds_lock_file_ = false;
        }
        replay();
      }
      machine_.cpu(worker_, post_ns_);
      unlock_process();
      break;
    case StoreKind::kPostgresql:
      if (holds_study_row_) {
        holds_study_row_ = false;
        unlock_queued(locks_.study_row);
      }
      machine_.cpu(worker_, post_ns_);
      unlock_process();
      break;
    case StoreKind::kInMemory:
      machine_.cpu(worker_, post_ns_);
      unlock_process();
      break;
    case StoreKind::kLegacy:
      SIM_ASSERT(false && "no preset");
  }
  post_ns_ = 0;
}

void StoreCost::step(ClientStep s) {
  const std::int64_t ns = preset_.step_ns(profile_, s);
  std::uint8_t& warmed = locks_.warmed[static_cast<std::size_t>(process_)];
  if (s == ClientStep::kAsk && warmed == 0) {
    warmed = 1;
    const ProfileCosts& c = preset_.profiles[static_cast<std::size_t>(profile_)];
    machine_.cpu(worker_, c.first_ask_ns);
    if (c.first_ask_wait_us > 0) machine_.block_for(worker_, c.first_ask_wait_us);
  }
  if (s == ClientStep::kReseedNative || s == ClientStep::kDrawNative) {
    machine_.native(worker_, ns);
  } else {
    machine_.cpu(worker_, ns);
  }
}

void StoreCost::walk(std::int64_t trials, std::int64_t grid_values) {
  if (trials <= 0) return;
  machine_.cpu(worker_, trials * (kWalkPerTrialNs + kWalkPerTrialValueNs * grid_values));
}


}  // namespace samplersim
