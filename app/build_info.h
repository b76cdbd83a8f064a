// What `samplersim --version` prints: "samplersim <version> (commit <git commit>)", the commit
// taken when the binary was built ("unknown" without git; "+dirty" with uncommitted changes).
// Defined in a source file the build generates (cmake/build_info.cmake) and links into the
// samplersim executable only, so a new commit relinks the command and nothing else.
#pragma once

#include <string>

namespace samplersim {

std::string version_text();

}  // namespace samplersim
