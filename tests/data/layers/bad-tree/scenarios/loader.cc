// Fixture: scenarios/ includes only sim/.
#include <sim/scenario_spec.h>
#include "reports/report_data.h"
#include <toml++/toml.hpp>
