#include "app/guarantees_command.h"

#include <fmt/format.h>

#include "app/exit_status.h"
#include "app/guarantees.h"

namespace samplersim {

namespace {
std::string cell_text(const GuaranteeCell& c) {
  auto mark = [](Verdict v) { return v == Verdict::kHolds ? "holds" : "VIOLATED"; };
  return fmt::format("{}/{}", mark(c.coverage), mark(c.no_repeats));
}

void print_matrix() {
  fmt::print("Guarantees: coverage/no-repeats per policy and fault class (tests/fixes checks every cell)\n\n");
  fmt::print("{:<22}", "policy/seed");
  for (Fault c : kGuaranteeColumns) fmt::print(" {:<19}", to_string(c));
  fmt::print("\n");
  for (const GuaranteeRow& row : guarantee_matrix()) {
    fmt::print("{:<22}", fmt::format("{}/{}", row.policy, row.seed_policy));
    for (const GuaranteeCell& cell : row.cells) fmt::print(" {:<19}", cell_text(cell));
    fmt::print("\n");
  }
  fmt::print("\nFault classes:\n");
  for (Fault c : kGuaranteeColumns) {
    fmt::print("  {:<19} {}{}\n", to_string(c), describe(c),
               repeat_rule_for(c) == RepeatRule::kAtMostOneComplete ? " (no-repeats: at most one COMPLETE)" : "");
  }
  fmt::print("\nWhy:\n");
  for (const GuaranteeRow& row : guarantee_matrix()) {
    fmt::print("  {:<22} {}\n", fmt::format("{}/{}", row.policy, row.seed_policy), row.note);
  }
}
}  // namespace

int guarantees_command() {
  print_matrix();
  return kExitOk;
}

}  // namespace samplersim
