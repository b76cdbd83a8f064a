// samplersim_native: the embedded Python module through which real/optuna_bridge.py reaches the
// simulator — the calling worker's virtual clock, its process's entropy, its timed store
// operations and the scenario's objective. Every function acts for the worker whose thread calls
// it (WorkerLink::current()); outside a worker (setting a run up) the clock reads 0, sleeping is
// refused and entropy comes from the process being set up (SetupEntropy).
#include <cstdint>
#include <string>
#include <vector>

#include <pybind11/embed.h>
#include <pybind11/stl.h>

#include "real/native_module.h"
#include "real/worker_link.h"

namespace py = pybind11;

namespace samplersim::real {

namespace {
thread_local RandomStream* tl_setup_entropy = nullptr;

WorkerLink& link_or_raise() {
  WorkerLink* link = WorkerLink::current();
  if (link == nullptr) throw std::runtime_error("samplersim: a store operation or sleep outside a simulated worker");
  return *link;
}
}  // namespace

SetupEntropy::SetupEntropy(RandomStream* stream) : previous_(tl_setup_entropy) { tl_setup_entropy = stream; }
SetupEntropy::~SetupEntropy() { tl_setup_entropy = previous_; }

}  // namespace samplersim::real

PYBIND11_EMBEDDED_MODULE(samplersim_native, m) {
  using samplersim::real::WorkerLink;
  py::register_exception<samplersim::real::WorkerCrash>(m, "WorkerCrashed", PyExc_BaseException);
  py::register_exception<samplersim::real::RunAborted>(m, "RunAborted", PyExc_BaseException);
  m.def("in_worker", [] { return WorkerLink::current() != nullptr; });
  m.def("now_us", []() -> std::int64_t {
    WorkerLink* link = WorkerLink::current();
    return link != nullptr ? link->now_us() : 0;
  });
  m.def("sleep_us", [](std::int64_t us) { samplersim::real::link_or_raise().sleep_us(us); });
  m.def("entropy_u64", []() -> std::uint64_t {
    if (WorkerLink* link = WorkerLink::current()) return link->entropy_u64();
    if (samplersim::real::tl_setup_entropy != nullptr) return samplersim::real::tl_setup_entropy->next_u64();
    throw std::runtime_error("samplersim: OS entropy drawn outside a simulated process");
  });
  m.def("begin", [](int op) { samplersim::real::link_or_raise().store_begin(op); });
  m.def("end", [](int op, int trial, std::int64_t a, std::int64_t b, const std::string& key, bool ok) {
    samplersim::real::link_or_raise().store_end(op, trial, a, b, key, ok);
  });
  m.def("objective_call", [] { samplersim::real::link_or_raise().objective_call(); });
  m.def("objective", [](int trial) { return samplersim::real::link_or_raise().objective(trial); });
  m.def("get_stale_trials", [] { return samplersim::real::link_or_raise().get_stale_trials(); });
  m.def("worker_id", [] { return static_cast<int>(samplersim::real::link_or_raise().worker()); });
  m.def("park", [] { samplersim::real::link_or_raise().park(); });
  m.def("wake", [](int worker) { samplersim::real::link_or_raise().wake(static_cast<samplersim::WorkerId>(worker)); });
  m.def("stop_error_swallowed", [](int trial) { samplersim::real::link_or_raise().stop_error_swallowed(trial); });
}
