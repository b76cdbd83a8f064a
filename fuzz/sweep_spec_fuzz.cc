// Fuzz target: the sweep-spec reader (app/sweep_spec.h): TOML through the one reader, scenario
// references (built-in names, or files relative to the spec) and axes written into scenario
// documents and validated by the loader. Plans of at most 64 axis points are expanded (planning a
// point validates a whole scenario; the limit of 10^6 is tested in the corpus).
#include <cstddef>
#include <cstdint>

#include "app/sweep_spec.h"
#include "fuzz/fuzz_input.h"
#include "sim/errors.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const std::string path = samplersim::fuzz::scratch_file("spec.toml");
  samplersim::fuzz::write_input(path, data, size);
  try {
    const samplersim::SweepPlan plan = samplersim::load_sweep_plan(path, 64);
    (void)plan.total_runs;
  } catch (const samplersim::BadInput&) {
  }
  return 0;
}
