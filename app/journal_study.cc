#include "app/journal_study.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <fstream>
#include <map>

#include <fmt/format.h>

#include "reports/json_input.h"

namespace samplersim {

namespace {

constexpr std::uintmax_t kMaxJournalBytes = std::uintmax_t{4} << 30;
constexpr std::size_t kMaxRecords = 10'000'000;
constexpr std::size_t kMaxTrials = 10'000'000;
constexpr const char* kWhat = "an Optuna journal file (JournalFileStorage)";

enum class Op : int {
  kCreateStudy = 0,
  kDeleteStudy = 1,
  kSetStudyUserAttr = 2,
  kSetStudySystemAttr = 3,
  kCreateTrial = 4,
  kSetTrialParam = 5,
  kSetTrialStateValues = 6,
  kSetTrialIntermediateValue = 7,
  kSetTrialUserAttr = 8,
  kSetTrialSystemAttr = 9,
};

// Opens `path` as a regular file without blocking on a FIFO or a device; refuses anything else.
void check_regular(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
  if (fd < 0) throw BadInput(path, 0, "(file)", kWhat, errno == ENOENT ? "no such file" : std::strerror(errno));
  struct stat st {};
  const bool regular = ::fstat(fd, &st) == 0 && S_ISREG(st.st_mode);
  ::close(fd);
  if (!regular) throw BadInput(path, 0, "(file)", kWhat, S_ISDIR(st.st_mode) ? "a directory" : "not a regular file");
  if (static_cast<std::uintmax_t>(st.st_size) > kMaxJournalBytes) {
    throw BadInput(path, 0, "(file)", fmt::format("{} of at most {} bytes", kWhat, kMaxJournalBytes),
                   fmt::format("{} bytes", st.st_size));
  }
}

// One record's fields, each checked for the type the replay needs; errors name file:line and key.
class Record {
 public:
  Record(const std::string& path, int line, nlohmann::json value) : path_(path), line_(line), j_(std::move(value)) {}

  [[noreturn]] void fail(const std::string& key, const std::string& expected, const std::string& got) const {
    throw BadInput(path_, line_, key, expected, got);
  }
  const nlohmann::json& get(const char* key) const {
    const auto it = j_.find(key);
    if (it == j_.end()) fail(key, "a value (required by this record's op_code)", "no such key");
    return *it;
  }
  bool has(const char* key) const { return j_.contains(key); }
  std::int64_t integer(const char* key) const {
    const nlohmann::json& v = get(key);
    if (!v.is_number_integer()) fail(key, "an integer", v.dump().substr(0, 40));
    return v.get<std::int64_t>();
  }
  std::string string(const char* key) const {
    const nlohmann::json& v = get(key);
    if (!v.is_string()) fail(key, "a string", v.dump().substr(0, 40));
    return v.get<std::string>();
  }
  const nlohmann::json& object(const char* key) const {
    const nlohmann::json& v = get(key);
    if (!v.is_object()) fail(key, "a JSON object", v.dump().substr(0, 40));
    return v;
  }
  TrialState state(const char* key) const {
    const std::int64_t s = integer(key);
    if (s < 0 || s >= kTrialStateCount) fail(key, "a TrialState from 0 (RUNNING) to 4 (WAITING)", std::to_string(s));
    return static_cast<TrialState>(s);
  }
  // A naive ISO-8601 timestamp (`YYYY-MM-DDTHH:MM:SS[.ffffff]`) as µs since the epoch; null: none.
  std::optional<std::int64_t> time_us(const char* key) const {
    const nlohmann::json& v = get(key);
    if (v.is_null()) return std::nullopt;
    const std::string t = v.is_string() ? v.get<std::string>() : "";
    int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0, consumed = 0;
    if (std::sscanf(t.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%n", &y, &mo, &d, &h, &mi, &s, &consumed) != 6 || consumed != 19 ||
        mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60) {
      fail(key, "an ISO-8601 timestamp YYYY-MM-DDTHH:MM:SS[.ffffff]", v.dump().substr(0, 40));
    }
    std::int64_t micros = 0;
    std::size_t at = 19;
    if (at < t.size() && t[at] == '.') {
      int digits = 0;
      for (++at; at < t.size() && t[at] >= '0' && t[at] <= '9' && digits < 6; ++at, ++digits) micros = micros * 10 + (t[at] - '0');
      for (; digits < 6; ++digits) micros *= 10;
    }
    if (at != t.size()) fail(key, "an ISO-8601 timestamp without a time zone", v.dump().substr(0, 40));
    using namespace std::chrono;
    const sys_days date{year{y} / month{static_cast<unsigned>(mo)} / std::chrono::day{static_cast<unsigned>(d)}};
    return (date.time_since_epoch().count() * 86400LL + h * 3600LL + mi * 60LL + s) * 1'000'000LL + micros;
  }

 private:
  const std::string& path_;
  int line_;
  nlohmann::json j_;
};

// The distribution class after json_to_distribution's mapping of the deprecated names.
std::string distribution_class(const nlohmann::json& d) {
  const auto it = d.find("name");
  const std::string name = it != d.end() && it->is_string() ? it->get<std::string>() : "";
  if (name == "UniformDistribution" || name == "LogUniformDistribution" || name == "DiscreteUniformDistribution") {
    return "FloatDistribution";
  }
  if (name == "IntUniformDistribution" || name == "IntLogUniformDistribution") return "IntDistribution";
  return name;
}

// optuna.distributions.check_distribution_compatibility: same class; categoricals with the same choices.
bool compatible(const nlohmann::json& old_d, const nlohmann::json& new_d) {
  if (distribution_class(old_d) != distribution_class(new_d)) return false;
  if (distribution_class(old_d) != "CategoricalDistribution") return true;
  return old_d.value("attributes", nlohmann::json::object()).value("choices", nlohmann::json()) ==
         new_d.value("attributes", nlohmann::json::object()).value("choices", nlohmann::json());
}

nlohmann::json parse_embedded(const Record& r, const char* key, const std::string& text) {
  JsonParse parsed = parse_json_bounded(text);
  if (!parsed.ok()) r.fail(key, "a distribution as JSON text", parsed.problem);
  return std::move(parsed.value);
}

struct Replay {
  struct Study {
    std::string name;
    bool deleted = false;
    std::vector<std::int64_t> trial_ids;
  };
  std::vector<Study> studies;  // by study id
  std::vector<StoredTrial> trials;  // by trial id
  std::vector<std::int64_t> study_of;  // trial id -> study id

  Study* study(std::int64_t id) {
    if (id < 0 || id >= static_cast<std::int64_t>(studies.size()) || studies[static_cast<std::size_t>(id)].deleted) return nullptr;
    return &studies[static_cast<std::size_t>(id)];
  }
  StoredTrial* updatable(std::int64_t id) {
    if (id < 0 || id >= static_cast<std::int64_t>(trials.size())) return nullptr;
    StoredTrial& t = trials[static_cast<std::size_t>(id)];
    return is_finished(t.state) ? nullptr : &t;
  }

  void apply(const Record& r) {
    switch (static_cast<Op>(r.integer("op_code"))) {
      case Op::kCreateStudy: {
        const std::string name = r.string("study_name");
        for (const Study& s : studies) {
          if (!s.deleted && s.name == name) return;  // DuplicatedStudyError in the writer only
        }
        studies.push_back({name, false, {}});
        return;
      }
      case Op::kDeleteStudy:
        if (Study* s = study(r.integer("study_id"))) s->deleted = true;
        return;
      case Op::kSetStudyUserAttr:
      case Op::kSetStudySystemAttr:
        r.integer("study_id");
        return;
      case Op::kCreateTrial: return create_trial(r);
      case Op::kSetTrialParam: return set_param(r);
      case Op::kSetTrialStateValues: return set_state(r);
      case Op::kSetTrialIntermediateValue:
      case Op::kSetTrialUserAttr:
        r.integer("trial_id");
        return;
      case Op::kSetTrialSystemAttr: {
        const nlohmann::json& attr = r.object("system_attr");
        if (StoredTrial* t = updatable(r.integer("trial_id"))) {
          for (const auto& [key, value] : attr.items()) set_attr(*t, key, value);
        }
        return;
      }
    }
    r.fail("op_code", "an Optuna JournalOperation from 0 to 9", std::to_string(r.integer("op_code")));
  }

  static void set_attr(StoredTrial& t, const std::string& key, const nlohmann::json& value) {
    for (auto& [k, v] : t.system_attrs) {
      if (k == key) {
        v = value;
        return;
      }
    }
    t.system_attrs.emplace_back(key, value);
  }

  void create_trial(const Record& r) {
    Study* s = study(r.integer("study_id"));
    const std::optional<std::int64_t> start = r.time_us("datetime_start");
    if (s == nullptr) return;
    if (trials.size() >= kMaxTrials) r.fail("op_code", fmt::format("at most {} trials", kMaxTrials), "more");
    StoredTrial t;
    t.trial_id = static_cast<std::int64_t>(trials.size());
    t.number = static_cast<int>(s->trial_ids.size());
    t.state = r.has("state") ? r.state("state") : TrialState::kRunning;
    t.start_us = start;
    if (r.has("datetime_complete")) t.complete_us = r.time_us("datetime_complete");
    if (r.has("params")) {
      const nlohmann::json& dists = r.object("distributions");
      for (const auto& [name, value] : r.object("params").items()) {
        const auto d = dists.find(name);
        if (d == dists.end() || !d->is_string()) r.fail("distributions", "a distribution for every param", "none for '" + name + "'");
        if (!value.is_number()) r.fail("params", "a number (the internal value)", value.dump().substr(0, 40));
        t.params.push_back({name, value.get<double>(), parse_embedded(r, "distributions", d->get<std::string>())});
      }
    }
    if (r.has("system_attrs")) {
      for (const auto& [key, value] : r.object("system_attrs").items()) set_attr(t, key, value);
    }
    s->trial_ids.push_back(t.trial_id);
    study_of.push_back(&*s - studies.data());
    trials.push_back(std::move(t));
  }

  void set_param(const Record& r) {
    const std::int64_t id = r.integer("trial_id");
    const std::string name = r.string("param_name");
    const nlohmann::json& value = r.get("param_value_internal");
    if (!value.is_number()) r.fail("param_value_internal", "a number", value.dump().substr(0, 40));
    nlohmann::json dist = parse_embedded(r, "distribution", r.string("distribution"));
    StoredTrial* t = updatable(id);
    if (t == nullptr) return;
    const Study& s = studies[static_cast<std::size_t>(study_of[static_cast<std::size_t>(id)])];
    for (std::int64_t prev : s.trial_ids) {
      const StoredTrial& p = trials[static_cast<std::size_t>(prev)];
      const auto it = std::find_if(p.params.begin(), p.params.end(), [&](const StoredParam& q) { return q.name == name; });
      if (it == p.params.end()) continue;
      if (!compatible(it->distribution, dist)) return;
      break;
    }
    for (StoredParam& p : t->params) {
      if (p.name == name) {
        p.internal_value = value.get<double>();
        p.distribution = std::move(dist);
        return;
      }
    }
    t->params.push_back({name, value.get<double>(), std::move(dist)});
  }

  void set_state(const Record& r) {
    const std::int64_t id = r.integer("trial_id");
    const TrialState state = r.state("state");
    StoredTrial* t = updatable(id);
    if (t == nullptr) return;
    if (state == TrialState::kRunning && t->state == TrialState::kRunning) return;  // a lost claim
    if (state == TrialState::kRunning) t->start_us = r.time_us("datetime_start");
    if (is_finished(state)) t->complete_us = r.time_us("datetime_complete");
    t->state = state;
  }
};

Replay replay(const std::string& path) {
  check_regular(path);
  std::ifstream in(path, std::ios::binary);
  if (!in) throw BadInput(path, 0, "(file)", kWhat, std::strerror(errno));
  Replay rp;
  std::string line;
  int number = 0;
  std::size_t records = 0;
  while (std::getline(in, line)) {
    ++number;
    const bool complete = !in.eof();  // getline stopped at a newline
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    JsonParse parsed = parse_json_bounded(line);
    if (!parsed.ok() || !parsed.value.is_object()) {
      if (!complete) break;  // the last record, still being written: Optuna skips it too
      throw BadInput(path, number, "(record)", "one JSON object per line (an Optuna journal record)",
                     parsed.ok() ? std::string(parsed.value.type_name()) : parsed.problem);
    }
    if (++records > kMaxRecords) throw BadInput(path, number, "(record)", fmt::format("at most {} records", kMaxRecords), "more");
    rp.apply(Record(path, number, std::move(parsed.value)));
  }
  if (number == 0) throw BadInput(path, 0, "(file)", kWhat, "an empty file");
  return rp;
}

std::vector<std::string> names_of(const Replay& rp) {
  std::vector<std::string> names;
  for (const auto& s : rp.studies) {
    if (!s.deleted) names.push_back(s.name);
  }
  std::sort(names.begin(), names.end());
  return names;
}

}  // namespace

bool is_journal_file(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
  if (fd < 0) return false;
  struct stat st {};
  char head[64] = {};
  ssize_t n = -1;
  if (::fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) n = ::pread(fd, head, sizeof head, 0);
  ::close(fd);
  for (ssize_t i = 0; i < n; ++i) {
    if (head[i] == ' ' || head[i] == '\t' || head[i] == '\r' || head[i] == '\n') continue;
    return head[i] == '{';
  }
  return false;
}

std::vector<std::string> list_journal_studies(const std::string& path) { return names_of(replay(path)); }

StoredStudy read_journal_study(const std::string& path, const std::string& study_name) {
  Replay rp = replay(path);
  const std::string chosen = choose_study_name(path, names_of(rp), study_name);
  StoredStudy study;
  study.path = path;
  study.name = chosen;
  study.store_kind = StoreKind::kJournalFile;
  for (const auto& s : rp.studies) {
    if (s.deleted || s.name != chosen) continue;
    for (std::int64_t id : s.trial_ids) study.trials.push_back(std::move(rp.trials[static_cast<std::size_t>(id)]));
  }
  return study;
}

}  // namespace samplersim
