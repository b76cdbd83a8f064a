// Fixture: samplers/ includes only sim/.
#include "app/arms.h"
#include "sim/sampler.h"
