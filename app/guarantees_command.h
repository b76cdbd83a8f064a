// `samplersim guarantees`: prints the guarantees matrix (app/guarantees.h) from its data: which
// policy keeps coverage and no-repeats under which fault. Runs no simulation. Returns kExitOk.
#pragma once

namespace samplersim {

// json: one object {"columns": [{name, description}], "rows": [{policy, seed_policy, cells: [{coverage,
// no_repeats}], note}]}.
int guarantees_command(bool json = false);

}  // namespace samplersim
