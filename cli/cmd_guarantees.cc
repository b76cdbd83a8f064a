// `samplersim guarantees`: its arguments (app/guarantees_command.h does the work).
#include "app/guarantees_command.h"
#include "cli/command.h"

namespace samplersim {

Command add_guarantees_command(CLI::App& root) {
  CLI::App* cmd = root.add_subcommand("guarantees", "Print which policy guarantees coverage and no-repeats under which faults");
  return {cmd, [] { return guarantees_command(); }};
}

}  // namespace samplersim
