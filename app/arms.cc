#include "app/arms.h"

#include <algorithm>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "scenarios/toml_reader.h"
#include "sim/errors.h"

namespace samplersim {

std::string Arm::label() const { return policy->name + "/" + seed_policy.to_string(); }

void throw_unknown_policy(const std::string& option, const std::string& policy) {
  const std::vector<std::string> names = PolicyRegistry::names();
  const std::vector<std::string_view> views(names.begin(), names.end());
  // A more precise version of a registered one ("optuna-4.0", "optuna-3.6.1") means that policy:
  // the longest registered name it extends at a '.' is named before the nearest by edit distance
  // (which, for "optuna-4.0", is "optuna-2.3": two edits, as "optuna-4" is).
  std::string suggestion;
  for (const std::string& name : names) {
    if (policy.size() > name.size() && policy.starts_with(name) && policy[name.size()] == '.' &&
        name.size() >= suggestion.size()) {
      suggestion = name;
    }
  }
  throw BadInput::argument(option, fmt::format("one of {}", fmt::join(names, ", ")),
                           fmt::format("unknown policy '{}'{}", policy,
                                       suggestion.empty() ? did_you_mean(policy, views)
                                                          : fmt::format(" (did you mean \"{}\"?)", suggestion)));
}

std::vector<Arm> arms_of(const ScenarioSpec& spec, const std::vector<std::string>& policy_filter,
                         const std::vector<SeedPolicy>& seed_filter) {
  // The same arm twice would run twice and show twice: a repeated filter entry is refused.
  for (std::size_t i = 0; i < policy_filter.size(); ++i) {
    if (std::find(policy_filter.begin(), policy_filter.begin() + static_cast<long>(i), policy_filter[i]) !=
        policy_filter.begin() + static_cast<long>(i)) {
      throw BadInput::argument("--policy", "each policy once", fmt::format("'{}' twice", policy_filter[i]));
    }
  }
  for (std::size_t i = 0; i < seed_filter.size(); ++i) {
    if (std::find(seed_filter.begin(), seed_filter.begin() + static_cast<long>(i), seed_filter[i]) !=
        seed_filter.begin() + static_cast<long>(i)) {
      throw BadInput::argument("--seed-policy", "each seed policy once", fmt::format("'{}' twice", seed_filter[i].to_string()));
    }
  }
  std::vector<std::string> policies = spec.policies;
  if (!policy_filter.empty()) {
    for (const std::string& p : policy_filter) {
      if (!PolicyRegistry::find(p)) throw_unknown_policy("--policy", p);
    }
    policies = policy_filter;
  }
  std::vector<SeedPolicy> seeds = seed_filter.empty() ? spec.seed_policies : seed_filter;
  for (const SeedPolicy& s : seeds) {
    if (s.kind == SeedPolicy::Kind::kDistinct &&
        s.seed + static_cast<std::uint64_t>(spec.processes) - 1 >= (std::uint64_t{1} << 32)) {
      throw BadInput::argument(
          "--seed-policy", fmt::format("process seeds below 2^32 for {} processes", spec.processes),
          fmt::format("{}, which gives process seeds beyond 2^32-1", s.to_string()));
    }
  }
  for (const std::string& p : policies) {
    if (const PolicyInfo* info = PolicyRegistry::find(p)) check_can_simulate(*info, spec);
  }
  std::vector<Arm> arms;
  for (const std::string& p : policies) {
    for (const SeedPolicy& s : seeds) arms.push_back(Arm{PolicyRegistry::find(p), s});
  }
  for (const Arm& arm : arms) check_sampler_memory(arm, spec);
  return arms;
}

int scenario_key_line(std::string_view text, std::string_view dotted_key) {
  const std::size_t dot = dotted_key.rfind('.');
  const std::string_view table = dot == std::string_view::npos ? std::string_view() : dotted_key.substr(0, dot);
  const std::string_view leaf = dot == std::string_view::npos ? dotted_key : dotted_key.substr(dot + 1);
  const auto trim = [](std::string_view v) {
    while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.remove_prefix(1);
    while (!v.empty() && (v.back() == ' ' || v.back() == '\t' || v.back() == '\r')) v.remove_suffix(1);
    return v;
  };
  // `name =` or `name=` at the start of `line`.
  const auto assigns = [&](std::string_view line, std::string_view name) {
    if (line.substr(0, name.size()) != name) return false;
    return trim(line.substr(name.size())).substr(0, 1) == "=";
  };
  std::string_view current;  // the table of the lines being read ("" = top level)
  int number = 0;
  constexpr int kMaxLines = 1 << 20;  // a scenario is at most 1 MiB
  for (std::size_t at = 0; at < text.size() && number < kMaxLines;) {
    const std::size_t end = std::min(text.find('\n', at), text.size());
    const std::string_view line = trim(text.substr(at, end - at));
    at = end + 1;
    ++number;
    if (line.substr(0, 1) == "[") {
      std::string_view header = line.substr(line.substr(0, 2) == "[[" ? 2 : 1);
      header = trim(header.substr(0, header.find(']')));
      current = header;
      continue;
    }
    if (current == table && assigns(line, leaf)) return number;
    if (current.empty() && !table.empty() && assigns(line, dotted_key)) return number;
  }
  return 0;
}

void check_can_simulate(const PolicyInfo& policy, const ScenarioSpec& spec) {
  if (!policy.cannot_simulate) return;
  const std::string what = policy.cannot_simulate(spec);
  if (what.empty()) return;
  const std::string key = what.substr(0, what.find(' '));
  throw BadInput(spec.source_path.empty() ? spec.name : spec.source_path, scenario_key_line(spec.source_text, key), key,
                 fmt::format("a scenario that {0} can simulate ({0} does not simulate {1} yet; the model policies do)",
                             policy.name, what),
                 fmt::format("{} among the compared policies", policy.name));
}

void check_sampler_memory(const Arm& arm, const ScenarioSpec& spec) {
  if (!arm.policy->sampler_bytes) return;
  constexpr std::int64_t kMiB = std::int64_t{1} << 20;
  const std::int64_t limit_mib = spec.limits.max_sampler_memory_mib;
  const std::int64_t bytes = arm.policy->sampler_bytes(spec, arm.seed_policy);
  if (bytes <= limit_mib * kMiB) return;
  // The estimate grows with the processes (one copy each at worst): the most that fit, by bisection
  // over the same estimate (at least 1: a single process over the limit is named as such).
  ScenarioSpec fewer = spec;
  fewer.groups.clear();
  int lo = 0;
  int hi = spec.processes;
  while (lo < hi) {
    const int mid = lo + (hi - lo + 1) / 2;
    fewer.processes = mid;
    if (arm.policy->sampler_bytes(fewer, arm.seed_policy) <= limit_mib * kMiB) {
      lo = mid;
    } else {
      hi = mid - 1;
    }
  }
  const bool limit_set = scenario_key_line(spec.source_text, "run.max_sampler_memory_mib") > 0;
  const std::string key = limit_set ? "run.max_sampler_memory_mib" : "workers.processes";
  const std::string fit = lo > 0 ? fmt::format("at most {} processes", lo) : "fewer grid points";
  throw BadInput(spec.source_path.empty() ? spec.name : spec.source_path, scenario_key_line(spec.source_text, key), key,
                 fmt::format("a run whose samplers fit in [run] max_sampler_memory_mib = {} ({} under {}: its samplers "
                             "would hold about {:.1f} GiB, one copy of the {}-point grid per distinct construction seed; "
                             "seed policy same:S shares one copy, or raise max_sampler_memory_mib if the machine has the "
                             "memory)",
                             limit_mib, fit, arm.label(), static_cast<double>(bytes) / static_cast<double>(kMiB * 1024),
                             spec.combinations()),
                 fmt::format("{} processes", spec.processes));
}

}  // namespace samplersim
