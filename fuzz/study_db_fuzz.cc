// Fuzz target: the study-database reader behind `samplersim audit` (app/study_db.h, app/audit.h):
// any bytes as an SQLite file, opened read-only, every row and JSON value checked, then audited.
#include <cstddef>
#include <cstdint>

#include "app/audit.h"
#include "app/study_db.h"
#include "fuzz/fuzz_input.h"
#include "sim/errors.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const std::string path = samplersim::fuzz::scratch_file("study.db");
  samplersim::fuzz::write_input(path, data, size);
  try {
    const samplersim::StoredStudy study = samplersim::read_study(path, "");
    const samplersim::AuditResult result = samplersim::audit_study(study);
    (void)samplersim::format_audit_summary(result);
  } catch (const samplersim::BadInput&) {
  }
  return 0;
}
