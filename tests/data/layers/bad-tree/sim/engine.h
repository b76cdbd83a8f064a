// Fixture for tests/layers: sim/ must not include scenarios/.
#pragma once
// #include "cli/command.h" is a comment, not an include
#include "scenarios/scenario_loader.h"
#include "sim/trace.h"
#include <vector>
