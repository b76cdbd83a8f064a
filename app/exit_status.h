// Exit statuses of the samplersim command and the one mapping from an error to a status and a
// one-line message (the command line prints it on stderr as "samplersim: <message>"). The status
// is decided by the kind of error (sim/errors.h), never by which standard exception a library threw:
//   0 success; 1 a finding (a property violated, a replay that diverged);
//   2 bad input (BadInput: arguments, scenario, sweep spec, replay, results or study files), with
//     no partial output; 3 internal (a run that could not complete, a broken invariant, any other
//     exception), with the run seed where there is one; 4 an output could not be written
//     (OutputError: disk full, permission, missing directory), naming the path, no partial file.
#pragma once

#include <string>
#include <string_view>

namespace samplersim {

inline constexpr int kExitOk = 0;
inline constexpr int kExitFinding = 1;
inline constexpr int kExitBadInput = 2;
inline constexpr int kExitInternal = 3;
inline constexpr int kExitOutputFailed = 4;

struct ExitReport {
  int status = kExitInternal;
  std::string message;  // one line, unsafe characters escaped
};

// `text` made safe for one terminal line (unsafe characters escaped; see sim/unsafe_text.h).
std::string terminal_line(std::string_view text);

// The status and message for the exception being handled; call it only inside a catch block.
// The message is one terminal line (terminal_line).
ExitReport exit_report_of_current_exception();

}  // namespace samplersim
