// Fuzz target: the replay-file reader (app/replay_file.h) and, for a replay whose embedded
// scenario is small, the replay itself: recorded picks drive the engine, and any pick vector must
// end in a reproduced or diverged run (ReplayDivergence), never an abort.
#include <cstddef>
#include <cstdint>
#include <string>

#include "app/arms.h"
#include "app/replay_file.h"
#include "app/scenario_files.h"
#include "app/single_run.h"
#include "fuzz/fuzz_input.h"
#include "sim/errors.h"
#include "sim/simulation.h"

namespace {

// Small enough to simulate within the fuzzer's time budget.
bool small(const samplersim::ScenarioSpec& spec, const samplersim::ReplayRecord& rec) {
  return spec.combinations() <= 16 && spec.workers() <= 4 && rec.picks.size() <= 4096 &&
         spec.limits.max_virtual_time_us <= 3600LL * 1'000'000;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace samplersim;
  static const std::string path = fuzz::scratch_file("replay.json");
  fuzz::write_input(path, data, size);
  try {
    const ReplayRecord rec = read_replay_file(path);
    const ScenarioSpec spec = load_scenario_text(rec.scenario_source, path + " (embedded scenario)");
    const auto seed = parse_seed_policy(rec.seed_policy);
    if (!seed || !small(spec, rec)) return 0;
    const std::vector<Arm> arms = arms_of(spec, {rec.policy}, {*seed});
    (void)run_replay(spec, arms.front(), rec);
  } catch (const BadInput&) {
  } catch (const ReplayDivergence&) {
  } catch (const RunFailure& e) {
    // A run that cannot complete within its limits is a legitimate outcome of a strange scenario;
    // a broken invariant is not.
    if (std::string(e.what()).find("invariant violated") != std::string::npos) throw;
  }
  return 0;
}
