#include "app/sweep_runner.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstring>
#include <map>
#include <stdexcept>
#include <unordered_map>

#include <fmt/format.h>

#include "app/atomic_file.h"
#include "app/ordered_pool.h"
#include "app/rep_runner.h"
#include "app/result_line.h"
#include "reports/json_input.h"
#include "sim/errors.h"
#include "sim/input_file.h"
#include "sim/random_stream.h"
#include "sim/simulation.h"

namespace samplersim {

namespace {

// A results file to resume: as `report` reads it (reports/report_data.h).
constexpr std::uint64_t kMaxResumeFileBytes = std::uint64_t{64} << 30;
constexpr std::size_t kMaxResumeLineBytes = std::size_t{1} << 20;

// Where global run index i lives: point, arm, rep.
struct RunAddress {
  std::size_t point = 0;
  std::size_t arm = 0;
  int rep = 0;
};

class RunIndex {
 public:
  explicit RunIndex(const SweepPlan& plan) : plan_(plan) {
    std::int64_t offset = 0;
    for (std::size_t p = 0; p < plan.points.size(); ++p) {
      offsets_.push_back(offset);
      for (std::size_t a = 0; a < plan.points[p].arms.size(); ++a) {
        const std::string prefix = run_key(plan.points[p], plan.points[p].arms[a], 0);
        by_prefix_[prefix.substr(0, prefix.rfind("|rep="))] = offset + static_cast<std::int64_t>(a) * plan.points[p].reps;
      }
      offset += plan.points[p].runs();
    }
  }
  RunAddress address(std::int64_t i) const {
    const auto it = std::upper_bound(offsets_.begin(), offsets_.end(), i);
    const std::size_t p = static_cast<std::size_t>(it - offsets_.begin()) - 1;
    const std::int64_t within = i - offsets_[p];
    const int reps = plan_.points[p].reps;
    return RunAddress{p, static_cast<std::size_t>(within / reps), static_cast<int>(within % reps)};
  }
  // The run index of a run key, or -1 if it is not a run of this plan.
  std::int64_t index_of(const std::string& key) const {
    const auto bar = key.rfind("|rep=");
    if (bar == std::string::npos) return -1;
    const auto it = by_prefix_.find(key.substr(0, bar));
    if (it == by_prefix_.end()) return -1;
    const std::string rep_text = key.substr(bar + 5);
    if (rep_text.size() != 8 || rep_text.find_first_not_of("0123456789") != std::string::npos) return -1;
    const std::int64_t rep = std::stoll(rep_text);
    const RunAddress a = address(it->second);
    if (rep >= plan_.points[a.point].reps) return -1;
    return it->second + rep;
  }

 private:
  const SweepPlan& plan_;
  std::vector<std::int64_t> offsets_;
  std::unordered_map<std::string, std::int64_t> by_prefix_;
};

std::string line_of_run(const SweepPlan& plan, const SweepPoint& point, const Arm& arm, int rep) {
  const std::uint64_t seed = run_seed_for_rep(point.spec.seed, static_cast<std::uint64_t>(rep));
  RandomStrategy strategy(seed);
  const RunOutcome outcome = simulate(RunRequest{&point.spec, arm.policy, arm.seed_policy, seed, &strategy});
  nlohmann::json line = result_line(point.spec, arm, "random", summarize(rep, seed, outcome));
  line["sweep"] = plan.name;
  line["run_key"] = run_key(point, arm, rep);
  line["base_scenario_digest"] = point.base_digest;
  line["axes"] = point.axes;
  if (rep == 0) line["coverage_curve"] = coverage_curve(outcome);
  return line.dump() + "\n";
}

void write_all(int fd, const std::string& data, const std::string& path) {
  std::size_t off = 0;
  for (int guard = 0; off < data.size() && guard < 1'000'000; ++guard) {
    const ssize_t n = ::write(fd, data.data() + off, data.size() - off);
    if (n < 0) {
      if (errno == EINTR) continue;
      throw OutputError(path, std::strerror(errno));
    }
    off += static_cast<std::size_t>(n);
  }
}

// Reads an existing results file for --resume: marks done runs, then truncates a torn last line.
// Every complete line is checked before anything is changed: a file that is not this sweep's is
// refused untouched.
void load_done(const std::string& path, const RunIndex& index, std::vector<bool>& done, SweepCounts& counts) {
  const LineScan scan = for_each_line(
      path, "a results file of this sweep to resume", kMaxResumeFileBytes, kMaxResumeLineBytes,
      [&](std::string_view line, std::int64_t number64) {
        const int line_no = static_cast<int>(std::min<std::int64_t>(number64, INT_MAX));
        const JsonParse parsed = parse_json_bounded(line);
        const nlohmann::json& j = parsed.value;
        if (!parsed.ok() || !j.is_object() || !j.contains("run_key") || !j["run_key"].is_string()) {
          throw BadInput(path, line_no, "run_key", "a JSON line written by samplersim sweep", parsed.problem);
        }
        const std::string& key = j["run_key"].get_ref<const std::string&>();
        const std::int64_t i = index.index_of(key);
        if (i < 0) throw BadInput(path, line_no, "run_key", "a run of this sweep spec", fmt::format("'{}' (another spec's results?)", key));
        if (done[static_cast<std::size_t>(i)]) throw BadInput(path, line_no, "run_key", "each run once", fmt::format("run '{}' again", key));
        done[static_cast<std::size_t>(i)] = true;
        ++counts.already_done;
      });
  if (scan.torn_last_line()) {
    if (::truncate(path.c_str(), static_cast<off_t>(scan.complete_bytes)) != 0) {
      throw OutputError(path, fmt::format("cannot truncate the torn last line: {}", std::strerror(errno)));
    }
    counts.truncated_torn_line = true;
  }
}

// Opens the results file for appending. A FIFO is opened without blocking first (no reader:
// refused instead of waiting for ever).
int open_for_append(const std::string& path) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NONBLOCK | O_NOCTTY, 0644);
  if (fd < 0) throw OutputError(path, errno == ENXIO ? "a FIFO with no reader" : std::strerror(errno));
  const int flags = ::fcntl(fd, F_GETFL);
  if (flags < 0 || ::fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) != 0) {
    const int error = errno;
    ::close(fd);
    throw OutputError(path, std::strerror(error));
  }
  return fd;
}

}  // namespace

nlohmann::json coverage_curve(const RunOutcome& outcome) {
  std::vector<std::pair<VirtualTime, std::int64_t>> ends;  // (end time, combination)
  for (const Evaluation& e : outcome.evaluation_log) {
    if (e.end_us >= 0) ends.emplace_back(e.end_us, e.combination);
  }
  std::stable_sort(ends.begin(), ends.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<bool> seen(static_cast<std::size_t>(std::max<std::int64_t>(outcome.grid_size, 0)), false);
  std::vector<std::array<double, 3>> points;
  std::int64_t distinct = 0;
  std::int64_t evaluations = 0;
  for (const auto& [t, c] : ends) {
    ++evaluations;
    if (c >= 0 && static_cast<std::size_t>(c) < seen.size() && !seen[static_cast<std::size_t>(c)]) {
      seen[static_cast<std::size_t>(c)] = true;
      ++distinct;
    }
    points.push_back({static_cast<double>(t) / kMicrosPerSecond, static_cast<double>(distinct), static_cast<double>(evaluations)});
  }
  nlohmann::json out = nlohmann::json::array();
  const std::size_t n = points.size();
  const std::size_t step = n > kMaxCurvePoints ? (n + kMaxCurvePoints - 1) / kMaxCurvePoints : 1;
  for (std::size_t i = 0; i < n; ++i) {
    if (i % step != 0 && i + 1 != n) continue;
    out.push_back({points[i][0], static_cast<std::int64_t>(points[i][1]), static_cast<std::int64_t>(points[i][2])});
  }
  return out;
}

SweepCounts run_sweep(const SweepPlan& plan, const SweepOptions& options, const SweepProgress& progress) {
  SweepCounts counts;
  counts.total = plan.total_runs;
  const RunIndex index(plan);
  std::vector<bool> done(static_cast<std::size_t>(plan.total_runs), false);
  check_output_file(options.out_path);  // a directory, or an unwritable folder: refused first; missing folders are made
  struct stat st {};
  const bool exists = ::stat(options.out_path.c_str(), &st) == 0;
  if (exists && st.st_size > 0 && !options.resume) {
    throw BadInput::argument("--out", "a new results file (pass --resume to complete an existing one, or choose another --out)",
                             fmt::format("'{}', which exists", options.out_path));
  }
  if (options.resume && exists) load_done(options.out_path, index, done, counts);
  make_parent_directories(options.out_path);
  const int fd = open_for_append(options.out_path);

  struct FdCloser {
    int fd;
    ~FdCloser() { ::close(fd); }
  } closer{fd};
  // Workers may run at most this far ahead of the writer (bounds memory).
  const std::int64_t window = static_cast<std::int64_t>(effective_jobs(options.jobs)) * 64;
  run_ordered<std::string>(
      plan.total_runs, options.jobs, window,
      [&](std::int64_t i) -> std::string {
        if (done[static_cast<std::size_t>(i)]) return {};
        const RunAddress a = index.address(i);
        const SweepPoint& point = plan.points[a.point];
        return line_of_run(plan, point, point.arms[a.arm], a.rep);
      },
      [&](std::int64_t, std::vector<std::string>& lines) {
        std::string batch;
        std::int64_t new_lines = 0;
        for (const std::string& line : lines) {
          new_lines += line.empty() ? 0 : 1;
          batch += line;
        }
        write_all(fd, batch, options.out_path);  // one write(2) of whole lines
        counts.ran += new_lines;
        if (progress) progress(counts.already_done + counts.ran, counts.total);
      });
  return counts;
}

}  // namespace samplersim
