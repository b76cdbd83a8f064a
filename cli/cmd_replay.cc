// `samplersim replay FILE [--out DIR]`: re-run a recorded schedule bit for bit, check its trace
// hash, and re-render its text trace and interleaving diagram (trace.txt, interleaving.dot,
// interleaving.svg; default DIR: the replay file's directory). Exit 0 when the hash matches,
// 1 when it diverges, 2 on a bad file.
#include <filesystem>
#include <memory>
#include <string>

#include <fmt/format.h>

#include "app/arms.h"
#include "app/atomic_file.h"
#include "app/check_output.h"
#include "app/replay_file.h"
#include "app/scenario_files.h"
#include "app/single_run.h"
#include "cli/command.h"
#include "sim/properties.h"

namespace samplersim {

namespace {

struct ReplayOptions {
  std::string file;
  std::string out;
};

int replay_file(const ReplayOptions& opt) {
  const ReplayRecord rec = read_replay_file(opt.file);
  std::string out = opt.out;
  if (out.empty()) {
    out = std::filesystem::path(opt.file).parent_path().string();
    if (out.empty()) out = ".";
  }
  check_output_dir(out);
  const ScenarioSpec spec = load_scenario_text(rec.scenario_source, opt.file + " (embedded scenario)");
  const auto seed = parse_seed_policy(rec.seed_policy);
  if (!seed) throw BadInput(opt.file, 0, "seed_policy", "none, same:S or distinct:S", rec.seed_policy);
  const PolicyInfo* policy = PolicyRegistry::find(rec.policy);
  if (!policy) throw BadInput(opt.file, 0, "policy", "a policy from `samplersim list`", rec.policy);
  const Arm arm{policy, *seed};
  const TracedRun run = run_replay(spec, arm, rec);
  // The recorded property first (a check counterexample), else every run property.
  std::vector<Property> properties{Property::kCoverage, Property::kNoRepeats, Property::kTermination};
  if (!rec.property.empty()) {
    const auto p = property_from_string(rec.property);
    if (!p || *p == Property::kReplay) {
      throw BadInput(opt.file, 0, "property", "coverage, no-repeats or termination", rec.property);
    }
    properties.insert(properties.begin(), *p);
  }
  const auto violation = check_properties(run.outcome, spec, properties);
  const CounterexampleFiles files =
      write_run_rendering(out, spec, run.trace, run.outcome, labels_for(spec, arm, run.outcome, violation, rec.run_seed));
  fmt::print("replay of {} {} ({}), run seed {}, {} picks\n", spec.name, arm.label(), rec.strategy, rec.run_seed,
             rec.picks.size());
  fmt::print("{}\n", violation ? fmt::format("{} violated: {}", to_string(violation->property), violation->detail)
                               : std::string("no property violated"));
  fmt::print("trace:   {}\ndiagram: {}\n         {}\n", files.trace_txt, files.interleaving_dot, files.interleaving_svg);
  return print_replay_verdict(rec.trace_hash, run.outcome.trace_hash);
}

}  // namespace

Command add_replay_command(CLI::App& root) {
  auto opt = std::make_shared<ReplayOptions>();
  CLI::App* cmd = root.add_subcommand("replay", "Re-run a replay file, check its trace hash, re-render trace and diagram");
  cmd->add_option("file", opt->file, "Replay file (replay.json)")->required();
  cmd->add_option("--out", opt->out, "Directory for trace.txt and the diagram (default: the file's directory)");
  return {cmd, [opt] { return replay_file(*opt); }};
}

}  // namespace samplersim
