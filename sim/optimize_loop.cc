#include "sim/optimize_loop.h"

#include <cassert>
#include <fmt/format.h>

namespace samplersim {

namespace {

class OptimizeWorker {
 public:
  OptimizeWorker(RunShared& run, int process, int thread, WorkerId worker)
      : run_(run), proc_(run.processes[static_cast<std::size_t>(process)]), thread_(thread),
        worker_(worker),
        client_(run.engine, run.store, run.trace, worker,
                StoreLatency{run.spec.request_latency, run.spec.response_latency,
                             run.spec.request_latency_by_op, run.spec.write_service},
                RandomStream::derive(run.run_seed, StreamPurpose::kStoreLatency,
                                     static_cast<std::uint64_t>(worker))),
        objective_stream_(RandomStream::derive(run.run_seed, StreamPurpose::kObjectiveTime,
                                               static_cast<std::uint64_t>(worker))) {}

  void run() {
    record(TraceKind::kWorkerStart, -1, proc_.index, thread_);
    const StopReason reason = loop();
    record(TraceKind::kWorkerStop, -1, trials_run_, static_cast<std::int64_t>(reason));
    run_.out.store_ops += client_.ops();
  }

 private:
  StopReason loop() {
    for (;;) {
      if (run_.spec.threads > 1) proc_.sampler->reseed_rng();  // _optimize: every job reseeds
      if (proc_.stop_flag) return StopReason::kStopFlag;
      if (run_.spec.n_trials && proc_.submitted >= *run_.spec.n_trials) return StopReason::kNTrials;
      if (run_.store.n_trials() >= run_.spec.limits.max_trials_per_run) {
        throw SimulationLimitExceeded(fmt::format(
            "the study reached {} trials, the scenario's run.max_trials limit",
            run_.spec.limits.max_trials_per_run));
      }
      ++proc_.submitted;
      ++trials_run_;
      run_trial();
    }
  }

  void run_trial() {
    // study.ask()
    int number = -1;
    if (auto popped = client_.pop_waiting_trial()) {
      number = *popped;
    } else {
      number = client_.create_trial();
    }
    // Trial.__init__: read the trial once, then the sampler's grid step.
    TrialContext trial{client_, number, client_.get_trial(number)};
    proc_.sampler->before_trial(trial);

    // The objective: one suggest per dimension (file order), then its duration.
    TrialState state = objective(trial);

    // tell: after_trial sees the trial still RUNNING; the state write is in its `finally`.
    trial.snapshot = client_.get_trial(number);
    const bool stop = proc_.sampler->after_trial(trial, state);
    if (stop) set_stop_flag(StopCause::kSampler);
    client_.set_trial_state(number, state);
    if (eval_index_ >= 0) run_.out.evaluation_log[static_cast<std::size_t>(eval_index_)].state = state;
    record(TraceKind::kObjectiveEnd, number, static_cast<std::int64_t>(state),
           eval_index_ >= 0 ? run_.out.evaluation_log[static_cast<std::size_t>(eval_index_)].combination : -1);

    // MaxTrialsCallback(n, states): counts the whole study, stops this process only.
    if (run_.spec.max_trials) {
      const StateMask states = run_.spec.max_trials_states;
      const std::int64_t n = client_.get_all_trials([states](const StudyStore& s) { return s.count(states); });
      if (n >= *run_.spec.max_trials) set_stop_flag(StopCause::kMaxTrialsCallback);
    }
  }

  TrialState objective(TrialContext& trial) {
    eval_index_ = -1;
    const GridSpace& grid = run_.grid;
    std::vector<int> values(static_cast<std::size_t>(grid.param_count()), -1);
    // suggest in the order the objective lists the dimensions (file order)
    for (int f = 0; f < grid.param_count(); ++f) {
      const int p = sorted_index_of_file_position(f);
      const std::optional<int> v = proc_.sampler->suggest(trial, p);
      if (!v) return TrialState::kFail;  // the sampler raised: the trial fails
      assert(*v >= 0 && *v < grid.params()[static_cast<std::size_t>(p)].value_count);
      client_.set_trial_param(trial.number, p, *v);
      values[static_cast<std::size_t>(p)] = *v;
    }
    Evaluation e;
    e.trial = trial.number;
    e.worker = worker_;
    e.process = proc_.index;
    e.combination = grid.combination_of(values);
    e.grid_id = run_.store.trial(trial.number).system_attr("grid_id").value_or(-1);
    e.start_us = client_.now_us();
    record(TraceKind::kObjectiveStart, trial.number, e.combination, e.grid_id);
    eval_index_ = static_cast<std::int64_t>(run_.out.evaluation_log.size());
    run_.out.evaluation_log.push_back(e);

    run_.engine.sleep_for(run_.spec.objective_duration.sample(objective_stream_));

    Evaluation& done = run_.out.evaluation_log[static_cast<std::size_t>(eval_index_)];
    done.end_us = client_.now_us();
    done.state = TrialState::kComplete;
    return TrialState::kComplete;
  }

  int sorted_index_of_file_position(int f) const {
    const auto& params = run_.grid.params();
    for (int p = 0; p < static_cast<int>(params.size()); ++p) {
      if (params[static_cast<std::size_t>(p)].file_position == f) return p;
    }
    assert(false && "file position without a parameter");
    return 0;
  }

  void set_stop_flag(StopCause cause) {
    proc_.stop_flag = true;
    record(TraceKind::kStopFlag, -1, static_cast<std::int64_t>(cause), proc_.index);
  }

  void record(TraceKind kind, int trial, std::int64_t a, std::int64_t b) {
    run_.trace.record({run_.engine.now_us(), worker_, kind, trial, a, b, {}});
  }

  RunShared& run_;
  ProcessState& proc_;
  int thread_;
  WorkerId worker_;
  StoreClient client_;
  RandomStream objective_stream_;
  std::int64_t trials_run_ = 0;
  std::int64_t eval_index_ = -1;
};

}  // namespace

void run_optimize_worker(RunShared& run, int process, int thread, WorkerId worker) {
  OptimizeWorker(run, process, thread, worker).run();
}

}  // namespace samplersim
