// `samplersim guarantees`: prints the guarantees matrix (app/guarantees.h) from its data: which
// policy keeps coverage and no-repeats under which fault. Runs no simulation. Returns kExitOk.
#pragma once

namespace samplersim {

int guarantees_command();

}  // namespace samplersim
