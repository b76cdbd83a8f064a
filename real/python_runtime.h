// The embedded CPython interpreter of real-library mode (pybind11), shared by every real run.
//
// One interpreter per samplersim process, started on first use and never finalised (worker threads
// and Optuna's module state make Py_Finalize unsafe; the OS reclaims it at exit). Starting it runs
// real/optuna_bridge.py, which makes the clock and OS entropy virtual BEFORE importing Optuna.
// Runs of real-library mode are serialised by RunLock: the simulated processes of one run share
// the interpreter's module state, and two runs at once would share it too (see README, limits).
// Errors: a Python that cannot import optuna (or the bridge) throws std::runtime_error naming
// the Python exception and the search path; later calls in the same process fail the same way.
#pragma once

#include <mutex>
#include <string>

namespace pybind11 {
class module_;
}

namespace samplersim::real {

// Directory put first on sys.path (`--python-path DIR`), to run another Optuna than the
// installed one. Only before the interpreter has started; returns false (and changes nothing)
// after, or if `dir` is not a directory.
bool set_python_path(const std::string& dir);

// Held for the whole of one real run.
class RunLock {
 public:
  RunLock();
 private:
  std::unique_lock<std::mutex> lock_;
};

// The bridge module (real/optuna_bridge.py), starting the interpreter if needed. Call with a
// RunLock held and WITHOUT the GIL; hold the GIL (py::gil_scoped_acquire) to use the result.
pybind11::module_& bridge_module();

// Optuna's version string, e.g. "3.1.0" (starts the interpreter).
std::string optuna_version();

}  // namespace samplersim::real
