// `samplersim export-trace SCENARIO --policy P --seed-policy S [--rep K] --out trace.json`:
// one run as Chrome trace-event JSON (open in ui.perfetto.dev or chrome://tracing).
// The command line (cli/) only fills ExportTraceOptions; returns an exit status (app/exit_status.h).
#pragma once

#include <string>

namespace samplersim {

struct ExportTraceOptions {
  std::string scenario;
  std::string policy;
  std::string seed_policy;
  int rep = 0;
  std::string out;
};

int export_trace_command(const ExportTraceOptions& options);

}  // namespace samplersim
