#include "app/real_runs_table.h"

#include <fstream>
#include <regex>
#include <sstream>
#include <stdexcept>

namespace samplersim {

namespace {

std::string trim(std::string s) {
  s.erase(0, s.find_first_not_of(' '));
  s.erase(s.find_last_not_of(' ') + 1);
  return s;
}

RealRange parse_range(const std::string& cell, int line) {
  static const std::regex re(R"(\s*([0-9.]+)\s*\[([0-9.]+),\s*([0-9.]+)\]\s*)");
  std::smatch m;
  if (!std::regex_match(cell, m, re)) {
    throw std::runtime_error("real-runs table line " + std::to_string(line) + ": bad interval '" + cell + "'");
  }
  return {std::stod(m[1]), std::stod(m[2]), std::stod(m[3])};
}

}  // namespace

std::vector<RealRunsRow> read_real_runs_table(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error(path + ": cannot read");
  std::vector<RealRunsRow> rows;
  std::string text;
  int line = 0;
  while (std::getline(in, text)) {
    ++line;
    if (text.rfind("| grid", 0) != 0 && text.rfind("| issue", 0) != 0) continue;
    std::vector<std::string> cells;
    std::stringstream ss(text.substr(1));
    std::string cell;
    while (std::getline(ss, cell, '|')) cells.push_back(trim(cell));
    if (cells.size() < 9) throw std::runtime_error(path + ":" + std::to_string(line) + ": expected 9 cells");
    RealRunsRow r;
    r.scenario = cells[0];
    const auto space = cells[1].find(' ');
    r.model = cells[1].substr(0, space);
    r.version = space == std::string::npos ? "" : cells[1].substr(space + 1);
    r.seed_policy = cells[2] == "distinct" ? "distinct:1" : cells[2];  // process i gets seed 1 + i
    r.n = std::stoi(cells[3]);
    r.repeats = parse_range(cells[4], line);
    static const std::regex pre(R"((\d+)/\d+\s*\[([0-9.]+),\s*([0-9.]+)\])");
    std::smatch m;
    if (!std::regex_match(cells[5], m, pre)) throw std::runtime_error(path + ":" + std::to_string(line) + ": bad proportion");
    r.runs_with_repeats = std::stoi(m[1]);
    r.p_repeats_low = std::stod(m[2]);
    r.p_repeats_high = std::stod(m[3]);
    r.never_evaluated = parse_range(cells[6], line);
    r.trials = parse_range(cells[7], line);
    rows.push_back(r);
  }
  return rows;
}

SimulatedRow simulated_row(const std::vector<RunSummary>& runs) {
  SimulatedRow s;
  for (const RunSummary& r : runs) {
    s.repeats += static_cast<double>(r.repeats);
    s.never_evaluated += static_cast<double>(r.never_evaluated);
    s.trials += static_cast<double>(r.trials);
    s.p_repeats += r.repeats > 0 ? 1 : 0;
  }
  s.runs = static_cast<int>(runs.size());
  const double n = s.runs > 0 ? s.runs : 1;
  s.repeats /= n;
  s.never_evaluated /= n;
  s.trials /= n;
  s.p_repeats /= n;
  return s;
}

}  // namespace samplersim
