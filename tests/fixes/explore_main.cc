// Scratch: observe every cell (not a test; not built by CMake).
#include <cstdio>
#include "tests/fixes/fix_check.h"
using namespace samplersim;
using namespace samplersim::fixcheck;
int main(int argc, char** argv) {
  std::uint64_t budget = argc > 1 ? std::stoull(argv[1]) : 1000;
  for (const GuaranteeRow& row : guarantee_matrix()) {
    for (FaultClass fc : kAllFaultClasses) {
      for (Property p : {Property::kCoverage, Property::kNoRepeats}) {
        Cell cell{std::string(row.policy), std::string(row.seed_policy), fc, p};
        std::uint64_t found = budget;
        std::string what;
        for (std::uint64_t i = 0; i < budget; ++i) {
          auto c = generate_case(7, i);
          try {
            if (auto v = check_case(cell, c)) { found = i; what = v->detail; break; }
          } catch (const std::exception& e) { found = i; what = std::string("EXC ") + e.what(); break; }
        }
        auto d = row.cells[static_cast<int>(fc)];
        Verdict expect = p == Property::kCoverage ? d.coverage : d.no_repeats;
        std::printf("%-13s %-8s %-19s %-10s expect=%-8s first=%-6llu %s\n", row.policy.data(), row.seed_policy.data(),
                    std::string(to_string(fc)).c_str(), std::string(to_string(p)).c_str(),
                    std::string(to_string(expect)).c_str(), (unsigned long long)found, what.c_str());
      }
    }
  }
}
