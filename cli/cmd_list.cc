// `samplersim list`: its arguments (app/list_command.h does the work).
#include <memory>

#include "app/list_command.h"
#include "cli/command.h"

namespace samplersim {

Command add_list_command(CLI::App& root) {
  auto format = std::make_shared<std::string>("text");
  CLI::App* cmd = root.add_subcommand("list", "List built-in scenarios and sampler policies");
  add_format_option(cmd, *format);
  return {cmd, [format] { return list_command(*format == "json"); }};
}

}  // namespace samplersim
