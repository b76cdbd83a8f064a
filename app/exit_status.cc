#include "app/exit_status.h"

#include <exception>

#include "sim/errors.h"
#include "sim/simulation.h"
#include "sim/strategy.h"

namespace samplersim {

namespace {

// The whole message on one terminal line: newlines, escape sequences and other unsafe characters
// from the input are shown escaped (sim/errors.h one_line), never cut or passed raw.
std::string first_line(const std::string& s) { return one_line(s); }

}  // namespace

std::string terminal_line(std::string_view text) { return one_line(text); }

ExitReport exit_report_of_current_exception() {
  try {
    throw;
  } catch (const BadInput& e) {
    return {kExitBadInput, first_line(e.what())};
  } catch (const OutputError& e) {
    return {kExitOutputFailed, first_line(e.what())};
  } catch (const ReplayDivergence& e) {
    return {kExitFinding, first_line(e.what())};
  } catch (const RunFailure& e) {  // names the run seed that reproduces it
    return {kExitInternal, first_line(e.what())};
  } catch (const std::exception& e) {
    return {kExitInternal, first_line(std::string("internal error: ") + e.what())};
  } catch (...) {
    return {kExitInternal, "internal error: an exception of unknown type"};
  }
}

}  // namespace samplersim
