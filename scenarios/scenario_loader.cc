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
#include "sim/grid_space.h"
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

// Python's == on grid values: 1 == 1.0 == True, so such values are one categorical choice. NaN is
// one key: GridSampler's search-space check treats NaN as equal to NaN (3.0+ `_grid_value_equal`).
struct NanKey {
  friend auto operator<=>(const NanKey&, const NanKey&) = default;
};
using PythonEqualityKey = std::variant<std::int64_t, double, std::string, std::monostate, NanKey>;

PythonEqualityKey python_equality_key(const GridValue& v) {
  switch (v.kind) {
    case GridValue::Kind::kInt: return v.int_value;
    case GridValue::Kind::kBool: return std::int64_t{v.bool_value ? 1 : 0};
    case GridValue::Kind::kString: return v.string_value;
    case GridValue::Kind::kNone: return std::monostate{};
    case GridValue::Kind::kFloat: break;
  }
  const double d = v.float_value;
  if (std::isnan(d)) return NanKey{};
  constexpr double kTwoTo63 = 9223372036854775808.0;
  if (std::trunc(d) == d && d >= -kTwoTo63 && d < kTwoTo63) return static_cast<std::int64_t>(d);
  return d;
}

constexpr std::string_view kPythonValueExpected = "{ python = \"None\" } or { python = \"nan\" }";

// `{ python = "None" }` / `{ python = "nan" }`: the two grid values TOML cannot write.
GridValue read_python_value(const TomlDocument& doc, const TomlField& field) {
  const TomlTable table{field.node->as_table(), field.path, field.line};
  constexpr std::array<std::string_view, 1> kKeys = {"python"};
  doc.reject_unknown_keys(table, kKeys);
  const TomlField python = doc.require(table, "python", kPythonValueExpected);
  const std::string_view text = doc.read_string(python, kPythonValueExpected);
  GridValue value;
  if (text == "None") {
    value.kind = GridValue::Kind::kNone;
  } else if (text == "nan") {
    value.kind = GridValue::Kind::kFloat;
    value.float_value = std::numeric_limits<double>::quiet_NaN();
  } else {
    doc.fail(python.line, python.path, "\"None\" or \"nan\"", describe(*python.node));
  }
  return value;
}

GridValue read_grid_value(const TomlDocument& doc, const TomlField& field) {
  constexpr std::string_view kExpected =
      "an integer, float, string, boolean, { python = \"None\" } or { python = \"nan\" }";
  GridValue value;
  switch (field.node->type()) {
    case toml::node_type::integer:
      value.kind = GridValue::Kind::kInt;
      value.int_value = field.node->as_integer()->get();
      break;
    case toml::node_type::floating_point:
      value.kind = GridValue::Kind::kFloat;
      value.float_value = field.node->as_floating_point()->get();
      if (std::isnan(value.float_value)) {
        doc.fail(field.line, field.path, "a number that is not TOML's nan (write NaN as { python = \"nan\" })", "nan");
      }
      break;
    case toml::node_type::string:
      value.kind = GridValue::Kind::kString;
      value.string_value = field.node->as_string()->get();
      break;
    case toml::node_type::boolean:
      value.kind = GridValue::Kind::kBool;
      value.bool_value = field.node->as_boolean()->get();
      break;
    case toml::node_type::table: return read_python_value(doc, field);
    default: doc.fail(field.line, field.path, kExpected, describe(*field.node));
  }
  return value;
}

// ---- ranges: one line for a long dimension --------------------------------------------------

constexpr std::string_view kRangeExpected =
    "an array of values or a range: { range = [start, stop] }, { range = [start, stop, step] }, "
    "{ linspace = [start, stop, num] } or { logspace = [start, stop, num] }";
constexpr std::int64_t kMaxRangeValues = ScenarioSpec::kMaxCombinations;

double read_number(const TomlDocument& doc, const TomlField& field) {
  if (const auto* f = field.node->as_floating_point()) {
    if (std::isfinite(f->get())) return f->get();
  }
  if (const auto* i = field.node->as_integer()) return static_cast<double>(i->get());
  doc.fail(field.line, field.path, "a finite number", describe(*field.node));
}

// Python's range(start, stop[, step]) over integers.
std::vector<GridValue> int_range(const TomlDocument& doc, const TomlField& field, const std::vector<TomlField>& args) {
  if (args.size() != 2 && args.size() != 3) {
    doc.fail(field.line, field.path, "range = [start, stop] or [start, stop, step] (integers)",
             fmt::format("{} elements", args.size()));
  }
  constexpr std::int64_t kBound = std::int64_t{1} << 53;
  std::array<std::int64_t, 3> v{0, 0, 1};
  for (std::size_t i = 0; i < args.size(); ++i) v[i] = doc.read_int(args[i], -kBound, kBound);
  if (v[2] == 0) doc.fail(args[2].line, args[2].path, "a step other than 0 (Python's range raises ValueError)", "integer 0");
  const std::int64_t span = v[2] > 0 ? v[1] - v[0] : v[0] - v[1];
  const std::int64_t step = v[2] > 0 ? v[2] : -v[2];
  const std::int64_t count = span <= 0 ? 0 : (span + step - 1) / step;
  if (count == 0) doc.fail(field.line, field.path, "a range with at least one value", "an empty range");
  if (count > kMaxRangeValues) {
    doc.fail(field.line, field.path, fmt::format("a range of at most {} values", kMaxRangeValues), fmt::format("{} values", count));
  }
  std::vector<GridValue> out(static_cast<std::size_t>(count));
  for (std::int64_t k = 0; k < count; ++k) {
    out[static_cast<std::size_t>(k)].kind = GridValue::Kind::kInt;
    out[static_cast<std::size_t>(k)].int_value = v[0] + k * v[2];
  }
  return out;
}

// numpy.linspace(start, stop, num) (endpoint=True): start + k * step with step = (stop - start) /
// (num - 1), the last value exactly stop; logspace raises 10 to each (numpy.power, i.e. C pow).
std::vector<GridValue> float_space(const TomlDocument& doc, const TomlField& field, const std::vector<TomlField>& args,
                                   bool log) {
  if (args.size() != 3) {
    doc.fail(field.line, field.path, fmt::format("{} = [start, stop, num]", log ? "logspace" : "linspace"),
             fmt::format("{} elements", args.size()));
  }
  const double start = read_number(doc, args[0]);
  const double stop = read_number(doc, args[1]);
  const std::int64_t num = doc.read_int(args[2], 1, kMaxRangeValues);
  std::vector<GridValue> out(static_cast<std::size_t>(num));
  const double step = num > 1 ? (stop - start) / static_cast<double>(num - 1) : 0.0;
  for (std::int64_t k = 0; k < num; ++k) {
    double x = num > 1 && k == num - 1 ? stop : static_cast<double>(k) * step + start;
    if (log) x = std::pow(10.0, x);
    if (!std::isfinite(x)) doc.fail(args[1].line, args[1].path, "a range whose values are finite", "an infinite value");
    out[static_cast<std::size_t>(k)].kind = GridValue::Kind::kFloat;
    out[static_cast<std::size_t>(k)].float_value = x;
  }
  return out;
}

// `{ range = [...] }`, `{ linspace = [...] }` or `{ logspace = [...] }` (exactly one key).
std::vector<GridValue> read_range(const TomlDocument& doc, const TomlField& field) {
  const TomlTable table{field.node->as_table(), field.path, field.line};
  constexpr std::array<std::string_view, 3> kKinds = {"range", "linspace", "logspace"};
  doc.reject_unknown_keys(table, kKinds);
  const std::vector<TomlField> keys = doc.fields_in_file_order(table);
  if (keys.size() != 1) doc.fail(field.line, field.path, kRangeExpected, fmt::format("a table with {} keys", keys.size()));
  const TomlField& kind = keys.front();
  const std::vector<TomlField> args = doc.read_array(kind, "an array [start, stop, ...]");
  if (kind.name == "range") return int_range(doc, kind, args);
  return float_space(doc, kind, args, kind.name == "logspace");
}

// A dimension's values: an array (each value as read_grid_value reads it) or a range table.
std::vector<std::pair<GridValue, TomlField>> read_dimension_values(const TomlDocument& doc, const TomlField& field) {
  std::vector<std::pair<GridValue, TomlField>> values;
  if (field.node->is_table()) {
    for (GridValue& v : read_range(doc, field)) values.emplace_back(std::move(v), field);
    return values;
  }
  if (!field.node->is_array()) doc.fail(field.line, field.path, kRangeExpected, describe(*field.node));
  for (const TomlField& element : doc.read_array(field, "a non-empty array of values")) {
    values.emplace_back(read_grid_value(doc, element), element);
  }
  return values;
}

GridParam read_grid_param(const TomlDocument& doc, const TomlField& field) {
  if (field.name.empty()) doc.fail(field.line, field.path, "a non-empty dimension name", "\"\"");
  if (std::any_of(field.name.begin(), field.name.end(),
                  [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; })) {
    doc.fail(field.line, field.path, "a dimension name without control characters", toml_quoted(field.name));
  }
  GridParam param{std::string(field.name), {}};
  std::map<PythonEqualityKey, std::string> seen;
  for (auto& [value, element] : read_dimension_values(doc, field)) {
    doc.reject_repeat(seen, python_equality_key(value), element,
                      "distinct values (by Python's ==, so 1, 1.0 and true are the same choice; NaN equals NaN "
                      "in GridSampler's search-space check)");
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

// ---- issue 11: loops, groups, objective outcomes, enqueued and initial trials -------------

constexpr std::int64_t kIntMaxValue = std::numeric_limits<int>::max();

// Total processes of the groups read so far (the [workers] count without [[group]]).
int total_processes(const ScenarioSpec& s) {
  if (s.groups.empty()) return s.processes;
  int n = 0;
  for (const WorkerGroup& g : s.groups) n += g.processes;
  return n;
}

LoopKind read_loop_kind(const TomlDocument& doc, const TomlField& field) {
  constexpr std::string_view kExpected = "\"optimize\", \"ask-tell\" or \"hydra\"";
  const std::string_view text = doc.read_string(field, kExpected);
  if (text == "optimize") return LoopKind::kOptimize;
  if (text == "ask-tell") return LoopKind::kAskTell;
  if (text == "hydra") return LoopKind::kHydra;
  doc.fail(field.line, field.path, kExpected, describe(*field.node));
}

StopErrorHandling read_stop_error_handling(const TomlDocument& doc, const TomlField& field) {
  constexpr std::string_view kExpected = "\"raise\", \"swallow\" or \"break\"";
  const std::string_view text = doc.read_string(field, kExpected);
  if (text == "raise") return StopErrorHandling::kRaise;
  if (text == "swallow") return StopErrorHandling::kSwallow;
  if (text == "break") return StopErrorHandling::kBreak;
  doc.fail(field.line, field.path, kExpected, describe(*field.node));
}

// The value index of `field`'s value in dimension `param` (by GridSampler's equality).
int grid_value_index(const TomlDocument& doc, const TomlField& field, const GridParam& param) {
  const GridValue v = read_grid_value(doc, field);
  for (std::size_t i = 0; i < param.values.size(); ++i) {
    if (param.values[i].grid_equal(v)) return static_cast<int>(i);
  }
  std::vector<std::string> reprs;
  for (const GridValue& g : param.values) reprs.push_back(g.repr());
  doc.fail(field.line, field.path,
           fmt::format("one of grid.{}'s values ({})", param.name, shortened(joined(reprs), 60)), describe(*field.node));
}

// `{ name = value, ... }` over [grid]'s dimensions: value index per dimension in file order, -1 for
// a name not given. Unless `allow_empty`, an empty table is refused.
std::vector<int> read_params_table(const TomlDocument& doc, const TomlField& field, const ScenarioSpec& s,
                                   bool allow_empty = false) {
  if (!field.node->is_table()) {
    doc.fail(field.line, field.path, "a table of grid names and values, e.g. { x = 0, y = 1 }, or \"all\"",
             describe(*field.node));
  }
  const TomlTable table{field.node->as_table(), field.path, field.line};
  std::vector<std::string_view> names;
  for (const GridParam& p : s.grid) names.push_back(p.name);
  doc.reject_unknown_keys(table, names);
  std::vector<int> params(s.grid.size(), -1);
  for (const TomlField& f : doc.fields_in_file_order(table)) {
    const auto it = std::find(names.begin(), names.end(), f.name);
    const auto d = static_cast<std::size_t>(it - names.begin());
    params[d] = grid_value_index(doc, f, s.grid[d]);
  }
  if (!allow_empty && std::all_of(params.begin(), params.end(), [](int v) { return v < 0; })) {
    doc.fail(field.line, field.path, "at least one grid name", "an empty table");
  }
  return params;
}

bool is_all(const TomlField& field) {
  const auto* str = field.node->as_string();
  return str != nullptr && str->get() == "all";
}

// A `params` key of [[enqueue]] / [[initial_trials]]: a params table, or "all" (returned empty; the
// element is expanded to one per grid point after its table is read, expand_all).
std::vector<int> read_params_or_all(const TomlDocument& doc, const TomlField& field, const ScenarioSpec& s,
                                    bool allow_empty) {
  if (is_all(field)) return {};
  return read_params_table(doc, field, s, allow_empty);
}

// A process index < the scenario's total processes.
int read_process_index(const TomlDocument& doc, const TomlField& field, const ScenarioSpec& s) {
  const int total = total_processes(s);
  return static_cast<int>(doc.read_int(field, 0, total - 1, fmt::format(" (processes are numbered from 0; the scenario has {})", total)));
}

// `[{ process = P, call = K, after = "0.2s" }, ...]`; `after` only when `with_after`.
std::vector<ScheduledEvent> read_schedule(const TomlDocument& doc, const TomlField& field, const ScenarioSpec& s,
                                          bool with_after) {
  std::vector<ScheduledEvent> events;
  const std::string expected = with_after ? "an array of { process = P, call = K, after = \"0.2s\" }"
                                          : "an array of { process = P, call = K }";
  for (const TomlField& element : doc.read_array(field, expected)) {
    if (!element.node->is_table()) doc.fail(element.line, element.path, expected, describe(*element.node));
    const TomlTable t{element.node->as_table(), element.path, element.line};
    constexpr std::array<std::string_view, 3> kWithAfter = {"process", "call", "after"};
    doc.reject_unknown_keys(t, std::span<const std::string_view>(kWithAfter.data(), with_after ? 3 : 2));
    ScheduledEvent e;
    e.process = read_process_index(doc, doc.require(t, "process", "a process index"), s);
    e.call = static_cast<int>(doc.read_int(doc.require(t, "call", "an objective call number (1-based)"), 1, kIntMaxValue));
    if (with_after) {
      if (const auto after = doc.find(t, "after")) e.after_us = read_duration(doc, *after);
    }
    events.push_back(e);
  }
  return events;
}

// A group's own grid: [grid]'s dimensions (same names), each with a subset of its values in the
// group's order.
std::vector<GridParam> read_group_grid(const TomlDocument& doc, const TomlField& field, const ScenarioSpec& s) {
  if (!field.node->is_table()) doc.fail(field.line, field.path, "a table of the grid's dimensions", describe(*field.node));
  const TomlTable table{field.node->as_table(), field.path, field.line};
  std::vector<std::string_view> names;
  for (const GridParam& p : s.grid) names.push_back(p.name);
  doc.reject_unknown_keys(table, names);
  std::vector<GridParam> grid;
  for (const GridParam& p : s.grid) {
    const TomlField f = doc.require(table, p.name, "every [grid] dimension, with a subset of its values");
    GridParam mine{p.name, {}};
    std::map<PythonEqualityKey, std::string> seen;
    for (auto& [value, element] : read_dimension_values(doc, f)) {
      const GridValue& v = value;  // a lambda captures a variable, not a structured binding (clang)
      const bool known = std::any_of(p.values.begin(), p.values.end(), [&v](const GridValue& g) { return g.grid_equal(v); });
      if (!known) doc.fail(element.line, element.path, fmt::format("one of grid.{}'s values", p.name), value.repr());
      doc.reject_repeat(seen, python_equality_key(value), element, "distinct values");
      mine.values.push_back(std::move(value));
    }
    grid.push_back(std::move(mine));
  }
  return grid;
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
    {"", true, false},             {"grid", true, true},       {"workers", true, false},
    {"group", false, false, true}, {"objective", true, false}, {"optimize", false, false},
    {"store", false, false},       {"machine", false, false},  {"compare", true, false},
    {"run", false, false},         {"faults", false, false},   {"enqueue", false, false, true},
    {"initial_trials", false, false, true},
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
    {{"workers", "submit_interval", "duration", "`\"0s\"`", kNotInt, kNotInt,
      "with threads > 1: `optimize` submits its first n_jobs trial jobs this far apart, checking the stop flag before "
      "each"},
     SCHEMA_READER { (void)row; s.loop.submit_interval_us = read_duration(c.doc, f); }},
    // [[group]] (each element: one worker group)
    {{"group", "name", "string", "`\"group<i>\"`", kNotInt, kNotInt, "unique among the groups; names the group in traces"},
     SCHEMA_READER { (void)row; s.groups.back().name = c.doc.read_string(f, "a group name"); }},
    {{"group", "processes", "integer", "required", 1, ScenarioSpec::kMaxWorkers, "the group's processes"},
     SCHEMA_READER { s.groups.back().processes = static_cast<int>(row.int_value(c, f)); }},
    {{"group", "threads", "integer", "1", 1, ScenarioSpec::kMaxWorkers, "threads per process (`n_jobs`)"},
     SCHEMA_READER { s.groups.back().threads = static_cast<int>(row.int_value(c, f)); }},
    {{"group", "start", "duration", "`\"0s\"`", kNotInt, kNotInt, "the group's processes start this late"},
     SCHEMA_READER { (void)row; s.groups.back().start_us = read_duration(c.doc, f); }},
    {{"group", "start_stagger", "duration", "`\"0s\"`", kNotInt, kNotInt, "as in [workers], within the group"},
     SCHEMA_READER { (void)row; s.groups.back().start_stagger_us = read_duration(c.doc, f); }},
    {{"group", "start_jitter", "duration distribution", "`\"0s\"`", kNotInt, kNotInt, "as in [workers]"},
     SCHEMA_READER { (void)row; s.groups.back().start_jitter = read_duration_dist(c.doc, f); }},
    {{"group", "submit_interval", "duration", "`\"0s\"`", kNotInt, kNotInt, "as in [workers]"},
     SCHEMA_READER { (void)row; s.groups.back().loop.submit_interval_us = read_duration(c.doc, f); }},
    {{"group", "seed", "`\"none\"` or integer", "the compared seed policy", kNotInt, kNotInt,
      "0 to 4294967295: the seed every sampler of the group gets instead of the compared seed policy's"},
     SCHEMA_READER {
       if (f.node->is_string()) {
         if (c.doc.read_string(f, "\"none\" or an integer seed") != "none") {
           c.doc.fail(f.line, f.path, "\"none\" or an integer seed", describe(*f.node));
         }
         s.groups.back().seed = GroupSeed{};
       } else {
         (void)row;
         s.groups.back().seed = GroupSeed{static_cast<std::uint64_t>(c.doc.read_int(f, 0, (std::int64_t{1} << 32) - 1))};
       }
     }},
    {{"group", "grid", "table", "[grid]", kNotInt, kNotInt,
      "the group's own GridSampler grid: every [grid] dimension with a subset of its values, in the group's order "
      "(another order or another subset is another search space)"},
     SCHEMA_READER { (void)row; s.groups.back().grid = read_group_grid(c.doc, f, s); }},
    {{"group", "n_trials", "integer", "none", 1, kIntMax, "as in [optimize]"},
     SCHEMA_READER { s.groups.back().n_trials = static_cast<int>(row.int_value(c, f)); }},
    {{"group", "max_trials", "integer", "none", 1, kIntMax, "as in [optimize]"},
     SCHEMA_READER { s.groups.back().max_trials = static_cast<int>(row.int_value(c, f)); }},
    {{"group", "max_trials_states", "`\"all\"` or array of state names", "`[\"COMPLETE\"]`", kNotInt, kNotInt,
      "as in [optimize]"},
     SCHEMA_READER {
       (void)row;
       if (!s.groups.back().max_trials) c.doc.fail(f.line, f.path, "max_trials_states only together with max_trials", "no max_trials");
       s.groups.back().max_trials_states = read_state_mask(c.doc, f);
     }},
    {{"group", "loop", "string", "`\"optimize\"`", kNotInt, kNotInt, "as in [optimize]"},
     SCHEMA_READER { (void)row; s.groups.back().loop.kind = read_loop_kind(c.doc, f); }},
    {{"group", "batch", "integer", "1", 1, 4096, "as in [optimize]"},
     SCHEMA_READER { s.groups.back().loop.batch = static_cast<int>(row.int_value(c, f)); }},
    {{"group", "on_stop_error", "string", "`\"raise\"`", kNotInt, kNotInt, "as in [optimize]"},
     SCHEMA_READER { (void)row; s.groups.back().loop.on_stop_error = read_stop_error_handling(c.doc, f); }},
    {{"group", "catch", "boolean", "false", kNotInt, kNotInt, "as in [optimize]"},
     SCHEMA_READER { (void)row; s.groups.back().loop.catch_all = c.doc.read_bool(f); }},
    // [objective]
    {{"objective", "duration", "duration distribution", "required", kNotInt, kNotInt,
      "virtual time one objective call takes"},
     SCHEMA_READER { (void)row; s.objective_duration = read_duration_dist(c.doc, f); }},
    {{"objective", "params", "array of strings", "every [grid] name, in file order", kNotInt, kNotInt,
      "the names the objective suggests, in order: a subset leaves the other dimensions unsuggested; a name outside "
      "[grid] makes GridSampler raise ValueError"},
     SCHEMA_READER {
       (void)row;
       std::map<std::string_view, std::string> seen;
       for (const TomlField& e : c.doc.read_array(f, "a non-empty array of parameter names")) {
         const std::string_view name = c.doc.read_string(e, "a parameter name");
         if (name.empty()) c.doc.fail(e.line, e.path, "a non-empty parameter name", "\"\"");
         c.doc.reject_repeat(seen, name, e, "distinct names");
         s.objective.params.emplace_back(name);
       }
     }},
    {{"objective", "prune_every", "integer", "off", 1, kIntMax,
      "every k-th objective call of each process raises `TrialPruned` (the trial is PRUNED)"},
     SCHEMA_READER { s.objective.prune_every = static_cast<int>(row.int_value(c, f)); }},
    {{"objective", "fail", "array of tables", "none", kNotInt, kNotInt,
      "`[{ process = P, call = K }]`: the K-th objective call (1-based) of process P raises RuntimeError after its "
      "duration (an evicted job)"},
     SCHEMA_READER { (void)row; s.objective.fail = read_schedule(c.doc, f, s, false); }},
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
    {{"optimize", "loop", "string", "`\"optimize\"`", kNotInt, kNotInt,
      "`\"optimize\"` (`study.optimize`), `\"ask-tell\"` (batches of `ask`, objectives, `tell`) or `\"hydra\"` "
      "(Hydra's Optuna sweeper: ask-tell with n_trials capped at the grid size, the stop error swallowed)"},
     SCHEMA_READER { (void)row; s.loop.kind = read_loop_kind(c.doc, f); }},
    {{"optimize", "batch", "integer", "1", 1, 4096, "ask-tell and hydra: trials asked per batch (Hydra's `n_jobs`)"},
     SCHEMA_READER { s.loop.batch = static_cast<int>(row.int_value(c, f)); }},
    {{"optimize", "on_stop_error", "string", "`\"raise\"`", kNotInt, kNotInt,
      "ask-tell: what the loop does with the `RuntimeError` `tell` raises when the sampler calls `study.stop()`: "
      "`\"raise\"` (the process ends), `\"swallow\"` (carry on), `\"break\"` (leave the loop)"},
     SCHEMA_READER { (void)row; s.loop.on_stop_error = read_stop_error_handling(c.doc, f); }},
    {{"optimize", "catch", "boolean", "false", kNotInt, kNotInt,
      "optimize: `catch=(Exception,)`: an objective error FAILs the trial and the loop carries on; false: "
      "`optimize` re-raises it and the process ends (injected objective failures are always caught)"},
     SCHEMA_READER { (void)row; s.loop.catch_all = c.doc.read_bool(f); }},
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
    {{"run", "max_sampler_memory_mib", "integer", "8192", 1, std::int64_t{1} << 20,
      "what the samplers of one run may hold, in MiB, as the policy estimates it before the run (e.g. a shuffled "
      "grid copy per process under optuna-3.6 with seed=None); more is refused (`limits.max_sampler_memory_mib`). "
      "At most 1 TiB whatever the machine, so a file cannot let a 76 GiB run start by accident"},
     SCHEMA_READER { s.limits.max_sampler_memory_mib = row.int_value(c, f); }},
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
    {{"faults", "crash_at", "array of tables", "none", kNotInt, kNotInt,
      "`[{ process = P, call = K, after = \"0.2s\" }]`: process P is killed `after` into its K-th objective call "
      "(its trial stays RUNNING); the process must have one thread"},
     SCHEMA_READER { (void)row; s.crash_at = read_schedule(c.doc, f, s, true); }},
    // [[enqueue]] (each element: one study.enqueue_trial call, or one per process)
    {{"enqueue", "params", "table or `\"all\"`", "required", kNotInt, kNotInt,
      "`{ x = 0, y = 1 }`: the fixed params (grid names and values; a subset leaves the rest to the sampler); "
      "`\"all\"`: one enqueue per grid point, in grid order"},
     SCHEMA_READER { (void)row; s.enqueued.back().params = read_params_or_all(c.doc, f, s, false); }},
    {{"enqueue", "by", "string", "`\"before\"`", kNotInt, kNotInt,
      "`\"before\"`: before any process starts; `\"each-process\"`: every process at its start, before its loop; "
      "`\"process\"`: process `process`, `at` after its start"},
     SCHEMA_READER {
       (void)row;
       constexpr std::string_view kExpected = "\"before\", \"each-process\" or \"process\"";
       const std::string_view by = c.doc.read_string(f, kExpected);
       if (by == "before") {
         s.enqueued.back().by = EnqueueSpec::By::kBefore;
       } else if (by == "each-process") {
         s.enqueued.back().by = EnqueueSpec::By::kEachProcess;
       } else if (by == "process") {
         s.enqueued.back().by = EnqueueSpec::By::kProcess;
       } else {
         c.doc.fail(f.line, f.path, kExpected, describe(*f.node));
       }
     }},
    {{"enqueue", "process", "integer", "0", 0, kIntMax, "only with by = \"process\": the enqueuing process"},
     SCHEMA_READER {
       (void)row;
       if (s.enqueued.back().by != EnqueueSpec::By::kProcess) c.doc.fail(f.line, f.path, "process only with by = \"process\"", describe(*f.node));
       s.enqueued.back().process = read_process_index(c.doc, f, s);
     }},
    {{"enqueue", "at", "duration", "`\"0s\"`", kNotInt, kNotInt, "only with by = \"process\": how long after that process's start"},
     SCHEMA_READER {
       (void)row;
       if (s.enqueued.back().by != EnqueueSpec::By::kProcess) c.doc.fail(f.line, f.path, "at only with by = \"process\"", describe(*f.node));
       s.enqueued.back().at_us = read_duration(c.doc, f);
     }},
    // [[initial_trials]] (each element: trials already in the study when the run starts)
    {{"initial_trials", "params", "table or `\"all\"`", "required", kNotInt, kNotInt,
      "`{ x = 0, y = 1 }`: the trial's params (a subset, or `{}`: a trial cut short); `\"all\"`: one trial per grid "
      "point"},
     SCHEMA_READER { (void)row; s.initial_trials.back().params = read_params_or_all(c.doc, f, s, true); }},
    {{"initial_trials", "state", "string", "`\"COMPLETE\"`", kNotInt, kNotInt,
      "`COMPLETE`, `PRUNED`, `FAIL`, `RUNNING` (left by a crash: held by a dead process) or `WAITING` (an enqueued "
      "trial: its params are its fixed_params)"},
     SCHEMA_READER {
       (void)row;
       constexpr std::string_view kExpected = "a state name (COMPLETE, PRUNED, FAIL, RUNNING, WAITING)";
       const std::optional<TrialState> state = trial_state_from_string(c.doc.read_string(f, kExpected));
       if (!state) c.doc.fail(f.line, f.path, kExpected, describe(*f.node));
       s.initial_trials.back().state = *state;
     }},
    {{"initial_trials", "grid_id", "integer", "the id the scenario's sampler writes", 0, ScenarioSpec::kMaxCombinations - 1,
      "the stored `grid_id` (below the grid size); default: the id an earlier process's GridSampler of the compared "
      "policy gave that point"},
     SCHEMA_READER {
       const std::int64_t id = row.int_value(c, f);
       if (id >= s.combinations()) {  // [grid] is read before [[initial_trials]]
         c.doc.fail(f.line, f.path, fmt::format("a grid_id below the grid size ({})", s.combinations()),
                    fmt::format("integer {}", id));
       }
       s.initial_trials.back().grid_id = id;
     }},
    {{"initial_trials", "sampler", "string", "`\"grid\"`", kNotInt, kNotInt,
      "`\"grid\"`: written by a GridSampler of [grid] (carries `search_space` and `grid_id`); `\"none\"`: by "
      "another sampler or by hand (no grid attributes: every GridSampler ignores it)"},
     SCHEMA_READER {
       (void)row;
       constexpr std::string_view kExpected = "\"grid\" or \"none\"";
       const std::string_view v = c.doc.read_string(f, kExpected);
       if (v != "grid" && v != "none") c.doc.fail(f.line, f.path, kExpected, describe(*f.node));
       s.initial_trials.back().sampler_wrote = v == "grid";
     }},
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

// Validates one table from the rows of schema table `schema`: unknown keys first, then each key in
// row order.
void read_table(const LoadContext& c, const TomlTable& table, std::string_view schema, ScenarioSpec& spec) {
  c.doc.reject_unknown_keys(table, accepted_keys(schema));
  for (const SchemaRow& row : kSchemaKeys) {
    if (row.doc.table != schema) continue;
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

std::vector<TomlTable> array_tables(const TomlDocument& doc, std::string_view name);

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
    // Blame [workers] processes, or the [[group]] whose processes make the total exceed one.
    std::optional<TomlField> f = doc.find(doc.sub_table(doc.top(), "workers", Presence::kOptional), "processes");
    int total = 0;
    for (const TomlTable& group : array_tables(doc, "group")) {
      if (f) break;
      const std::optional<TomlField> processes = doc.find(group, "processes");
      total += processes ? static_cast<int>(processes->node->value_or<std::int64_t>(1)) : 1;
      if (total > 1) f = processes ? *processes : TomlField{"", group.table, join_path(group.path, "processes"), group.line};
    }
    const bool in_groups = !spec.groups.empty();
    if (!f) f = doc.find(store, "kind");
    doc.fail(f->line, f->path, "processes = 1 with store kind \"inmemory\" (InMemoryStorage lives in one process)",
             in_groups ? fmt::format("{} processes over the groups", spec.processes) : fmt::format("integer {}", spec.processes));
  }
}

// The rules between a loop's keys (one [optimize] table or one [[group]] element).
void check_loop(const TomlDocument& doc, const TomlTable& table, const LoopSpec& loop, int threads,
                const std::optional<int>& n_trials, const std::optional<int>& max_trials) {
  const auto blame = [&](std::string_view key, std::string_view expected, std::string_view got) {
    const std::optional<TomlField> f = doc.find(table, key);
    doc.fail(f ? f->line : table.line, f ? f->path : join_path(table.path, key), expected, got);
  };
  if (loop.kind == LoopKind::kOptimize) {
    if (doc.find(table, "batch")) blame("batch", "batch only with loop = \"ask-tell\" or \"hydra\"", "loop = \"optimize\"");
    if (doc.find(table, "on_stop_error")) {
      blame("on_stop_error", "on_stop_error only with loop = \"ask-tell\" (optimize catches its own stop)", "loop = \"optimize\"");
    }
    return;
  }
  const std::string_view kind = loop.kind == LoopKind::kHydra ? "loop = \"hydra\"" : "loop = \"ask-tell\"";
  if (max_trials) blame("max_trials", "MaxTrialsCallback only with loop = \"optimize\" (callbacks are an optimize argument)", kind);
  if (doc.find(table, "catch")) blame("catch", "catch only with loop = \"optimize\" (ask-tell loops tell FAIL and go on)", kind);
  if (threads != 1) blame("threads", "threads = 1 with an ask-tell loop", fmt::format("{} threads", threads));
  if (loop.kind == LoopKind::kHydra && doc.find(table, "on_stop_error")) {
    blame("on_stop_error", "no on_stop_error with loop = \"hydra\" (Hydra swallows the stop error)", kind);
  }
  const bool swallows = loop.kind == LoopKind::kHydra || loop.on_stop_error == StopErrorHandling::kSwallow;
  if (swallows && !n_trials) {
    const std::optional<TomlField> f = doc.find(table, "loop");
    doc.fail(f ? f->line : table.line, join_path(table.path, "n_trials"),
             "n_trials with a loop that swallows the stop error (it would never end)", "nothing (the key is missing)");
  }
}

bool is_blank_text(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; });
}

// The elements of an optional array of tables `[[name]]`.
std::vector<TomlTable> array_tables(const TomlDocument& doc, std::string_view name) {
  std::vector<TomlTable> out;
  const std::optional<TomlField> field = doc.find(doc.top(), name);
  if (!field) return out;
  const toml::array* array = field->node->as_array();
  const std::string expected = fmt::format("an array of tables [[{}]]", name);
  if (array == nullptr || array->empty()) doc.fail(field->line, field->path, expected, describe(*field->node));
  for (const TomlField& element : doc.read_array(*field, expected)) {
    if (!element.node->is_table()) doc.fail(element.line, element.path, expected, describe(*element.node));
    out.push_back(TomlTable{element.node->as_table(), element.path, element.line});
  }
  return out;
}

// Value indices (file order) of canonical combination `c` (GridSpace numbering).
std::vector<int> params_of_combination(const GridSpace& space, std::int64_t c) {
  std::vector<int> params(space.params().size());
  for (int p = 0; p < space.param_count(); ++p) {
    params[static_cast<std::size_t>(space.params()[static_cast<std::size_t>(p)].file_position)] = space.value_of(c, p);
  }
  return params;
}

// Expands `params = "all"` (an empty params vector) into one element per grid point.
template <class T>
void expand_all(const TomlDocument& doc, const TomlTable& table, std::vector<T>& items, const ScenarioSpec& spec,
                std::int64_t limit) {
  if (!items.back().params.empty()) return;
  const GridSpace space = grid_space_of(spec);
  if (static_cast<std::int64_t>(items.size()) - 1 + space.size() > limit) {
    doc.fail(table.line, join_path(table.path, "params"), fmt::format("at most {} such trials in a scenario", limit),
             fmt::format("{} grid points", space.size()));
  }
  const T pattern = items.back();
  items.pop_back();
  for (std::int64_t c = 0; c < space.size(); ++c) {
    T item = pattern;
    item.params = params_of_combination(space, c);
    items.push_back(std::move(item));
  }
}

void read_groups(const LoadContext& c, ScenarioSpec& spec) {
  std::map<std::string, std::string> names;
  for (const TomlTable& table : array_tables(c.doc, "group")) {
    if (static_cast<int>(spec.groups.size()) == ScenarioSpec::kMaxGroups) {
      c.doc.fail(table.line, table.path, fmt::format("at most {} groups", ScenarioSpec::kMaxGroups), "more");
    }
    spec.groups.emplace_back();
    spec.groups.back().name = fmt::format("group{}", spec.groups.size() - 1);
    read_table(c, table, "group", spec);
    const WorkerGroup& g = spec.groups.back();
    const std::optional<TomlField> name = c.doc.find(table, "name");
    c.doc.reject_repeat(names, g.name, name ? *name : TomlField{"", table.table, table.path, table.line}, "distinct group names");
    check_loop(c.doc, table, g.loop, g.threads, g.n_trials, g.max_trials);
    spec.processes = total_processes(spec);
    spec.threads = std::max(spec.threads, g.threads);
    if (spec.workers() > ScenarioSpec::kMaxWorkers) {
      c.doc.fail(table.line, join_path(table.path, "processes"),
                 fmt::format("at most {} workers (processes * threads) over all groups", ScenarioSpec::kMaxWorkers),
                 fmt::format("{}", spec.workers()));
    }
  }
}

// Deterministic crashes need a one-thread process (a SIGKILL ends every thread of a process).
void check_crash_at(const TomlDocument& doc, const ScenarioSpec& spec) {
  const std::vector<WorkerGroup> groups = worker_groups(spec);
  for (std::size_t i = 0; i < spec.crash_at.size(); ++i) {
    int first = 0;
    for (const WorkerGroup& g : groups) {
      if (spec.crash_at[i].process < first + g.processes && g.threads != 1) {
        const TomlTable faults = doc.sub_table(doc.top(), "faults", Presence::kOptional);
        const std::optional<TomlField> f = doc.find(faults, "crash_at");
        doc.fail(f->line, fmt::format("faults.crash_at[{}]", i), "a process with one thread (threads = 1)",
                 fmt::format("process {} with {} threads", spec.crash_at[i].process, g.threads));
      }
      if (spec.crash_at[i].process < first + g.processes) break;
      first += g.processes;
    }
  }
}

ScenarioSpec read_spec(const TomlDocument& doc, const std::vector<std::string>& known_policies) {
  if (doc.root().empty()) {
    doc.fail(1, kWholeFileKey, "a scenario with tables [grid], [workers] (or [[group]]), [objective] and [compare]",
             is_blank_text(doc.text()) ? "an empty file" : "a file without keys");
  }
  const LoadContext c{doc, known_policies};
  ScenarioSpec spec;
  spec.source_path = doc.name();
  spec.source_text = doc.text();
  spec.name = scenario_name_from_path(doc.name());
  spec.seed_policies = {SeedPolicy{}};
  const bool has_groups = doc.find(doc.top(), "group").has_value();
  for (const SchemaTableDoc& t : kSchemaTables) {
    if (t.name.empty()) {
      read_table(c, doc.top(), "", spec);
      continue;
    }
    if (t.name == "group") {
      read_groups(c, spec);
      continue;
    }
    if (t.array) {
      for (const TomlTable& table : array_tables(doc, t.name)) {
        if (t.name == "enqueue") {
          spec.enqueued.emplace_back();
          read_table(c, table, t.name, spec);
          expand_all(doc, table, spec.enqueued, spec, ScenarioSpec::kMaxEnqueued);
        } else {
          spec.initial_trials.emplace_back();
          read_table(c, table, t.name, spec);
          expand_all(doc, table, spec.initial_trials, spec, ScenarioSpec::kMaxInitialTrials);
        }
      }
      continue;
    }
    const bool single_group_table = t.name == "workers" || t.name == "optimize";
    const Presence presence = t.required && !(t.name == "workers" && has_groups) ? Presence::kRequired : Presence::kOptional;
    const TomlTable table = doc.sub_table(doc.top(), t.name, presence);
    if (t.free_keys) {
      read_grid(doc, table, spec);
      continue;
    }
    if (table.table == nullptr) continue;
    if (single_group_table && has_groups) {
      doc.fail(table.line, table.path, "either [workers] and [optimize] or [[group]] tables, not both",
               fmt::format("[{}] and [[group]]", t.name));
    }
    if (t.name == "faults") spec.faults.present = true;
    read_table(c, table, t.name, spec);
    if (t.name == "workers") check_worker_count(doc, table, spec);
    if (t.name == "optimize") check_loop(doc, table, spec.loop, spec.threads, spec.n_trials, spec.max_trials);
  }
  check_store_preset(doc, spec);
  check_crash_at(doc, spec);
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
