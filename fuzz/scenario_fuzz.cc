// Fuzz target: the scenario reader (scenarios/scenario_loader.h, through the one TOML reader and
// its guards in front of toml++, which this build compiles header-only and instruments).
// Any input must give a ScenarioSpec or a BadInput.
#include <cstddef>
#include <cstdint>

#include "app/scenario_files.h"
#include "fuzz/fuzz_input.h"
#include "sim/errors.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  try {
    const samplersim::ScenarioSpec spec = samplersim::load_scenario_text(std::string(samplersim::fuzz::as_text(data, size)),
                                                                         "fuzz.toml");
    (void)spec.combinations();
  } catch (const samplersim::BadInput&) {
  }
  return 0;
}
