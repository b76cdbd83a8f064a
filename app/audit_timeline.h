// The timeline chart of an audited study: every trial that evaluated a combination as a bar from
// its start to its end, one row per trial (by trial number, the first on top), one colour per
// state, and a dot at the start of every repeat (a trial whose combination an earlier trial had
// already evaluated, app/repeat_causes.h). Times are seconds since the study's first timestamp. A
// trial with no end (RUNNING, or a crash that left it RUNNING) is drawn to the study's last
// timestamp; one with no start is left out. Plain data for reports/chart_gnuplot.h.
// Cost: one pass over the audited evaluations and repeats.
#pragma once

#include <vector>

#include "app/audit.h"
#include "app/repeat_causes.h"
#include "reports/chart_gnuplot.h"

namespace samplersim {

ChartSpec audit_timeline_chart(const AuditResult& audit, const std::vector<RepeatedCombination>& repeats);

}  // namespace samplersim
