#include "app/rep_runner.h"

#include <atomic>
#include <exception>
#include <mutex>
#include <thread>

#include "sim/simulation.h"

namespace samplersim {

RunSummary summarize(int rep, std::uint64_t run_seed, const RunOutcome& o) {
  RunSummary s;
  s.rep = rep;
  s.run_seed = run_seed;
  s.trials = o.trials;
  s.trials_by_state = o.trials_by_state;
  s.grid_size = o.grid_size;
  s.repeats = o.repeats;
  s.never_evaluated = o.never_evaluated;
  s.uncovered = o.uncovered;
  s.completed_twice = o.completed_twice;
  s.objective_time_us = o.objective_time_us;
  s.wasted_time_us = o.wasted_time_us;
  s.makespan_us = o.makespan_us;
  s.store_ops = o.store_ops;
  s.choice_points = o.choice_points;
  s.trace_hash = o.trace_hash;
  return s;
}

RunNumbers run_numbers(const RunSummary& r) {
  RunNumbers n;
  n.trials = r.trials;
  n.repeats = r.repeats;
  n.never_evaluated = r.never_evaluated;
  n.uncovered = r.uncovered;
  n.wasted_time_s = static_cast<double>(r.wasted_time_us) / kMicrosPerSecond;
  n.objective_time_s = static_cast<double>(r.objective_time_us) / kMicrosPerSecond;
  n.makespan_s = static_cast<double>(r.makespan_us) / kMicrosPerSecond;
  n.store_ops = r.store_ops;
  return n;
}

void run_reps(const ScenarioSpec& spec, const std::vector<Arm>& arms, RepRange reps, int jobs,
              const std::function<void(std::size_t, const std::vector<RunSummary>&)>& on_arm_done) {
  if (jobs <= 0) jobs = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  jobs = std::min(jobs, std::max(1, reps.count));
  for (std::size_t a = 0; a < arms.size(); ++a) {
    std::vector<RunSummary> results(static_cast<std::size_t>(reps.count));
    std::atomic<int> next{0};
    // The failure of the lowest rep index wins, so the error reported never depends on timing.
    std::exception_ptr error;
    int error_index = reps.count;
    std::mutex error_mutex;
    auto work = [&] {
      for (;;) {
        const int i = next.fetch_add(1);
        if (i >= reps.count) return;
        {
          std::lock_guard lock(error_mutex);
          if (i > error_index) return;
        }
        const int rep = reps.first + i;
        const std::uint64_t seed = run_seed_for_rep(spec.seed, static_cast<std::uint64_t>(rep));
        try {
          RandomStrategy strategy(seed);
          RunRequest req{&spec, arms[a].policy, arms[a].seed_policy, seed, &strategy};
          results[static_cast<std::size_t>(i)] = summarize(rep, seed, simulate(req));
        } catch (...) {
          std::lock_guard lock(error_mutex);
          if (i < error_index) {
            error_index = i;
            error = std::current_exception();
          }
          return;
        }
      }
    };
    if (jobs == 1) {
      work();
    } else {
      std::vector<std::thread> threads;
      for (int j = 0; j < jobs; ++j) threads.emplace_back(work);
      for (std::thread& t : threads) t.join();
    }
    if (error) std::rethrow_exception(error);
    on_arm_done(a, results);
  }
}

}  // namespace samplersim
