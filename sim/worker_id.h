// WorkerId: the index of one simulated worker (a thread of a process), process-major:
// worker = process * threads + thread. The engine spawns workers in that order, so ids are dense
// from 0 and every "ascending worker id" order in the engine and the traces is this one.
#pragma once

namespace samplersim {

using WorkerId = int;

}  // namespace samplersim
