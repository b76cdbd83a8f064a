// Option shapes shared by the subcommands (cli/command.h).
#include "cli/command.h"

#include "cli/arguments.h"

namespace samplersim {

CLI::Option* add_list_option(CLI::App* cmd, const std::string& name, std::vector<std::string>& values,
                             const std::string& description) {
  // CLI11's delimiter(',') drops empty items, so `--policy a,,b` passed as `a,b`: each argument is
  // checked whole, then split here.
  const CLI::Validator no_empty_item(
      [](std::string& text) -> std::string {
        if (text.empty() || text.front() == ',' || text.back() == ',' || text.find(",,") != std::string::npos) {
          return "expected a name or a comma-separated list of names, none empty, got '" +
                 detail::shown_argument(text) + "'";
        }
        return {};
      },
      "LIST");
  return cmd
      ->add_option_function<std::vector<std::string>>(
          name,
          [&values](const std::vector<std::string>& given) {
            values.clear();
            for (const std::string& arg : given) {
              std::size_t start = 0;
              while (true) {
                const std::size_t comma = arg.find(',', start);
                values.push_back(arg.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
                if (comma == std::string::npos) break;
                start = comma + 1;
              }
            }
          },
          description)
      ->allow_extra_args(false)
      ->check(no_empty_item);
}

CLI::Option* add_format_option(CLI::App* cmd, std::string& format) {
  return cmd->add_option("--format", format, "Output: text (default) or json (one JSON object on stdout)")
      ->check(CLI::IsMember({"text", "json"}));
}

}  // namespace samplersim
