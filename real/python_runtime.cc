#include "real/python_runtime.h"

#include <filesystem>
#include <stdexcept>

#include <fmt/format.h>
#include <pybind11/embed.h>

namespace py = pybind11;

extern const char* const kSamplersimOptunaBridgeSource;  // generated from real/optuna_bridge.py

namespace samplersim::real {

namespace {

std::mutex& runtime_mutex() {
  static std::mutex m;
  return m;
}

struct Runtime {
  bool started = false;
  std::string python_path;
  py::module_* bridge = nullptr;  // leaked with the interpreter
};

Runtime& runtime() {
  static Runtime r;
  return r;
}

// With runtime_mutex held. Leaves the GIL released.
void start_locked() {
  Runtime& rt = runtime();
  if (rt.started) return;
  py::initialize_interpreter(/*init_signal_handlers=*/false);
  rt.started = true;
  try {
    py::module_ sys = py::module_::import("sys");
    if (!rt.python_path.empty()) sys.attr("path").attr("insert")(0, rt.python_path);
    py::module_ types = py::module_::import("types");
    py::object module = types.attr("ModuleType")("samplersim_optuna_bridge");
    sys.attr("modules")["samplersim_optuna_bridge"] = module;
    py::exec(kSamplersimOptunaBridgeSource, module.attr("__dict__"));
    rt.bridge = new py::module_(py::reinterpret_borrow<py::module_>(module));
  } catch (const py::error_already_set& e) {
    const std::string path = py::str(py::module_::import("sys").attr("path")).cast<std::string>();
    const std::string what = e.what();
    py::module_::import("sys").attr("modules").attr("pop")("samplersim_optuna_bridge", py::none());
    PyEval_SaveThread();
    rt.started = true;
    throw std::runtime_error(fmt::format("real:optuna: cannot start Optuna in the embedded Python "
                                         "(sys.path {}): {}", path, what));
  }
  PyEval_SaveThread();  // from now on every user takes the GIL for itself
}

}  // namespace

bool set_python_path(const std::string& dir) {
  std::lock_guard<std::mutex> lock(runtime_mutex());
  std::error_code ec;
  if (runtime().started || !std::filesystem::is_directory(dir, ec)) return false;
  runtime().python_path = dir;
  return true;
}

RunLock::RunLock() : lock_(runtime_mutex()) {}

py::module_& bridge_module() {
  Runtime& rt = runtime();
  if (rt.bridge == nullptr) {
    if (!rt.started) start_locked();
    py::gil_scoped_acquire gil;
    if (rt.bridge == nullptr) {
      throw std::runtime_error("real:optuna: the Optuna bridge failed to load earlier in this process");
    }
  }
  return *rt.bridge;
}

std::string optuna_version() {
  RunLock lock;
  py::module_& bridge = bridge_module();
  py::gil_scoped_acquire gil;
  return bridge.attr("optuna").attr("__version__").cast<std::string>();
}

}  // namespace samplersim::real
