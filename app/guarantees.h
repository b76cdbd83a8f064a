// The guarantees matrix, kept as data: for each policy row and fault class, whether coverage and
// no-repeats hold or are violated. `samplersim guarantees` prints it; tests/fixes checks every
// cell (a "holds" cell passes its property on >= 1,000 generated cases, a "violated" cell has a
// counterexample found within a stated budget and shrunk).
//
// Columns are faults (sim/faults.h's one enumeration; Fault::kNone is the fault-free column); each
// stands for one FaultSpec (fault_spec_for) scaled to the small
// generated scenarios of tests/fixes (objectives of tens of milliseconds). The no-repeats rule is
// "no combination evaluated twice" except under objective failures and crashes, where a
// re-evaluation of a failed or crashed trial is the point of retrying: there it is "at most one
// COMPLETE per combination" (RepeatRule::kAtMostOneComplete). Under stalls and clock skew a live
// lease holder is taken over by design, so two evaluations of a combination are expected of every
// lease policy; the guarantee examined there is about results (RepeatRule::kNoStaleResult): at most
// one COMPLETE per combination, and none written by a trial whose lease on its combination another
// trial took over before it completed (a stale writer; judged by claim epochs). Duplicate work is
// allowed and is lost time, not a second result.
// Pure data; no simulation runs here.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>
#include <vector>

#include "sim/faults.h"
#include "sim/properties.h"

namespace samplersim {

// The matrix's columns, in print order; a column is named by to_string(Fault).
inline constexpr int kGuaranteeColumnCount = 8;
inline constexpr std::array<Fault, kGuaranteeColumnCount> kGuaranteeColumns = {
    Fault::kNone,       Fault::kObjectiveFail, Fault::kCrash, Fault::kStoreError,
    Fault::kStaleRead,  Fault::kLateJoin,      Fault::kStall, Fault::kClockSkew};

// One line: what the column injects. Throws std::invalid_argument for a fault that is no column.
std::string_view describe(Fault column);

// The [faults] configuration a column stands for (same exception).
FaultSpec fault_spec_for(Fault column);
RepeatRule repeat_rule_for(Fault column);

enum class Verdict : std::uint8_t { kHolds = 0, kViolated = 1 };
std::string_view to_string(Verdict v);

struct GuaranteeCell {
  Verdict coverage;
  Verdict no_repeats;
};

struct GuaranteeRow {
  std::string_view policy;       // registry name
  std::string_view seed_policy;  // "none", "same:42", ...
  std::array<GuaranteeCell, kGuaranteeColumnCount> cells;  // in kGuaranteeColumns order
  std::string_view note;         // one line: why
  // The cell of `column` (one of kGuaranteeColumns; throws std::invalid_argument otherwise).
  const GuaranteeCell& cell(Fault column) const;
};

const std::vector<GuaranteeRow>& guarantee_matrix();

}  // namespace samplersim
