// Golden file: the DOT text of the shrunk counterexample of two-by-two under optuna-3.2/same:42
// (exhaustive search) is pinned in tests/data/golden/two-by-two-optuna-3.2-same42.dot, and its SVG
// renders with libgvc. Regenerate after an intended change with
//   SAMPLERSIM_UPDATE_GOLDEN=1 ./build/tests/tests_properties --gtest_filter='InterleavingGolden.*'
// and review the diff.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "app/check_explore.h"
#include "app/check_output.h"
#include "app/scenario_files.h"
#include "reports/interleaving_graph.h"

namespace samplersim {
namespace {

const std::string kGolden = std::string(SAMPLERSIM_SOURCE_DIR) + "/tests/data/golden/two-by-two-optuna-3.2-same42.dot";

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string counterexample_dot() {
  const ScenarioSpec spec = load_scenario(std::string(SAMPLERSIM_SOURCE_DIR) + "/tests/data/golden/two-by-two.toml");
  CheckRequest req;
  req.spec = &spec;
  req.arm = Arm{PolicyRegistry::find("optuna-3.2"), *parse_seed_policy("same:42")};
  req.properties = {Property::kNoRepeats};
  req.strategy = StrategyChoice{StrategyKind::kExhaustive, 3};
  req.budget = 1000;
  req.start_seed = spec.seed;
  const CheckResult r = run_check(req);
  if (!r.counterexample) return "";
  const Counterexample& cex = *r.counterexample;
  return interleaving_dot(cex.trace, cex.outcome, spec, labels_for(spec, req.arm, cex.outcome, cex.violation, cex.run_seed));
}

TEST(InterleavingGolden, DotTextOfTheTwoByTwoRaceIsPinned) {
  const std::string dot = counterexample_dot();
  ASSERT_FALSE(dot.empty()) << "no counterexample found";
  if (std::getenv("SAMPLERSIM_UPDATE_GOLDEN") != nullptr) {
    std::ofstream(kGolden, std::ios::binary) << dot;
  }
  EXPECT_EQ(dot, read_file(kGolden)) << "DOT differs from " << kGolden;
  // The repeated combination's two evaluations are highlighted, and the race has its edges.
  EXPECT_NE(dot.find("fillcolor=\"#ff8a8a\", penwidth=2"), std::string::npos);
  EXPECT_NE(dot.find("color=red, penwidth=2"), std::string::npos);
  EXPECT_NE(dot.find("subgraph cluster_w0"), std::string::npos);
  EXPECT_NE(dot.find("subgraph cluster_w1"), std::string::npos);
}

TEST(InterleavingGolden, SvgRenders) {
  const std::string svg = render_svg(read_file(kGolden));
  EXPECT_NE(svg.find("<svg"), std::string::npos);
  EXPECT_NE(svg.find("</svg>"), std::string::npos);
  EXPECT_NE(svg.find("cluster_w1"), std::string::npos);
}

TEST(InterleavingGolden, BadDotIsARenderError) {
  EXPECT_THROW(render_svg("digraph {"), RenderError);
  EXPECT_THROW(render_svg_within("digraph {", std::chrono::seconds(30)), RenderError);
}

// The layout runs in a child process: within its budget it gives what render_svg gives; beyond it
// (a graph of 3,000 nodes cannot be laid out in a millisecond) the child is killed and nothing is
// returned.
TEST(InterleavingGolden, LayoutIsTimeBoxed) {
  const std::string dot = read_file(kGolden);
  const std::optional<std::string> svg = render_svg_within(dot, std::chrono::seconds(60));
  ASSERT_TRUE(svg);
  EXPECT_EQ(*svg, render_svg(dot));
  std::string big = "digraph big {\n";
  for (int i = 0; i < 3000; ++i) big += "  n" + std::to_string(i) + " -> n" + std::to_string((i * 7 + 1) % 3000) + ";\n";
  big += "}\n";
  EXPECT_FALSE(render_svg_within(big, std::chrono::milliseconds(1)));
}

// The slice of the golden run: both key trials' stories, within the node bound.
TEST(InterleavingGolden, SliceKeepsBothStoriesWithinTheBound) {
  const std::string dot = counterexample_dot();
  EXPECT_LE(dot_node_count(dot), kMaxDiagramNodes);
  EXPECT_NE(dot.find("{x=0} evaluated by trials #0 (w0), #1 (w1)"), std::string::npos) << dot;
  EXPECT_NE(dot.find("read before this write"), std::string::npos) << "the race edge";
}

}  // namespace
}  // namespace samplersim
