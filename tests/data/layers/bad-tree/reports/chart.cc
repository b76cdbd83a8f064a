// Fixture: reports/ includes only sim/'s data types.
#include "reports/chart.h"
#include "sim/trace.h"
#include "sim/optimize_loop.h"
#include <fmt/format.h>
