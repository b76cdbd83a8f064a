// Fixture: cli/ includes only app/ (and CLI11).
#include <CLI/CLI.hpp>

#include "app/run_command.h"
#include "reports/arm_stats.h"
#include "sim/trace.h"
