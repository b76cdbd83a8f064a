// `samplersim list`: the built-in scenarios (with the first line of each description, or why it
// does not load) and the registered policies. Returns kExitOk.
#pragma once

namespace samplersim {

// json: one object {"scenario_dir", "scenarios": [{name, description}], "policies": [{name, family, summary}]}.
int list_command(bool json = false);

}  // namespace samplersim
