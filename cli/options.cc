// Option shapes shared by the subcommands (cli/command.h).
#include "cli/command.h"

namespace samplersim {

CLI::Option* add_list_option(CLI::App* cmd, const std::string& name, std::vector<std::string>& values,
                             const std::string& description) {
  return cmd->add_option(name, values, description)->allow_extra_args(false)->delimiter(',');
}

CLI::Option* add_format_option(CLI::App* cmd, std::string& format) {
  return cmd->add_option("--format", format, "Output: text (default) or json (one JSON object on stdout)")
      ->check(CLI::IsMember({"text", "json"}));
}

}  // namespace samplersim
