// Scenario loader: validates a TOML scenario document (read by scenarios/toml_reader.h) into a
// ScenarioSpec, from the schema declared once below as data.
//
// Layout of this file, top to bottom:
//   duration syntax          (parse_duration, parse_duration_dist)
//   typed value readers      (durations, probabilities, grid values, state masks, policies)
//   the schema               (kSchemaTables, kSchemaKeys: key, type, default, range, doc, reader)
//   validation from the schema, and the entry points
// It never prints and reads nothing but the one file it is given; bad input is a BadInput.
#include "scenarios/scenario_loader.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <limits>
#include <map>
#include <numeric>
#include <optional>
#include <span>
#include <utility>
#include <variant>

#include "sim/input_file.h"
#include "scenarios/toml_reader.h"
#include "sim/store_op.h"

namespace samplersim {

static_assert(kMaxScenarioFileBytes == kMaxTomlBytes, "SCHEMA.md states one limit for scenario files");

// ---- duration syntax --------------------------------------------------------------------

namespace {

struct DurationUnit {
  std::string_view suffix;
  std::uint64_t micros;
};

constexpr std::array<DurationUnit, 5> kDurationUnits = {{
    {"us", 1},
    {"ms", 1'000},
    {"s", 1'000'000},
    {"m", 60'000'000},
    {"h", 3'600'000'000},
}};

constexpr std::string_view kDurationForm =
    "a duration such as \"2s\", \"500ms\" or \"0.5s\" (units us, ms, s, m, h)";
constexpr std::string_view kUniformForm =
    "\"uniform A..B\" with durations A and B, e.g. \"uniform 50ms..250ms\"";

[[noreturn]] void bad_duration(std::string_view expected) {
  throw std::invalid_argument("expected " + std::string(expected));
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_blank(char c) { return c == ' ' || c == '\t'; }

std::string_view trimmed(std::string_view text) {
  while (!text.empty() && is_blank(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_blank(text.back())) text.remove_suffix(1);
  return text;
}

std::string_view leading_digits(std::string_view text) {
  std::size_t n = 0;
  while (n < text.size() && is_digit(text[n])) ++n;
  return text.substr(0, n);
}

std::string too_long_text() { return "a duration of at most " + format_duration(kMaxDurationUs); }

// Microseconds in `fraction_digits` (the digits after the point) of one `unit`, exactly.
std::uint64_t fraction_micros(std::string_view fraction_digits, std::uint64_t unit) {
  while (!fraction_digits.empty() && fraction_digits.back() == '0')
    fraction_digits.remove_suffix(1);
  if (fraction_digits.empty()) return 0;
  // With d digits and no trailing zero, the fraction's numerator lacks a factor 2 or a factor 5,
  // so the unit alone must supply 2^d or 5^d; no unit has more than 2^10 (1h = 2^10 3^2 5^8 us).
  constexpr std::string_view kTooFine = "a whole number of microseconds (1us is the resolution)";
  if (fraction_digits.size() > 10) bad_duration(kTooFine);
  std::uint64_t numerator = 0;
  std::from_chars(fraction_digits.data(), fraction_digits.data() + fraction_digits.size(),
                  numerator);
  std::uint64_t denominator = 1;
  for (std::size_t i = 0; i < fraction_digits.size(); ++i) denominator *= 10;
  // numerator/denominator * unit is whole iff (denominator / g) divides numerator, g = gcd.
  const std::uint64_t g = std::gcd(unit, denominator);
  if (numerator % (denominator / g) != 0) bad_duration(kTooFine);
  return numerator / (denominator / g) * (unit / g);
}

}  // namespace

VirtualTime parse_duration(std::string_view text) {
  if (text.starts_with('-')) bad_duration("a non-negative duration");
  const std::string_view whole = leading_digits(text);
  if (whole.empty()) bad_duration(kDurationForm);
  std::string_view rest = text.substr(whole.size());
  std::string_view fraction;
  if (rest.starts_with('.')) {
    fraction = leading_digits(rest.substr(1));
    if (fraction.empty()) bad_duration(kDurationForm);
    rest = rest.substr(1 + fraction.size());
  }
  if (rest.empty()) bad_duration("a unit after the number (us, ms, s, m or h)");
  const auto unit = std::find_if(kDurationUnits.begin(), kDurationUnits.end(),
                                 [&](const DurationUnit& u) { return u.suffix == rest; });
  if (unit == kDurationUnits.end()) bad_duration("a unit us, ms, s, m or h right after the number");

  std::uint64_t count = 0;
  const auto [end, ec] = std::from_chars(whole.data(), whole.data() + whole.size(), count);
  const auto limit = static_cast<std::uint64_t>(kMaxDurationUs);
  if (ec != std::errc() || end != whole.data() + whole.size() || count > limit / unit->micros) {
    bad_duration(too_long_text());
  }
  const std::uint64_t micros = count * unit->micros + fraction_micros(fraction, unit->micros);
  if (micros > limit) bad_duration(too_long_text());
  return static_cast<VirtualTime>(micros);
}

DurationDist parse_duration_dist(std::string_view text) {
  text = trimmed(text);
  constexpr std::string_view kUniform = "uniform";
  if (!text.starts_with(kUniform)) return DurationDist::constant(parse_duration(text));
  std::string_view range = text.substr(kUniform.size());
  if (range.empty() || !is_blank(range.front())) bad_duration(kUniformForm);
  range = trimmed(range);
  const std::size_t dots = range.find("..");
  if (dots == std::string_view::npos) bad_duration(kUniformForm);
  const VirtualTime lo = parse_duration(trimmed(range.substr(0, dots)));
  const VirtualTime hi = parse_duration(trimmed(range.substr(dots + 2)));
  if (lo > hi) bad_duration("\"uniform A..B\" with A <= B");
  return DurationDist::uniform(lo, hi);
}


namespace {

// ---- typed value readers ------------------------------------------------------------------


// Runs a duration parser on a string field, turning its std::invalid_argument into a BadInput.
template <class Parse>
auto read_duration_text(const TomlDocument& doc, const TomlField& field, std::string_view expected, Parse parse) {
  const std::string_view text = doc.read_string(field, expected);
  try {
    return parse(text);
  } catch (const std::invalid_argument& e) {
    std::string_view what = e.what();
    if (what.starts_with("expected ")) what.remove_prefix(9);
    doc.fail(field.line, field.path, what, toml_quoted(text));
  }
}

constexpr std::string_view kDurationExpected = "a duration string such as \"2s\" or \"500ms\"";
constexpr std::string_view kDistExpected = "a duration string such as \"2s\" or \"uniform 50ms..250ms\"";

VirtualTime read_duration(const TomlDocument& doc, const TomlField& field) {
  return read_duration_text(doc, field, kDurationExpected, [](std::string_view text) { return parse_duration(text); });
}

VirtualTime read_positive_duration(const TomlDocument& doc, const TomlField& field) {
  const VirtualTime d = read_duration(doc, field);
  if (d <= 0) doc.fail(field.line, field.path, "a duration > 0", describe(*field.node));
  return d;
}

DurationDist read_duration_dist(const TomlDocument& doc, const TomlField& field) {
  return read_duration_text(doc, field, kDistExpected, [](std::string_view text) { return parse_duration_dist(text); });
}

// A probability in [0, `below_one` ? 1) : 1], as an integer or float; stored in parts per million.
std::uint32_t read_probability(const TomlDocument& doc, const TomlField& field, bool below_one) {
  const std::string expected = below_one ? "a probability p with 0 <= p < 1" : "a probability p with 0 <= p <= 1";
  double p = -1.0;
  if (const auto* f = field.node->as_floating_point()) p = f->get();
  if (const auto* i = field.node->as_integer()) p = static_cast<double>(i->get());
  if (!(p >= 0.0 && (below_one ? p < 1.0 : p <= 1.0))) doc.fail(field.line, field.path, expected, describe(*field.node));
  const auto ppm = static_cast<std::uint32_t>(std::llround(p * kPpmOne));
  return below_one && ppm >= kPpmOne ? kPpmOne - 1 : ppm;
}

constexpr std::string_view kStoreKindExpected = "one of sqlite, inmemory, journal-file, postgresql";

// A number in [lo, hi] (integer or float; > lo if `above_lo`), stored in thousandths.
std::int64_t read_scaled(const TomlDocument& doc, const TomlField& field, double lo, double hi, bool above_lo,
                         std::string_view expected) {
  double v = std::numeric_limits<double>::quiet_NaN();
  if (const auto* f = field.node->as_floating_point()) v = f->get();
  if (const auto* i = field.node->as_integer()) v = static_cast<double>(i->get());
  if (!(v >= lo && v <= hi) || (above_lo && v == lo)) doc.fail(field.line, field.path, expected, describe(*field.node));
  return std::llround(v * 1000.0);
}

bool is_name_char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
}

}  // namespace

bool is_valid_scenario_name(std::string_view name) {
  return !name.empty() && name.size() <= kMaxScenarioNameLength && std::all_of(name.begin(), name.end(), is_name_char);
}

std::string scenario_name_from_path(const std::string& source_name) {
  std::string stem = std::filesystem::path(source_name).stem().string();
  std::replace_if(stem.begin(), stem.end(), [](char c) { return !is_name_char(c); }, '_');
  if (stem.size() > kMaxScenarioNameLength) stem.resize(kMaxScenarioNameLength);
  return stem.empty() ? "scenario" : stem;
}

namespace {

// Python's == on grid values: 1 == 1.0 == True, so such values are one categorical choice.
using PythonEqualityKey = std::variant<std::int64_t, double, std::string>;

PythonEqualityKey python_equality_key(const GridValue& v) {
  switch (v.kind) {
    case GridValue::Kind::kInt: return v.int_value;
    case GridValue::Kind::kBool: return std::int64_t{v.bool_value ? 1 : 0};
    case GridValue::Kind::kString: return v.string_value;
    case GridValue::Kind::kFloat: break;
  }
  const double d = v.float_value;
  constexpr double kTwoTo63 = 9223372036854775808.0;
  if (std::trunc(d) == d && d >= -kTwoTo63 && d < kTwoTo63) return static_cast<std::int64_t>(d);
  return d;
}

GridValue read_grid_value(const TomlDocument& doc, const TomlField& field) {
  constexpr std::string_view kExpected = "an integer, float, string or boolean";
  GridValue value;
  switch (field.node->type()) {
    case toml::node_type::integer:
      value.kind = GridValue::Kind::kInt;
      value.int_value = field.node->as_integer()->get();
      break;
    case toml::node_type::floating_point:
      value.kind = GridValue::Kind::kFloat;
      value.float_value = field.node->as_floating_point()->get();
      if (std::isnan(value.float_value)) doc.fail(field.line, field.path, "a number that is not NaN", "nan");
      break;
    case toml::node_type::string:
      value.kind = GridValue::Kind::kString;
      value.string_value = field.node->as_string()->get();
      break;
    case toml::node_type::boolean:
      value.kind = GridValue::Kind::kBool;
      value.bool_value = field.node->as_boolean()->get();
      break;
    default: doc.fail(field.line, field.path, kExpected, describe(*field.node));
  }
  return value;
}

GridParam read_grid_param(const TomlDocument& doc, const TomlField& field) {
  if (field.name.empty()) doc.fail(field.line, field.path, "a non-empty dimension name", "\"\"");
  if (std::any_of(field.name.begin(), field.name.end(),
                  [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; })) {
    doc.fail(field.line, field.path, "a dimension name without control characters", toml_quoted(field.name));
  }
  GridParam param{std::string(field.name), {}};
  std::map<PythonEqualityKey, std::string> seen;
  for (const TomlField& element : doc.read_array(field, "a non-empty array of values")) {
    GridValue value = read_grid_value(doc, element);
    doc.reject_repeat(seen, python_equality_key(value), element,
                      "distinct values (by Python's ==, so 1, 1.0 and true are the same choice)");
    param.values.push_back(std::move(value));
  }
  return param;
}

// [grid]: its keys are the dimension names, so it has no key rows of its own.
void read_grid(const TomlDocument& doc, const TomlTable& grid, ScenarioSpec& spec) {
  const std::vector<TomlField> fields = doc.fields_in_file_order(grid);
  if (fields.empty()) doc.fail(grid.line, grid.path, "at least one dimension, e.g. x = [0, 1, 2]", "an empty table");
  for (const TomlField& field : fields) spec.grid.push_back(read_grid_param(doc, field));

  if (spec.combinations() <= ScenarioSpec::kMaxCombinations) return;
  std::vector<std::string> counts;
  std::uint64_t product = 1;
  bool overflow = false;
  for (const GridParam& param : spec.grid) {
    counts.push_back(std::to_string(param.values.size()));
    const std::uint64_t n = param.values.size();  // >= 1
    overflow = overflow || product > std::numeric_limits<std::uint64_t>::max() / n;
    if (!overflow) product *= n;
  }
  doc.fail(grid.line, grid.path,
           fmt::format("at most {} combinations (more would exhaust memory)", ScenarioSpec::kMaxCombinations),
           fmt::format("{} = {}", shortened(joined(counts, " * "), 80), overflow ? "more than 2^64" : std::to_string(product)));
}

StateMask read_state_mask(const TomlDocument& doc, const TomlField& field) {
  constexpr std::string_view kStateName = "a state name (RUNNING, COMPLETE, PRUNED, FAIL, WAITING)";
  constexpr std::string_view kExpected =
      "\"all\" or a non-empty array of distinct state names (RUNNING, COMPLETE, PRUNED, FAIL, WAITING)";
  if (field.node->is_string()) {
    if (doc.read_string(field, kExpected) != "all") doc.fail(field.line, field.path, kExpected, describe(*field.node));
    return StateMask::all();
  }
  StateMask mask;
  for (const TomlField& element : doc.read_array(field, kExpected)) {
    const std::optional<TrialState> state = trial_state_from_string(doc.read_string(element, kStateName));
    if (!state) doc.fail(element.line, element.path, kStateName, describe(*element.node));
    if (mask.contains(*state)) doc.fail(element.line, element.path, "distinct state names", describe(*element.node) + " again");
    mask = mask.with(*state);
  }
  return mask;
}

// [store.request_latency_by_op]: operation name (sim/store_op.h) = duration distribution.
void read_latency_by_op(const TomlDocument& doc, const TomlTable& by_op, ScenarioSpec& spec) {
  if (by_op.table == nullptr) return;
  std::array<std::string_view, kStoreOpCount> op_names;
  for (int i = 0; i < kStoreOpCount; ++i) op_names[static_cast<std::size_t>(i)] = to_string(static_cast<StoreOp>(i));
  doc.reject_unknown_keys(by_op, op_names);
  for (const TomlField& field : doc.fields_in_file_order(by_op)) {
    const StoreOp op = *store_op_from_string(field.name);
    spec.request_latency_by_op[static_cast<std::size_t>(op)] = read_duration_dist(doc, field);
  }
}

void read_policies(const TomlDocument& doc, const TomlField& field, const std::vector<std::string>& known_policies,
                   ScenarioSpec& spec) {
  const std::string known = known_policies.empty() ? "(none registered)" : joined(known_policies);
  const std::string expected_name = "one of the known policies: " + known;
  std::map<std::string_view, std::string> seen;
  for (const TomlField& element : doc.read_array(field, "a non-empty array of policy names")) {
    const std::string_view name = doc.read_string(element, expected_name);
    if (std::find(known_policies.begin(), known_policies.end(), name) == known_policies.end()) {
      doc.fail(element.line, element.path, expected_name, describe(*element.node));
    }
    doc.reject_repeat(seen, name, element, "distinct policy names");
    spec.policies.emplace_back(name);
  }
}

void read_seed_policies(const TomlDocument& doc, const TomlField& field, ScenarioSpec& spec) {
  constexpr std::string_view kExpected = "a seed policy \"none\", \"same:S\" or \"distinct:S\" with 0 <= S < 2^32";
  std::map<std::pair<SeedPolicy::Kind, std::uint64_t>, std::string> seen;
  spec.seed_policies.clear();
  for (const TomlField& element : doc.read_array(field, "a non-empty array of seed policies")) {
    const std::optional<SeedPolicy> policy = parse_seed_policy(doc.read_string(element, kExpected));
    if (!policy) doc.fail(element.line, element.path, kExpected, describe(*element.node));
    constexpr std::uint64_t kSeedLimit = std::uint64_t{1} << 32;
    const auto last_process = static_cast<std::uint64_t>(spec.processes - 1);
    if (policy->kind == SeedPolicy::Kind::kDistinct && policy->seed + last_process >= kSeedLimit) {
      doc.fail(element.line, element.path,
               fmt::format("distinct:S with S + processes - 1 < 2^32 (numpy's seed limit; processes = {})", spec.processes),
               describe(*element.node));
    }
    doc.reject_repeat(seen, std::pair(policy->kind, policy->seed), element, "distinct seed policies");
    spec.seed_policies.push_back(*policy);
  }
}

// ---- the schema ---------------------------------------------------------------------------
//
// Every key a scenario may have, in validation order: tables in the order of kSchemaTables, keys
// in the order of their rows. A key's reader gets its row (for the integer range) and writes the
// value into the spec; values a key does not give keep ScenarioSpec's defaults, which the
// `default_value` column documents. scenarios/SCHEMA.md shows these rows (checked by a test).

struct LoadContext {
  const TomlDocument& doc;
  const std::vector<std::string>& known_policies;
};

struct SchemaRow;
using KeyReader = void (*)(const SchemaRow&, const LoadContext&, const TomlField&, ScenarioSpec&);

struct SchemaRow {
  SchemaKeyDoc doc;  // table, key, type, default, range, one-line doc
  KeyReader read;
  bool required() const { return doc.default_value == "required"; }
  std::int64_t int_value(const LoadContext& c, const TomlField& f, std::string_view note = "") const {
    return c.doc.read_int(f, doc.min, doc.max, note);
  }
};

constexpr std::int64_t kIntMax = std::numeric_limits<int>::max();
constexpr std::int64_t kNotInt = 0;  // min and max of non-integer keys

// The tables, in validation order; `free_keys`: its keys are names (grid dimensions).
constexpr SchemaTableDoc kSchemaTables[] = {
    {"", true, false},          {"grid", true, true},      {"workers", true, false},
    {"objective", true, false}, {"optimize", false, false}, {"store", false, false},
    {"machine", false, false},  {"compare", true, false},   {"run", false, false},
    {"faults", false, false},
};

#define SCHEMA_READER [](const SchemaRow& row, const LoadContext& c, const TomlField& f, ScenarioSpec& s)

const SchemaRow kSchemaKeys[] = {
    // top level
    {{"", "name", "string", "file stem, with characters outside `[A-Za-z0-9._-]` replaced by `_`", kNotInt, kNotInt,
      "1 to 100 characters from `[A-Za-z0-9._-]`"},
     SCHEMA_READER {
       (void)row;
       const std::string expected = fmt::format("a name of 1 to {} characters from [A-Za-z0-9._-]", kMaxScenarioNameLength);
       const std::string_view name = c.doc.read_string(f, expected);
       if (!is_valid_scenario_name(name)) {
         c.doc.fail(f.line, f.path, expected, describe(*f.node));
       }
       s.name = name;
     }},
    {{"", "description", "string", "`\"\"`", kNotInt, kNotInt, "free text, may span lines"},
     SCHEMA_READER { (void)row; s.description = c.doc.read_string(f, "a string"); }},
    // [workers]
    {{"workers", "processes", "integer", "required", 1, ScenarioSpec::kMaxWorkers,
      "Optuna processes; each builds its own sampler"},
     SCHEMA_READER { s.processes = static_cast<int>(row.int_value(c, f)); }},
    {{"workers", "threads", "integer", "1", 1, ScenarioSpec::kMaxWorkers,
      "threads of one process share its sampler (Optuna's `n_jobs`)"},
     SCHEMA_READER { s.threads = static_cast<int>(row.int_value(c, f)); }},
    {{"workers", "start_stagger", "duration", "`\"0s\"`", kNotInt, kNotInt,
      "process i (0-based) calls `optimize` at i × start_stagger"},
     SCHEMA_READER { (void)row; s.start_stagger_us = read_duration(c.doc, f); }},
    {{"workers", "start_jitter", "duration distribution", "`\"0s\"`", kNotInt, kNotInt,
      "extra start offset drawn per process"},
     SCHEMA_READER { (void)row; s.start_jitter = read_duration_dist(c.doc, f); }},
    // [objective]
    {{"objective", "duration", "duration distribution", "required", kNotInt, kNotInt,
      "virtual time one objective call takes"},
     SCHEMA_READER { (void)row; s.objective_duration = read_duration_dist(c.doc, f); }},
    // [optimize]
    {{"optimize", "n_trials", "integer", "none (run until stopped)", 1, kIntMax, "`optimize(n_trials=...)`"},
     SCHEMA_READER { s.n_trials = static_cast<int>(row.int_value(c, f)); }},
    {{"optimize", "max_trials", "integer", "none", 1, kIntMax, "`MaxTrialsCallback(max_trials, states)`"},
     SCHEMA_READER { s.max_trials = static_cast<int>(row.int_value(c, f)); }},
    {{"optimize", "max_trials_states", "`\"all\"` or array of state names", "`[\"COMPLETE\"]`", kNotInt, kNotInt,
      "only together with `max_trials`. `\"all\"` means `states=None` (count trials in every state); an array is a "
      "non-empty list of distinct names from `RUNNING`, `COMPLETE`, `PRUNED`, `FAIL`, `WAITING`"},
     SCHEMA_READER {
       (void)row;
       if (!s.max_trials) c.doc.fail(f.line, f.path, "max_trials_states only together with max_trials", "no optimize.max_trials");
       s.max_trials_states = read_state_mask(c.doc, f);
     }},
    // [store]
    {{"store", "request_latency", "duration distribution", "`\"0s\"`", kNotInt, kNotInt,
      "before an operation takes effect"},
     SCHEMA_READER { (void)row; s.request_latency = read_duration_dist(c.doc, f); }},
    {{"store", "response_latency", "duration distribution", "`\"0s\"`", kNotInt, kNotInt, "after it took effect"},
     SCHEMA_READER { (void)row; s.response_latency = read_duration_dist(c.doc, f); }},
    {{"store", "write_service", "duration distribution", "`\"0s\"`", kNotInt, kNotInt,
      "time a write holds the store's single write lock (SQLite allows one writer); writes queue for it in arrival "
      "order. `\"0s\"`: writes never wait for each other"},
     SCHEMA_READER { (void)row; s.write_service = read_duration_dist(c.doc, f); }},
    {{"store", "request_latency_by_op", "table", "none", kNotInt, kNotInt,
      "operation name = duration distribution; replaces `request_latency` for that operation (see below)"},
     SCHEMA_READER {
       (void)row;
       if (!f.node->is_table()) c.doc.fail(f.line, f.path, "a table [store.request_latency_by_op]", describe(*f.node));
       read_latency_by_op(c.doc, TomlTable{f.node->as_table(), f.path, f.line}, s);
     }},
    {{"store", "kind", "string", "none (the latencies above)", kNotInt, kNotInt,
      "a store preset: `\"sqlite\"`, `\"inmemory\"`, `\"journal-file\"` or `\"postgresql\"` (see below); excludes "
      "the four keys above; turns the machine model on"},
     SCHEMA_READER {
       (void)row;
       const std::string_view name = c.doc.read_string(f, kStoreKindExpected);
       const std::optional<StoreKind> kind = store_kind_from_string(name);
       if (!kind) c.doc.fail(f.line, f.path, kStoreKindExpected, describe(*f.node));
       s.store_kind = *kind;
       s.machine.present = true;
     }},
    // [machine]
    {{"machine", "hosts", "integer", "1", 1, ScenarioSpec::kMaxWorkers, "hosts; process i runs on host i mod hosts"},
     SCHEMA_READER { s.machine.hosts = static_cast<int>(row.int_value(c, f)); }},
    {{"machine", "cores", "integer", "processes per host", 1, ScenarioSpec::kMaxWorkers,
      "cores of each host; its processes share them (processor sharing)"},
     SCHEMA_READER { s.machine.cores = static_cast<int>(row.int_value(c, f)); }},
    {{"machine", "background_load", "number", "0", kNotInt, kNotInt,
      "0 to 4096; always-runnable CPU consumers per host besides the simulated ones (other users' jobs)"},
     SCHEMA_READER { (void)row; s.machine.background_milli = read_scaled(c.doc, f, 0.0, 4096.0, false, "a number from 0 to 4096"); }},
    {{"machine", "cpu_share", "number", "1", kNotInt, kNotInt,
      "0.001 to 1; share of each host's cores the simulated processes may use together (a cgroup quota, or the "
      "autogroup share left by other sessions)"},
     SCHEMA_READER { (void)row; s.machine.cpu_share_permille = read_scaled(c.doc, f, 0.001, 1.0, false, "a number from 0.001 to 1"); }},
    {{"machine", "speed", "number", "1", kNotInt, kNotInt,
      "0.01 to 100; CPU speed relative to the calibration machine (every CPU cost is divided by it)"},
     SCHEMA_READER { (void)row; s.machine.speed_permille = read_scaled(c.doc, f, 0.01, 100.0, true, "a number from 0.01 to 100"); }},
    {{"machine", "gil_switch_interval", "duration > 0", "`\"5ms\"`", kNotInt, kNotInt,
      "CPython's `sys.getswitchinterval()`: a thread waiting this long for the GIL asks its holder to drop it"},
     SCHEMA_READER { (void)row; s.machine.gil_switch_interval_us = read_positive_duration(c.doc, f); }},
    {{"machine", "wake_latency", "duration distribution", "`\"uniform 5us..60us\"`", kNotInt, kNotInt,
      "time a blocked thread takes to run once signalled (drawn in nanoseconds from this range)"},
     SCHEMA_READER { (void)row; s.machine.wake_latency = read_duration_dist(c.doc, f); }},
    // [compare]
    {{"compare", "policies", "array of strings", "required", kNotInt, kNotInt,
      "non-empty; each a name the policy registry knows; no duplicates"},
     SCHEMA_READER { (void)row; read_policies(c.doc, f, c.known_policies, s); }},
    {{"compare", "seed_policies", "array of strings", "`[\"none\"]`", kNotInt, kNotInt,
      "non-empty; each `\"none\"`, `\"same:S\"` or `\"distinct:S\"` with decimal 0 <= S < 2^32; no duplicates (by "
      "value: `\"same:7\"` and `\"same:07\"` are the same); `distinct:S` needs S + processes − 1 < 2^32 (numpy's "
      "seed limit)"},
     SCHEMA_READER { (void)row; read_seed_policies(c.doc, f, s); }},
    // [run]
    {{"run", "reps", "integer", "100", 1, ScenarioSpec::kMaxReps, "repetitions for `samplersim run`"},
     SCHEMA_READER { s.reps = static_cast<int>(row.int_value(c, f)); }},
    {{"run", "seed", "integer", "1", 0, kNoUpperBound, "base run seed; repetition r uses `run_seed_for_rep(seed, r)`"},
     SCHEMA_READER { s.seed = static_cast<std::uint64_t>(row.int_value(c, f)); }},
    {{"run", "max_trials", "integer", "1000000", 1, kNoUpperBound,
      "total trials in one run, all workers (`limits.max_trials_per_run`)"},
     SCHEMA_READER { s.limits.max_trials_per_run = row.int_value(c, f); }},
    {{"run", "max_virtual_time", "duration > 0", "`\"24h\"`", kNotInt, kNotInt,
      "a run stops at this virtual time (`limits.max_virtual_time_us`)"},
     SCHEMA_READER { (void)row; s.limits.max_virtual_time_us = read_positive_duration(c.doc, f); }},
    // [faults] (semantics in sim/faults.h)
    {{"faults", "swarm", "boolean", "false", kNotInt, kNotInt,
      "swarm testing: each fault class with a non-zero probability is on with probability 1/2 per run"},
     SCHEMA_READER { (void)row; s.faults.swarm = c.doc.read_bool(f); }},
    {{"faults", "until", "duration > 0", "none", kNotInt, kNotInt,
      "faults act only before this virtual time (liveness after the faults stop)"},
     SCHEMA_READER { (void)row; s.faults.until_us = read_positive_duration(c.doc, f); }},
    {{"faults", "crash_probability", "probability", "0", kNotInt, kNotInt,
      "per trial: the worker dies partway through the objective; its trial stays RUNNING"},
     SCHEMA_READER { (void)row; s.faults.crash_ppm = read_probability(c.doc, f, false); }},
    {{"faults", "max_crashes", "integer", "workers − 1", 0, ScenarioSpec::kMaxWorkers,
      "at most the number of workers; crashes allowed per run"},
     SCHEMA_READER {
       (void)row;
       s.faults.max_crashes = static_cast<int>(c.doc.read_int(f, 0, s.workers(), " (at most the number of workers)"));
     }},
    {{"faults", "heartbeat_interval", "duration > 0", "off", kNotInt, kNotInt,
      "trials get heartbeat rows; `fail_stale_trials` runs at the start of every trial"},
     SCHEMA_READER { (void)row; s.faults.heartbeat_interval_us = read_positive_duration(c.doc, f); }},
    {{"faults", "grace_period", "duration > 0", "2 × interval", kNotInt, kNotInt,
      "only with `heartbeat_interval`: a trial is stale this long after its heartbeat stopped"},
     SCHEMA_READER {
       (void)row;
       if (!s.faults.heartbeat()) {
         c.doc.fail(f.line, f.path, "grace_period only together with heartbeat_interval", "no faults.heartbeat_interval");
       }
       s.faults.grace_us = read_positive_duration(c.doc, f);
     }},
    {{"faults", "retry_failed_trials", "boolean", "false", kNotInt, kNotInt,
      "only with `heartbeat_interval`: `RetryFailedTrialCallback` (fires for stale trials only)"},
     SCHEMA_READER {
       (void)row;
       s.faults.retry_failed = c.doc.read_bool(f);
       if (s.faults.retry_failed && !s.faults.heartbeat()) {
         c.doc.fail(f.line, f.path,
                    "retry_failed_trials only together with heartbeat_interval (RetryFailedTrialCallback fires only for "
                    "stale trials)",
                    "no faults.heartbeat_interval");
       }
     }},
    {{"faults", "objective_failure_probability", "probability", "0", kNotInt, kNotInt,
      "per trial: the objective raises; the trial is FAIL"},
     SCHEMA_READER { (void)row; s.faults.objective_fail_ppm = read_probability(c.doc, f, false); }},
    {{"faults", "store_error_probability", "probability < 1", "0", kNotInt, kNotInt,
      "per store operation attempt: a transient error (half of them after applying)"},
     SCHEMA_READER { (void)row; s.faults.store_error_ppm = read_probability(c.doc, f, true); }},
    {{"faults", "store_max_retries", "integer", "3", 0, 100, "failed attempts before an attempt is forced to succeed"},
     SCHEMA_READER { s.faults.store_max_retries = static_cast<int>(row.int_value(c, f)); }},
    {{"faults", "store_retry_backoff", "duration", "`\"10ms\"`", kNotInt, kNotInt, "wait after a failed attempt"},
     SCHEMA_READER { (void)row; s.faults.store_retry_backoff_us = read_duration(c.doc, f); }},
    {{"faults", "slow_worker_probability", "probability", "0", kNotInt, kNotInt,
      "per worker: its objectives take `slow_factor` times as long"},
     SCHEMA_READER { (void)row; s.faults.slow_worker_ppm = read_probability(c.doc, f, false); }},
    {{"faults", "slow_factor", "integer", "4", 1, 1000, "how many times as long a slow worker's objectives take"},
     SCHEMA_READER { s.faults.slow_factor = static_cast<int>(row.int_value(c, f)); }},
    {{"faults", "late_join_probability", "probability", "0", kNotInt, kNotInt, "per process: it starts late"},
     SCHEMA_READER { (void)row; s.faults.late_join_ppm = read_probability(c.doc, f, false); }},
    {{"faults", "late_join_delay", "duration distribution", "`\"1s\"`", kNotInt, kNotInt, "how late"},
     SCHEMA_READER { (void)row; s.faults.late_join_delay = read_duration_dist(c.doc, f); }},
    {{"faults", "stale_read_probability", "probability", "0", kNotInt, kNotInt,
      "per `get_all_trials`: served from the worker's cached view"},
     SCHEMA_READER { (void)row; s.faults.stale_read_ppm = read_probability(c.doc, f, false); }},
    {{"faults", "max_staleness", "duration > 0", "`\"100ms\"`", kNotInt, kNotInt,
      "the cached view is refreshed when older than this"},
     SCHEMA_READER { (void)row; s.faults.max_staleness_us = read_positive_duration(c.doc, f); }},
    {{"faults", "stall_probability", "probability", "0", kNotInt, kNotInt,
      "per trial: the live worker pauses partway through the objective (heartbeat too), then resumes"},
     SCHEMA_READER { (void)row; s.faults.stall_ppm = read_probability(c.doc, f, false); }},
    {{"faults", "stall_duration", "duration distribution", "`\"1s\"`", kNotInt, kNotInt,
      "how long a stall lasts (to matter, longer than the grace period)"},
     SCHEMA_READER { (void)row; s.faults.stall_duration = read_duration_dist(c.doc, f); }},
    {{"faults", "clock_skew", "duration", "`\"0s\"`", kNotInt, kNotInt,
      "per process: its clock is offset by a uniform draw in ± this (heartbeat stamps, staleness and lease checks)"},
     SCHEMA_READER { (void)row; s.faults.clock_skew_us = read_duration(c.doc, f); }},
    {{"faults", "clock_drift_ppm", "integer", "0", 0, 100'000,
      "per process: its clock runs fast or slow by a uniform draw in ± this many parts per million"},
     SCHEMA_READER { s.faults.clock_drift_ppm = static_cast<std::uint32_t>(row.int_value(c, f)); }},
};

#undef SCHEMA_READER

// What a missing required key was expected to be.
std::string expected_of(const SchemaRow& row) {
  if (row.doc.type == "integer") {
    return row.doc.max == kNoUpperBound ? fmt::format("an integer >= {}", row.doc.min)
                                        : fmt::format("an integer from {} to {}", row.doc.min, row.doc.max);
  }
  if (row.doc.type == "duration distribution") return std::string(kDistExpected);
  if (row.doc.key == "policies") return "a non-empty array of policy names";
  return std::string(row.doc.type);
}

// The keys a table accepts: its rows, then its sub-tables, in declaration order.
std::vector<std::string_view> accepted_keys(std::string_view table) {
  std::vector<std::string_view> keys;
  for (const SchemaRow& row : kSchemaKeys) {
    if (row.doc.table == table) keys.push_back(row.doc.key);
  }
  if (table.empty()) {
    for (const SchemaTableDoc& t : kSchemaTables) {
      if (!t.name.empty()) keys.push_back(t.name);
    }
  }
  return keys;
}

// Validates one table from its rows: unknown keys first, then each key in row order.
void read_table(const LoadContext& c, const TomlTable& table, ScenarioSpec& spec) {
  const std::string_view name = table.path;
  c.doc.reject_unknown_keys(table, accepted_keys(name));
  for (const SchemaRow& row : kSchemaKeys) {
    if (row.doc.table != name) continue;
    const std::optional<TomlField> field = c.doc.find(table, row.doc.key);
    if (field) {
      row.read(row, c, *field, spec);
    } else if (row.required()) {
      c.doc.fail(table.line, join_path(table.path, row.doc.key), expected_of(row), "nothing (the key is missing)");
    }
  }
}

// processes * threads <= kMaxWorkers; blames threads when it was given.
void check_worker_count(const TomlDocument& doc, const TomlTable& workers, const ScenarioSpec& spec) {
  constexpr std::int64_t kMax = ScenarioSpec::kMaxWorkers;
  if (static_cast<std::int64_t>(spec.processes) * spec.threads <= kMax) return;
  const std::optional<TomlField> threads = doc.find(workers, "threads");
  const TomlField blamed = threads ? *threads : *doc.find(workers, "processes");
  doc.fail(blamed.line, blamed.path, fmt::format("processes * threads <= {} (more workers would exhaust memory)", kMax),
           fmt::format("{} * {}", spec.processes, spec.threads));
}

// A preset replaces the latency keys; [machine] needs a preset (the latency model costs no CPU);
// InMemoryStorage lives in one process.
void check_store_preset(const TomlDocument& doc, const ScenarioSpec& spec) {
  const TomlTable store = doc.sub_table(doc.top(), "store", Presence::kOptional);
  const TomlTable machine = doc.sub_table(doc.top(), "machine", Presence::kOptional);
  if (spec.store_kind == StoreKind::kLegacy) {
    if (machine.table != nullptr) {
      doc.fail(machine.line, "machine", "[machine] only with a store preset ([store] kind)", "no store.kind");
    }
    return;
  }
  for (std::string_view key : {"request_latency", "response_latency", "write_service", "request_latency_by_op"}) {
    if (const std::optional<TomlField> f = doc.find(store, key)) {
      doc.fail(f->line, f->path, "no latency keys with a store preset (its costs are calibrated)",
               fmt::format("{} with kind \"{}\"", key, to_string(spec.store_kind)));
    }
  }
  if (spec.store_kind == StoreKind::kInMemory && spec.processes > 1) {
    const TomlTable workers = doc.sub_table(doc.top(), "workers", Presence::kOptional);
    const std::optional<TomlField> f = doc.find(workers, "processes");
    doc.fail(f->line, f->path, "processes = 1 with store kind \"inmemory\" (InMemoryStorage lives in one process)",
             fmt::format("integer {}", spec.processes));
  }
}

bool is_blank_text(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; });
}

ScenarioSpec read_spec(const TomlDocument& doc, const std::vector<std::string>& known_policies) {
  if (doc.root().empty()) {
    doc.fail(1, kWholeFileKey, "a scenario with tables [grid], [workers], [objective] and [compare]",
             is_blank_text(doc.text()) ? "an empty file" : "a file without keys");
  }
  const LoadContext c{doc, known_policies};
  ScenarioSpec spec;
  spec.source_path = doc.name();
  spec.source_text = doc.text();
  spec.name = scenario_name_from_path(doc.name());
  spec.seed_policies = {SeedPolicy{}};
  for (const SchemaTableDoc& t : kSchemaTables) {
    if (t.name.empty()) {
      read_table(c, doc.top(), spec);
      continue;
    }
    const TomlTable table = doc.sub_table(doc.top(), t.name, t.required ? Presence::kRequired : Presence::kOptional);
    if (t.free_keys) {
      read_grid(doc, table, spec);
      continue;
    }
    if (table.table == nullptr) continue;
    if (t.name == "faults") spec.faults.present = true;
    read_table(c, table, spec);
    if (t.name == "workers") check_worker_count(doc, table, spec);
  }
  check_store_preset(doc, spec);
  return spec;
}

}  // namespace

std::vector<SchemaKeyDoc> scenario_schema_keys() {
  std::vector<SchemaKeyDoc> keys;
  for (const SchemaRow& row : kSchemaKeys) keys.push_back(row.doc);
  return keys;
}

std::vector<SchemaTableDoc> scenario_schema_tables() { return {std::begin(kSchemaTables), std::end(kSchemaTables)}; }

std::string scenario_schema_markdown(std::string_view table) {
  std::string out = "| key | type | default | rules |\n|---|---|---|---|\n";
  for (const SchemaRow& row : kSchemaKeys) {
    if (row.doc.table != table) continue;
    std::string rules;
    if (row.doc.type == "integer") {
      rules = row.doc.max == kNoUpperBound ? fmt::format(">= {}", row.doc.min)
                                           : fmt::format("{} to {}", row.doc.min, row.doc.max);
      if (!row.doc.doc.empty()) rules += "; ";
    }
    rules += row.doc.doc;
    out += fmt::format("| `{}` | {} | {} | {} |\n", row.doc.key, row.doc.type, row.doc.default_value, rules);
  }
  return out;
}

ScenarioSpec parse_scenario_text(std::string_view toml_text, const std::string& source_name,
                                 const std::vector<std::string>& known_policies) {
  return read_spec(TomlDocument(std::string(toml_text), source_name), known_policies);
}

ScenarioSpec load_scenario_file(const std::string& path, const std::vector<std::string>& known_policies) {
  return read_spec(TomlDocument::from_file(path, "a readable scenario file"), known_policies);
}

ScenarioSpec load_scenario_document(const TomlDocument& document, const std::vector<std::string>& known_policies) {
  return read_spec(document, known_policies);
}

}  // namespace samplersim
