// reports/remedy_ranking.h: which remedy options are recommended, trade-offs or not better, and in
// what order, on hand-built statistics whose verdict follows from the rule in the header.
#include "reports/remedy_ranking.h"

#include <gtest/gtest.h>

#include <vector>

#include "reports/human_units.h"

namespace samplersim {
namespace {

// n runs with the given per-run values (cycled), so means and variances are known.
ArmStats stats_of(std::vector<std::int64_t> repeats, std::vector<std::int64_t> uncovered, std::vector<double> wasted_s,
                  int n = 200) {
  ArmStats s;
  for (int i = 0; i < n; ++i) {
    RunMetrics m;
    m.repeats = repeats[static_cast<std::size_t>(i) % repeats.size()];
    m.uncovered = uncovered[static_cast<std::size_t>(i) % uncovered.size()];
    m.wasted_time_us = static_cast<VirtualTime>(wasted_s[static_cast<std::size_t>(i) % wasted_s.size()] * 1e6);
    m.objective_time_us = m.wasted_time_us + 10'000'000;
    m.trials = 20;
    s.add(m);
  }
  return s;
}

RemedyOption option(const char* id, RemedyGroup group, ArmStats stats, int order = 0) {
  RemedyOption o;
  o.id = id;
  o.group = group;
  o.title = id;
  o.order = order;
  o.stats = std::move(stats);
  return o;
}

const RankedRemedy& find(const RemedyRanking& r, const std::string& id) {
  for (const RankedRemedy& x : r.remedies) {
    if (x.option.id == id) return x;
  }
  throw std::runtime_error("no option " + id);
}

TEST(RemedyRanking, ClassifiesByTheWelchRule) {
  const ArmStats arm = stats_of({3, 4, 5}, {0}, {1.0, 2.0});
  std::vector<RemedyOption> options;
  options.push_back(option("fewer-repeats", RemedyGroup::kSameVersion, stats_of({0}, {0}, {0.0})));
  options.push_back(option("identical", RemedyGroup::kSameVersion, stats_of({3, 4, 5}, {0}, {1.0, 2.0})));
  options.push_back(option("trades", RemedyGroup::kSameVersion, stats_of({0}, {1}, {0.0})));
  options.push_back(option("worse", RemedyGroup::kSameVersion, stats_of({6, 7, 8}, {0}, {3.0})));
  // A difference far inside the noise is neither better nor worse.
  options.push_back(option("noise", RemedyGroup::kSameVersion, stats_of({2, 4, 6}, {0}, {1.0, 2.0})));
  const RemedyRanking r = rank_remedies("optuna-3.6/none", "Optuna 3.4–3.6", arm, options);
  EXPECT_EQ(find(r, "fewer-repeats").verdict, RemedyVerdict::kRecommended);
  EXPECT_EQ(find(r, "identical").verdict, RemedyVerdict::kNotBetter);
  EXPECT_EQ(find(r, "trades").verdict, RemedyVerdict::kTradeOff);
  EXPECT_EQ(find(r, "worse").verdict, RemedyVerdict::kWorse);
  EXPECT_EQ(find(r, "noise").verdict, RemedyVerdict::kNotBetter);
  ASSERT_NE(r.best_for_user(), nullptr);
  EXPECT_EQ(r.best_for_user()->option.id, "fewer-repeats");
  EXPECT_EQ(r.best_for_maintainers(), nullptr);
  EXPECT_EQ(r.remedies.front().option.id, "fewer-repeats");  // recommended first
}

TEST(RemedyRanking, RanksByGroupThenUncoveredThenRepeatsThenWastedThenOrder) {
  const ArmStats arm = stats_of({10}, {5}, {100.0});
  std::vector<RemedyOption> options;
  options.push_back(option("maintainers-perfect", RemedyGroup::kMaintainers, stats_of({0}, {0}, {0.0})));
  options.push_back(option("upgrade-perfect", RemedyGroup::kUpgrade, stats_of({0}, {0}, {0.0})));
  options.push_back(option("same-some-uncovered", RemedyGroup::kSameVersion, stats_of({0}, {1}, {0.0})));
  options.push_back(option("same-some-repeats", RemedyGroup::kSameVersion, stats_of({2}, {0}, {20.0})));
  options.push_back(option("same-later-in-catalogue", RemedyGroup::kSameVersion, stats_of({2}, {0}, {20.0}), 5));
  options.push_back(option("same-less-waste", RemedyGroup::kSameVersion, stats_of({2}, {0}, {10.0})));
  const RemedyRanking r = rank_remedies("a", "f", arm, options);
  std::vector<std::string> ids;
  for (const RankedRemedy& x : r.remedies) ids.push_back(x.option.id);
  EXPECT_EQ(ids, (std::vector<std::string>{"same-less-waste", "same-some-repeats", "same-later-in-catalogue",
                                           "same-some-uncovered", "upgrade-perfect", "maintainers-perfect"}));
  EXPECT_EQ(r.best_for_user()->option.id, "same-less-waste");  // the same version comes first
  EXPECT_EQ(r.best_for_maintainers()->option.id, "maintainers-perfect");
}

TEST(RemedyRanking, NothingRecommendedWhenTheArmIsAlreadyClean) {
  const ArmStats arm = stats_of({0}, {0}, {0.0});
  std::vector<RemedyOption> options = {option("also-clean", RemedyGroup::kSameVersion, stats_of({0}, {0}, {0.0}))};
  const RemedyRanking r = rank_remedies("a", "f", arm, options);
  EXPECT_EQ(r.best_for_user(), nullptr);
  EXPECT_NE(format_remedy_ranking(r).find("nothing to fix"), std::string::npos);
}

TEST(RemedyRanking, SaysSoWhenNoOptionBeatsADirtyArm) {
  const ArmStats arm = stats_of({2, 2}, {0, 0}, {1.0, 1.0});
  std::vector<RemedyOption> options = {option("same", RemedyGroup::kSameVersion, stats_of({2, 2}, {0, 0}, {1.0, 1.0}))};
  const RemedyRanking r = rank_remedies("a", "f", arm, options);
  EXPECT_EQ(r.best_for_user(), nullptr);
  EXPECT_NE(format_remedy_ranking(r).find("no simulated change does better"), std::string::npos);
}

TEST(RemedyRanking, JsonCarriesEveryOptionWithItsVerdictAndCode) {
  const ArmStats arm = stats_of({3}, {0}, {1.0});
  std::vector<RemedyOption> options = {option("x", RemedyGroup::kSameVersion, stats_of({0}, {0}, {0.0}))};
  options[0].code = "sampler = optuna.samplers.GridSampler(search_space, seed=42)";
  const nlohmann::json j = remedy_ranking_json(rank_remedies("optuna-3.6/none", "f", arm, options));
  ASSERT_EQ(j["remedies"].size(), 1u);
  EXPECT_EQ(j["remedies"][0]["verdict"], "recommended");
  EXPECT_EQ(j["remedies"][0]["level"], "in your Optuna today");
  EXPECT_EQ(j["remedies"][0]["code"], options[0].code);
  EXPECT_DOUBLE_EQ(j["stats"]["repeats"]["mean"].get<double>(), 3.0);
}

// A new user read "repeats 29.79 -> 0" where the remedy's mean was 1 repeat in 400 runs: a mean
// that is not 0 is never printed as "0".
TEST(RemedyRanking, ASmallNonZeroMeanIsNotPrintedAsZero) {
  std::vector<std::int64_t> one_in_400(400, 0);
  one_in_400[0] = 1;
  const ArmStats arm = stats_of({29, 30}, {0}, {100.0}, 400);
  const ArmStats remedy = stats_of(one_in_400, {0}, {0.0}, 400);
  EXPECT_NE(remedy_change_text(arm, remedy).find("repeats 29.5 -> 0.0025,"), std::string::npos)
      << remedy_change_text(arm, remedy);
  EXPECT_EQ(format_count(0.0025), "0.0025");
  EXPECT_EQ(format_count(0.004), "0.004");
  EXPECT_EQ(format_count(-0.0031), "-0.0031");
  EXPECT_EQ(format_count(0.0), "0");
  // The arm's own line keeps two decimals, and says 0.0025 rather than 0.00.
  const RemedyRanking r = rank_remedies("a", "f", remedy, {option("x", RemedyGroup::kSameVersion, arm)});
  EXPECT_NE(format_remedy_ranking(r).find("a (f): 0.0025 repeats, 0.00 uncovered"), std::string::npos)
      << format_remedy_ranking(r);
}

// With one rep a side (or a few equal runs) nothing is known about the noise: the Welch rule's
// zero-width interval recommended any change whose single run was better.
TEST(RemedyRanking, OneRepOrAFewEqualRunsRecommendNothing) {
  for (const int n : {1, 2}) {
    const ArmStats arm = stats_of({29}, {3}, {100.0}, n);
    std::vector<RemedyOption> options = {option("better-once", RemedyGroup::kSameVersion, stats_of({0}, {0}, {0.0}, n)),
                                         option("same", RemedyGroup::kSameVersion, stats_of({29}, {3}, {100.0}, n))};
    const RemedyRanking r = rank_remedies("optuna-3.6/none", "f", arm, options);
    EXPECT_EQ(find(r, "better-once").verdict, RemedyVerdict::kNotCompared) << n;
    EXPECT_EQ(find(r, "same").verdict, RemedyVerdict::kNotBetter) << n;
    EXPECT_EQ(r.best_for_user(), nullptr) << n;
    const std::string text = format_remedy_ranking(r);
    EXPECT_NE(text.find("no recommendation: with " + std::string(n == 1 ? "1 run" : "2 runs") +
                        " a change cannot be told from noise"),
              std::string::npos)
        << text;
    const nlohmann::json json = remedy_ranking_json(r);  // named: a temporary's element would dangle in the loop
    for (const auto& x : json["remedies"]) {
      if (x["id"] == "better-once") {
        EXPECT_EQ(x["verdict"], "not compared");
      }
    }
  }
  // Equal runs are evidence once there are enough of them (every run of a deterministic scenario).
  const ArmStats arm = stats_of({29}, {3}, {100.0}, 30);
  const RemedyRanking r =
      rank_remedies("a", "f", arm, {option("clean", RemedyGroup::kSameVersion, stats_of({0}, {0}, {0.0}, 30))});
  EXPECT_EQ(find(r, "clean").verdict, RemedyVerdict::kRecommended);
}

TEST(HumanUnits, PicksTheLargestUnitWithThreeDigits) {
  EXPECT_EQ(format_duration_s(0), "0 s");
  EXPECT_EQ(format_duration_s(35636.135), "9.90 h");
  EXPECT_EQ(format_duration_s(1.78), "1.78 s");
  EXPECT_EQ(format_duration_s(0.487), "487 ms");
  EXPECT_EQ(format_duration_s(742.0), "12.4 min");
  EXPECT_EQ(format_duration_s(0.9999), "1.00 s");
  EXPECT_EQ(format_duration_s(2e-6), "2.00 us");
  EXPECT_EQ(format_duration_s(-90.0), "-1.50 min");
  EXPECT_EQ(format_duration_us(1'500'000), "1.50 s");
  EXPECT_EQ(format_count(3.0), "3");
  EXPECT_EQ(format_count(0.89), "0.89");
  EXPECT_EQ(format_count(12.5), "12.5");
}

}  // namespace
}  // namespace samplersim
