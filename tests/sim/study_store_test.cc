// StudyStore contract: dense numbers, finished trials are final, every index answers exactly what
// a scan of the trials answers, and a TrialView answers what a copy taken at its read answers, over
// long random operation sequences (fixed seeds).
#include "sim/study_store.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <memory>

#include "sim/random_stream.h"

namespace samplersim {
namespace {

TEST(StudyStore, NumbersAreDenseInCreationOrder) {
  StudyStore store(1);
  for (int i = 0; i < 10; ++i) EXPECT_EQ(store.create_trial(TrialState::kRunning, 0, i), i);
  EXPECT_EQ(store.n_trials(), 10);
}

TEST(StudyStore, FinishedTrialsAreFinal) {
  StudyStore store(1);
  const int n = store.create_trial(TrialState::kRunning, 0, 0);
  EXPECT_TRUE(store.set_state(n, TrialState::kComplete, 5));
  EXPECT_FALSE(store.set_state(n, TrialState::kFail, 6));
  EXPECT_EQ(store.trial(n).state, TrialState::kComplete);
  EXPECT_EQ(store.trial(n).finished_us, 5);
}

TEST(StudyStore, WaitingClaimIsCompareAndSet) {
  StudyStore store(1);
  const int n = store.create_trial(TrialState::kWaiting, -1, 0);
  EXPECT_EQ(store.waiting_trial_numbers(), std::vector<int>{n});
  EXPECT_TRUE(store.claim_waiting(n, 1, 3));
  EXPECT_FALSE(store.claim_waiting(n, 2, 4));
  EXPECT_EQ(store.trial(n).worker, 1);
  EXPECT_TRUE(store.waiting_trial_numbers().empty());
}

TEST(StudyStore, StudyAttrInsertIfAbsentKeepsTheFirstValue) {
  StudyStore store(1);
  EXPECT_FALSE(store.study_attr("seed"));
  EXPECT_EQ(store.study_attr_insert_if_absent("seed", 7), 7);
  EXPECT_EQ(store.study_attr_insert_if_absent("seed", 9), 7);
  EXPECT_EQ(store.study_attr("seed"), 7);
}

// Random operations; after each, the incrementally maintained index must equal a scan.
TEST(StudyStore, AttrIndexEqualsAScan) {
  for (std::uint64_t seed = 1; seed <= 20; ++seed) {
    RandomStream rng(seed);
    StudyStore store(1);
    const int values = 1 + static_cast<int>(rng.uniform_inclusive(12));
    const AttrIndex* early = &store.attr_index("grid_id");
    for (int step = 0; step < 400; ++step) {
      const auto op = rng.uniform_inclusive(3);
      if (op == 0 || store.n_trials() == 0) {
        store.create_trial(rng.bernoulli(1, 5) ? TrialState::kWaiting : TrialState::kRunning, 0, step);
      } else {
        const int t = static_cast<int>(rng.uniform_inclusive(static_cast<std::uint64_t>(store.n_trials() - 1)));
        if (op == 1) {
          store.set_system_attr(t, "grid_id", static_cast<std::int64_t>(rng.uniform_inclusive(values - 1)));
        } else if (op == 2) {
          store.claim_waiting(t, 1, step);
        } else {
          const TrialState s = std::array{TrialState::kComplete, TrialState::kFail, TrialState::kPruned}
              [rng.uniform_inclusive(2)];
          store.set_state(t, s, step);
        }
      }
      std::int64_t with_finished = 0, touched = 0;
      for (int v = 0; v < values; ++v) {
        int counts[kTrialStateCount] = {};
        for (const TrialRecord& tr : store.trials()) {
          if (tr.system_attr("grid_id") == v) ++counts[static_cast<int>(tr.state)];
        }
        for (TrialState s : kAllTrialStates) {
          ASSERT_EQ(early->count(v, s), counts[static_cast<int>(s)]) << "seed " << seed << " step " << step;
        }
        const bool fin = counts[1] + counts[2] + counts[3] > 0;
        with_finished += fin;
        touched += fin || counts[0] > 0;
      }
      ASSERT_EQ(early->values_with_finished(), with_finished) << "seed " << seed;
      ASSERT_EQ(early->values_with_finished_or_running(), touched) << "seed " << seed;
    }
  }
}

// An attached consumer (samplers/set_order_tracker.h through optuna_grid.cc) hears of every value
// whose unfinished or free membership changed since it last drained `changed`, so an incremental
// model of the index stays exact; without a state nothing is recorded; a copy of the index starts
// without a consumer. Random operation sequences on fixed seeds, as above.
TEST(StudyStore, AttrIndexConsumerHearsOfEveryChangedValue) {
  for (std::uint64_t seed = 1; seed <= 20; ++seed) {
    RandomStream rng(seed);
    StudyStore store(1);
    const int values = 1 + static_cast<int>(rng.uniform_inclusive(12));
    const AttrIndex& index = store.attr_index("grid_id", values);
    const auto snapshot = [&index, values] {
      std::vector<int> s;
      for (int v = 0; v < values; ++v) s.push_back(index.unfinished_ids().test(v) * 2 + index.free_ids().test(v));
      return s;
    };
    std::vector<int> seen = snapshot();
    for (int step = 0; step < 400; ++step) {
      if (step == 10) index.consumer().state = std::make_shared<int>(0);  // attached from here on
      const auto op = rng.uniform_inclusive(3);
      if (op == 0 || store.n_trials() == 0) {
        store.create_trial(rng.bernoulli(1, 5) ? TrialState::kWaiting : TrialState::kRunning, 0, step);
      } else {
        const int t = static_cast<int>(rng.uniform_inclusive(static_cast<std::uint64_t>(store.n_trials() - 1)));
        if (op == 1) {
          store.set_system_attr(t, "grid_id", static_cast<std::int64_t>(rng.uniform_inclusive(values - 1)));
        } else if (op == 2) {
          store.claim_waiting(t, 1, step);
        } else {
          const TrialState s = std::array{TrialState::kComplete, TrialState::kFail, TrialState::kPruned}
              [rng.uniform_inclusive(2)];
          store.set_state(t, s, step);
        }
      }
      const std::vector<int> now = snapshot();
      const std::vector<std::int64_t>& changed = index.consumer().changed;
      if (step < 10) {
        ASSERT_TRUE(changed.empty()) << "seed " << seed << ": recorded without a consumer";
      }
      for (int v = 0; v < values && step >= 10; ++v) {
        if (now[static_cast<std::size_t>(v)] == seen[static_cast<std::size_t>(v)]) continue;
        ASSERT_NE(std::find(changed.begin(), changed.end(), v), changed.end())
            << "seed " << seed << " step " << step << " value " << v;
      }
      index.consumer().changed.clear();
      seen = now;
    }
    const AttrIndex copy = index;
    EXPECT_FALSE(copy.consumer().state) << "seed " << seed;
    EXPECT_TRUE(index.consumer().state) << "seed " << seed;
  }
}

// A TrialView (get_trial without a copy) answers what a whole-record copy taken at the same read
// answers, however the trial is written afterwards: new attributes, overwrites (also of values
// written after the view), state changes, copies. Random operation sequences on fixed seeds.
TEST(StudyStore, TrialViewEqualsACopyTakenAtTheRead) {
  static constexpr std::string_view kKeys[] = {"grid_id", "search_space", "fixed_params", "failed_trial"};
  for (std::uint64_t seed = 1; seed <= 40; ++seed) {
    RandomStream rng(seed);
    StudyStore store(2);
    std::vector<std::pair<TrialView, TrialRecord>> reads;
    for (int step = 0; step < 600; ++step) {
      const auto op = rng.uniform_inclusive(5);
      if (op == 0 || store.n_trials() == 0) {
        store.create_trial(rng.bernoulli(1, 4) ? TrialState::kWaiting : TrialState::kRunning, 0, step);
        continue;
      }
      const int t = static_cast<int>(rng.uniform_inclusive(static_cast<std::uint64_t>(store.n_trials() - 1)));
      if (op == 1 || op == 2) {
        store.set_system_attr(t, kKeys[rng.uniform_inclusive(std::size(kKeys) - 1)],
                              static_cast<std::int64_t>(rng.uniform_inclusive(5)));
      } else if (op == 3) {
        reads.emplace_back(TrialView(store, t), store.trial(t));
      } else if (op == 4) {
        if (!store.claim_waiting(t, 1, step)) store.set_state(t, TrialState::kComplete, step);
      } else {
        const TrialRecord from = store.trial(t);  // a copy: creating a trial may move the records
        store.create_trial_copy(from, TrialState::kWaiting, step);
      }
      for (const auto& [view, copy] : reads) {
        ASSERT_EQ(view.number, copy.number) << "seed " << seed << " step " << step;
        ASSERT_EQ(view.state, copy.state) << "seed " << seed << " step " << step;
        ASSERT_EQ(view.worker, copy.worker) << "seed " << seed << " step " << step;
        ASSERT_EQ(view.created_us, copy.created_us) << "seed " << seed << " step " << step;
        ASSERT_EQ(view.finished_us, copy.finished_us) << "seed " << seed << " step " << step;
        for (std::string_view key : kKeys) {
          ASSERT_EQ(view.system_attr(key), copy.system_attr(key)) << "seed " << seed << " step " << step << " " << key;
        }
      }
    }
    ASSERT_GT(reads.size(), 50u);
  }
}

TEST(StudyStore, ADefaultTrialViewHasNoAttributes) {
  EXPECT_FALSE(TrialView().system_attr("grid_id"));
}

// Staleness is judged only from what the store holds: a heartbeat row's stamp against the
// checker's clock. A trial without a row is never stale; a finished one is never listed.
TEST(StudyStore, StalenessComesFromStoredHeartbeatStampsOnly) {
  StudyStore store(1);
  const int beating = store.create_trial(TrialState::kRunning, 0, 0);
  const int silent = store.create_trial(TrialState::kRunning, 1, 0);
  const int done = store.create_trial(TrialState::kRunning, 2, 0);
  store.record_heartbeat(beating, 100);
  store.record_heartbeat(done, 100);
  ASSERT_TRUE(store.set_state(done, TrialState::kComplete, 150));
  EXPECT_FALSE(store.heartbeat_at_us(silent));
  EXPECT_EQ(store.heartbeat_at_us(beating), 100);
  EXPECT_FALSE(store.is_stale_trial(beating, 300, 200));  // exactly grace old: not yet
  EXPECT_TRUE(store.is_stale_trial(beating, 301, 200));
  EXPECT_FALSE(store.is_stale_trial(silent, 1'000'000, 200));
  EXPECT_EQ(store.stale_trial_numbers(301, 200), std::vector<int>{beating});
  store.record_heartbeat(beating, 250);  // a later write renews it
  EXPECT_TRUE(store.stale_trial_numbers(301, 200).empty());
}

// The WAITING and stale-trial indexes answer exactly what a scan of the trials answers (the scan
// was the implementation before issue 15): random creations (RUNNING or WAITING), claims, final
// states, heartbeats with stamps that go up and down (clock skew), and queries at random clocks
// and grace periods, on fixed seeds.
TEST(StudyStore, WaitingAndStaleIndexesEqualAScan) {
  for (std::uint64_t seed = 1; seed <= 20; ++seed) {
    RandomStream rng(seed);
    StudyStore store(1);
    for (int step = 0; step < 600; ++step) {
      const auto op = rng.uniform_inclusive(4);
      if (op == 0 || store.n_trials() == 0) {
        store.create_trial(rng.bernoulli(1, 3) ? TrialState::kWaiting : TrialState::kRunning, 0, step);
      } else {
        const int t = static_cast<int>(rng.uniform_inclusive(static_cast<std::uint64_t>(store.n_trials() - 1)));
        if (op == 1) {
          store.claim_waiting(t, 1, step);
        } else if (op == 2) {
          const TrialState s = std::array{TrialState::kComplete, TrialState::kFail, TrialState::kPruned}
              [rng.uniform_inclusive(2)];
          store.set_state(t, s, step);
        } else {
          store.record_heartbeat(t, static_cast<VirtualTime>(rng.uniform_inclusive(2000)) - 500);
        }
      }
      std::vector<int> waiting;
      for (const TrialRecord& tr : store.trials()) {
        if (tr.state == TrialState::kWaiting) waiting.push_back(tr.number);
      }
      ASSERT_EQ(store.waiting_trial_numbers(), waiting) << "seed " << seed << " step " << step;
      const auto now = static_cast<VirtualTime>(rng.uniform_inclusive(3000)) - 500;
      const auto grace = static_cast<VirtualTime>(rng.uniform_inclusive(400));
      std::vector<int> stale;
      for (const TrialRecord& tr : store.trials()) {
        if (tr.state == TrialState::kRunning && store.is_stale_trial(tr.number, now, grace)) stale.push_back(tr.number);
      }
      ASSERT_EQ(store.stale_trial_numbers(now, grace), stale) << "seed " << seed << " step " << step;
    }
  }
}

// A claim's lease is renewed by the claim and by the holder trial's heartbeats; once it is older
// than the grace period, another worker takes it over (and the new holder's claim renews it).
TEST(StudyStore, ClaimLeaseExpiresFromStoredStampsAndIsTakenOver) {
  StudyStore store(1);
  const int a = store.create_trial(TrialState::kRunning, 0, 0);
  const int b = store.create_trial(TrialState::kRunning, 1, 0);
  ASSERT_TRUE(store.claim_combination(7, 0, a, 10, 100));
  EXPECT_FALSE(store.claim_combination(7, 1, b, 110, 100));  // claimed 100 us ago: still held
  store.record_heartbeat(a, 105);
  EXPECT_FALSE(store.claim_combination(7, 1, b, 205, 100));  // renewed at 105
  EXPECT_TRUE(store.claim_combination(7, 1, b, 206, 100));   // expired: taken over
  EXPECT_EQ(store.claims().at(7).holder_trial, b);
  EXPECT_FALSE(store.claim_combination(7, 0, a, 250, 100));  // b's claim at 206 renewed it
}

// ---- lazily evaluated lease renewals (issue 15 item 1) ----

StudyStore::BeatSchedule beats(VirtualTime start, VirtualTime interval, VirtualTime stop) {
  StudyStore::BeatSchedule s;
  s.start_us = start;
  s.interval_us = interval;
  s.stop_us = stop;
  return s;
}

// A schedule's beats are those of the eager heartbeat loop with zero write latency: every interval
// from the evaluation start, none at or after the stop (end or death); a beat due inside a stall is
// written when it ends, and the beats go on every interval from there.
TEST(StudyStoreLazyLease, BeatsFollowTheHeartbeatLoopThroughAStall) {
  StudyStore store(1);
  const int t = store.create_trial(TrialState::kRunning, 0, 0);
  StudyStore::BeatSchedule s = beats(1'000, 100, 1'650);
  s.stall_at_us = 1'250;  // beats at 1000, 1100, 1200; 1300 falls in [1250, 1480): written at 1480
  s.resume_us = 1'480;
  store.set_beat_schedule(t, s);
  EXPECT_FALSE(store.last_beat_us(t, 999));
  EXPECT_EQ(store.last_beat_us(t, 1'000), 1'000);
  EXPECT_EQ(store.last_beat_us(t, 1'199), 1'100);
  EXPECT_EQ(store.last_beat_us(t, 1'479), 1'200);  // nothing while stalled
  EXPECT_EQ(store.last_beat_us(t, 1'480), 1'480);
  EXPECT_EQ(store.last_beat_us(t, 1'579), 1'480);
  EXPECT_EQ(store.last_beat_us(t, 1'580), 1'580);
  EXPECT_EQ(store.last_beat_us(t, 9'999), 1'580);  // 1680 is past the stop
}

// The expiry a waiter sleeps until: a holder that stops beating (crash) at 1550 last beat at 1500,
// so with a grace of 250 its lease is stale from 1751 on; a stall of 1250..1480 with grace 150
// makes it stale at 1351, inside the stall; a checker whose clock runs 180 ahead (grace 250, beats
// every 100) sees it stale 71 us after every beat, holder alive or not.
TEST(StudyStoreLazyLease, ExpiryIsTheFirstInstantTheLeaseIsStaleOnTheCheckersClock) {
  StudyStore store(1);
  const int dead = store.create_trial(TrialState::kRunning, 0, 0);
  const int stalled = store.create_trial(TrialState::kRunning, 1, 0);
  ASSERT_TRUE(store.claim_combination(0, 0, dead, 900, 250));
  ASSERT_TRUE(store.claim_combination(1, 1, stalled, 900, 150));
  store.set_beat_schedule(dead, beats(1'000, 100, 1'550));
  StudyStore::BeatSchedule s = beats(1'000, 100, 5'000);
  s.stall_at_us = 1'250;
  s.resume_us = 1'480;
  store.set_beat_schedule(stalled, s);
  const StudyStore::Claim& d = store.claims().at(0);
  const StudyStore::Claim& st = store.claims().at(1);
  const ProcessClock same;
  EXPECT_EQ(store.claim_expiry_us(d, same, 250, 950), 1'751);
  EXPECT_FALSE(store.is_stale_claim(d, 1'750, 250, 1'750));
  EXPECT_TRUE(store.is_stale_claim(d, 1'751, 250, 1'751));
  EXPECT_EQ(store.claim_expiry_us(st, same, 150, 1'000), 1'351);
  EXPECT_TRUE(store.is_stale_claim(st, 1'351, 150, 1'351));
  EXPECT_FALSE(store.is_stale_claim(st, 1'480, 150, 1'480));  // the stalled holder's beat renews it
  const ProcessClock ahead{180, 0};
  EXPECT_EQ(store.claim_expiry_us(d, ahead, 250, 1'000), 1'071);
  EXPECT_EQ(store.claim_expiry_us(d, ahead, 250, 1'072), 1'072);   // stale now
  EXPECT_EQ(store.claim_expiry_us(d, ahead, 250, 1'100), 1'171);   // renewed at 1100
}

// claim_expiry_us against a brute-force scan of is_stale_claim, 1 us at a time, on 300 random
// schedules (fixed seed): stalls, crashes, offsets and drifts large enough (up to ±20%) that
// staleness comes and goes between beats. Exact whenever the schedule has fewer intervals than
// the scan budget (here always: at most 200); with drift it is never later than the truth.
TEST(StudyStoreLazyLease, ExpiryMatchesABruteForceScan) {
  RandomStream rng(20'261'202);
  for (int c = 0; c < 300; ++c) {
    StudyStore store(1);
    const int t = store.create_trial(TrialState::kRunning, 0, 0);
    const VirtualTime start = 1'000 + static_cast<VirtualTime>(rng.uniform_inclusive(100));
    const VirtualTime interval = 20 + static_cast<VirtualTime>(rng.uniform_inclusive(80));
    const VirtualTime stop = start + static_cast<VirtualTime>(rng.uniform_inclusive(150)) * interval / 10 + 1;
    StudyStore::BeatSchedule s = beats(start, interval, stop);
    if (rng.uniform_inclusive(1) == 1) {
      s.stall_at_us = start + static_cast<VirtualTime>(rng.uniform_inclusive(static_cast<std::uint64_t>(stop - start)));
      s.resume_us = s.stall_at_us + static_cast<VirtualTime>(rng.uniform_inclusive(4 * static_cast<std::uint64_t>(interval)));
    }
    const auto signed_draw = [&](std::uint64_t half) {
      return static_cast<std::int64_t>(rng.uniform_inclusive(2 * half)) - static_cast<std::int64_t>(half);
    };
    s.clock = ProcessClock{signed_draw(100), signed_draw(rng.uniform_inclusive(1) == 1 ? 200'000 : 0)};
    const ProcessClock checker{signed_draw(100), signed_draw(rng.uniform_inclusive(1) == 1 ? 200'000 : 0)};
    const VirtualTime grace = interval / 2 + static_cast<VirtualTime>(rng.uniform_inclusive(3 * static_cast<std::uint64_t>(interval)));
    ASSERT_TRUE(store.claim_combination(0, 0, t, s.clock.read(start - 5), grace));
    store.set_beat_schedule(t, s);
    const StudyStore::Claim& claim = store.claims().at(0);
    const VirtualTime from = start + static_cast<VirtualTime>(rng.uniform_inclusive(static_cast<std::uint64_t>(stop - start)));
    VirtualTime truth = kNeverUs;
    for (VirtualTime u = from; u < stop + 4 * grace + 1'000; ++u) {
      if (store.is_stale_claim(claim, checker.read(u), grace, u)) {
        truth = u;
        break;
      }
    }
    ASSERT_NE(truth, kNeverUs) << "case " << c << ": a holder that stops beating expires";
    EXPECT_EQ(store.claim_expiry_us(claim, checker, grace, from), truth) << "case " << c;
  }
}

// Only what can make a combination claimable or the grid done bumps claims_version(): claims,
// take-overs, releases, completions; never a renewal (eager or lazy).
TEST(StudyStoreLazyLease, ClaimsVersionCountsClaimChangesNotRenewals) {
  StudyStore store(1);
  const int a = store.create_trial(TrialState::kRunning, 0, 0);
  const int b = store.create_trial(TrialState::kRunning, 1, 0);
  EXPECT_EQ(store.claims_version(), 0u);
  ASSERT_TRUE(store.claim_combination(0, 0, a, 0, 100));
  EXPECT_EQ(store.claims_version(), 1u);
  store.record_heartbeat(a, 50);
  store.set_beat_schedule(b, beats(0, 10, 20));
  EXPECT_EQ(store.claims_version(), 1u);
  EXPECT_FALSE(store.claim_combination(0, 1, b, 120, 100));  // refused: no change
  EXPECT_EQ(store.claims_version(), 1u);
  ASSERT_TRUE(store.claim_combination(0, 1, b, 151, 100));  // take-over
  EXPECT_EQ(store.claims_version(), 2u);
  ASSERT_TRUE(store.complete_combination(0, b));
  EXPECT_EQ(store.claims_version(), 3u);
  ASSERT_TRUE(store.claim_combination(1, 0, a, 200, 100));
  ASSERT_TRUE(store.release_claim(1, 0));
  EXPECT_EQ(store.claims_version(), 5u);
}

}  // namespace
}  // namespace samplersim
