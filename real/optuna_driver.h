// OptunaDriver: policy `real:optuna` — the installed Optuna package itself, one real study.optimize
// per simulated process, under samplersim's scheduler, store model, virtual clock and faults.
//
// Per run: one SimStorage (real/optuna_bridge.py: Optuna's BaseStorage over one study, every call
// a timed store operation), and per process one optuna.Study with its own GridSampler over the
// scenario's grid (seed from the seed policy; seed=None draws the process's entropy stream,
// RandomStream(run seed, kEntropy, process, kRealEntropyTag)), then one WorkerLink per worker.
// The objective suggests every dimension with suggest_categorical in file order, then takes the
// scenario's duration, failure or crash (as the model's objective does); optimize gets
// n_trials, MaxTrialsCallback(max_trials, states) and catch=(the scenario's failure,).
// Supported (else the run fails, naming what): workers.threads = 1; faults crash, objective
// failure, slow workers and late joins (store errors, stale reads, heartbeats and retries are
// not simulated in this mode yet); [[enqueue]] by = "before" (put in the storage untimed before
// the run, after the initial trials, as the model's seed_study does) and by = "each-process" (each
// process calls study.enqueue_trial for every entry before its optimize: timed store operations),
// not by = "process"; [[initial_trials]] (untimed before the run; grid attributes as a real
// GridSampler of [grid] writes them). An exception escaping optimize that sim/python_error.h
// knows by its exact message ends its process as the model's does (process_errors); any other
// fails the run. Runs are serialised process-wide (real/python_runtime.h).
// Cost: a few hundred microseconds of host time per store operation (Python + two thread handoffs).
#pragma once

#include <cstdint>

namespace samplersim::real {

// Stream tag of the processes' OS entropy in real-library mode (b of RandomStream::derive), so it
// never coincides with a model's entropy stream of the same process.
inline constexpr std::uint64_t kRealEntropyTag = 0x7265616c;  // "real"

}  // namespace samplersim::real
