// `samplersim list`: its arguments (app/list_command.h does the work).
#include "app/list_command.h"
#include "cli/command.h"

namespace samplersim {

Command add_list_command(CLI::App& root) {
  CLI::App* cmd = root.add_subcommand("list", "List built-in scenarios and sampler policies");
  return {cmd, [] { return list_command(); }};
}

}  // namespace samplersim
