// leased-claim and fenced-leased-claim (samplers/leased_claim.h) after issue 15 item 1: idle
// workers wait for the claims change or the lease expiry they are waiting for (no polling timer),
// and the lease's own heartbeat is a schedule the store evaluates when a lease is read (no store
// write per beat), so a run's cost does not grow with objective durations.
// Deterministic: constant latencies and durations, fixed seeds; no wall-clock assertion.
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "app/scenario_files.h"
#include "sim/seed_policy.h"
#include "sim/simulation.h"
#include "sim/store_op.h"
#include "sim/strategy.h"

namespace samplersim {
namespace {

constexpr VirtualTime kMs = 1'000;
constexpr VirtualTime kS = 1'000'000;
const std::string kCompare = "[compare]\npolicies = [\"leased-claim\"]\nseed_policies = [\"none\"]\n";

struct Traced {
  RunOutcome outcome;
  std::vector<TraceEvent> events;
};

Traced run(const ScenarioSpec& spec, const std::string& policy, std::uint64_t seed = 1) {
  Trace trace(true);
  RandomStrategy strategy(seed);
  const RunRequest req{&spec, PolicyRegistry::find(policy), *parse_seed_policy("none"), seed, &strategy};
  Traced t;
  t.outcome = simulate(req, &trace);
  t.events = trace.events();
  return t;
}

bool is_op(const TraceEvent& e, StoreOp op) { return e.kind == TraceKind::kStoreOp && e.a == static_cast<std::int64_t>(op); }

const TraceEvent& first(const Traced& t, WorkerId w, TraceKind kind) {
  for (const TraceEvent& e : t.events) {
    if (e.worker == w && e.kind == kind) return e;
  }
  ADD_FAILURE() << "no such event";
  return t.events.front();
}

// One combination, two processes (process 1 starts 100 ms later and finds it claimed), 10 s
// objectives, 1 ms latencies each way; `extra` adds the fault or failure under test.
ScenarioSpec one_combination(const std::string& extra) {
  return load_scenario_text(
      "name = \"one-combination\"\n[grid]\nx = [0]\n[workers]\nprocesses = 2\nstart_stagger = \"100ms\"\n"
      "[objective]\nduration = \"10s\"\n" +
          extra + "\n[store]\nrequest_latency = \"1ms\"\nresponse_latency = \"1ms\"\n" + kCompare,
      "one-combination.toml");
}

class LeaseWait : public testing::TestWithParam<std::string> {};

// The holder (process 0) is killed 5.5 s into its objective: its last beat is at start + 5 s (1 s
// beats), so with the 2 s grace its lease is stale from start + 7 s + 1 us. The waiter (process 1)
// reads once when it arrives, then sleeps exactly until then: its next read linearizes 1 ms
// (request latency) after the expiry, and it takes the combination over. Before issue 15 it polled
// every 250 ms (about 28 reads) and read at a poll instant.
TEST_P(LeaseWait, WaiterTakesOverACrashedHoldersLeaseExactlyAtExpiry) {
  const ScenarioSpec spec = one_combination("[faults]\ncrash_at = [{ process = 0, call = 1, after = \"5500ms\" }]");
  const Traced t = run(spec, GetParam());
  const VirtualTime start = first(t, 0, TraceKind::kObjectiveStart).t_us;
  const VirtualTime expiry = start + 5 * kS + 2 * kS + 1;
  std::vector<VirtualTime> reads;  // the waiter's get_all_trials before its take-over
  VirtualTime takeover = -1;
  for (const TraceEvent& e : t.events) {
    if (e.worker != 1 || takeover >= 0) continue;
    if (is_op(e, StoreOp::kGetAllTrials)) reads.push_back(e.t_us);
    if (is_op(e, StoreOp::kClaimCombination) && e.b == 1) takeover = e.t_us;
  }
  ASSERT_EQ(reads.size(), 2u) << "one read on arrival, one at the expiry";
  EXPECT_EQ(reads[1], expiry + kMs);
  EXPECT_GT(takeover, reads[1]);
  EXPECT_EQ(t.outcome.uncovered, 0);
  EXPECT_EQ(t.outcome.evaluations[0], 2);
}

// The holder's objective fails after 10 s; its tell releases the claim (well before the lease could
// expire: it beats until the end). The release wakes the waiter 1 us after its linearization
// instant (StoreClient::kChangeWakeUpUs): the waiter's next read is 1 ms (its request latency)
// later. Before issue 15: a poll instant, up to 250 ms later.
TEST_P(LeaseWait, ReleaseWakesTheWaiterAtOnce) {
  const ScenarioSpec spec = one_combination("fail = [{ process = 0, call = 1 }]");
  const Traced t = run(spec, GetParam());
  VirtualTime released = -1;
  std::vector<VirtualTime> reads;  // the waiter's reads up to the first after the release
  for (const TraceEvent& e : t.events) {
    if (released < 0 && e.worker == 0 && is_op(e, StoreOp::kReleaseClaim)) released = e.t_us;
    if (e.worker == 1 && is_op(e, StoreOp::kGetAllTrials)) {
      reads.push_back(e.t_us);
      if (released >= 0) break;
    }
  }
  ASSERT_GE(released, 10 * kS);
  ASSERT_EQ(reads.size(), 2u) << "one read on arrival, one after the release";
  EXPECT_EQ(reads[1], released + StoreClient::kChangeWakeUpUs + kMs);
  EXPECT_EQ(t.outcome.uncovered, 0);
}

// Three combinations, two processes, constant durations: the same run, event for event, whether
// objectives take 10 s or 1,000 s. No heartbeat write at all: the lease renewals are lazily
// evaluated. Before issue 15 each second of objective cost a heartbeat write, and each waiting
// quarter second a poll.
TEST_P(LeaseWait, StoreOpsAndEventsDoNotGrowWithObjectiveDuration) {
  const auto spec_with = [](const std::string& duration) {
    return load_scenario_text("name = \"three\"\n[grid]\nx = [0, 1, 2]\n[workers]\nprocesses = 2\n[objective]\nduration = \"" +
                                  duration + "\"\n[store]\nrequest_latency = \"1ms\"\nresponse_latency = \"1ms\"\n" + kCompare,
                              "three.toml");
  };
  const Traced short_run = run(spec_with("10s"), GetParam());
  const Traced long_run = run(spec_with("1000s"), GetParam());
  EXPECT_EQ(short_run.outcome.store_ops, long_run.outcome.store_ops);
  EXPECT_EQ(short_run.outcome.trace_events, long_run.outcome.trace_events);
  std::int64_t beats = 0;
  for (const TraceEvent& e : long_run.events) beats += is_op(e, StoreOp::kRecordHeartbeat);
  EXPECT_EQ(beats, 0);
  EXPECT_EQ(long_run.outcome.uncovered, 0);
  EXPECT_EQ(long_run.outcome.repeats, 0);
}

// The cluster scenario (16 processes, 6x8 grid, 10-30 min objectives): the same seed gives
// the same run (trace hash), and a run costs a few store operations per trial, not the 56,000
// heartbeat writes and 62,000 polls per run it cost before issue 15 (bench/idle_wait_bench.cc).
TEST_P(LeaseWait, ClusterRunIsDeterministicAndCheap) {
  const ScenarioSpec spec =
      load_scenario(std::string(SAMPLERSIM_SOURCE_DIR) + "/tests/data/scenarios/cluster-6x8-w16.toml");
  for (std::uint64_t seed : {1u, 2u, 3u}) {
    const Traced a = run(spec, GetParam(), seed);
    const Traced b = run(spec, GetParam(), seed);
    EXPECT_EQ(a.outcome.trace_hash, b.outcome.trace_hash);
    EXPECT_EQ(a.outcome.uncovered, 0);
    EXPECT_LT(a.outcome.store_ops, 2'000u) << "seed " << seed;
  }
}

INSTANTIATE_TEST_SUITE_P(Leases, LeaseWait, testing::Values("leased-claim", "fenced-leased-claim"),
                         [](const testing::TestParamInfo<std::string>& info) {
                           return info.param == "leased-claim" ? std::string("leased") : std::string("fenced");
                         });

}  // namespace
}  // namespace samplersim
