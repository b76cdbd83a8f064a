#include "reports/report_verdict.h"

#include <algorithm>
#include <optional>
#include <stdexcept>
#include <utility>

#include <fmt/format.h>

#include "sim/seed_policy.h"
#include "sim/plural.h"

namespace samplersim {

namespace {

constexpr double kConfidence = 0.95;
constexpr std::size_t kMaxFixesNamed = 3;

std::string pct(double share) { return fmt::format("{:.1f}%", 100.0 * share); }

// An arm is a fix here if, in every run, nothing was evaluated twice and every combination got a
// COMPLETE trial. Under crashes or failures no arm may qualify (re-running a crashed trial is a
// repeat by design); then the advice is the arm that always covers the grid with the fewest repeats.
bool always_covers(const ArmResult& a) { return a.stats.uncovered.mean() == 0.0; }

// The policies that model a release of Optuna's GridSampler ("optuna-3.6"), its BruteForceSampler
// ("bruteforce-4.3") or run the installed library ("real:optuna"); every other registered policy
// is a coordination fix (a claim, a lease, enqueueing the grid, a shared seed: `samplersim list`
// calls them so), which already coordinates the workers.
bool is_coordination_fix(const std::string& policy) {
  return !policy.starts_with("optuna-") && !policy.starts_with("bruteforce-") && !policy.starts_with("real:");
}

// "optuna-3.6" -> {3, 6}; "optuna-4" (every 4.x) -> {4, 1000}; nullopt for other policies.
std::optional<std::pair<int, int>> optuna_version(const std::string& policy) {
  if (!policy.starts_with("optuna-")) return std::nullopt;
  int major = 0, minor = 1000;
  const std::string v = policy.substr(7);
  const std::size_t dot = v.find('.');
  try {
    major = std::stoi(v.substr(0, dot));
    if (dot != std::string::npos) minor = std::stoi(v.substr(dot + 1));
  } catch (const std::exception&) {
    return std::nullopt;
  }
  return std::make_pair(major, minor);
}

std::string fix_for(const ArmResult& arm, const VariantResult& v) {
  std::vector<std::string> same_policy;
  std::vector<std::string> other;
  for (const ArmResult& a : v.arms) {
    if (a.stats.runs_with_repeats != 0 || !always_covers(a)) continue;
    (a.policy == arm.policy ? same_policy : other).push_back(a.label());
  }
  // The newest clean release first: a fix is never a downgrade when a release as new or newer is
  // as clean (an older one is named only when nothing newer is); Optuna releases before the other
  // samplers and the coordination fixes (which Optuna does not have), each kept in table order.
  const auto mine = optuna_version(arm.policy);
  const auto key = [&](const std::string& label) {
    const auto version = optuna_version(label.substr(0, label.find('/')));
    return version ? std::make_pair(0, std::make_pair(-version->first, -version->second))
                   : std::make_pair(1, std::make_pair(0, 0));
  };
  std::stable_sort(other.begin(), other.end(), [&](const std::string& a, const std::string& b) { return key(a) < key(b); });
  if (mine) {
    const auto downgrade = [&](const std::string& label) {
      const auto version = optuna_version(label.substr(0, label.find('/')));
      return version && *version < *mine;
    };
    const bool newer_or_same = !same_policy.empty() || std::any_of(other.begin(), other.end(), [&](const std::string& l) {
      return !downgrade(l);
    });
    if (newer_or_same) other.erase(std::remove_if(other.begin(), other.end(), downgrade), other.end());
  }
  std::vector<std::string> fixes = same_policy;
  fixes.insert(fixes.end(), other.begin(), other.end());
  if (fixes.size() > kMaxFixesNamed) fixes.resize(kMaxFixesNamed);
  if (!fixes.empty()) {
    return fmt::format("fix: use {} (no repeats and full coverage in every run here)", fmt::join(fixes, " or "));
  }
  const ArmResult* covering = nullptr;
  for (const ArmResult& a : v.arms) {
    if (always_covers(a) && (covering == nullptr || a.stats.repeats.mean() < covering->stats.repeats.mean())) covering = &a;
  }
  // Only a strictly better arm is named: never the arm itself, never one with as many repeats.
  if (covering != nullptr && covering != &arm && covering->stats.repeats.mean() < arm.stats.repeats.mean()) {
    return fmt::format("fix: {} completes every combination in every run here, with {:.2f} repeats per run",
                       covering->label(), covering->stats.repeats.mean());
  }
  if (covering != nullptr && always_covers(arm)) {
    return "no policy compared here does better: this one completes every combination in every run with the fewest "
           "repeats";
  }
  // The fewest repeats among the arms that leave no more combinations uncovered; never the arm
  // itself, never one that does no better.
  const ArmResult* best = &arm;
  for (const ArmResult& a : v.arms) {
    if (a.stats.repeats.mean() < best->stats.repeats.mean() && a.stats.uncovered.mean() <= arm.stats.uncovered.mean()) best = &a;
  }
  // "A coordinating policy is needed" is advice for an arm that does not coordinate; a
  // coordination fix already does, and what it leaves is named as such.
  const bool coordinates = is_coordination_fix(arm.policy);
  if (best == &arm) {
    return coordinates ? fmt::format("none of the policies compared here does better; {} already coordinates the "
                                     "workers: what it leaves here is what its design does not prevent "
                                     "(docs/coordination-and-faults.md)",
                                     arm.policy)
                       : "fix: none of the policies compared here does better; a coordinating policy is needed";
  }
  return fmt::format("fix: none of the policies compared here prevents it; the fewest repeats come from {} "
                     "({:.2f} per run){}",
                     best->label(), best->stats.repeats.mean(),
                     coordinates ? "" : " — a coordinating policy is needed");
}

}  // namespace

long long covered_before_first_repeat(const ArmResult& arm) {
  if (!arm.coverage_curve.is_array()) return -1;
  for (const auto& p : arm.coverage_curve) {
    if (p[2].get<double>() > p[1].get<double>()) return static_cast<long long>(p[1].get<double>());
  }
  return -1;
}

std::vector<Verdict> arm_verdicts(const VariantResult& v) {
  std::vector<Verdict> out;
  for (const ArmResult& a : v.arms) {
    Verdict verdict{a.label(), a.stats.runs_with_repeats == 0, ""};
    const Interval p = a.stats.p_repeats(kConfidence);
    const double never = a.stats.never_evaluated.mean();
    if (verdict.clean) {
      verdict.text = fmt::format("never evaluates a combination twice in {} (P(repeat) at most {} at 95%)",
                                 plural(a.stats.runs, "run"), pct(p.high));
      const double uncovered = a.stats.uncovered.mean();
      if (never > 0) {
        verdict.text += fmt::format(", but leaves {:.2f} combinations never evaluated on average", never);
      } else if (uncovered >= 0.005) {
        verdict.text += fmt::format(", but leaves {:.2f} combinations without a COMPLETE trial on average "
                                    "(crashed or failed, never re-run); {}",
                                    uncovered, fix_for(a, v));
      } else {
        verdict.text += "; covers the whole grid";
      }
    } else {
      // The numbers the comparison table shows beside the verdict (P(repeats > 0), repeats, never
      // evaluated, uncovered, wasted) are not repeated here: when the repeats start, and the fix.
      const long long covered = covered_before_first_repeat(a);
      if (covered >= 0 && v.grid_size > 0) {
        verdict.text += fmt::format("in rep 0 the first repeat comes after {} of {} combinations were covered", covered,
                                    v.grid_size);
        if (covered * 4 >= v.grid_size * 3) verdict.text += " (at the end of the grid)";
        verdict.text += "; ";
      }
      verdict.text += fix_for(a, v);
    }
    out.push_back(std::move(verdict));
  }
  return out;
}

std::vector<std::string> scenario_findings(const VariantResult& v) {
  std::vector<std::string> out;
  std::vector<std::string> clean;
  for (const ArmResult& a : v.arms) {
    if (a.stats.runs_with_repeats == 0) clean.push_back(a.label());
  }
  if (clean.empty()) {
    out.push_back("No policy compared here avoids repeats: every arm evaluated some combination twice in some run.");
  } else {
    out.push_back(fmt::format("Never repeated a combination: {}.", fmt::join(clean, ", ")));
  }
  for (const ArmResult& base : v.arms) {
    if (base.seed_policy != "none") continue;
    const Interval b = base.stats.repeats.interval(kConfidence);
    for (const ArmResult& other : v.arms) {
      if (other.policy != base.policy || other.seed_policy == "none") continue;
      const auto sp = parse_seed_policy(other.seed_policy);
      const std::string what = sp && sp->kind == SeedPolicy::Kind::kSame
                                   ? fmt::format("a fixed seed ({})", other.seed_policy)
                                   : fmt::format("seed policy {}", other.seed_policy);
      const Interval o = other.stats.repeats.interval(kConfidence);
      // One rep, or a few equal runs a side, give zero-width intervals that prove nothing.
      if (!can_compare(base.stats.repeats, other.stats.repeats)) continue;
      if (o.low > b.high) {
        out.push_back(fmt::format("{} makes {} worse: {:.2f} repeats per run against {:.2f} with seed=None.", what,
                                  base.policy, o.estimate, b.estimate));
      } else if (o.high < b.low) {
        out.push_back(fmt::format("{} makes {} better: {:.2f} repeats per run against {:.2f} with seed=None.", what,
                                  base.policy, o.estimate, b.estimate));
      }
    }
  }
  return out;
}

}  // namespace samplersim
