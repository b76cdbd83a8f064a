#include "app/export_trace_command.h"

#include <string>

#include <fmt/format.h>

#include "app/arms.h"
#include "app/atomic_file.h"
#include "app/chrome_trace.h"
#include "app/exit_status.h"
#include "sim/errors.h"
#include "app/scenario_files.h"
#include "app/single_run.h"
#include "sim/random_stream.h"

namespace samplersim {

namespace {

}  // namespace

int export_trace_command(const ExportTraceOptions& opt) {
  check_output_file(opt.out);  // its missing folders are made just before the trace is written
  const ScenarioSpec spec = load_scenario(opt.scenario);
  std::vector<SeedPolicy> seeds;
  if (!opt.seed_policy.empty()) {
    auto s = parse_seed_policy(opt.seed_policy);
    if (!s) {
      throw BadInput::argument("--seed-policy", "none, same:S or distinct:S with 0 <= S < 2^32",
                               fmt::format("'{}'", opt.seed_policy));
    }
    seeds.push_back(*s);
  }
  std::vector<std::string> policies;
  if (!opt.policy.empty()) policies.push_back(opt.policy);
  const std::vector<Arm> arms = arms_of(spec, policies, seeds);
  if (arms.size() != 1) {
    throw BadInput::argument("export-trace", "exactly one arm (give --policy and --seed-policy)",
                             fmt::format("{} arms", arms.size()));
  }
  const TracedRun run = run_traced(spec, arms.front(), opt.rep);
  const nlohmann::json info{{"scenario", spec.name}, {"policy", arms.front().policy->name},
                            {"seed_policy", arms.front().seed_policy.to_string()}, {"rep", opt.rep},
                            {"run_seed", run_seed_for_rep(spec.seed, static_cast<std::uint64_t>(opt.rep))},
                            {"trace_hash", format_hash(run.outcome.trace_hash)},
                            {"repeats", run.outcome.repeats}, {"never_evaluated", run.outcome.never_evaluated},
                            {"time_unit", "virtual microseconds"}};
  make_parent_directories(opt.out);
  write_file_atomically(opt.out, chrome_trace(run.trace, spec, info).dump() + "\n");
  fmt::print("wrote Chrome trace of {} {} rep {} ({} events) to {}; open it in ui.perfetto.dev or chrome://tracing\n",
             spec.name, arms.front().label(), opt.rep, run.trace.events().size(), opt.out);
  return kExitOk;
}


}  // namespace samplersim
