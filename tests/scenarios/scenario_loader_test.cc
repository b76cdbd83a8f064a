// Tests of the scenario loader (scenarios/scenario_loader.h) and of the two computations on
// ScenarioSpec (scenarios/scenario_spec.cc): the built-in scenarios, duration and seed-policy
// syntax, Python reprs, every malformed file in tests/data/bad-scenarios/ with its exact
// message, and random byte mutations that must either load or throw BadInput.
#include "scenarios/scenario_loader.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "sim/scenario_spec.h"
#include "sim/store_op.h"
#include "tests/param_names.h"

#ifndef SAMPLERSIM_SOURCE_DIR
#error "SAMPLERSIM_SOURCE_DIR must be defined as the source tree's root (the build sets it)"
#endif

namespace samplersim {
namespace {

const std::vector<std::string> kPolicies = {"optuna-3.2", "optuna-3.6", "optuna-4"};

std::string source_path(const std::string& relative) {
  return std::string(SAMPLERSIM_SOURCE_DIR) + "/" + relative;
}

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// The smallest valid scenario, for tests that vary one thing.
constexpr std::string_view kMinimal = R"([grid]
x = [0, 1, 2]

[workers]
processes = 3

[objective]
duration = "2s"

[compare]
policies = ["optuna-3.6"]
)";

ScenarioSpec parse(std::string_view text, const std::string& name = "test.toml") {
  return parse_scenario_text(text, name, kPolicies);
}

// The error that parsing `text` throws; fails the test if it loads.
BadInput parse_error(std::string_view text) {
  try {
    parse(text);
  } catch (const BadInput& e) {
    return e;
  }
  ADD_FAILURE() << "loaded, but should have been rejected:\n" << text;
  return BadInput("", 0, "", "", "");
}

// ---- built-in scenarios -----------------------------------------------------------------

// The store latencies and start jitter are calibrated against the real runs and may change;
// only their shape is checked here.
void expect_calibrated(const DurationDist& dist) {
  EXPECT_GE(dist.min_us, 0);
  EXPECT_LE(dist.min_us, dist.max_us);
}

TEST(BuiltInScenarios, Issue5489) {
  const std::string path = source_path("scenarios/issue-5489.toml");
  const ScenarioSpec spec = load_scenario_file(path, kPolicies);
  EXPECT_EQ(spec.name, "issue-5489");
  EXPECT_FALSE(spec.description.empty());
  EXPECT_EQ(spec.source_path, path);
  EXPECT_EQ(spec.source_text, read_text(path));
  ASSERT_EQ(spec.grid.size(), 1u);
  EXPECT_EQ(spec.grid[0].name, "x");
  ASSERT_EQ(spec.grid[0].values.size(), 3u);
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(spec.grid[0].values[static_cast<std::size_t>(i)].kind, GridValue::Kind::kInt);
    EXPECT_EQ(spec.grid[0].values[static_cast<std::size_t>(i)].int_value, i);
  }
  EXPECT_EQ(spec.combinations(), 3);
  EXPECT_EQ(spec.processes, 3);
  EXPECT_EQ(spec.threads, 1);
  EXPECT_EQ(spec.start_stagger_us, 500 * kMicrosPerMilli);
  expect_calibrated(spec.start_jitter);
  EXPECT_EQ(spec.objective_duration, DurationDist::constant(2 * kMicrosPerSecond));
  EXPECT_EQ(spec.n_trials, 3);
  EXPECT_EQ(spec.max_trials, 3);
  EXPECT_TRUE(spec.max_trials_states.is_all());
  expect_calibrated(spec.request_latency);
  expect_calibrated(spec.response_latency);
  EXPECT_EQ(spec.policies, kPolicies);
  ASSERT_EQ(spec.seed_policies.size(), 2u);
  EXPECT_EQ(spec.seed_policies[0].to_string(), "none");
  EXPECT_EQ(spec.seed_policies[1].to_string(), "same:42");
  EXPECT_EQ(spec.reps, 10000);
  EXPECT_EQ(spec.seed, 1u);
  EXPECT_EQ(spec.limits.max_trials_per_run, RunLimits{}.max_trials_per_run);
  EXPECT_EQ(spec.limits.max_virtual_time_us, RunLimits{}.max_virtual_time_us);
}

TEST(BuiltInScenarios, Grid4x5W4) {
  const std::string path = source_path("scenarios/grid-4x5-w4.toml");
  const ScenarioSpec spec = load_scenario_file(path, kPolicies);
  EXPECT_EQ(spec.name, "grid-4x5-w4");
  EXPECT_FALSE(spec.description.empty());
  ASSERT_EQ(spec.grid.size(), 2u);
  EXPECT_EQ(spec.grid[0].name, "x");
  EXPECT_EQ(spec.grid[0].values.size(), 4u);
  EXPECT_EQ(spec.grid[1].name, "y");
  EXPECT_EQ(spec.grid[1].values.size(), 5u);
  EXPECT_EQ(spec.grid[1].values[4].int_value, 4);
  EXPECT_EQ(spec.combinations(), 20);
  EXPECT_EQ(spec.processes, 4);
  EXPECT_EQ(spec.threads, 1);
  EXPECT_EQ(spec.workers(), 4);
  EXPECT_EQ(spec.start_stagger_us, 0);
  expect_calibrated(spec.start_jitter);
  EXPECT_EQ(spec.objective_duration,
            DurationDist::uniform(50 * kMicrosPerMilli, 250 * kMicrosPerMilli));
  EXPECT_FALSE(spec.n_trials.has_value());
  EXPECT_FALSE(spec.max_trials.has_value());
  expect_calibrated(spec.request_latency);
  expect_calibrated(spec.response_latency);
  EXPECT_EQ(spec.policies, kPolicies);
  ASSERT_EQ(spec.seed_policies.size(), 3u);
  EXPECT_EQ(spec.seed_policies[0].to_string(), "none");
  EXPECT_EQ(spec.seed_policies[1].to_string(), "same:42");
  EXPECT_EQ(spec.seed_policies[2].to_string(), "distinct:1");
  EXPECT_EQ(spec.reps, 1000);
  EXPECT_EQ(spec.seed, 1u);
}

// ---- defaults and accepted forms --------------------------------------------------------

TEST(ScenarioLoader, DefaultsOfAMinimalScenario) {
  const ScenarioSpec spec = parse(kMinimal, "/some/dir/my-scenario.toml");
  EXPECT_EQ(spec.name, "my-scenario");
  EXPECT_EQ(spec.description, "");
  EXPECT_EQ(spec.source_path, "/some/dir/my-scenario.toml");
  EXPECT_EQ(spec.source_text, kMinimal);
  EXPECT_EQ(spec.threads, 1);
  EXPECT_EQ(spec.start_stagger_us, 0);
  EXPECT_EQ(spec.start_jitter, DurationDist::constant(0));
  EXPECT_FALSE(spec.n_trials.has_value());
  EXPECT_FALSE(spec.max_trials.has_value());
  EXPECT_EQ(spec.max_trials_states, StateMask::only(TrialState::kComplete));
  EXPECT_EQ(spec.request_latency, DurationDist::constant(0));
  EXPECT_EQ(spec.response_latency, DurationDist::constant(0));
  EXPECT_EQ(spec.write_service, DurationDist::constant(0));
  for (const auto& latency : spec.request_latency_by_op) EXPECT_EQ(latency, std::nullopt);
  ASSERT_EQ(spec.seed_policies.size(), 1u);
  EXPECT_EQ(spec.seed_policies[0].kind, SeedPolicy::Kind::kNone);
  EXPECT_EQ(spec.reps, 100);
  EXPECT_EQ(spec.seed, 1u);
  EXPECT_EQ(spec.limits.max_trials_per_run, 1'000'000);
  EXPECT_EQ(spec.limits.max_virtual_time_us, 24LL * 3600 * kMicrosPerSecond);
}

TEST(ScenarioLoader, DefaultNameIsTheSanitisedStem) {
  EXPECT_EQ(parse(kMinimal, "dir/my scenario.v2.toml").name, "my_scenario.v2");
  EXPECT_EQ(parse(kMinimal, "").name, "scenario");
}

TEST(ScenarioLoader, GridKeepsFileOrderAndValueKinds) {
  const ScenarioSpec spec = parse(R"(
[grid]
zeta = [3, 0.5, "adam", true, -7, 1e-5, 2.0, "it's"]
alpha = ["b", "a"]
[workers]
processes = 2
[objective]
duration = "1s"
[compare]
policies = ["optuna-4"]
)");
  ASSERT_EQ(spec.grid.size(), 2u);
  EXPECT_EQ(spec.grid[0].name, "zeta");
  EXPECT_EQ(spec.grid[1].name, "alpha");
  std::vector<std::string> reprs;
  for (const GridValue& v : spec.grid[0].values) reprs.push_back(v.repr());
  EXPECT_EQ(reprs, (std::vector<std::string>{"3", "0.5", "'adam'", "True", "-7", "1e-05", "2.0",
                                             "\"it's\""}));
  EXPECT_EQ(spec.combinations(), 16);
}

TEST(ScenarioLoader, AcceptsEveryOptionalKey) {
  const ScenarioSpec spec = parse(R"(
name = "full.example_1"
description = """two
lines"""
grid = { x = [0, 1], y = ["a", "b", "c"] }
[workers]
processes = 2
threads = 3
start_stagger = "1.5s"
start_jitter = "uniform 0ms..20ms"
[objective]
duration = "uniform 50ms..250ms"
[optimize]
n_trials = 10
max_trials = 6
max_trials_states = ["COMPLETE", "PRUNED"]
[store]
request_latency = "2ms"
response_latency = "uniform 1ms..3ms"
write_service = "uniform 1ms..2ms"
[store.request_latency_by_op]
create_trial = "uniform 5ms..20ms"
set_state = "4ms"
[compare]
policies = ["optuna-4", "optuna-3.2"]
seed_policies = ["none", "same:0", "distinct:4294967294"]
[run]
reps = 7
seed = 0
max_trials = 500
max_virtual_time = "1h"
)");
  EXPECT_EQ(spec.name, "full.example_1");
  EXPECT_EQ(spec.description, "two\nlines");
  EXPECT_EQ(spec.grid[0].name, "x");
  EXPECT_EQ(spec.workers(), 6);
  EXPECT_EQ(spec.start_stagger_us, 1'500'000);
  EXPECT_EQ(spec.start_jitter, DurationDist::uniform(0, 20'000));
  EXPECT_EQ(spec.n_trials, 10);
  EXPECT_EQ(spec.max_trials, 6);
  EXPECT_EQ(spec.max_trials_states,
            StateMask::only(TrialState::kComplete).with(TrialState::kPruned));
  EXPECT_EQ(spec.request_latency, DurationDist::constant(2'000));
  EXPECT_EQ(spec.response_latency, DurationDist::uniform(1'000, 3'000));
  EXPECT_EQ(spec.write_service, DurationDist::uniform(1'000, 2'000));
  const auto by_op = [&](StoreOp op) {
    return spec.request_latency_by_op[static_cast<std::size_t>(op)];
  };
  EXPECT_EQ(by_op(StoreOp::kCreateTrial), DurationDist::uniform(5'000, 20'000));
  EXPECT_EQ(by_op(StoreOp::kSetTrialState), DurationDist::constant(4'000));
  EXPECT_EQ(by_op(StoreOp::kGetTrial), std::nullopt);
  EXPECT_EQ(spec.policies, (std::vector<std::string>{"optuna-4", "optuna-3.2"}));
  ASSERT_EQ(spec.seed_policies.size(), 3u);
  EXPECT_EQ(spec.seed_policies[2].seed, 4294967294u);  // + (2 processes - 1) < 2^32
  EXPECT_EQ(spec.reps, 7);
  EXPECT_EQ(spec.seed, 0u);
  EXPECT_EQ(spec.limits.max_trials_per_run, 500);
  EXPECT_EQ(spec.limits.max_virtual_time_us, 3600LL * kMicrosPerSecond);
}

TEST(ScenarioLoader, StringsWithDotsDoNotTripTheDottedKeyGuard) {
  std::string text(kMinimal);
  text = "description = \"1.2.3.4.5.6.7.8.9.10.11\"\nname = '''a.b'''\n" + text;
  text += "seed_policies = [\"same:1\"] # a.b.c.d.e.f.g.h.i.j.k\n";
  EXPECT_EQ(parse(text).name, "a.b");
}

TEST(ScenarioLoader, TrickyButValidTomlLoads) {
  const ScenarioSpec spec = parse(
      "\xef\xbb\xbf"  // a UTF-8 byte order mark
      R"(description = """
[not a header
a.b.c.d.e.f.g.h.i.j
"""
[grid]
x = [
  0,  # [a comment
  1,
]
"y" = ['[', "]", '''[[[''']
[workers]
processes = 1
[objective]
duration = "1s"
[compare]
policies = ["optuna-4"]
)");
  EXPECT_EQ(spec.description, "[not a header\na.b.c.d.e.f.g.h.i.j\n");
  ASSERT_EQ(spec.grid.size(), 2u);
  EXPECT_EQ(spec.grid[1].values[2].repr(), "'[[['");
  EXPECT_EQ(spec.combinations(), 6);
}

TEST(ScenarioLoader, UnreadableFiles) {
  for (const std::string& path : {std::string("/nonexistent/scenario.toml"), std::string("/"),
                                  std::string("/dev/zero"), std::string("")}) {
    try {
      load_scenario_file(path, kPolicies);
      ADD_FAILURE() << path << " loaded";
    } catch (const BadInput& e) {
      EXPECT_EQ(e.line(), 0) << e.what();
      EXPECT_EQ(e.key(), "(file)") << e.what();
      EXPECT_EQ(
          std::string(e.what()).rfind(path + ": (file): expected a readable scenario file", 0), 0u)
          << e.what();
    }
  }
}

TEST(ScenarioLoader, RejectsOversizedText) {
  const std::string text = std::string(kMinimal) + std::string(kMaxScenarioFileBytes, '#');
  EXPECT_EQ(parse_error(text).key(), "(file)");
}

TEST(ScenarioLoader, RejectsHugeDottedKeysWithoutOverflowingTheStack) {
  std::string deep = "[grid]\n";
  for (int i = 0; i < 200'000; ++i) deep += "a.";
  deep += "a = [1]\n";
  const BadInput e = parse_error(deep);
  EXPECT_EQ(e.line(), 2);
  EXPECT_NE(std::string(e.what()).find("at most 8 parts, got 200001 parts"), std::string::npos)
      << e.what();

  std::string quoted_parts = "[workers]\n";
  for (int i = 0; i < 100'000; ++i) quoted_parts += "\"a b\" . ";
  quoted_parts += "'c' = 1\n";
  EXPECT_EQ(parse_error(quoted_parts).line(), 2);
}

TEST(ScenarioLoader, DeepInlineTablesAreRefusedCleanly) {
  std::string nested = "x = ";
  for (int i = 0; i < 300; ++i) nested += "{a.b.c.d.e.f.g.h = ";
  nested += "1";
  for (int i = 0; i < 300; ++i) nested += "}";
  const BadInput e = parse_error(nested + "\n");
  EXPECT_TRUE(e.is_syntax_error()) << e.what();
}

TEST(ScenarioLoader, MalformedTableHeadersAreSyntaxErrors) {
  // toml++ 3.3 asserts on these (marzer/tomlplusplus#301); the loader reports them itself.
  const std::vector<std::pair<std::string, int>> cases = {
      {"[\x16", 2}, {"[[[1]]]", 3}, {"[[=", 3}, {"x = 1\n  [ \n", 5}, {"[[ #\n", 4}};
  for (const auto& [text, column] : cases) {
    const BadInput e = parse_error(text);
    EXPECT_TRUE(e.is_syntax_error()) << e.what();
    EXPECT_EQ(e.column(), column) << e.what();
    EXPECT_NE(std::string(e.what()).find("expected a key"), std::string::npos) << e.what();
  }
  // A "[" that starts a line inside a value is an array, not a header.
  const BadInput nested = parse_error("[grid]\nx = [\n[0, 1],\n  [[2]],\n]\n");
  EXPECT_FALSE(nested.is_syntax_error()) << nested.what();
  EXPECT_EQ(nested.key(), "grid.x[0]");
  EXPECT_EQ(nested.line(), 3);
}

// ---- durations --------------------------------------------------------------------------

TEST(DurationSyntax, ValidDurations) {
  const std::vector<std::pair<std::string, VirtualTime>> cases = {
      {"0s", 0},
      {"0us", 0},
      {"7us", 7},
      {"500ms", 500'000},
      {"2s", 2'000'000},
      {"0.5s", 500'000},
      {"1.5ms", 1'500},
      {"1m", 60'000'000},
      {"0.1m", 6'000'000},
      {"1.25h", 4'500'000'000},
      {"0.0000001h", 360},
      {"0.000001s", 1},
      {"0.0000010s", 1},
      {"1.000000000000000000000s", 1'000'000},
      {"000123us", 123},
      {"1000000000s", kMaxDurationUs},
      {"2.5000000000000000000000m", 150'000'000},
      {"0.0000000025h", 9},  // ten fraction digits, the most any unit can absorb
  };
  for (const auto& [text, us] : cases) {
    EXPECT_EQ(parse_duration(text), us) << text;
  }
  EXPECT_EQ(kMaxDurationUs, 1'000'000'000LL * kMicrosPerSecond);
}

TEST(DurationSyntax, InvalidDurations) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"", "a duration such as"},
      {"s", "a duration such as"},
      {"2", "a unit after the number"},
      {"2 s", "a unit us, ms, s, m or h"},
      {" 2s", "a duration such as"},
      {"2s ", "a unit us, ms, s, m or h"},
      {"-1s", "a non-negative duration"},
      {"+1s", "a duration such as"},
      {"2sec", "a unit us, ms, s, m or h"},
      {"2S", "a unit us, ms, s, m or h"},
      {"1.s", "a duration such as"},
      {".5s", "a duration such as"},
      {"1.5us", "a whole number of microseconds"},
      {"0.0005ms", "a whole number of microseconds"},
      {"0.00000000001h", "a whole number of microseconds"},
      {"1e3s", "a unit us, ms, s, m or h"},
      {"1000000000.000001s", "at most 1000000000s"},
      {"1000000001s", "at most 1000000000s"},
      {"99999999999999999999999us", "at most 1000000000s"},
      {"0x10s", "a unit us, ms, s, m or h"},
      {"1,5s", "a unit us, ms, s, m or h"},
      {"2\xc2\xb5s", "a unit us, ms, s, m or h"},
      {"uniform 1s..2s", "a duration such as"},
  };
  for (const auto& [text, expected] : cases) {
    try {
      parse_duration(text);
      ADD_FAILURE() << "accepted \"" << text << "\"";
    } catch (const std::invalid_argument& e) {
      const std::string what = e.what();
      EXPECT_EQ(what.rfind("expected ", 0), 0u) << what;
      EXPECT_NE(what.find(expected), std::string::npos) << text << " -> " << what;
    }
  }
}

TEST(DurationSyntax, ValidDistributions) {
  EXPECT_EQ(parse_duration_dist("2s"), DurationDist::constant(2'000'000));
  EXPECT_EQ(parse_duration_dist("  2s  "), DurationDist::constant(2'000'000));
  EXPECT_EQ(parse_duration_dist("uniform 50ms..250ms"), DurationDist::uniform(50'000, 250'000));
  EXPECT_EQ(parse_duration_dist(" uniform   1s .. 2s "),
            DurationDist::uniform(1'000'000, 2'000'000));
  EXPECT_EQ(parse_duration_dist("uniform 0.5s..1s"), DurationDist::uniform(500'000, 1'000'000));
  EXPECT_TRUE(parse_duration_dist("uniform 1s..1s").is_constant());
  EXPECT_EQ(parse_duration_dist("uniform 0us..1h"), DurationDist::uniform(0, 3'600'000'000));
}

TEST(DurationSyntax, DistributionsRoundTripThroughToString) {
  for (const DurationDist& d :
       {DurationDist::constant(0), DurationDist::constant(7), DurationDist::constant(500'000),
        DurationDist::uniform(1'500, 2'000'000), DurationDist::uniform(20'000, 230'000)}) {
    EXPECT_EQ(parse_duration_dist(d.to_string()), d) << d.to_string();
  }
}

TEST(DurationSyntax, InvalidDistributions) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"uniform", "\"uniform A..B\""},
      {"uniform 1s", "\"uniform A..B\""},
      {"uniform1s..2s", "\"uniform A..B\""},
      {"uniform 2s..1s", "A <= B"},
      {"uniform 1s..", "a duration such as"},
      {"uniform ..1s", "a duration such as"},
      {"uniform 1s...2s", "a duration such as"},
      {"uniform 1s..2s..3s", "a unit us, ms, s, m or h"},
      {"uniform -1s..2s", "a non-negative duration"},
      {"normal 1s..2s", "a duration such as"},
      {"", "a duration such as"},
  };
  for (const auto& [text, expected] : cases) {
    try {
      parse_duration_dist(text);
      ADD_FAILURE() << "accepted \"" << text << "\"";
    } catch (const std::invalid_argument& e) {
      const std::string what = e.what();
      EXPECT_EQ(what.rfind("expected ", 0), 0u) << what;
      EXPECT_NE(what.find(expected), std::string::npos) << text << " -> " << what;
    }
  }
}

// ---- seed policies ----------------------------------------------------------------------

TEST(SeedPolicySyntax, ParsesTheThreeForms) {
  const auto none = parse_seed_policy("none");
  ASSERT_TRUE(none.has_value());
  EXPECT_EQ(none->kind, SeedPolicy::Kind::kNone);
  EXPECT_EQ(none->seed_for_process(3), std::nullopt);

  const auto same = parse_seed_policy("same:42");
  ASSERT_TRUE(same.has_value());
  EXPECT_EQ(same->kind, SeedPolicy::Kind::kSame);
  EXPECT_EQ(same->seed_for_process(0), 42u);
  EXPECT_EQ(same->seed_for_process(5), 42u);

  const auto distinct = parse_seed_policy("distinct:1");
  ASSERT_TRUE(distinct.has_value());
  EXPECT_EQ(distinct->kind, SeedPolicy::Kind::kDistinct);
  EXPECT_EQ(distinct->seed_for_process(0), 1u);
  EXPECT_EQ(distinct->seed_for_process(3), 4u);

  EXPECT_EQ(parse_seed_policy("same:0")->seed, 0u);
  EXPECT_EQ(parse_seed_policy("same:4294967295")->seed, 4294967295u);
  for (const char* text : {"none", "same:42", "distinct:1", "same:0"}) {
    EXPECT_EQ(parse_seed_policy(text)->to_string(), text);
  }
}

TEST(SeedPolicySyntax, RejectsMalformedPolicies) {
  for (const char* text :
       {"", "None", "random", "same", "same:", "same:-1", "same:4294967296", "same: 1", "same:1.0",
        "same:1x", "Same:1", "distinct", "distinct:", "none:1", "seed:42"}) {
    EXPECT_FALSE(parse_seed_policy(text).has_value()) << text;
  }
}

TEST(SeedPolicySyntax, LoaderChecksDistinctSeedsAgainstTheProcessCount) {
  std::string ok(kMinimal);  // 3 processes
  EXPECT_EQ(parse(ok + "seed_policies = [\"distinct:4294967293\"]\n").seed_policies[0].seed,
            4294967293u);
  const BadInput e = parse_error(ok + "seed_policies = [\"distinct:4294967294\"]\n");
  EXPECT_EQ(e.key(), "compare.seed_policies[0]");
  EXPECT_EQ(e.line(), 12);
  EXPECT_NE(e.expected().find("S + processes - 1 < 2^32"), std::string::npos) << e.what();
  // The same seed policy spelled twice is a duplicate even when written differently.
  EXPECT_EQ(parse_error(ok + "seed_policies = [\"same:7\", \"same:07\"]\n").key(),
            "compare.seed_policies[1]");
}

// ---- GridValue::repr and combinations ---------------------------------------------------

GridValue float_value(double v) {
  GridValue g;
  g.kind = GridValue::Kind::kFloat;
  g.float_value = v;
  return g;
}

GridValue string_value(std::string s) {
  GridValue g;
  g.kind = GridValue::Kind::kString;
  g.string_value = std::move(s);
  return g;
}

TEST(GridValueRepr, IntsAndBools) {
  GridValue g;
  g.int_value = -12;
  EXPECT_EQ(g.repr(), "-12");
  g.int_value = INT64_MIN;
  EXPECT_EQ(g.repr(), "-9223372036854775808");
  g.kind = GridValue::Kind::kBool;
  EXPECT_EQ(g.repr(), "False");
  g.bool_value = true;
  EXPECT_EQ(g.repr(), "True");
}

TEST(GridValueRepr, FloatsMatchCPython) {
  // Expected strings are CPython 3.11's repr() of the same doubles.
  const std::vector<std::pair<double, std::string>> cases = {
      {0.5, "0.5"},
      {1e-05, "1e-05"},
      {2.0, "2.0"},
      {1e16, "1e+16"},
      {1e15, "1000000000000000.0"},
      {0.1 + 0.2, "0.30000000000000004"},
      {-0.0, "-0.0"},
      {0.0, "0.0"},
      {123456789.123, "123456789.123"},
      {1.5e300, "1.5e+300"},
      {0.0001, "0.0001"},
      {0.001, "0.001"},
      {5e-324, "5e-324"},
      {1.7976931348623157e308, "1.7976931348623157e+308"},
      {12345678901234567.0, "1.2345678901234568e+16"},
      {9999999999999998.0, "9999999999999998.0"},
      {-1e-7, "-1e-07"},
      {100.0, "100.0"},
      {std::numeric_limits<double>::infinity(), "inf"},
      {-std::numeric_limits<double>::infinity(), "-inf"},
      {std::numeric_limits<double>::quiet_NaN(), "nan"},
  };
  for (const auto& [value, repr] : cases) EXPECT_EQ(float_value(value).repr(), repr);
}

TEST(GridValueRepr, StringsMatchCPython) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"adam", "'adam'"},
      {"it's", "\"it's\""},
      {"say \"hi\"", "'say \"hi\"'"},
      {"both ' and \"", "'both \\' and \"'"},
      {"a\nb\tc\r", "'a\\nb\\tc\\r'"},
      {"caf\xc3\xa9", "'caf\xc3\xa9'"},
      {"\x7f", "'\\x7f'"},
      {"\xc2\xa0", "'\\xa0'"},
      {"\xe2\x80\xa8", "'\\u2028'"},
      {"back\\slash", "'back\\\\slash'"},
      {"\xf3\xb0\x80\x80", "'\\U000f0000'"},
      {"", "''"},
      {std::string("\0", 1), "'\\x00'"},
      {"\xe6\x97\xa5\xe6\x9c\xac", "'\xe6\x97\xa5\xe6\x9c\xac'"},
  };
  for (const auto& [value, repr] : cases) EXPECT_EQ(string_value(value).repr(), repr);
}

TEST(ScenarioSpecCombinations, ProductSaturatesAboveTheLimit) {
  ScenarioSpec spec;
  EXPECT_EQ(spec.combinations(), 1);  // the empty product; the loader never returns an empty grid
  spec.grid.push_back({"x", std::vector<GridValue>(1000)});
  spec.grid.push_back({"y", std::vector<GridValue>(1000)});
  EXPECT_EQ(spec.combinations(), ScenarioSpec::kMaxCombinations);
  spec.grid.push_back({"z", std::vector<GridValue>(2)});
  EXPECT_EQ(spec.combinations(), ScenarioSpec::kMaxCombinations + 1);
  for (int i = 0; i < 100; ++i) spec.grid.push_back({"w", std::vector<GridValue>(1000)});
  EXPECT_EQ(spec.combinations(), ScenarioSpec::kMaxCombinations + 1);
}

// ---- malformed scenario files -----------------------------------------------------------

struct BadScenario {
  const char* file;     // in tests/data/bad-scenarios/
  int line;             // expected BadInput::line()
  const char* key;      // expected BadInput::key(); "" for a TOML syntax error
  const char* message;  // a distinctive part of the message
};

// clang-format off
const BadScenario kBadScenarios[] = {
    {"01-empty-file.toml", 1, "(file)", "expected a scenario with tables [grid], [workers] (or [[group]]), [objective] and [compare], got an empty file"},
    {"02-comments-only.toml", 1, "(file)", "got a file without keys"},
    {"03-toml-syntax.toml", 8, "", "TOML syntax error: Error while parsing string"},
    {"04-not-utf8.toml", 2, "", "TOML syntax error: Encountered invalid utf-8 sequence"},
    {"05-unknown-table.toml", 13, "worker", "got an unknown table (did you mean \"workers\"?)"},
    {"06-unknown-key.toml", 6, "workers.thread", "expected one of processes, threads, start_stagger, start_jitter, submit_interval in [workers], got an unknown key"},
    {"07-processes-string.toml", 5, "workers.processes", "expected an integer from 1 to 4096, got string \"3\""},
    {"08-processes-float.toml", 5, "workers.processes", "expected an integer from 1 to 4096, got float 3.0"},
    {"09-processes-zero.toml", 5, "workers.processes", "expected an integer from 1 to 4096, got integer 0"},
    {"10-missing-processes.toml", 4, "workers.processes", "got nothing (the key is missing)"},
    {"11-missing-grid.toml", 1, "grid", "expected a table [grid], got nothing (the table is missing)"},
    {"12-empty-grid.toml", 1, "grid", "expected at least one dimension"},
    {"13-empty-values.toml", 3, "grid.y", "expected a non-empty array of values, got an empty array"},
    {"14-nested-array-value.toml", 3, "grid.x[0]", "expected an integer, float, string, boolean, { python = \"None\" } or { python = \"nan\" }, got an array"},
    {"15-table-value.toml", 5, "grid.y.low", "expected one of range, linspace, logspace in [grid.y], got an unknown key"},
    {"16-negative-duration.toml", 8, "objective.duration", "expected a non-negative duration, got \"-2s\""},
    {"17-duration-no-unit.toml", 8, "objective.duration", "expected a unit after the number"},
    {"18-duration-too-fine.toml", 8, "objective.duration", "expected a whole number of microseconds"},
    {"19-uniform-reversed.toml", 8, "objective.duration", "with A <= B, got \"uniform 250ms..50ms\""},
    {"20-unknown-policy.toml", 13, "compare.policies[1]", "expected one of the known policies: optuna-3.2, optuna-3.6, optuna-4, got string \"optuna-3.7\""},
    {"21-duplicate-policy.toml", 11, "compare.policies[2]", "expected distinct policy names"},
    {"22-bad-seed-policy.toml", 12, "compare.seed_policies[1]", "got string \"seed:42\""},
    {"23-distinct-seed-overflow.toml", 12, "compare.seed_policies[0]", "S + processes - 1 < 2^32"},
    {"24-too-many-combinations.toml", 1, "grid", "more would exhaust memory), got 20 * 20 * 20 * 20 * 20 = 3200000"},
    {"25-too-many-workers.toml", 6, "workers.threads", "more workers would exhaust memory), got 64 * 65"},
    {"26-states-without-max-trials.toml", 15, "optimize.max_trials_states", "only together with max_trials"},
    {"27-bad-state-name.toml", 15, "optimize.max_trials_states[1]", "got string \"COMPLETED\""},
    {"28-reps-too-large.toml", 14, "run.reps", "expected an integer from 1 to 100000000"},
    {"29-zero-virtual-time.toml", 14, "run.max_virtual_time", "expected a duration > 0"},
    {"30-repeated-grid-value.toml", 2, "grid.x[2]", "got float 1.0 again (same as grid.x[1])"},
    {"31-bad-name.toml", 1, "name", "from [A-Za-z0-9._-], got string \"issue 5489\""},
    {"32-grid-not-table.toml", 1, "grid", "expected a table [grid], got an array of 3 values"},
    {"33-duration-overflow.toml", 8, "objective.duration", "expected a duration of at most 1000000000s"},
    {"34-nan-value.toml", 2, "grid.x[1]", "expected a number that is not TOML's nan (write NaN as { python = \"nan\" })"},
    {"35-n-trials-too-large.toml", 14, "optimize.n_trials", "expected an integer from 1 to 2147483647"},
    {"36-negative-seed.toml", 14, "run.seed", "expected an integer >= 0, got integer -1"},
    {"37-empty-policies.toml", 11, "compare.policies", "got an empty array"},
    {"38-duration-not-string.toml", 8, "objective.duration", "expected a duration string"},
    {"39-deep-dotted-key.toml", 14, "a.b.c.d.e.f.g.h.i.j", "expected a dotted key of at most 8 parts, got 10 parts"},
    {"40-date-value.toml", 2, "grid.x[0]", "got a date"},
    {"49-non-ascii-key.toml", 1, "", "TOML syntax error: expected ASCII outside strings and comments"},
    {"48-unknown-store-op.toml", 15, "store.request_latency_by_op.commit", "expected one of create_trial, list_waiting, claim_waiting, get_trial"},
    {"50-unknown-store-kind.toml", 14, "store.kind", "expected one of sqlite, inmemory, journal-file, postgresql, got string \"oracle\""},
    {"51-machine-without-store-kind.toml", 13, "machine", "expected [machine] only with a store preset ([store] kind), got no store.kind"},
    {"52-inmemory-with-processes.toml", 5, "workers.processes", "expected processes = 1 with store kind \"inmemory\""},
    {"55-inmemory-over-groups.toml", 9, "group[1].processes", "expected processes = 1 with store kind \"inmemory\" (InMemoryStorage lives in one process), got 2 processes over the groups"},
    {"53-store-kind-with-latency.toml", 15, "store.request_latency", "expected no latency keys with a store preset"},
    {"54-machine-cpu-share-zero.toml", 17, "machine.cpu_share", "expected a number from 0.001 to 1, got integer 0"},
    {"41-fault-probability-above-one.toml", 14, "faults.crash_probability", "expected a probability p with 0 <= p <= 1, got float 1.5"},
    {"42-retry-without-heartbeat.toml", 14, "faults.retry_failed_trials", "only together with heartbeat_interval (RetryFailedTrialCallback fires only for stale trials), got no faults.heartbeat_interval"},
    {"43-zero-heartbeat.toml", 14, "faults.heartbeat_interval", "expected a duration > 0, got string \"0s\""},
    {"44-unknown-fault-key.toml", 14, "faults.crash_probablity", "got an unknown key (did you mean \"crash_probability\"?)"},
    {"45-too-many-crashes.toml", 14, "faults.max_crashes", "expected an integer from 0 to 3 (at most the number of workers), got integer 4"},
    {"46-store-errors-always.toml", 14, "faults.store_error_probability", "expected a probability p with 0 <= p < 1, got float 1.0"},
    {"47-swarm-not-boolean.toml", 14, "faults.swarm", "expected a boolean (true or false), got string \"yes\""},
};
// clang-format on

std::string bad_scenario_dir() { return source_path("tests/data/bad-scenarios"); }

TEST(ScenarioLoaderFaults, ReadsEveryFaultKey) {
  const std::string text = R"(
[grid]
x = [0, 1]
[workers]
processes = 2
threads = 2
[objective]
duration = "10ms"
[compare]
policies = ["optuna-4"]
[faults]
swarm = true
until = "3s"
crash_probability = 0.25
max_crashes = 2
heartbeat_interval = "20ms"
grace_period = "50ms"
retry_failed_trials = true
objective_failure_probability = 0.1
store_error_probability = 0.05
store_max_retries = 5
store_retry_backoff = "7ms"
slow_worker_probability = 1
slow_factor = 3
late_join_probability = 0.5
late_join_delay = "uniform 0s..2s"
stale_read_probability = 0.75
max_staleness = "40ms"
)";
  const ScenarioSpec spec = parse_scenario_text(text, "faults.toml", kPolicies);
  const FaultSpec& f = spec.faults;
  EXPECT_TRUE(f.present);
  EXPECT_TRUE(f.swarm);
  EXPECT_EQ(f.until_us, 3'000'000);
  EXPECT_EQ(f.crash_ppm, 250'000u);
  EXPECT_EQ(f.max_crashes, 2);
  EXPECT_EQ(f.heartbeat_interval_us, 20'000);
  EXPECT_EQ(f.effective_grace_us(), 50'000);
  EXPECT_TRUE(f.retry_failed);
  EXPECT_EQ(f.objective_fail_ppm, 100'000u);
  EXPECT_EQ(f.store_error_ppm, 50'000u);
  EXPECT_EQ(f.store_max_retries, 5);
  EXPECT_EQ(f.store_retry_backoff_us, 7'000);
  EXPECT_EQ(f.slow_worker_ppm, 1'000'000u);
  EXPECT_EQ(f.slow_factor, 3);
  EXPECT_EQ(f.late_join_ppm, 500'000u);
  EXPECT_EQ(f.late_join_delay.max_us, 2'000'000);
  EXPECT_EQ(f.stale_read_ppm, 750'000u);
  EXPECT_EQ(f.max_staleness_us, 40'000);
}

TEST(ScenarioLoaderFaults, AbsentTableMeansNoFaults) {
  const ScenarioSpec spec = load_scenario_file(source_path("scenarios/grid-4x5-w4.toml"), kPolicies);
  EXPECT_FALSE(spec.faults.present);
  EXPECT_TRUE(spec.faults.fault_free());
  EXPECT_FALSE(spec.faults.heartbeat());
}

void PrintTo(const BadScenario& b, std::ostream* os) {
  *os << b.file << " (line " << b.line << ", key '" << b.key << "': " << b.message << ")";
}

class BadScenarioFile : public testing::TestWithParam<BadScenario> {};

TEST_P(BadScenarioFile, IsRejectedWithItsMessage) {
  const BadScenario& bad = GetParam();
  const std::string path = bad_scenario_dir() + "/" + bad.file;
  try {
    load_scenario_file(path, kPolicies);
    FAIL() << path << " loaded";
  } catch (const BadInput& e) {
    const std::string what = e.what();
    EXPECT_EQ(what.find_first_of("\n\r"), std::string::npos) << what;
    EXPECT_EQ(e.file(), path);
    EXPECT_EQ(e.line(), bad.line) << what;
    EXPECT_EQ(e.key(), bad.key) << what;
    EXPECT_NE(what.find(bad.message), std::string::npos) << what;
    const std::string prefix =
        std::string(bad.key).empty()
            ? path + ":" + std::to_string(bad.line) + ":"
            : path + ":" + std::to_string(bad.line) + ": " + bad.key + ": expected ";
    EXPECT_EQ(what.rfind(prefix, 0), 0u) << what;
    EXPECT_EQ(e.is_syntax_error(), std::string(bad.key).empty()) << what;
  }
}

INSTANTIATE_TEST_SUITE_P(AllFiles, BadScenarioFile, testing::ValuesIn(kBadScenarios),
                         [](const testing::TestParamInfo<BadScenario>& info) {
                           const std::string file = info.param.file;
                           return samplersim::param_name(file.substr(0, file.find('.')));
                         });

TEST(BadScenarioFiles, EveryFileHasAnExpectation) {
  std::set<std::string> on_disk;
  for (const auto& entry : std::filesystem::directory_iterator(bad_scenario_dir())) {
    on_disk.insert(entry.path().filename().string());
  }
  std::set<std::string> in_table;
  for (const BadScenario& bad : kBadScenarios) in_table.insert(bad.file);
  EXPECT_EQ(on_disk, in_table);
  EXPECT_GE(in_table.size(), 20u);
}

// ---- random mutations -------------------------------------------------------------------

// Applies one random edit: overwrite, insert or delete a byte, or duplicate or drop a line.
void mutate(std::string& text, std::mt19937_64& rng) {
  static constexpr std::string_view kInteresting = "[]{}=\"'.,#\n\\ 0123456789-+:_aeuz\x7f\xc3\xff";
  const auto pick = [&](std::size_t n) {
    return std::uniform_int_distribution<std::size_t>(0, n - 1)(rng);
  };
  const auto random_byte = [&]() -> char {
    if (pick(2) == 0) return kInteresting[pick(kInteresting.size())];
    return static_cast<char>(pick(256));
  };
  if (text.empty()) {
    text.push_back(random_byte());
    return;
  }
  const std::size_t at = pick(text.size());
  switch (pick(5)) {
    case 0: text[at] = random_byte(); break;
    case 1: text.insert(text.begin() + static_cast<std::ptrdiff_t>(at), random_byte()); break;
    case 2: text.erase(at, 1); break;
    case 3: {
      const std::size_t begin =
          text.rfind('\n', at) == std::string::npos ? 0 : text.rfind('\n', at) + 1;
      const std::size_t end = std::min(text.find('\n', at), text.size());
      text.insert(begin, text.substr(begin, end - begin) + "\n");
      break;
    }
    default: {
      const std::size_t begin =
          text.rfind('\n', at) == std::string::npos ? 0 : text.rfind('\n', at);
      const std::size_t end = std::min(text.find('\n', at + 1), text.size());
      text.erase(begin, end - begin);
      break;
    }
  }
}

TEST(ScenarioLoaderProperty, MutatedScenariosLoadOrThrowBadInput) {
  const std::string original = read_text(source_path("scenarios/issue-5489.toml"));
  ASSERT_FALSE(original.empty());
  std::mt19937_64 rng(20240521);
  int loaded = 0;
  int rejected = 0;
  for (int i = 0; i < 2000; ++i) {
    std::string text = original;
    const int edits = 1 + static_cast<int>(rng() % 4);
    for (int k = 0; k < edits; ++k) mutate(text, rng);
    try {
      const ScenarioSpec spec = parse_scenario_text(text, "mutant.toml", kPolicies);
      EXPECT_EQ(spec.source_text, text);
      EXPECT_GE(spec.combinations(), 1);
      EXPECT_LE(spec.combinations(), ScenarioSpec::kMaxCombinations);
      EXPECT_LE(spec.workers(), ScenarioSpec::kMaxWorkers);
      ++loaded;
    } catch (const BadInput& e) {
      const std::string what = e.what();
      EXPECT_EQ(what.find_first_of("\n\r"), std::string::npos) << what;
      EXPECT_EQ(what.rfind("mutant.toml:", 0), 0u) << what;
      ++rejected;
    } catch (...) {
      ADD_FAILURE() << "mutant " << i << " threw something other than BadInput:\n" << text;
    }
  }
  EXPECT_GT(loaded, 0);
  EXPECT_GT(rejected, 0);
}

}  // namespace
}  // namespace samplersim
