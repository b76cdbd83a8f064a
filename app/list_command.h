// `samplersim list`: the built-in scenarios (with the first line of each description, or why it
// does not load) and the registered policies. Returns kExitOk.
#pragma once

namespace samplersim {

int list_command();

}  // namespace samplersim
