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
#include "app/sweep_shard.h"
#include "reports/json_input.h"
#include "sim/errors.h"
#include "sim/input_file.h"
#include "sim/random_stream.h"
#include "sim/simulation.h"
#include "sim/plural.h"

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
// A shard file (`header` not empty) must start with exactly that header and hold only runs of
// `range`; *header_present says whether its first line is there (a torn header is truncated away).
void load_done(const std::string& path, const RunIndex& index, const std::string& header, const RunRange& range,
               std::vector<bool>& done, SweepCounts& counts, bool* header_present) {
  const LineScan scan = for_each_line(
      path, header.empty() ? "a results file of this sweep to resume" : "a shard file of this sweep to resume",
      kMaxResumeFileBytes, kMaxResumeLineBytes, [&](std::string_view line, std::int64_t number64) {
        const int line_no = static_cast<int>(std::min<std::int64_t>(number64, INT_MAX));
        if (!header.empty() && number64 == 1) {
          if (line != header) {
            throw BadInput(path, 1, "samplersim_sweep_shard", fmt::format("the header of this shard: {}", header),
                           fmt::format("'{}' (another shard, spec, version, or not a shard file)", line.substr(0, 300)));
          }
          *header_present = true;
          return;
        }
        const JsonParse parsed = parse_json_bounded(line);
        const nlohmann::json& j = parsed.value;
        if (!parsed.ok() || !j.is_object() || !j.contains("run_key") || !j["run_key"].is_string()) {
          throw BadInput(path, line_no, "run_key", "a JSON line written by samplersim sweep", parsed.problem);
        }
        const std::string& key = j["run_key"].get_ref<const std::string&>();
        const std::int64_t i = index.index_of(key);
        if (i < 0) throw BadInput(path, line_no, "run_key", "a run of this sweep spec", fmt::format("'{}' (another spec's results?)", key));
        if (i < range.first || i >= range.last) {
          throw BadInput(path, line_no, "run_key", fmt::format("a run of this shard (runs {} to {} of the plan)", range.first, range.last - 1),
                         fmt::format("run {} '{}'", i, key));
        }
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

// The first line of a shard file ("" when it has no complete line): the scan stops there.
struct StopScan {};
std::string first_line(const std::string& path) {
  std::string first;
  try {
    for_each_line(path, "a shard file written by samplersim sweep --shard", kMaxResumeFileBytes, kMaxResumeLineBytes,
                  [&](std::string_view line, std::int64_t) {
                    first = line;
                    throw StopScan{};
                  });
  } catch (const StopScan&) {
  }
  return first;
}

// A shard file's header, checked against the plan and against the first shard file read.
struct ShardHeader {
  SweepShard shard;
  std::string version;
  std::string path;
};

ShardHeader read_shard_header(const std::string& path, const SweepPlan& plan, const std::string& digest,
                              const ShardHeader* first) {
  const std::string line = first_line(path);
  const JsonParse parsed = parse_json_bounded(line);
  const nlohmann::json& h = parsed.value;
  const auto is_int = [&](const char* key) { return h.contains(key) && h[key].is_number_integer(); };
  if (!parsed.ok() || !h.is_object() || !h.contains("samplersim_sweep_shard") || h["samplersim_sweep_shard"] != 1 ||
      !h.contains("plan_digest") || !h["plan_digest"].is_string() || !h.contains("version") || !h["version"].is_string() ||
      !is_int("shard") || !is_int("shards") || !is_int("first_run") || !is_int("runs") || !is_int("total_runs")) {
    throw BadInput(path, 1, "samplersim_sweep_shard", "a shard file written by samplersim sweep --shard (its first line the shard header)",
                   line.empty() ? std::string("no complete line") : fmt::format("'{}'", line.substr(0, 200)));
  }
  const std::string& got_digest = h["plan_digest"].get_ref<const std::string&>();
  if (got_digest != digest) {
    throw BadInput(path, 1, "plan_digest",
                   fmt::format("a shard of sweep '{}' as {} plans it now (plan digest {})", plan.name, plan.spec_path, digest),
                   fmt::format("plan digest {} of sweep {} (another spec, or the spec or its scenarios changed since)",
                               got_digest, h.contains("sweep") ? h["sweep"].dump() : "?"));
  }
  ShardHeader out;
  out.path = path;
  out.version = h["version"].get<std::string>();
  const std::int64_t count = h["shards"].get<std::int64_t>();
  const std::int64_t index = h["shard"].get<std::int64_t>();
  if (first != nullptr && count != first->shard.count) {
    throw BadInput(path, 1, "shards", fmt::format("{} shards, as in {}", first->shard.count, first->path), std::to_string(count));
  }
  if (first != nullptr && out.version != first->version) {
    throw BadInput(path, 1, "version", fmt::format("'{}', the version of {}", first->version, first->path),
                   fmt::format("'{}'", out.version));
  }
  if (count < 1 || count > kMaxShards || index < 1 || index > count) {
    throw BadInput(path, 1, "shard", fmt::format("I of I/K with 1 <= I <= K <= {}", kMaxShards), fmt::format("{}/{}", index, count));
  }
  out.shard = SweepShard{index, count};
  const RunRange range = shard_range(plan.total_runs, out.shard);
  if (h["first_run"] != range.first || h["runs"] != range.size() || h["total_runs"] != plan.total_runs) {
    throw BadInput(path, 1, "first_run",
                   fmt::format("the block of shard {} of {} runs: first_run {}, runs {}", out.shard.text(), plan.total_runs,
                               range.first, range.size()),
                   fmt::format("first_run {}, runs {}, total_runs {}", h["first_run"].dump(), h["runs"].dump(), h["total_runs"].dump()));
  }
  return out;
}

}  // namespace

SweepCounts merge_sweep_shards(const SweepPlan& plan, const std::vector<std::string>& shard_paths, const std::string& out_path) {
  check_output_file(out_path);
  struct stat st {};
  if (::stat(out_path.c_str(), &st) == 0 && st.st_size > 0) {
    throw BadInput::argument("--out", "a new results file for the merged shards", fmt::format("'{}', which exists", out_path));
  }
  if (shard_paths.empty()) throw BadInput::argument("--merge", "one or more shard files", "none");
  const std::string digest = plan_digest(plan);
  std::vector<ShardHeader> headers;
  std::map<std::int64_t, std::size_t> by_index;  // shard I -> position in headers
  for (const std::string& path : shard_paths) {
    headers.push_back(read_shard_header(path, plan, digest, headers.empty() ? nullptr : &headers.front()));
    const auto [it, inserted] = by_index.emplace(headers.back().shard.index, headers.size() - 1);
    if (!inserted) {
      throw BadInput(path, 1, "shard", "each shard once",
                     fmt::format("shard {} again (also {})", headers.back().shard.text(), headers[it->second].path));
    }
  }
  const std::int64_t count = headers.front().shard.count;
  if (static_cast<std::int64_t>(by_index.size()) != count) {
    std::string missing;
    int listed = 0;
    std::int64_t absent = 0;
    for (std::int64_t i = 1; i <= count; ++i) {
      if (by_index.count(i) != 0) continue;
      ++absent;
      if (listed < 5) missing += fmt::format("{}{}/{}", listed++ == 0 ? "" : ", ", i, count);
    }
    throw BadInput::argument("--merge", fmt::format("the {} shard files 1/{} to {}/{} of the sweep, each once", count, count, count, count),
                             fmt::format("{} files; missing shard {}{}", shard_paths.size(), missing,
                                         absent > listed ? fmt::format(" and {} more", absent - listed) : ""));
  }
  const RunIndex index(plan);
  make_parent_directories(out_path);
  OutputFile out(out_path);
  for (const auto& [shard_index, position] : by_index) {
    const ShardHeader& header = headers[position];
    const RunRange range = shard_range(plan.total_runs, header.shard);
    std::int64_t next = range.first;
    const LineScan scan = for_each_line(
        header.path, "a shard file written by samplersim sweep --shard", kMaxResumeFileBytes, kMaxResumeLineBytes,
        [&](std::string_view line, std::int64_t number64) {
          if (number64 == 1) return;  // the header, read above
          const int line_no = static_cast<int>(std::min<std::int64_t>(number64, INT_MAX));
          const JsonParse parsed = parse_json_bounded(line);
          const nlohmann::json& j = parsed.value;
          if (!parsed.ok() || !j.is_object() || !j.contains("run_key") || !j["run_key"].is_string()) {
            throw BadInput(header.path, line_no, "run_key", "a JSON line written by samplersim sweep",
                           parsed.ok() ? "a line without a string run_key" : parsed.problem);
          }
          const std::string& key = j["run_key"].get_ref<const std::string&>();
          if (next >= range.last) {
            throw BadInput(header.path, line_no, "run_key", fmt::format("the {} runs of shard {} only", range.size(), header.shard.text()),
                           fmt::format("another line '{}'", key));
          }
          const RunAddress a = index.address(next);
          const SweepPoint& point = plan.points[a.point];
          const std::string expected = run_key(point, point.arms[a.arm], a.rep);
          if (key != expected) {
            throw BadInput(header.path, line_no, "run_key", fmt::format("run {} of the plan, '{}'", next, expected),
                           fmt::format("'{}'", key));
          }
          ++next;
          out.write(line);
          out.write("\n");
        });
    if (scan.torn_last_line() || next != range.last) {
      throw BadInput(header.path, static_cast<int>(std::min<std::int64_t>(scan.lines + 1, INT_MAX)), "run_key",
                     fmt::format("all {} runs of shard {}, each line complete (finish it with sweep --shard {} --resume)",
                                 range.size(), header.shard.text(), header.shard.text()),
                     fmt::format("{}{}", plural(next - range.first, "run"), scan.torn_last_line() ? " and a torn last line" : ""));
    }
  }
  out.commit();
  SweepCounts counts;
  counts.total = counts.ran = plan.total_runs;
  return counts;
}

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

std::string sweep_lines(const SweepPlan& plan, const RunRange& range, int jobs, const SweepProgress& progress) {
  const RunIndex index(plan);
  std::string out;
  std::int64_t done = 0;
  const std::int64_t window = static_cast<std::int64_t>(effective_jobs(jobs)) * 64;
  run_ordered<std::string>(
      range.size(), jobs, window,
      [&](std::int64_t within) -> std::string {
        const RunAddress a = index.address(range.first + within);
        const SweepPoint& point = plan.points[a.point];
        return line_of_run(plan, point, point.arms[a.arm], a.rep);
      },
      [&](std::int64_t, std::vector<std::string>& lines) {
        for (const std::string& line : lines) out += line;
        done += static_cast<std::int64_t>(lines.size());
        if (progress) progress(done, range.size());
      });
  return out;
}

SweepCounts run_sweep(const SweepPlan& plan, const SweepOptions& options, const SweepProgress& progress) {
  SweepCounts counts;
  const RunRange range = options.shard ? shard_range(plan.total_runs, *options.shard) : RunRange{0, plan.total_runs};
  const std::string header = options.shard ? shard_header(plan, plan_digest(plan), options.version, *options.shard) : "";
  counts.total = range.size();
  const RunIndex index(plan);
  std::vector<bool> done(static_cast<std::size_t>(plan.total_runs), false);
  check_output_file(options.out_path);  // a directory, or an unwritable folder: refused first; missing folders are made
  struct stat st {};
  const bool exists = ::stat(options.out_path.c_str(), &st) == 0;
  if (exists && st.st_size > 0 && !options.resume) {
    throw BadInput::argument("--out", "a new results file (pass --resume to complete an existing one, or choose another --out)",
                             fmt::format("'{}', which exists", options.out_path));
  }
  bool header_present = false;
  if (options.resume && exists) load_done(options.out_path, index, header, range, done, counts, &header_present);
  make_parent_directories(options.out_path);
  const int fd = open_for_append(options.out_path);

  struct FdCloser {
    int fd;
    ~FdCloser() { ::close(fd); }
  } closer{fd};
  if (!header.empty() && !header_present) write_all(fd, header + "\n", options.out_path);
  // Workers may run at most this far ahead of the writer (bounds memory).
  const std::int64_t window = static_cast<std::int64_t>(effective_jobs(options.jobs)) * 64;
  run_ordered<std::string>(
      range.size(), options.jobs, window,
      [&](std::int64_t within) -> std::string {
        const std::int64_t i = range.first + within;
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
