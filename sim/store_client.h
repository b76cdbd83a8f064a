// StoreClient: one worker's connection to the StudyStore, with latency.
//
// Every operation is a yield point pair: the worker waits its request latency, the operation is
// applied atomically at that instant (its linearization point, recorded in the trace), then the
// worker waits its response latency and gets the result. Reads therefore return the state as of
// the linearization instant, and other workers may act in between: this opens exactly the race
// windows that matter (read the unvisited set → choose → write grid_id).
//
// Latencies come from the worker's own stream (run seed, kStoreLatency, worker), so changing the
// schedule never changes a latency. A StoreClient belongs to one worker fiber; not thread-safe.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>
#include <type_traits>
#include <vector>

#include "sim/duration_dist.h"
#include "sim/store_op.h"
#include "sim/engine.h"
#include "sim/random_stream.h"
#include "sim/study_store.h"
#include "sim/trace.h"

namespace samplersim {

class StoreClient {
 public:
  StoreClient(Engine& engine, StudyStore& store, Trace& trace, WorkerId worker, StoreLatency latency,
              RandomStream latency_stream)
      : engine_(engine), store_(store), trace_(trace), worker_(worker), latency_(latency),
        stream_(latency_stream) {}

  int create_trial();
  // Optuna's ask(): pop the first WAITING trial that an atomic WAITING→RUNNING succeeds on.
  std::optional<int> pop_waiting_trial();
  TrialRecord get_trial(int number);
  void set_trial_system_attr(int number, std::string_view key, std::int64_t value);
  void set_trial_param(int number, int param, int value_index);
  bool set_trial_state(int number, TrialState state);
  std::optional<std::int64_t> get_study_attr(std::string_view key);
  std::int64_t study_attr_insert_if_absent(std::string_view key, std::int64_t value);

  // get_all_trials: `project(store)` runs at the linearization instant and must capture
  // everything the caller needs from the snapshot (it may use the store's indexes, which give
  // the same answer as scanning the trials). Its result is returned after the response latency.
  template <class Project>
  auto get_all_trials(Project&& project) {
    return apply(StoreOp::kGetAllTrials, [&] {
      auto result = project(store_);
      record(StoreOp::kGetAllTrials, -1, static_cast<std::int64_t>(store_.n_trials()));
      return result;
    });
  }

  // Records a sampler-side event (no store access, no latency), e.g. a draw.
  void note(TraceKind kind, int trial, std::int64_t a, std::int64_t b) {
    trace_.record({engine_.now_us(), worker_, kind, trial, a, b, {}});
  }

  std::uint64_t ops() const { return ops_; }
  VirtualTime now_us() const { return engine_.now_us(); }
  WorkerId worker() const { return worker_; }

 private:
  // Waits the request latency, runs `fn` (which applies the operation to the store and records
  // it in the trace) at that instant, waits the response latency, returns fn's result.
  template <class Apply>
  auto apply(StoreOp op, Apply&& fn) {
    engine_.sleep_for(latency_.request_for(op).sample(stream_));
    if (is_write(op) && !(latency_.write_service.is_constant() && latency_.write_service.min_us == 0)) {
      engine_.sleep_until(store_.reserve_write_lock(engine_.now_us(), latency_.write_service.sample(stream_)));
    }
    ++ops_;
    if constexpr (std::is_void_v<decltype(fn())>) {
      fn();
      engine_.sleep_for(latency_.response.sample(stream_));
    } else {
      auto result = fn();
      engine_.sleep_for(latency_.response.sample(stream_));
      return result;
    }
  }
  // `key` must outlive the trace (attribute keys are string literals of the samplers).
  void record(StoreOp op, int trial, std::int64_t arg, std::string_view key = {});

  Engine& engine_;
  StudyStore& store_;
  Trace& trace_;
  WorkerId worker_;
  StoreLatency latency_;
  RandomStream stream_;
  std::uint64_t ops_ = 0;
};

}  // namespace samplersim
