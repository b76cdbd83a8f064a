#include "app/install_paths.h"

#include <cstdlib>
#include <filesystem>

namespace samplersim {

namespace fs = std::filesystem;

std::string executable_dir() {
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  return ec ? std::string() : exe.parent_path().string();
}

ScenarioDirLookup find_builtin_scenario_dir() {
  ScenarioDirLookup lookup;
  if (const char* dir = std::getenv("SAMPLERSIM_SCENARIOS"); dir != nullptr && *dir != '\0') {
    lookup.tried.push_back(dir);
    lookup.found = dir;
    return lookup;
  }
  const std::string exe_dir = executable_dir();
  if (exe_dir.empty()) return lookup;
  const fs::path bin(exe_dir);
  std::error_code ec;
  const fs::path installed = (bin / ".." / "share" / "samplersim" / "scenarios").lexically_normal();
  lookup.tried.push_back(installed.string());
  if (fs::is_directory(installed, ec)) {
    lookup.found = installed.string();
    return lookup;
  }
  for (const fs::path& up : {bin / "..", bin / ".." / ".."}) {
    const fs::path source = (up / "scenarios").lexically_normal();
    lookup.tried.push_back(source.string());
    if (fs::is_regular_file(source / "SCHEMA.md", ec)) {
      lookup.found = source.string();
      return lookup;
    }
  }
  return lookup;
}

}  // namespace samplersim
