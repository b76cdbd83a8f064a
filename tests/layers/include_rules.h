// The include-rule check behind tests/layers/include_rules_test.cc: reads the layer table from the
// README (between "<!-- layer rules" and "<!-- end of layer rules -->") and lists every #include of
// a project folder that the table does not allow. Kept apart from the test so that it can be run
// on a fixture tree that breaks every rule (tests/data/layers/bad-tree).
#pragma once

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <tuple>
#include <vector>

namespace samplersim::layers {

struct LayerRules {
  // folder ("sim/") -> folders it may include ("sim/", ...); "data" stands for the data headers.
  std::map<std::string, std::vector<std::string>> allowed;
  std::set<std::string> data_headers;  // "sim/trace.h", ...
};

struct Violation {
  std::string file;  // relative to the root, e.g. "sim/engine.h"
  int line = 0;
  std::string included;  // e.g. "scenarios/scenario_loader.h"
  std::string why;
  friend bool operator<(const Violation& a, const Violation& b) {
    return std::tie(a.file, a.line, a.included) < std::tie(b.file, b.line, b.included);
  }
};

inline std::string read_text(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) throw std::runtime_error(p.string() + ": cannot read");
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

inline std::vector<std::string> backticked(const std::string& text) {
  std::vector<std::string> out;
  static const std::regex tick("`([^`]+)`");
  for (auto it = std::sregex_iterator(text.begin(), text.end(), tick); it != std::sregex_iterator(); ++it) {
    out.push_back((*it)[1].str());
  }
  return out;
}

constexpr const char* kDataTypes = "sim/'s data types";

// Throws std::runtime_error when the README has no well-formed rules block.
inline LayerRules parse_layer_rules(const std::string& readme) {
  const auto begin = readme.find("<!-- layer rules");
  const auto end = readme.find("<!-- end of layer rules -->");
  if (begin == std::string::npos || end == std::string::npos || end < begin) {
    throw std::runtime_error("README: no layer rules block (<!-- layer rules ... <!-- end of layer rules -->)");
  }
  LayerRules rules;
  std::stringstream block(readme.substr(begin, end - begin));
  std::string line;
  std::string data_text;
  bool in_data = false;
  while (std::getline(block, line)) {
    if (line.rfind("| `", 0) == 0) {
      const auto bar = line.find('|', 1);
      const std::vector<std::string> folder = backticked(line.substr(1, bar - 1));
      if (folder.size() != 1) throw std::runtime_error("README: layer rule row without one folder: " + line);
      std::vector<std::string> may = backticked(line.substr(bar + 1));
      if (line.find(kDataTypes, bar) != std::string::npos) may.push_back("data");
      rules.allowed[folder[0]] = may;
    } else if (line.rfind(kDataTypes, 0) == 0) {
      in_data = true;
    }
    if (in_data) data_text += line + "\n";
  }
  for (const std::string& h : backticked(data_text)) rules.data_headers.insert(h);
  if (rules.allowed.empty()) throw std::runtime_error("README: the layer rules block has no rows");
  return rules;
}

// The folder a quoted or angled include names, if it is one of the rules' folders ("" otherwise).
inline std::string project_folder(const LayerRules& rules, const std::string& included) {
  const auto slash = included.find('/');
  if (slash == std::string::npos) return "";
  const std::string folder = included.substr(0, slash + 1);
  return rules.allowed.count(folder) ? folder : "";
}

struct Include {
  int line;
  std::string path;
};

inline std::vector<Include> includes_of(const std::filesystem::path& file) {
  static const std::regex directive(R"(^\s*#\s*include\s*[<"]([^>"]+)[>"])");
  std::vector<Include> out;
  std::stringstream text(read_text(file));
  std::string line;
  for (int n = 1; std::getline(text, line); ++n) {
    std::smatch m;
    if (std::regex_search(line, m, directive)) out.push_back({n, m[1].str()});
  }
  return out;
}

inline bool is_source(const std::filesystem::path& p) {
  const std::string ext = p.extension().string();
  return ext == ".h" || ext == ".cc" || ext == ".hpp" || ext == ".cpp";
}

// Every include under `root` that breaks `rules`, sorted by file and line.
inline std::vector<Violation> layer_violations(const std::filesystem::path& root, const LayerRules& rules) {
  namespace fs = std::filesystem;
  std::vector<Violation> out;
  for (const auto& [folder, may] : rules.allowed) {
    if (!fs::is_directory(root / folder)) continue;
    for (const auto& entry : fs::recursive_directory_iterator(root / folder)) {
      if (!entry.is_regular_file() || !is_source(entry.path())) continue;
      const std::string file = fs::relative(entry.path(), root).generic_string();
      const bool data_header = rules.data_headers.count(file) > 0;
      for (const Include& inc : includes_of(entry.path())) {
        const std::string target = project_folder(rules, inc.path);
        if (target.empty()) continue;
        if (data_header && !rules.data_headers.count(inc.path)) {
          out.push_back({file, inc.line, inc.path, "a data-type header includes only other data-type headers"});
          continue;
        }
        const bool folder_ok = std::find(may.begin(), may.end(), target) != may.end();
        const bool data_ok = std::find(may.begin(), may.end(), "data") != may.end() && rules.data_headers.count(inc.path);
        if (!folder_ok && !data_ok) {
          std::string list;
          for (const std::string& m : may) list += (list.empty() ? "" : ", ") + (m == "data" ? std::string(kDataTypes) : m);
          out.push_back({file, inc.line, inc.path, folder + " may include only " + list});
        }
      }
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace samplersim::layers
