// `samplersim guarantees`: its arguments (app/guarantees_command.h does the work).
#include <memory>

#include "app/guarantees_command.h"
#include "cli/command.h"

namespace samplersim {

Command add_guarantees_command(CLI::App& root) {
  auto format = std::make_shared<std::string>("text");
  CLI::App* cmd = root.add_subcommand("guarantees", "Print which policy guarantees coverage and no-repeats under which faults");
  add_format_option(cmd, *format);
  return {cmd, [format] { return guarantees_command(*format == "json"); }};
}

}  // namespace samplersim
