// The guarantees matrix, kept as data: for each policy row and fault class, whether coverage and
// no-repeats hold or are violated. `samplersim guarantees` prints it; tests/fixes checks every
// cell (a "holds" cell passes its property on >= 1,000 generated cases, a "violated" cell has a
// counterexample found within a stated budget and shrunk).
//
// Columns are fault classes; each stands for one FaultSpec (fault_spec_for) scaled to the small
// generated scenarios of tests/fixes (objectives of tens of milliseconds). The no-repeats rule is
// "no combination evaluated twice" except under objective failures and crashes, where a
// re-evaluation of a failed or crashed trial is the point of retrying: there it is "at most one
// COMPLETE per combination" (RepeatRule::kAtMostOneComplete).
// Pure data; no simulation runs here.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>
#include <vector>

#include "sim/faults.h"
#include "sim/properties.h"

namespace samplersim {

enum class FaultClass : std::uint8_t {
  kNone = 0,
  kObjectiveFailures = 1,
  kCrashes = 2,
  kStoreErrors = 3,
  kStaleReads = 4,
  kLateJoiners = 5,
};
inline constexpr int kFaultClassCount = 6;
inline constexpr std::array<FaultClass, kFaultClassCount> kAllFaultClasses = {
    FaultClass::kNone,       FaultClass::kObjectiveFailures, FaultClass::kCrashes,
    FaultClass::kStoreErrors, FaultClass::kStaleReads,       FaultClass::kLateJoiners};

std::string_view to_string(FaultClass c);
// One line: what the column injects.
std::string_view describe(FaultClass c);

// The [faults] configuration a column stands for.
FaultSpec fault_spec_for(FaultClass c);
RepeatRule repeat_rule_for(FaultClass c);

enum class Verdict : std::uint8_t { kHolds = 0, kViolated = 1 };
std::string_view to_string(Verdict v);

struct GuaranteeCell {
  Verdict coverage;
  Verdict no_repeats;
};

struct GuaranteeRow {
  std::string_view policy;       // registry name
  std::string_view seed_policy;  // "none", "same:42", ...
  std::array<GuaranteeCell, kFaultClassCount> cells;  // by FaultClass
  std::string_view note;         // one line: why
};

const std::vector<GuaranteeRow>& guarantee_matrix();

}  // namespace samplersim
