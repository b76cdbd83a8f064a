// `mpirun -np 3 samplersim sweep|check` (app/mpi_world.h; README "Across machines"): the sweep's
// results file is the single-process file byte for byte, check finds the same counterexample as a
// single process (the smallest violating schedule, whichever rank ran it), and bad input under
// mpirun gives exit 2, one line and no output file. Skipped only when CMake found no mpirun
// (scripts/setup.sh installs openmpi-bin, so CI runs them).
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

#include "tests/cli/cli_util.h"
#include "tests/cli/sweep_test_util.h"

namespace samplersim::testing {
namespace {

// How these tests start three ranks on a two-core machine, as root in a container: -q drops
// mpirun's own banners (so an error is samplersim's one line), --oversubscribe allows more ranks
// than cores, --allow-run-as-root is needed as root (harmless otherwise). Under the sanitizers
// (scripts/sanitize.sh) OpenMPI's leaks are suppressed by library (scripts/lsan.supp), which
// needs full stacks: fast_unwind_on_malloc=0 is added to the options (ignored otherwise).
std::string mpirun_prefix() {
#ifdef SAMPLERSIM_MPIRUN
  return std::string("ASAN_OPTIONS=\"${ASAN_OPTIONS:+$ASAN_OPTIONS:}fast_unwind_on_malloc=0\" "
                     "LSAN_OPTIONS=\"${LSAN_OPTIONS:+$LSAN_OPTIONS:}fast_unwind_on_malloc=0\" ") +
         SAMPLERSIM_MPIRUN + " -q --oversubscribe --allow-run-as-root -np 3 " + SAMPLERSIM_BINARY;
#else
  return "";
#endif
}

#define SKIP_WITHOUT_MPIRUN()                         \
  if (mpirun_prefix().empty()) {                      \
    GTEST_SKIP() << "mpirun was not found by CMake"; \
  }

CliResult run_mpi(const std::string& args, const std::string& dir) {
  // run_cli runs `launcher args`: the launcher is mpirun with the binary after it.
  return run_cli(args, dir, mpirun_prefix());
}

TEST(Mpi, SweepUnderMpirunIsTheSingleProcessFileByteForByte) {
  SKIP_WITHOUT_MPIRUN();
  const std::string dir = scratch_dir("mpi-sweep");
  write_text(dir + "/spec.toml", tiny_spec_text("mpi"));
  const CliResult one = run_cli("sweep " + dir + "/spec.toml --quiet --jobs 1 --out " + dir + "/one.jsonl", dir);
  ASSERT_EQ(one.status, 0) << one.err;
  const CliResult three = run_mpi("sweep " + dir + "/spec.toml --quiet --jobs 1 --out " + dir + "/three.jsonl", dir);
  ASSERT_EQ(three.status, 0) << three.out << three.err;
  EXPECT_EQ(count_lines(three.out), 1) << "only rank 0 prints: " << three.out;
  EXPECT_NE(three.out.find("102 runs (4 points) on 3 MPI ranks"), std::string::npos) << three.out;
  const std::string a = read_all(dir + "/one.jsonl");
  const std::string b = read_all(dir + "/three.jsonl");
  ASSERT_EQ(count_lines(a), kTinyRuns);
  EXPECT_EQ(count_lines(b), kTinyRuns);
  EXPECT_TRUE(a == b) << "the results file under mpirun -np 3 differs from the single-process one";
}

// Random search for a repeat on a 3x3 grid with three workers (optuna-3.6, no seeds) from start
// seed 11: schedules 1 to 5 have none, schedule 6 (index 5) is rank 2's second, and the other ranks
// find later ones in the same round, so the answer depends on the minimum over ranks.
TEST(Mpi, CheckUnderMpirunFindsTheSingleProcessCounterexample) {
  SKIP_WITHOUT_MPIRUN();
  const std::string dir = scratch_dir("mpi-check");
  const std::string scenario = std::string(SAMPLERSIM_SOURCE_DIR) + "/tests/data/scenarios/grid-3x3-w3.toml";
  const std::string args = "check " + scenario + " --policy optuna-3.6 --seed-policy none --property no-repeats "
                           "--strategy random --seed 11 --budget 200 --format json --out ";
  const CliResult one = run_cli(args + dir + "/one", dir);
  ASSERT_EQ(one.status, 1) << one.out << one.err;
  const CliResult three = run_mpi(args + dir + "/three", dir);
  ASSERT_EQ(three.status, 1) << three.out << three.err;
  ASSERT_EQ(count_lines(three.out), 1) << "only rank 0 prints: " << three.out;
  nlohmann::json a = nlohmann::json::parse(one.out);
  nlohmann::json b = nlohmann::json::parse(three.out);
  EXPECT_EQ(a.at("violation").at("schedule"), 6) << "the test needs its violation on rank 2, after rank 0's first";
  a.erase("files");
  b.erase("files");
  EXPECT_EQ(a.dump(), b.dump()) << "same schedule, run seed, shrunk choices and counts";
  for (const char* f : {"trace.txt", "replay.json", "interleaving.dot"}) {
    EXPECT_TRUE(read_all(dir + "/one/" + f) == read_all(dir + "/three/" + f)) << f << " differs";
  }
  // Replaying the MPI counterexample reproduces its trace hash.
  const CliResult replay = run_cli("replay " + dir + "/three/replay.json --out " + dir + "/again", dir);
  EXPECT_EQ(replay.status, 0) << replay.out << replay.err;
  EXPECT_NE(replay.out.find("reproduced: trace hash"), std::string::npos) << replay.out;
}

// pct and the exhaustive search without reduction are shared too: the JSON verdict (schedule,
// shrunk choices, counts, classes, exhausted) and the counterexample files equal a single
// process's.
TEST(Mpi, PctAndExhaustiveUnderMpirunGiveTheSingleProcessAnswer) {
  SKIP_WITHOUT_MPIRUN();
  const std::string dir = scratch_dir("mpi-check-more");
  const std::string two_by_two = std::string(SAMPLERSIM_SOURCE_DIR) + "/tests/data/golden/two-by-two.toml";
  const struct {
    std::string name;
    std::string args;
    int status;
  } cases[] = {
      {"pct", "check issue-5489 --policy optuna-3.6 --seed-policy none --property no-repeats --strategy pct:3 --seed 2 "
              "--budget 200",
       1},
      {"dfs-violation", "check " + two_by_two + " --policy optuna-3.2 --seed-policy same:42 --property no-repeats "
                        "--strategy exhaustive --reduction none --preemption-bound 2",
       1},
      {"dfs-clean", "check " + two_by_two + " --policy optuna-4 --seed-policy none --strategy exhaustive "
                    "--preemption-bound 2",
       0},
  };
  for (const auto& c : cases) {
    const std::string args = c.args + " --format json --out ";
    const CliResult one = run_cli(args + dir + "/" + c.name + "-one", dir);
    ASSERT_EQ(one.status, c.status) << c.name << "\n" << one.out << one.err;
    const CliResult three = run_mpi(args + dir + "/" + c.name + "-three", dir);
    ASSERT_EQ(three.status, c.status) << c.name << "\n" << three.out << three.err;
    ASSERT_EQ(count_lines(three.out), 1) << "only rank 0 prints: " << three.out;
    nlohmann::json a = nlohmann::json::parse(one.out);
    nlohmann::json b = nlohmann::json::parse(three.out);
    a.erase("files");
    b.erase("files");
    EXPECT_EQ(a.dump(), b.dump()) << c.name;
    if (c.status == 1) {
      for (const char* f : {"trace.txt", "replay.json"}) {
        EXPECT_TRUE(read_all(dir + "/" + c.name + "-one/" + f) == read_all(dir + "/" + c.name + "-three/" + f))
            << c.name << ": " << f << " differs";
      }
    }
  }
}

// An argument error before MPI starts, as each rank of an mpirun job meets it (the launcher's
// environment, without mpirun): rank 0 prints the one line and exits 2; another rank prints nothing
// and exits 0, so that it never makes the launcher end the job before rank 0 has printed (under load
// the job above once exited 2 with nothing on stderr).
TEST(Mpi, AnArgumentErrorIsPrintedByRankZeroAndOtherRanksLeaveQuietly) {
  const std::string dir = scratch_dir("mpi-quiet-rank");
  const std::string bad_args = "sweep spec.toml --jobs x";
  const std::string binary = SAMPLERSIM_BINARY;
  const CliResult rank0 = run_cli(bad_args, dir, "env OMPI_COMM_WORLD_SIZE=3 OMPI_COMM_WORLD_RANK=0 " + binary);
  EXPECT_EQ(rank0.status, 2) << rank0.err;
  EXPECT_EQ(count_lines(rank0.err), 1) << rank0.err;
  EXPECT_NE(rank0.err.find("--jobs"), std::string::npos) << rank0.err;
  const CliResult rank1 = run_cli(bad_args, dir, "env OMPI_COMM_WORLD_SIZE=3 OMPI_COMM_WORLD_RANK=1 " + binary);
  EXPECT_EQ(rank1.status, 0) << rank1.err;
  EXPECT_EQ(rank1.err, "");
  EXPECT_EQ(rank1.out, "");
}

// Bad input under mpirun: every rank meets it (or only rank 0, for --out), all exit 2, and the job
// prints one line and writes nothing.
TEST(Mpi, BadInputUnderMpirunExitsTwoWithOneLineAndNoOutput) {
  SKIP_WITHOUT_MPIRUN();
  const std::string dir = scratch_dir("mpi-bad");
  write_text(dir + "/spec.toml", tiny_spec_text("mpi"));
  write_text(dir + "/bad.toml", "name = \"bad\"\nreps = 0\n[[scenario]]\nscenario = \"issue-5489\"\n");
  write_text(dir + "/exists.jsonl", "x\n");
  const std::string scenario = std::string(SAMPLERSIM_SOURCE_DIR) + "/tests/data/golden/two-by-two.toml";
  const struct {
    std::string args;
    std::string out;
    std::string expect;
  } cases[] = {
      {"sweep " + dir + "/bad.toml --quiet --out " + dir + "/r.jsonl", dir + "/r.jsonl", "reps"},
      {"sweep " + dir + "/spec.toml --quiet --resume --out " + dir + "/r.jsonl", dir + "/r.jsonl", "--resume"},
      {"sweep " + dir + "/spec.toml --quiet --shard 1/2 --out " + dir + "/r.jsonl", dir + "/r.jsonl", "--shard"},
      {"sweep " + dir + "/spec.toml --quiet --jobs x --out " + dir + "/r.jsonl", dir + "/r.jsonl", "--jobs"},
      {"sweep " + dir + "/spec.toml --quiet --out " + dir + "/exists.jsonl", "", "exists"},
      {"check " + scenario + " --policy optuna-3.6 --strategy exhaustive --out " + dir + "/cex", dir + "/cex", "--reduction"},
      {"check " + scenario + " --policy optuna-3.6 --strategy exhaustive --reduction source-dpor --out " + dir + "/cex",
       dir + "/cex", "--reduction"},
      {"check " + scenario + " --policy optuna-9 --out " + dir + "/cex", dir + "/cex", "--policy"},
      {"run " + scenario, "", "mpirun"},
  };
  for (const auto& c : cases) {
    const CliResult r = run_mpi(c.args, dir);
    EXPECT_EQ(r.status, 2) << c.args << "\n" << r.err;
    EXPECT_EQ(count_lines(r.err), 1) << c.args << "\n" << r.err;
    EXPECT_EQ(r.err.rfind("samplersim: ", 0), 0u) << c.args << "\n" << r.err;
    EXPECT_NE(r.err.find(c.expect), std::string::npos) << c.args << "\n" << r.err;
    EXPECT_TRUE(r.out.empty()) << c.args << "\n" << r.out;
    if (!c.out.empty()) {
      EXPECT_FALSE(std::filesystem::exists(c.out)) << c.args;
    }
  }
  EXPECT_EQ(read_all(dir + "/exists.jsonl"), "x\n");
}

}  // namespace
}  // namespace samplersim::testing
