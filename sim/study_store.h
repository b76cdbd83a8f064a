// StudyStore: the model of one study in Optuna's storage, as plain data.
//
// Every mutation here is applied atomically by the caller at one virtual instant (the StoreClient
// makes that instant a yield point between request and response latency); the store itself never
// yields, never sleeps and knows no sampler. It offers what the real optimize loop and samplers
// use: trials with dense creation-ordered numbers, states, system attributes and params, plus
// study-level system attributes and the atomic primitives the coordination fixes need.
//
// Invariants (asserted): trial numbers are 0..n-1 in creation order; a finished trial never
// changes state again; an index returns exactly what a scan of the trials would.
// Cost: O(1) per mutation plus O(1) per index touched; an AttrIndex is built by one scan on first
// use and then maintained incrementally, so reads never rescan the trials.
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <boost/container/small_vector.hpp>

#include "sim/id_bitset.h"
#include "sim/fault_draws.h"
#include "sim/strategy.h"
#include "sim/trial_state.h"
#include "sim/virtual_time.h"

namespace samplersim {

// A wake-up time that never comes (a wait with no deadline): far beyond any run's time limit, and
// far enough from the type's end that adding a grace period cannot overflow.
inline constexpr VirtualTime kNeverUs = std::numeric_limits<VirtualTime>::max() / 4;

// A system attribute's value replaced by a later write (kept so that a TrialView taken before the
// write still sees the old value).
struct AttrOverwrite {
  std::uint32_t slot = 0;     // index in TrialRecord::system_attrs
  std::uint32_t at = 0;       // system-attribute writes to the trial before this one
  std::int64_t previous = 0;  // the value it replaced
};

struct TrialRecord {
  int number = -1;
  TrialState state = TrialState::kRunning;
  WorkerId worker = -1;          // worker that created or popped it; -1 if enqueued
  VirtualTime created_us = 0;
  VirtualTime finished_us = -1;  // -1 while not finished
  // Inline room for the usual few attributes and params (Boost.Container small_vector, a
  // std::vector with in-object storage first): creating, writing and copying a record allocate
  // nothing unless a trial has more than 3 system attributes or the grid more than 4 parameters.
  boost::container::small_vector<std::pair<std::string, std::int64_t>, 3> system_attrs;  // in first-write order
  boost::container::small_vector<int, 4> params;  // value index per grid parameter (sorted names); -1 = unset
  // History for TrialView: system-attribute writes so far (first writes and overwrites), and the
  // values overwrites replaced, in write order (rare: usually empty, so it costs no allocation).
  std::uint32_t attr_writes = 0;
  std::vector<AttrOverwrite> attr_overwrites;
  // enqueue_trial's `fixed_params` system attr: value index per grid parameter (sorted names), -1 =
  // not fixed; empty: the trial has no fixed_params (issue 11).
  std::vector<int> fixed_params;

  // Moves never throw (small_vector's move only steals or moves noexcept elements, yet Boost 1.74
  // does not declare it noexcept): so std::vector<TrialRecord> moves records when it grows instead
  // of copying every record and its attribute strings (issue 15: the copies were 8% of a 10^6-point run).
  TrialRecord() = default;
  TrialRecord(const TrialRecord&) = default;
  TrialRecord(TrialRecord&&) noexcept = default;
  TrialRecord& operator=(const TrialRecord&) = default;
  TrialRecord& operator=(TrialRecord&&) noexcept = default;
  ~TrialRecord() = default;

  std::optional<std::int64_t> system_attr(std::string_view key) const;
  // The value `key` had after the first `writes` system-attribute writes to this trial (nullopt if
  // it was not written by then). Cost: O(attributes + overwrites).
  std::optional<std::int64_t> system_attr_after(std::string_view key, std::uint32_t writes) const;
};

class StudyStore;

// A trial as one read saw it (Optuna's get_trial), without copying the record: the scalar fields
// are copied at the read; system attributes are looked up in the store's record as they were after
// the attribute writes the read saw (later writes only add to the record's overwrite history, so
// the answer never changes). Params and fixed_params are copied at the read (inline storage).
// Valid while the StudyStore it was read from lives (one run). Cost: O(1) to take and to copy.
class TrialView {
 public:
  TrialView() = default;
  TrialView(const StudyStore& store, int number);

  int number = -1;
  TrialState state = TrialState::kRunning;
  WorkerId worker = -1;
  VirtualTime created_us = 0;
  VirtualTime finished_us = -1;
  // Copied at the read (Trial._suggest reads them; issue 11): the enqueued trial's fixed_params
  // (usually empty: no allocation) and the params set so far (a retry copy's; inline, no allocation).
  std::vector<int> fixed_params;
  boost::container::small_vector<int, 4> params;

  std::optional<std::int64_t> system_attr(std::string_view key) const;

 private:
  const StudyStore* store_ = nullptr;  // null: a default view, which has no attributes
  std::uint32_t attr_writes_ = 0;
};

// What an incremental consumer of an AttrIndex keeps with it (samplers/optuna_grid.cc: the model of
// the target list's set order, samplers/set_order_tracker.h): its state, and every value whose flags
// were refreshed since it last drained `changed` (recorded only while a state is attached). A copy of
// the index starts without one (the state describes the index it was synced with, not a copy).
struct AttrIndexConsumer {
  AttrIndexConsumer() = default;
  AttrIndexConsumer(const AttrIndexConsumer&) {}
  AttrIndexConsumer& operator=(const AttrIndexConsumer&) {
    state.reset();
    changed.clear();
    return *this;
  }
  AttrIndexConsumer(AttrIndexConsumer&&) noexcept = default;
  AttrIndexConsumer& operator=(AttrIndexConsumer&&) noexcept = default;
  ~AttrIndexConsumer() = default;

  std::shared_ptr<void> state;
  std::vector<std::int64_t> changed;
};

// Per value of one integer system attribute: how many trials in each state carry it.
class AttrIndex {
 public:
  static constexpr std::int64_t kMaxValue = 1 << 24;  // dense index bound; larger values ignored

  int count(std::int64_t value, TrialState s) const;
  bool has_finished(std::int64_t value) const;
  bool has_running(std::int64_t value) const;
  std::int64_t values_with_finished() const { return values_with_finished_; }
  // Values carried by at least one RUNNING trial (finished ones too).
  std::int64_t values_with_running() const { return values_with_running_; }
  // Values carried by at least one finished or RUNNING trial.
  std::int64_t values_with_finished_or_running() const { return values_touched_; }
  std::int64_t size() const { return static_cast<std::int64_t>(counts_.size()); }  // max value + 1

  // Flag per value, 1 if has_finished / has_running; sized to at least the largest value seen + 1
  // (or the size asked for by ensure_size). Maintained incrementally: reading them costs nothing.
  const std::vector<std::uint8_t>& finished_flags() const { return finished_flags_; }
  const std::vector<std::uint8_t>& running_flags() const { return running_flags_; }
  // The same flags as id sets over [0, size()), maintained with them: values without a finished
  // trial, and values with neither a finished nor a RUNNING trial (select / last without a scan).
  const IdBitset& unfinished_ids() const { return unfinished_ids_; }
  const IdBitset& free_ids() const { return free_ids_; }
  void ensure_size(std::int64_t n);
  // The index's consumer slot: a cache derived from the index, so writable through a const index.
  AttrIndexConsumer& consumer() const { return consumer_; }

  void add(std::int64_t value, TrialState s);
  void remove(std::int64_t value, TrialState s);

 private:
  std::vector<std::array<int, kTrialStateCount>> counts_;
  bool touched(std::int64_t value) const { return has_finished(value) || has_running(value); }
  void refresh_flags(std::int64_t value);
  std::vector<std::uint8_t> finished_flags_;
  std::vector<std::uint8_t> running_flags_;
  IdBitset unfinished_ids_;
  IdBitset free_ids_;
  std::int64_t values_with_finished_ = 0;
  std::int64_t values_with_running_ = 0;
  std::int64_t values_touched_ = 0;
  mutable AttrIndexConsumer consumer_;
};

class StudyStore {
 public:
  explicit StudyStore(int param_count) : param_count_(param_count) {}

  // Room for `count` trials without growing: a capacity hint only (no trial is made, nothing
  // observable changes). A run that expects ~N trials saves the copies and fresh pages of ~log N
  // growths (at 10^6 points: about a fifth of the run's page faults). Pages are touched only as
  // trials are made. O(count) virtual memory; throws std::length_error past max_size().
  void reserve_trials(std::int64_t count) { trials_.reserve(static_cast<std::size_t>(count)); }

  int create_trial(TrialState state, WorkerId worker, VirtualTime now_us);
  // WAITING trials in number order. O(WAITING trials): an index, never a scan of the study.
  std::vector<int> waiting_trial_numbers() const;
  // Atomic WAITING→RUNNING compare-and-set (the RDB row-locked update). False if not WAITING.
  bool claim_waiting(int number, WorkerId worker, VirtualTime now_us);
  // The write half of a claim whose read saw WAITING (SQLite: not atomic): WAITING becomes
  // RUNNING; a trial another worker claimed meanwhile stays RUNNING and is now run twice (true);
  // a trial that finished meanwhile is left finished (false; the real UPDATE would reopen it, a
  // case no modelled schedule reaches in a few milliseconds).
  bool claim_waiting_after_read(int number, WorkerId worker, VirtualTime now_us);
  // A trial as given (a resumed study's trial, an enqueued trial): `t.number` is ignored, the next
  // number is used; its system attrs are indexed. Returns the number.
  int add_trial(const TrialRecord& t);

  const TrialRecord& trial(int number) const;
  std::int64_t n_trials() const { return static_cast<std::int64_t>(trials_.size()); }
  const std::vector<TrialRecord>& trials() const { return trials_; }
  std::int64_t count(StateMask states) const;

  void set_system_attr(int number, std::string_view key, std::int64_t value);
  void set_param(int number, int param, int value_index);
  // Writes a final state. Returns false (and changes nothing) if the trial already finished,
  // as Optuna's storage refuses to update a finished trial.
  bool set_state(int number, TrialState state, VirtualTime now_us);

  // Study-level system attributes; insert-if-absent returns the value now stored.
  std::optional<std::int64_t> study_attr(std::string_view key) const;
  std::int64_t study_attr_insert_if_absent(std::string_view key, std::int64_t value);

  // Index over one integer system attribute of trials, created on first use; its flag vectors
  // cover at least [0, min_size).
  const AttrIndex& attr_index(std::string_view key, std::int64_t min_size = 0);

  // ---- coordination fixes and faults (issue 4) ----
  // A new trial in `state` copying `from`'s system attrs and params (RetryFailedTrialCallback's
  // copy, enqueue_trial's template); `extra` system attrs are then set on it.
  int create_trial_copy(const TrialRecord& from, TrialState state, VirtualTime now_us);

  // ---- heartbeats: Optuna's trial_heartbeats table (reference 3.4) ----
  // Upserts trial `number`'s heartbeat row stamped `stamp_us`: RDBStorage.record_heartbeat stamps
  // it with the database's clock when the write applies (the linearization instant).
  void record_heartbeat(int number, VirtualTime stamp_us);
  // The stamp of its heartbeat row; nullopt without a row (fail_stale_trials never fails it).
  std::optional<VirtualTime> heartbeat_at_us(int number) const;
  // Its heartbeat row exists and is more than `grace_us` older than `now_us`, the checker's clock
  // (under clock skew the checker's and the stamper's clocks differ: sim/faults.h).
  // Only what the store holds decides: nothing here knows whether the holder is alive.
  bool is_stale_trial(int number, VirtualTime now_us, VirtualTime grace_us) const;
  // RUNNING trials whose heartbeat row is stale at `now_us`, in number order. O(log R + k log k) for
  // R RUNNING trials with a row and k stale ones (an index ordered by stamp, never a scan of the
  // study: issue 15 measured the scan at 25x a fault-free run on 10^5 points).
  std::vector<int> stale_trial_numbers(VirtualTime now_us, VirtualTime grace_us) const;

  // Claims keyed by (study, combination): insert-if-absent; the same trial re-claiming is a
  // success (a retried request after a lost response); with `lease_grace_us` a claim whose holder
  // is stale may be taken over.
  // A done combination is never claimed again.
  // Epochs (fencing tokens, fenced-leased-claim): every successful claim of a combination, fresh
  // or a take-over, gets the next number of that combination's counter, which never goes back
  // (a released claim keeps its counter), so an epoch names one holding of one combination.
  struct Claim {
    WorkerId holder = -1;
    int holder_trial = -1;
    int done_by_trial = -1;  // >= 0 once completed
    VirtualTime claimed_us = 0;  // when the holder took it (the lease's first renewal), holder's clock
    std::int64_t epoch = 0;      // the holding's epoch
  };
  // A claim's lease is renewed by the claim itself, by every heartbeat row write of the holder's
  // trial (eager renewals) and by every beat of its BeatSchedule up to `true_now_us` (lazy
  // renewals); it has expired when the newest renewal is more than `grace_us` older than `now_us`,
  // the checker's clock. `true_now_us` is the true (engine) time of the check; nullopt: `now_us`
  // (an unskewed checker). Cost: O(log claims) + O(1).
  bool is_stale_claim(const Claim& c, VirtualTime now_us, VirtualTime grace_us,
                      std::optional<VirtualTime> true_now_us = std::nullopt) const;
  // The newest renewal stamp of `c` (holder's clock) the store holds at true time `true_now_us`.
  VirtualTime renewed_stamp(const Claim& c, VirtualTime true_now_us) const;
  // The earliest true time t >= `from_us` at which a checker reading `checker` judges `c` stale
  // (checker.read(t) - renewed_stamp(c, t) > grace_us), counting only the renewals the store knows
  // of now (eager rows written later only move it later; every other claim change bumps
  // claims_version()). kNeverUs if never. Exact except on a long beat schedule under clock drift:
  // then, after kMaxExpiryScan beat intervals that may each expire, it returns the start of the
  // next one (an early, harmless wake-up: the waiter re-reads and asks again).
  // Cost: O(log range) without a schedule or when the schedule's bound rules whole stretches out
  // (always without drift); at most kMaxExpiryScan intervals otherwise.
  static constexpr int kMaxExpiryScan = 256;
  VirtualTime claim_expiry_us(const Claim& c, const ProcessClock& checker, VirtualTime grace_us,
                              VirtualTime from_us) const;
  // `epoch_out` (if set) receives the holding's epoch on success. `true_now_us`: as is_stale_claim.
  bool claim_combination(std::int64_t combination, WorkerId worker, int trial, VirtualTime now_us,
                         std::optional<VirtualTime> lease_grace_us, std::int64_t* epoch_out = nullptr,
                         std::optional<VirtualTime> true_now_us = std::nullopt);
  // Removes the claim if `worker` holds it and it is not done.
  bool release_claim(std::int64_t combination, WorkerId worker);
  // Marks the combination done by `trial`; true iff it was not done or done by this same trial.
  bool complete_combination(std::int64_t combination, int trial);
  // Fenced (compare-and-set on the epoch): the write applies only if the claim still exists, is
  // not done and has `epoch`; a holder whose lease was taken over is refused. Completing again by
  // the same trial (a retried request) is a success.
  bool release_claim_fenced(std::int64_t combination, std::int64_t epoch);
  bool complete_combination_fenced(std::int64_t combination, int trial, std::int64_t epoch);
  const std::map<std::int64_t, Claim>& claims() const { return claims_; }
  // Number of changes to the claims table that can make a combination claimable or the grid done
  // (claim, take-over, release, completion; fenced or not). Lease renewals never bump it: they
  // only postpone an expiry.
  std::uint64_t claims_version() const { return claims_version_; }

  // ---- lazily evaluated lease renewals (leased-claim's own heartbeat; samplers/leased_claim.h) ----
  // The heartbeat thread of a lease holder's trial, as a schedule instead of one store write per
  // beat: beats at start_us, start_us + interval_us, ... before stop_us (the objective's end or
  // the process's death); with a stall, the beats due in [stall_at_us, resume_us) are one beat at
  // resume_us and the schedule goes on from there every interval_us (what the eager heartbeat
  // loop does, with zero write latency). A beat at true time b renews the lease with the stamp
  // clock.read(b) (the holder's process clock: clock skew) and is visible to reads at or after b.
  struct BeatSchedule {
    VirtualTime start_us = 0;
    VirtualTime interval_us = 0;  // > 0
    VirtualTime stop_us = 0;
    VirtualTime stall_at_us = -1;  // -1: no stall before stop_us
    VirtualTime resume_us = -1;
    ProcessClock clock;
  };
  // Registers trial `number`'s schedule (once per trial, at its evaluation start).
  void set_beat_schedule(int number, const BeatSchedule& schedule);
  const BeatSchedule* beat_schedule(int number) const;
  // The true time of the last beat of trial `number` at or before `t_us`; nullopt if none.
  std::optional<VirtualTime> last_beat_us(int number, VirtualTime t_us) const;

  // ---- waiting for a change of the claims table (event-driven idle waits) ----
  // Workers waiting until claims_version() differs from `seen` (or their own deadline). The
  // StoreClient that applies an operation wakes, at its linearization instant, every waiter whose
  // `seen` is out of date (sim/store_client.h). Plain data: the store itself wakes nobody.
  struct Waiter {
    WorkerId worker = -1;
    std::uint64_t seen = 0;
    VirtualTime until_us = 0;  // its own deadline
  };
  std::vector<Waiter>& claim_waiters() { return claim_waiters_; }

  std::uint64_t version() const { return version_; }  // number of mutations applied
  // Claims that found their trial already RUNNING (claim_waiting_after_read): trials run twice.
  std::int64_t double_claims() const { return double_claims_; }
  // Trial `number` was claimed by two workers (claim_waiting_after_read). The one that finishes it
  // second is the loser: the real storage refuses its later writes (check_trial_is_updatable),
  // which the optimize loop raises (docs/optuna-facts.md section 10). O(log double claims).
  bool claimed_twice(int number) const {
    return std::binary_search(claimed_twice_.begin(), claimed_twice_.end(), number);
  }

  // The single writer lock (SQLite): virtual time at which it is next free. Writers reserve it
  // in arrival order; the StoreClient does the waiting.
  VirtualTime write_lock_free_at_us() const { return write_lock_free_at_us_; }
  VirtualTime reserve_write_lock(VirtualTime arrival_us, VirtualTime hold_us) {
    const VirtualTime start = std::max(arrival_us, write_lock_free_at_us_);
    write_lock_free_at_us_ = start + hold_us;
    return write_lock_free_at_us_;
  }

 private:
  TrialRecord& mutable_trial(int number);
  void index_state_change(const TrialRecord& t, TrialState from, TrialState to);
  // Keeps waiting_ and running_beats_ equal to what a scan of trials_ and heartbeat_at_us_ gives.
  void index_liveness(int number, TrialState from, TrialState to);

  int param_count_;
  std::vector<TrialRecord> trials_;
  std::array<std::int64_t, kTrialStateCount> by_state_{};
  std::map<std::string, std::int64_t, std::less<>> study_attrs_;
  std::map<std::string, AttrIndex, std::less<>> indexes_;  // few keys; ordered for determinism
  std::uint64_t version_ = 0;
  std::int64_t double_claims_ = 0;
  std::vector<int> claimed_twice_;  // sorted trial numbers (few: one per double claim)
  VirtualTime write_lock_free_at_us_ = 0;
  std::map<std::int64_t, Claim> claims_;           // ordered: deterministic iteration
  std::map<std::int64_t, std::int64_t> claim_epochs_;  // last epoch given per combination
  std::uint64_t claims_version_ = 0;
  std::vector<Waiter> claim_waiters_;        // in the order they began waiting
  std::vector<BeatSchedule> beat_schedules_;  // by trial number; interval_us == 0: none
  // By trial number; kNoHeartbeat: no heartbeat row (a skewed clock's stamps may be negative).
  static constexpr VirtualTime kNoHeartbeat = std::numeric_limits<VirtualTime>::min();
  std::vector<VirtualTime> heartbeat_at_us_;
  // Indexes (ordered sets: deterministic iteration): WAITING trial numbers, and (stamp, number) of
  // every RUNNING trial with a heartbeat row.
  std::set<int> waiting_;
  std::set<std::pair<VirtualTime, int>> running_beats_;
};

}  // namespace samplersim
