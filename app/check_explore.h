// Schedule exploration for `samplersim check`: search a scenario's schedules for a property
// violation and shrink the one found.
//
// Strategies:
//   random      schedule i runs with run seed run_seed_for_rep(start_seed, i) and RandomStrategy;
//               schedules are independent, so MPI ranks can share them (RankShare below; so can
//               pct and the exhaustive search without reduction)
//   pct:D       as random, but PctStrategy(run seed, D, k) with k = choice points of the previous
//               run (first: of a probe run with default picks)
//   exhaustive  one run seed (run_seed_for_rep(start_seed, 0)); stateless search that re-runs the
//               scenario with a prefix of picks. Reductions:
//                 source-dpor (default) source-DPOR with sleep sets (app/dpor.h): one run per
//                             Mazurkiewicz class of runs under the store-object dependency
//                             relation, plus sleep-set-blocked runs; sound: every class is run.
//                 none        depth-first search over every choice point: each run follows a prefix
//                             of picks, then always pick 0, and records the branching factor at
//                             each point; the next prefix increments the deepest pick that has an
//                             unexplored sibling. Every schedule is distinct. With a preemption
//                             bound K, only schedules with at most K non-default picks are visited
//                             (delay bounding; only with this reduction).
// Timing streams never depend on picks, so the tree is fixed by the run seed. Exhaustive search
// also counts classes: distinct class fingerprints (app/dpor.h ClassFingerprint) with `none`, the
// non-blocked runs with `source-dpor`.
// Shrinking, whatever strategy found the violation, on the same run seed while the same property
// stays violated: first, for a repeat, whole processes are left out (chunks of the processes still
// in, halving down to one; simulate_without() keeps every other worker's id, streams and start,
// so a repeat that the run seed's timings alone decide, as random search finds on scenarios
// without ties, shrinks too; a repeat among fewer processes is still a repeat, while a missed
// combination could just be fewer trials to give, so coverage is never shrunk this way), then the
// violating run's recorded picks, as a ChoicesStrategy vector, are minimised greedily (drop
// chunks, then lower single picks to 0 or 1). At most `max_shrink_runs` runs in all, fewer if
// `should_stop` says so (what was found so far is kept). A candidate that reaches one of the run's
// limits (RunLimitReached: fewer processes can take far longer) counts as not reproducing it.
// Cost: one simulation per schedule explored or shrinking step. `should_stop` (e.g. a wall-clock
// time limit) is polled between runs: it decides how many schedules are explored, never what a
// run does.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/arms.h"
#include "sim/scenario_spec.h"
#include "sim/properties.h"
#include "sim/run_outcome.h"
#include "sim/trace.h"

namespace samplersim {

enum class StrategyKind : std::uint8_t { kRandom, kPct, kExhaustive };
enum class Reduction : std::uint8_t { kNone, kSourceDpor };
std::string_view to_string(Reduction r);
// "none" or "source-dpor"; nullopt on anything else.
std::optional<Reduction> parse_reduction(std::string_view text);

struct StrategyChoice {
  StrategyKind kind = StrategyKind::kRandom;
  int pct_depth = 3;  // pct:D, 1 <= D <= kMaxPctDepth
  std::string to_string() const;
  static constexpr int kMaxPctDepth = 64;
};
// "random", "pct:D" or "exhaustive"; nullopt on anything else.
std::optional<StrategyChoice> parse_strategy(std::string_view text);

struct Counterexample;

// One explored run, for observers (soundness tests compare these across reductions).
struct ExploredRun {
  std::uint64_t index = 0;             // 0-based schedule index
  const RunOutcome* outcome = nullptr;
  std::uint64_t class_fingerprint = 0; // exhaustive only (app/dpor.h ClassFingerprint)
  bool sleep_blocked = false;          // source-dpor only: the run repeats an explored class
  std::optional<Violation> violation;
};

struct CheckProgress {
  enum class Phase : std::uint8_t { kExploring, kShrinking };
  Phase phase = Phase::kExploring;
  std::uint64_t schedules = 0;    // explored so far
  std::uint64_t classes = 0;      // exhaustive: classes so far
  std::uint64_t shrink_runs = 0;  // shrinking: runs so far
  std::size_t picks = 0;          // shrinking: length of the current choice vector
};

// Several cooperating processes (mpirun; app/mpi_world.h) sharing one search; every rank gets the
// verdict and counts a single process gets, and rank 0 the same counterexample (it re-runs the
// violating schedule and shrinks it alone; the other ranks get only CheckResult::violated).
// Rounds: kShareRoundSchedules runs per rank in the first, doubling each round up to 128 times that
// (short runs would otherwise spend their time in the collectives); results never depend on them.
// - random and pct:D: rounds of (runs per rank) * K schedules; rank r of K runs the round's
//   schedules i with i % K == r in ascending order; after each round every rank learns the smallest
//   violating schedule (min_all) and the search ends there. pct's estimate k for schedule i is the
//   longest run before i (as a single process has it): a round runs with the estimate valid at its
//   start, and when a run is longer than it, what every rank ran past that schedule is void and
//   the next round starts after it with the new estimate (rare after the first rounds: k only
//   grows). With --time-limit and no violation, `schedules` counts what all ranks explored.
// - exhaustive, reduction none only (source-DPOR's backtrack sets make one sequential walk): the
//   depth-first tree is cut at a split depth (the first run's path fans out into 16 K nodes above
//   it, and a subtree below it holds, by the first run's branching, at most budget / 16 K schedules);
//   subtree s (the schedules sharing their first picks to that depth, numbered depth-first) is rank
//   s % K's, ranks agree after every round on the smallest subtree with a
//   violation and skip the subtrees past it, each rank runs at most `budget` schedules of its own,
//   and rank 0 gathers every walk (one fingerprint per schedule) and rebuilds the single-process
//   order: first violation, schedules, classes, exhausted. Cost: the ranks also run, each, the
//   first schedule of every subtree whose path above the split depth is new (not a sibling at it).
// An exception on one rank (a run that fails) is carried through the rounds and rethrown on that
// rank once every rank has stopped, so no rank is left waiting in a collective.
struct RankShare {
  int rank = 0;
  int ranks = 1;
  std::function<void(std::vector<std::uint64_t>&)> min_all;  // collective: elementwise minimum over ranks
  std::function<void(std::vector<std::uint64_t>&)> sum_all;  // collective: elementwise sum over ranks
  std::function<std::string(const std::string&)> gather_to_root;  // collective: rank 0 gets every
                                                                   // rank's bytes in rank order
};
inline constexpr std::uint64_t kShareRoundSchedules = 8;

struct CheckRequest {
  const ScenarioSpec* spec = nullptr;
  Arm arm;
  std::vector<Property> properties;  // coverage / no-repeats / termination
  StrategyChoice strategy;
  Reduction reduction = Reduction::kSourceDpor;  // exhaustive only
  std::optional<int> preemption_bound;  // exhaustive with Reduction::kNone only
  std::uint64_t budget = 1000;          // schedules to explore at most (>= 1)
  std::uint64_t start_seed = 1;
  bool shrink = true;
  std::uint64_t max_shrink_runs = 4000;
  bool stop_at_violation = true;        // false: explore on, report the first violation at the end
  std::function<void(const CheckProgress&)> progress;       // after each run; may be empty
  std::function<void(const ExploredRun&)> on_run;            // after each explored run; may be empty
  std::function<void(const Counterexample&)> on_found;       // the violating run as found (events
                                                             // kept), before shrinking; may be empty
  std::function<bool()> should_stop;                         // polled between runs; may be empty
  std::optional<RankShare> share;                            // random search split across MPI ranks
};

struct Counterexample {
  Violation violation{Property::kNoRepeats, {}};
  std::uint64_t run_seed = 0;
  std::uint64_t schedule_index = 0;           // 0-based index of the violating schedule
  std::vector<std::uint32_t> found_picks;     // picks of the violating run as found
  std::vector<std::uint32_t> choices;         // shrunk ChoicesStrategy vector
  std::vector<int> omitted_processes;         // processes the shrunk run leaves out (ascending)
  std::uint64_t shrink_runs = 0;
  bool shrink_cut_short = false;              // should_stop or max_shrink_runs ended shrinking
  RunOutcome outcome;                         // of the shrunk run
  Trace trace{true};                          // events of the shrunk run
};

struct CheckResult {
  std::uint64_t schedules = 0;   // distinct schedules run (not counting shrinking)
  bool exhausted = false;        // exhaustive only: every schedule (or class) within the bound was run
  bool stopped = false;          // should_stop ended the exploration
  std::uint64_t classes = 0;     // exhaustive only: see the header
  std::uint64_t sleep_blocked = 0;  // source-dpor only: runs that repeated an explored class
  std::optional<Counterexample> counterexample;  // with a RankShare: on rank 0 only
  bool violated = false;  // a violation was found (on every rank, with a RankShare)
};

CheckResult run_check(const CheckRequest& request);

// Re-runs `choices` on `run_seed` without `omitted_processes`, with the kept trace (what the
// shrinker's result is built from).
Counterexample rerun_choices(const CheckRequest& request, std::uint64_t run_seed,
                             const std::vector<std::uint32_t>& choices,
                             const std::vector<int>& omitted_processes = {});

}  // namespace samplersim
