// Fixture: a data-type header must include only data-type headers.
#include "sim/trial_state.h"
#include "sim/study_store.h"
