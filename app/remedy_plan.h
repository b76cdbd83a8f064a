// A comparison with remedies: the arms a command compares plus, for each arm that models Optuna,
// its remedies (app/remedies.h), as one list of distinct simulation jobs. A remedy whose target is
// one of the compared arms (or another remedy's target) reuses that job's runs, so the same
// simulation is never run twice and a remedy equal to a compared arm has exactly its numbers.
// `run` and `audit --simulate` use it; the sweep writes the same targets into results files.
#pragma once

#include <deque>
#include <vector>

#include "app/arm_jobs.h"
#include "app/remedies.h"
#include "reports/arm_stats.h"
#include "reports/remedy_ranking.h"

namespace samplersim {

struct ComparisonPlan {
  std::deque<ScenarioSpec> specs;  // the scenarios jobs point into (stable addresses)
  std::vector<ArmJob> jobs;        // the compared arms first (job a = arm a), then remedy targets
  std::vector<std::string> job_keys;
  std::vector<std::vector<RemedyCandidate>> candidates;  // per compared arm
  std::vector<std::vector<std::size_t>> candidate_jobs;  // per compared arm, per candidate: its job
  std::size_t arm_count = 0;
};

// `with_remedies` false: only the compared arms.
ComparisonPlan plan_comparison(const ScenarioSpec& spec, const std::vector<Arm>& arms, bool with_remedies);

// The ranking of each compared arm that has remedies, from the statistics of every job.
std::vector<RemedyRanking> rank_plan(const ComparisonPlan& plan, const std::vector<ArmStats>& job_stats);

}  // namespace samplersim
