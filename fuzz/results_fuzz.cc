// Fuzz target: the results reader behind `samplersim report` (reports/report_data.h): JSON Lines
// read line by line with a depth limit, every key checked, runs deduplicated.
#include <cstddef>
#include <cstdint>

#include "fuzz/fuzz_input.h"
#include "reports/report_data.h"
#include "sim/errors.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const std::string path = samplersim::fuzz::scratch_file("results.jsonl");
  samplersim::fuzz::write_input(path, data, size);
  try {
    const samplersim::ReportData report = samplersim::load_report_data({path});
    for (const auto& scenario : report.scenarios) {
      for (const auto& variant : scenario.variants) (void)variant.describe();
    }
  } catch (const samplersim::BadInput&) {
  }
  return 0;
}
