// export-trace writes Chrome trace-event JSON that matches the run: one named track per worker,
// one slice per evaluation, one instant per store operation, virtual microseconds.
#include <gtest/gtest.h>

#include <map>
#include <set>

#include "app/arms.h"
#include "app/scenario_files.h"
#include "app/single_run.h"
#include "sim/faults.h"
#include "tests/cli/cli_util.h"
#include "tests/cli/sweep_test_util.h"

namespace samplersim::testing {
namespace {

TEST(ExportTrace, MatchesTheTracedRun) {
  const std::string dir = scratch_dir("export-trace");
  const CliResult r = run_cli("export-trace grid-4x5-w4 --policy optuna-3.6 --seed-policy none --rep 2 --out " + dir + "/t.json", dir);
  ASSERT_EQ(r.status, 0) << r.err;
  const auto doc = nlohmann::json::parse(read_all(dir + "/t.json"));

  const ScenarioSpec spec = load_scenario("grid-4x5-w4");
  const std::vector<Arm> arms = arms_of(spec, {"optuna-3.6"}, {*parse_seed_policy("none")});
  const TracedRun run = run_traced(spec, arms.front(), 2);

  std::set<int> named_threads;
  std::int64_t slices = 0;
  std::int64_t store_instants = 0;
  for (const auto& e : doc.at("traceEvents")) {
    const std::string ph = e.at("ph");
    if (ph == "M" && e.at("name") == "thread_name") named_threads.insert(e.at("tid").get<int>());
    if (ph == "X") {
      ++slices;
      EXPECT_GE(e.at("dur").get<std::int64_t>(), 0);
      EXPECT_LE(e.at("ts").get<std::int64_t>() + e.at("dur").get<std::int64_t>(), run.outcome.makespan_us);
    }
    if (ph == "i" && e.at("cat") == "store") ++store_instants;
  }
  EXPECT_EQ(named_threads.size(), static_cast<std::size_t>(spec.workers()));
  EXPECT_EQ(slices, static_cast<std::int64_t>(run.outcome.evaluation_log.size()));
  EXPECT_EQ(store_instants, static_cast<std::int64_t>(run.outcome.store_ops));
  EXPECT_EQ(doc.at("otherData").at("trace_hash"), format_hash(run.outcome.trace_hash));
}

// A crashed worker: its trial's slice ends at the crash (the trial stays RUNNING in the store),
// its stop says "crashed", attributes carry their names, pids start at 1, and grid_id writes have
// flow arrows to later reads of other workers.
TEST(ExportTrace, CrashesAndAttributesAreNamed) {
  const ScenarioSpec spec = load_scenario("crash-recovery");
  const std::vector<Arm> arms = arms_of(spec, {"optuna-3.6"}, {*parse_seed_policy("none")});
  int rep = -1;
  VirtualTime crash_us = 0;
  int crash_trial = -1;
  for (int k = 0; k < 200 && rep < 0; ++k) {
    const TracedRun run = run_traced(spec, arms.front(), k);
    for (const TraceEvent& e : run.trace.events()) {
      if (e.kind == TraceKind::kFault && e.a == trace_code(Fault::kCrash)) {
        rep = k;
        crash_us = e.t_us;
        crash_trial = e.trial;
        break;
      }
    }
  }
  ASSERT_GE(rep, 0) << "no crash in 200 reps at p=0.05 per trial (P < 1e-100 for a correct model)";
  const std::string dir = scratch_dir("export-trace-crash");
  const CliResult r = run_cli("export-trace crash-recovery --policy optuna-3.6 --seed-policy none --rep " +
                                  std::to_string(rep) + " --out " + dir + "/t.json",
                              dir);
  ASSERT_EQ(r.status, 0) << r.err;
  const auto doc = nlohmann::json::parse(read_all(dir + "/t.json"));
  bool crashed_slice = false, crashed_stop = false, named_attr = false, named_param = false;
  int flows_start = 0, flows_end = 0;
  for (const auto& e : doc.at("traceEvents")) {
    EXPECT_GE(e.at("pid").get<int>(), 1) << e.dump();
    const std::string ph = e.at("ph");
    if (ph == "X" && e.at("args").at("trial") == crash_trial) {
      crashed_slice = true;
      EXPECT_EQ(e.at("ts").get<std::int64_t>() + e.at("dur").get<std::int64_t>(), crash_us) << e.dump();
      EXPECT_EQ(e.at("args").at("state"), "crashed (the trial stays RUNNING)");
    }
    if (ph == "i" && e.at("name") == "stop: crashed") crashed_stop = true;
    if (ph == "i" && e.at("name") == "set_system_attr" && e.at("args").contains("key")) named_attr = true;
    if (ph == "i" && e.at("name") == "set_param" && e.at("args").contains("param")) named_param = true;
    flows_start += ph == "s";
    flows_end += ph == "f";
  }
  EXPECT_TRUE(crashed_slice);
  EXPECT_TRUE(crashed_stop);
  EXPECT_TRUE(named_attr);
  EXPECT_TRUE(named_param);
  EXPECT_GT(flows_start, 0);
  EXPECT_EQ(flows_start, flows_end);
}

TEST(ExportTrace, NeedsExactlyOneArm) {
  const std::string dir = scratch_dir("export-trace-arms");
  const CliResult r = run_cli("export-trace issue-5489 --out " + dir + "/t.json", dir);
  EXPECT_EQ(r.status, 2);
  EXPECT_EQ(count_lines(r.err), 1);
  EXPECT_FALSE(std::filesystem::exists(dir + "/t.json"));
}

}  // namespace
}  // namespace samplersim::testing
