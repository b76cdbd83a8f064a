#include "app/guarantees_command.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

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
  fmt::print("{:<26}", "policy/seed");
  for (Fault c : kGuaranteeColumns) fmt::print(" {:<19}", to_string(c));
  fmt::print("\n");
  for (const GuaranteeRow& row : guarantee_matrix()) {
    fmt::print("{:<26}", fmt::format("{}/{}", row.policy, row.seed_policy));
    for (const GuaranteeCell& cell : row.cells) fmt::print(" {:<19}", cell_text(cell));
    fmt::print("\n");
  }
  fmt::print("\nFault classes:\n");
  for (Fault c : kGuaranteeColumns) {
    fmt::print("  {:<19} {}{}\n", to_string(c), describe(c),
               repeat_rule_for(c) == RepeatRule::kAtMostOneComplete ? " (no-repeats: at most one COMPLETE)"
               : repeat_rule_for(c) == RepeatRule::kNoStaleResult
                   ? " (no-repeats: no stale result, i.e. at most one COMPLETE and none from a taken-over holder)"
                   : "");
  }
  fmt::print("\nWhy:\n");
  for (const GuaranteeRow& row : guarantee_matrix()) {
    fmt::print("  {:<26} {}\n", fmt::format("{}/{}", row.policy, row.seed_policy), row.note);
  }
}

void print_json() {
  nlohmann::json out;
  out["columns"] = nlohmann::json::array();
  for (Fault c : kGuaranteeColumns) {
    out["columns"].push_back({{"name", std::string(to_string(c))},
                              {"description", std::string(describe(c))},
                              {"no_repeats_rule", repeat_rule_for(c) == RepeatRule::kAtMostOneComplete
                                                      ? "at most one COMPLETE per combination"
                                                      : "no combination evaluated twice"}});
  }
  out["rows"] = nlohmann::json::array();
  for (const GuaranteeRow& row : guarantee_matrix()) {
    nlohmann::json cells = nlohmann::json::array();
    for (const GuaranteeCell& cell : row.cells) {
      cells.push_back({{"coverage", std::string(to_string(cell.coverage))},
                       {"no_repeats", std::string(to_string(cell.no_repeats))}});
    }
    out["rows"].push_back({{"policy", std::string(row.policy)},
                           {"seed_policy", std::string(row.seed_policy)},
                           {"cells", std::move(cells)},
                           {"note", std::string(row.note)}});
  }
  fmt::print("{}\n", out.dump(2));
}

}  // namespace

int guarantees_command(bool json) {
  if (json) print_json();
  else print_matrix();
  return kExitOk;
}

}  // namespace samplersim
