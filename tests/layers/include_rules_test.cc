// The layer rules written in docs/how-it-works.md hold for every #include in sim/, samplers/, scenarios/,
// reports/, app/ and cli/; and the check finds each kind of break in a fixture tree that has one
// of each (tests/data/layers/bad-tree), so a passing check means something.
#include <gtest/gtest.h>

#include <string>

#include "tests/layers/include_rules.h"

#ifndef SAMPLERSIM_SOURCE_DIR
#error "SAMPLERSIM_SOURCE_DIR must be defined"
#endif

namespace samplersim::layers {
namespace {

const std::filesystem::path kRoot = SAMPLERSIM_SOURCE_DIR;

LayerRules readme_rules() { return parse_layer_rules(read_text(kRoot / "docs/how-it-works.md")); }

std::string describe(const std::vector<Violation>& vs) {
  std::string out;
  for (const Violation& v : vs) out += v.file + ":" + std::to_string(v.line) + ": includes " + v.included + " (" + v.why + ")\n";
  return out;
}

TEST(LayerRules, ReadmeStatesARuleForEverySourceFolder) {
  const LayerRules rules = readme_rules();
  std::set<std::string> folders;
  for (const auto& [folder, may] : rules.allowed) folders.insert(folder);
  EXPECT_EQ(folders, (std::set<std::string>{"sim/", "samplers/", "scenarios/", "reports/", "app/", "real/", "cli/"}));
  EXPECT_EQ(rules.allowed.at("sim/"), std::vector<std::string>{"sim/"});
  EXPECT_EQ(rules.allowed.at("cli/"), (std::vector<std::string>{"cli/", "app/", "real/"}));
  EXPECT_GE(rules.data_headers.size(), 5u);
}

TEST(LayerRules, EveryListedDataTypeHeaderExists) {
  for (const std::string& h : readme_rules().data_headers) {
    EXPECT_TRUE(std::filesystem::is_regular_file(kRoot / h)) << h << " is listed in docs/how-it-works.md but missing";
  }
}

TEST(LayerRules, NoIncludeInTheSourceTreeBreaksThem) {
  const std::vector<Violation> vs = layer_violations(kRoot, readme_rules());
  EXPECT_TRUE(vs.empty()) << describe(vs);
}

// The fixture breaks each rule once (and has allowed includes, a commented-out include and
// third-party headers, which must not count).
TEST(LayerRules, CheckFindsEveryBreakInTheFixtureTree) {
  const std::vector<Violation> vs = layer_violations(kRoot / "tests/data/layers/bad-tree", readme_rules());
  std::vector<std::string> found;
  for (const Violation& v : vs) found.push_back(v.file + ":" + std::to_string(v.line) + " " + v.included);
  EXPECT_EQ(found, (std::vector<std::string>{
                       "app/compose.cc:3 cli/command.h",
                       "cli/cmd_run.cc:5 reports/arm_stats.h",
                       "cli/cmd_run.cc:6 sim/trace.h",
                       "reports/chart.cc:4 sim/optimize_loop.h",
                       "samplers/policy.cc:2 app/arms.h",
                       "scenarios/loader.cc:3 reports/report_data.h",
                       "sim/engine.h:4 scenarios/scenario_loader.h",
                       "sim/run_outcome.h:3 sim/study_store.h",
                   }))
      << describe(vs);
}

TEST(LayerRules, AReadmeWithoutTheRulesBlockIsAnError) {
  EXPECT_THROW(parse_layer_rules("# samplersim\nno rules here\n"), std::runtime_error);
  EXPECT_THROW(parse_layer_rules("<!-- layer rules -->\n<!-- end of layer rules -->\n"), std::runtime_error);
}

}  // namespace
}  // namespace samplersim::layers
