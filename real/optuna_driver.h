// OptunaDriver: policy `real:optuna` — the installed Optuna package itself, one real study.optimize
// per simulated process, under samplersim's scheduler, store model, virtual clock and faults.
//
// Per run: one SimStorage (real/optuna_bridge.py: Optuna's BaseStorage over one study, every call
// a timed store operation), and per process one optuna.Study with its own GridSampler over its
// worker group's grid (seed: the group's, else the seed policy's; seed=None draws the process's
// entropy stream, RandomStream(run seed, kEntropy, process, kRealEntropyTag)), then one WorkerLink
// per worker. The objective is the scenario's [objective] as a Python callable: it counts the
// process's call, suggests [objective] params (default every dimension, file order) with
// suggest_categorical, then takes the scenario's duration and outcome (injected failure, scheduled
// fail, prune_every, crash, crash_at, stall) with the model's draws; optimize gets the group's
// n_trials, MaxTrialsCallback(max_trials, states) and catch=(Exception,) with catch = true, else
// catch=(the injected failure,); ask-and-tell groups run the model's loop with the real ask/tell.
// Supported (else the run fails, naming the key; unsupported() in optuna_driver.cc): one thread per
// process; every fault but store errors and stale reads (heartbeats and retries with optimize
// loops only, without stalls or clock skew); [[group]] worker
// groups; [[enqueue]] by = "before" (put in the storage untimed before the run, after the initial
// trials, as the model's seed_study does), by = "each-process" (each process calls
// study.enqueue_trial for every entry before its loop: timed store operations) and by = "process"
// (run_enqueuer); [[initial_trials]] (untimed before the run; grid attributes as a real
// GridSampler of [grid] writes them). An exception escaping optimize that sim/python_error.h
// knows by its message (with its <...> placeholders) ends its process as the model's does
// (process_errors); any other fails the run. Runs are serialised process-wide
// (real/python_runtime.h).
// Cost: a few hundred microseconds of host time per store operation (Python + two thread handoffs).
#pragma once

#include <cstdint>

namespace samplersim::real {

// Stream tag of the processes' OS entropy in real-library mode (b of RandomStream::derive), so it
// never coincides with a model's entropy stream of the same process.
inline constexpr std::uint64_t kRealEntropyTag = 0x7265616c;  // "real"

}  // namespace samplersim::real
