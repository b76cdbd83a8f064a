// `samplersim replay FILE [--out DIR]`: its arguments (app/replay_command.h does the work).
#include <memory>

#include "app/replay_command.h"
#include "cli/arguments.h"
#include "cli/command.h"

namespace samplersim {

Command add_replay_command(CLI::App& root) {
  auto opt = std::make_shared<ReplayCommandOptions>();
  CLI::App* cmd = root.add_subcommand("replay", "Re-run a replay file, check its trace hash, re-render trace and diagram");
  cmd->add_option("file", opt->file, "Replay file (replay.json)")->required();
  cmd->add_option("--out", opt->out, "Directory for trace.txt and the diagram (default: the file's directory)");
  auto format = std::make_shared<std::string>("text");
  add_format_option(cmd, *format);
  return {cmd, [opt, format] {
            opt->json_format = *format == "json";
            return replay_command(*opt);
          }};
}

}  // namespace samplersim
