// Fixture: app/ includes anything but cli/.
#include "sim/engine.h"
#include "cli/command.h"
#include "reports/chart.h"
