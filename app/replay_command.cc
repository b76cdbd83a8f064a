#include "app/replay_command.h"

#include <filesystem>
#include <string>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <nlohmann/json.hpp>

#include "app/arms.h"
#include "app/atomic_file.h"
#include "app/check_output.h"
#include "app/exit_status.h"
#include "sim/errors.h"
#include "app/replay_file.h"
#include "app/scenario_files.h"
#include "app/single_run.h"
#include "sim/properties.h"
#include "sim/plural.h"

namespace samplersim {

namespace {

// The directory of `file` ("." for a bare file name): where replay writes by default.
std::string directory_of(const std::string& file) {
  const std::filesystem::path parent = std::filesystem::path(file).parent_path();
  return parent.empty() ? std::string(".") : parent.string();
}

}  // namespace

int replay_command(const ReplayCommandOptions& opt) {
  const ReplayRecord rec = read_replay_file(opt.file);
  const std::string default_out = opt.out.empty() ? directory_of(opt.file) : opt.out;
  check_output_dir(default_out);
  const ScenarioSpec spec = load_replayed_scenario(rec.scenario_source, opt.file, rec.scenario_path);
  const auto seed = parse_seed_policy(rec.seed_policy);
  if (!seed) throw BadInput(opt.file, 0, "seed_policy", "none, same:S or distinct:S", rec.seed_policy);
  const PolicyInfo* policy = PolicyRegistry::find(rec.policy);
  if (!policy) throw BadInput(opt.file, 0, "policy", "a policy from `samplersim list`", rec.policy);
  const Arm arm{policy, *seed};
  check_omitted_processes(rec, opt.file, spec.processes);
  const TracedRun run = run_replay(spec, arm, rec);
  // The recorded property first (a check counterexample), else every run property.
  std::vector<Property> properties{Property::kCoverage, Property::kNoRepeats, Property::kTermination};
  if (!rec.property.empty()) {
    const auto p = property_from_string(rec.property);
    if (!p || *p == Property::kReplay) {
      throw BadInput(opt.file, 0, "property", "coverage, no-repeats, no-stale-results or termination", rec.property);
    }
    properties.insert(properties.begin(), *p);
  }
  const auto violation = check_properties(run.outcome, spec, properties);
  // Without --out the files go next to the replay file, where they are the recorded run's; a
  // diverged run must not replace them: its files go to a folder of their own there.
  std::string out = default_out;
  if (opt.out.empty() && rec.trace_hash != run.outcome.trace_hash) {
    out = default_out + "/diverged";
    check_output_dir(out);
  }
  const CounterexampleFiles files =
      write_run_rendering(out, spec, run.trace, run.outcome, labels_for(spec, arm, run.outcome, violation, rec.run_seed, rec.omitted_processes));
  if (opt.json_format) {
    nlohmann::json doc{{"scenario", spec.name},
                       {"policy", arm.policy->name},
                       {"seed_policy", arm.seed_policy.to_string()},
                       {"strategy", rec.strategy},
                       {"run_seed", rec.run_seed},
                       {"picks", rec.picks.size()},
                       {"omitted_processes", rec.omitted_processes},
                       {"violation", nullptr},
                       {"recorded_trace_hash", format_hash(rec.trace_hash)},
                       {"replayed_trace_hash", format_hash(run.outcome.trace_hash)},
                       {"reproduced", rec.trace_hash == run.outcome.trace_hash},
                       {"files",
                        {{"trace", files.trace_txt},
                         {"dot", files.interleaving_dot},
                         {"svg", files.interleaving_svg.empty() ? nlohmann::json(nullptr) : nlohmann::json(files.interleaving_svg)},
                         {"svg_note", files.svg_note}}}};
    if (violation) doc["violation"] = {{"property", std::string(to_string(violation->property))}, {"detail", violation->detail}};
    fmt::print("{}\n", doc.dump());
    return rec.trace_hash == run.outcome.trace_hash ? kExitOk : kExitFinding;
  }
  fmt::print("replay of {} {} ({}), run seed {}, {}{}\n", spec.name, arm.label(), terminal_line(rec.strategy), rec.run_seed,
             plural(rec.picks.size(), "pick"),
             rec.omitted_processes.empty() ? std::string()
                                           : fmt::format(", without processes {}", format_process_ranges(rec.omitted_processes)));
  fmt::print("{}\n", violation ? fmt::format("{} violated: {}", to_string(violation->property), violation->detail)
                               : std::string("no property violated"));
  fmt::print("trace:   {}\ndiagram: {}\n         {}\n", files.trace_txt, files.interleaving_dot,
             files.interleaving_svg.empty() ? files.svg_note : files.interleaving_svg);
  return print_replay_verdict(rec.trace_hash, run.outcome.trace_hash);
}


int print_replay_verdict(std::uint64_t recorded_hash, std::uint64_t replayed_hash) {
  if (replayed_hash != recorded_hash) {
    fmt::print("DIVERGED: recorded trace hash {}, replay gave {}\n", format_hash(recorded_hash),
               format_hash(replayed_hash));
    return kExitFinding;
  }
  fmt::print("reproduced: trace hash {} matches the recording\n", format_hash(recorded_hash));
  return kExitOk;
}

}  // namespace samplersim
