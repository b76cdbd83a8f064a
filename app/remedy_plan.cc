#include "app/remedy_plan.h"

#include <map>

#include "app/result_line.h"
#include "sim/sampler.h"

namespace samplersim {

ComparisonPlan plan_comparison(const ScenarioSpec& spec, const std::vector<Arm>& arms, bool with_remedies) {
  ComparisonPlan plan;
  plan.arm_count = arms.size();
  const ScenarioSpec& base = plan.specs.emplace_back(spec);
  const std::string digest = scenario_digest(base);
  std::map<std::string, std::size_t> job_of;
  for (const Arm& arm : arms) {
    const std::string key = digest + "|" + arm.label();
    job_of.emplace(key, plan.jobs.size());
    plan.jobs.push_back(ArmJob{&base, arm});
    plan.job_keys.push_back(key);
  }
  plan.candidates.resize(arms.size());
  plan.candidate_jobs.resize(arms.size());
  if (!with_remedies) return plan;
  for (std::size_t a = 0; a < arms.size(); ++a) {
    for (RemedyCandidate& c : remedy_candidates(base, arms[a])) {
      auto [it, inserted] = job_of.emplace(c.target_key, plan.jobs.size());
      if (inserted) {
        const ScenarioSpec& target = plan.specs.emplace_back(c.spec);
        plan.jobs.push_back(ArmJob{&target, c.arm, true});
        plan.job_keys.push_back(c.target_key);
      }
      plan.candidate_jobs[a].push_back(it->second);
      plan.candidates[a].push_back(std::move(c));
    }
  }
  return plan;
}

std::vector<RemedyRanking> rank_plan(const ComparisonPlan& plan, const std::vector<ArmStats>& job_stats) {
  std::vector<RemedyRanking> out;
  for (std::size_t a = 0; a < plan.arm_count; ++a) {
    if (plan.candidates[a].empty()) continue;
    std::vector<RemedyOption> options;
    for (std::size_t k = 0; k < plan.candidates[a].size(); ++k) {
      RemedyOption o = plan.candidates[a][k].option;
      o.stats = job_stats[plan.candidate_jobs[a][k]];
      o.stats.label = o.target;
      options.push_back(std::move(o));
    }
    const Arm& arm = plan.jobs[a].arm;
    out.push_back(rank_remedies(arm.label(), arm.policy->family, job_stats[a], std::move(options)));
  }
  return out;
}

}  // namespace samplersim
