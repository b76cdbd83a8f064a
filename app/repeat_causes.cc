#include "app/repeat_causes.h"

#include <algorithm>
#include <limits>
#include <map>

#include <fmt/format.h>

#include "reports/human_units.h"
#include "reports/trace_text.h"
#include "sim/errors.h"
#include "sim/plural.h"

namespace samplersim {

namespace {

constexpr std::int64_t kNever = std::numeric_limits<std::int64_t>::max();

// When the grid was taken (every combination started) and done (every one COMPLETE), or kNever;
// and, to tell whether a trial started while others ran, the evaluated trials' start times in
// order with the latest end among those started so far (a trial without an end runs forever).
struct GridMilestones {
  std::int64_t all_started_us = kNever;
  std::int64_t all_complete_us = kNever;
  std::vector<std::int64_t> starts;
  std::vector<std::int64_t> latest_end;

  std::int64_t longest_trial_us = 0;  // of the COMPLETE trials

  // How long nothing had been running when a trial started at t_us (0 if something was).
  std::int64_t idle_before(std::int64_t t_us) const {
    const auto it = std::lower_bound(starts.begin(), starts.end(), t_us);  // first start >= t
    if (it == starts.begin()) return 0;
    const std::int64_t end = latest_end[static_cast<std::size_t>(it - starts.begin()) - 1];
    return end >= t_us ? 0 : t_us - end;
  }
};

GridMilestones milestones_of(const AuditResult& audit) {
  const auto n = static_cast<std::size_t>(audit.metrics.grid_size);
  std::vector<std::int64_t> first_start(n, kNever), first_complete(n, kNever);
  for (const AuditedTrial& t : audit.evaluated) {
    const auto c = static_cast<std::size_t>(t.combination);
    if (t.start_us) first_start[c] = std::min(first_start[c], *t.start_us);
    if (t.state == TrialState::kComplete && t.complete_us) first_complete[c] = std::min(first_complete[c], *t.complete_us);
  }
  GridMilestones m;
  for (const AuditedTrial& t : audit.evaluated) {
    if (t.state == TrialState::kComplete && t.start_us && t.complete_us) {
      m.longest_trial_us = std::max(m.longest_trial_us, *t.complete_us - *t.start_us);
    }
  }
  std::vector<std::pair<std::int64_t, std::int64_t>> spans;  // (start, end)
  for (const AuditedTrial& t : audit.evaluated) {
    if (t.start_us) spans.emplace_back(*t.start_us, t.complete_us.value_or(kNever));
  }
  std::sort(spans.begin(), spans.end());
  std::int64_t latest = std::numeric_limits<std::int64_t>::min();
  for (const auto& [start, end] : spans) {
    latest = std::max(latest, end);
    m.starts.push_back(start);
    m.latest_end.push_back(latest);
  }
  if (n > 0) {
    m.all_started_us = *std::max_element(first_start.begin(), first_start.end());
    m.all_complete_us = *std::max_element(first_complete.begin(), first_complete.end());
  }
  return m;
}

ExplainedTrial explain(const AuditedTrial& first, const AuditedTrial& t, const GridMilestones& m) {
  ExplainedTrial e{t, RepeatCause::kUnknown, ""};
  if (t.retry_of) {
    e.cause = RepeatCause::kRetryCopy;
    e.why = fmt::format("RetryFailedTrialCallback copied failed trial #{} with its grid_id", *t.retry_of);
  } else if (t.enqueued) {
    e.cause = RepeatCause::kEnqueued;
    e.why = "study.enqueue_trial asked for values trial #" + std::to_string(first.number) + " had already evaluated";
  } else if (first.enqueued && !first.grid_id) {
    e.cause = RepeatCause::kEnqueued;
    e.why = fmt::format("trial #{} was enqueued (study.enqueue_trial) and has no grid_id, so GridSampler never counted "
                        "its values as visited and {}",
                        first.number,
                        t.grid_id ? fmt::format("drew them again as grid_id {}", *t.grid_id) : std::string("ran them again"));
  } else if (t.start_us && m.all_complete_us != kNever && *t.start_us > m.all_complete_us &&
             m.idle_before(*t.start_us) > m.longest_trial_us) {
    e.cause = RepeatCause::kFinishedStudy;
    e.why = fmt::format("it started when every combination had a COMPLETE trial, after {} with nothing running: "
                        "optimize ran again on a finished grid",
                        format_duration_us(m.idle_before(*t.start_us)));
  } else if (t.start_us && m.all_started_us != kNever && *t.start_us > m.all_started_us) {
    e.cause = RepeatCause::kEndOfGrid;
    // Whether another trial ran at its start decides the wording (the store says so; nothing assumed).
    const std::int64_t idle_us = m.idle_before(*t.start_us);
    if (*t.start_us <= m.all_complete_us) {
      e.why = "it started after every combination had been taken, so the sampler picked one still running";
    } else if (idle_us == 0) {
      e.why = "it started after every combination had a COMPLETE trial, while other trials still ran: its process "
              "had not yet seen the grid finish and picked again";
    } else {
      e.why = fmt::format("it started {} after the last trial before it had ended, when every combination already had "
                          "a COMPLETE trial: its process had not yet seen the grid finish and picked again",
                          format_duration_us(idle_us));
    }
  } else if (t.grid_id && first.grid_id && *t.grid_id != *first.grid_id) {
    e.cause = RepeatCause::kOtherPermutation;
    e.why = fmt::format("grid_id {} here and {} in trial #{} name the same values: the processes shuffled the grid "
                        "differently (Optuna 3.4-3.6 without a seed)",
                        *t.grid_id, *first.grid_id, first.number);
  } else if (t.grid_id && first.grid_id) {
    e.cause = RepeatCause::kSameGridId;
    e.why = fmt::format("grid_id {} was picked again before trial #{}'s pick was visible (read->write race; processes "
                        "with the same seed draw the same id)",
                        *t.grid_id, first.number);
  } else {
    e.why = "no grid_id or start time stored";
  }
  return e;
}

std::string offset_text(const AuditResult& audit, const std::optional<std::int64_t>& t) {
  if (!t || !audit.first_start_us) return "-";
  return "+" + format_duration_us(*t - *audit.first_start_us);
}

}  // namespace

std::string_view to_string(RepeatCause cause) {
  switch (cause) {
    case RepeatCause::kFirst: return "first evaluation";
    case RepeatCause::kRetryCopy: return "retry copy";
    case RepeatCause::kEnqueued: return "enqueued trial";
    case RepeatCause::kFinishedStudy: return "re-run of a finished study";
    case RepeatCause::kEndOfGrid: return "end of the grid";
    case RepeatCause::kOtherPermutation: return "another process's permutation";
    case RepeatCause::kSameGridId: return "same grid_id picked twice";
    case RepeatCause::kUnknown: return "unknown";
  }
  return "?";
}

std::vector<RepeatedCombination> explain_repeats(const AuditResult& audit) {
  ScenarioSpec spec;
  spec.grid = audit.grid;
  const GridMilestones m = milestones_of(audit);
  std::map<std::int64_t, std::vector<const AuditedTrial*>> by_combination;
  std::vector<std::int64_t> order;  // combinations by first evaluation (audit.evaluated is in start order)
  for (const AuditedTrial& t : audit.evaluated) {
    auto& v = by_combination[t.combination];
    if (v.empty()) order.push_back(t.combination);
    v.push_back(&t);
  }
  std::vector<RepeatedCombination> out;
  for (std::int64_t c : order) {
    const auto& trials = by_combination[c];
    if (trials.size() < 2) continue;
    RepeatedCombination r;
    r.combination = c;
    r.values = format_combination(spec, c);
    r.trials.push_back({*trials[0], RepeatCause::kFirst, ""});
    for (std::size_t i = 1; i < trials.size(); ++i) r.trials.push_back(explain(*trials[0], *trials[i], m));
    out.push_back(std::move(r));
  }
  return out;
}

std::string format_repeats(const AuditResult& audit, const std::vector<RepeatedCombination>& repeats) {
  if (repeats.empty()) return "";
  std::map<RepeatCause, int> counts;
  std::size_t total = 0;
  for (const auto& r : repeats) {
    for (std::size_t i = 1; i < r.trials.size(); ++i) ++counts[r.trials[i].cause];
    total += r.trials.size() - 1;
  }
  std::string out = fmt::format("repeated combinations: {} ({}:", repeats.size(), plural(total, "repeat"));
  bool first = true;
  for (const auto& [cause, n] : counts) {
    out += fmt::format("{} {} {}", first ? "" : ",", n, to_string(cause));
    first = false;
  }
  out += ")\n";
  for (const auto& r : repeats) {
    out += fmt::format("  {}: {} trials\n", one_line(r.values), r.trials.size());  // values come from the database
    for (const ExplainedTrial& e : r.trials) {
      out += fmt::format("    #{:<5} {:<8} {:>10} .. {:<10} {}{}{}\n", e.trial.number, to_string(e.trial.state),
                         offset_text(audit, e.trial.start_us), offset_text(audit, e.trial.complete_us), to_string(e.cause),
                         e.why.empty() ? "" : ": ", one_line(e.why));
    }
  }
  return out;
}

nlohmann::json repeats_json(const AuditResult& audit, const std::vector<RepeatedCombination>& repeats) {
  nlohmann::json out = nlohmann::json::array();
  const auto opt = [](const std::optional<std::int64_t>& v) { return v ? nlohmann::json(*v) : nlohmann::json(); };
  for (const auto& r : repeats) {
    nlohmann::json trials = nlohmann::json::array();
    for (const ExplainedTrial& e : r.trials) {
      trials.push_back({{"number", e.trial.number},
                        {"state", std::string(to_string(e.trial.state))},
                        {"start_us", opt(e.trial.start_us)},
                        {"complete_us", opt(e.trial.complete_us)},
                        {"start_offset_s", e.trial.start_us && audit.first_start_us
                                               ? nlohmann::json(static_cast<double>(*e.trial.start_us - *audit.first_start_us) / 1e6)
                                               : nlohmann::json()},
                        {"grid_id", opt(e.trial.grid_id)},
                        {"cause", std::string(to_string(e.cause))},
                        {"why", e.why}});
    }
    out.push_back({{"combination", r.combination}, {"values", r.values}, {"trials", std::move(trials)}});
  }
  return out;
}

}  // namespace samplersim
