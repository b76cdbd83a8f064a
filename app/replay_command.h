// `samplersim replay FILE [--out DIR]`: re-run a recorded schedule bit for bit, check its trace
// hash, and re-render its text trace and interleaving diagram (trace.txt, interleaving.dot,
// interleaving.svg; default DIR: the replay file's directory). Exit 0 when the hash matches,
// 1 when it diverges, 2 on a bad file.
// The command line (cli/) only fills ReplayCommandOptions; returns an exit status (app/exit_status.h).
#pragma once

#include <cstdint>
#include <string>

namespace samplersim {

struct ReplayCommandOptions {
  std::string file;
  std::string out;
  bool json_format = false;  // --format json: one JSON object on stdout instead of text
};

int replay_command(const ReplayCommandOptions& options);

// Prints whether a replay reproduced its recording (same trace hash); returns kExitOk or
// kExitFinding. Shared by `run --replay` and `replay`.
int print_replay_verdict(std::uint64_t recorded_hash, std::uint64_t replayed_hash);

}  // namespace samplersim
