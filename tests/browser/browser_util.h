// Loading samplersim's HTML reports in a real browser (Debian's chromium, headless) and measuring
// them in the browser's own layout. Used by tests/browser/*.cc.
//
// Contract: every function runs chromium as a child process with a fresh profile (removed after),
// bounded by `timeout 120`; nothing is left running. Cost: one chromium start (about 1-3 s) per call.
#pragma once

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <map>
#include <set>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tests/cli/cli_util.h"
#include "tests/cli/sweep_test_util.h"

namespace samplersim::testing {

inline std::string find_chromium() {
  for (const char* p : {"/usr/bin/chromium", "/usr/bin/chromium-browser"}) {
    if (::access(p, X_OK) == 0) return p;
  }
  return "";
}

struct BrowserRun {
  int status = -1;
  std::string dom;
  std::string log;
};

// Loads `html` headless with a fresh profile; `extra` adds e.g. --screenshot=PATH.
inline BrowserRun load_in_chromium(const std::string& chromium, const std::string& html, const std::string& work,
                            const std::string& mode) {
  const std::string profile = work + "/profile-" + std::to_string(::getpid());
  std::filesystem::remove_all(profile);
  std::filesystem::create_directories(profile);
  const std::string dom = work + "/dom.html";
  const std::string log = work + "/chromium.log";
  const std::string cmd = "timeout 120 " + chromium +
                          " --headless --no-sandbox --disable-gpu --disable-background-networking --disable-component-update"
                          " --disable-sync --no-first-run --user-data-dir=" + profile +
                          " --enable-logging=stderr --v=0 --window-size=1280,2600 " + mode + " file://" + html + " >" + dom +
                          " 2>" + log + " </dev/null";
  const int raw = std::system(cmd.c_str());
  std::filesystem::remove_all(profile);
  BrowserRun r;
  r.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : 128 + WTERMSIG(raw);
  r.dom = read_all(dom);
  r.log = read_all(log);
  return r;
}

// Console output of the page, as chromium logs it with --enable-logging=stderr
// ("...:INFO:CONSOLE:12] "message", source: ...") plus any uncaught exception.
inline std::string console_messages(const std::string& log) {
  std::string out;
  for (const std::string& line : lines_of(log)) {
    if (line.find(":CONSOLE") != std::string::npos || line.find("Uncaught") != std::string::npos) out += line + "\n";
  }
  return out;
}

inline std::size_t count_of(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (std::size_t p = text.find(what); p != std::string::npos; p = text.find(what, p + 1)) ++n;
  return n;
}

// A copy of `html` without its Content-Security-Policy and with a script that measures, in the
// browser's layout, every <text> of every <svg>: the body's data-clipped attribute lists the texts
// whose bounding box is not inside their SVG ("none" when all are), data-texts how many were measured.
inline std::string with_clip_probe(const std::string& html) {
  std::string out;
  for (const std::string& line : lines_of(html)) {
    if (line.find("Content-Security-Policy") == std::string::npos) out += line + "\n";
  }
  const std::string probe = R"(<script>
const bad = []; let texts = 0;
document.querySelectorAll('svg').forEach((svg, i) => {
  const r = svg.getBoundingClientRect();
  svg.querySelectorAll('text').forEach(t => {
    const b = t.getBoundingClientRect();
    if (b.width === 0 || t.textContent.trim() === '') return;
    ++texts;
    if (b.left < r.left - 0.5 || b.right > r.right + 0.5 || b.top < r.top - 0.5 || b.bottom > r.bottom + 0.5) {
      bad.push(i + ':' + t.textContent.trim());
    }
  });
});
document.body.setAttribute('data-clipped', bad.length ? bad.join('|') : 'none');
document.body.setAttribute('data-texts', String(texts));
</script>
)";
  const std::size_t end = out.rfind("</body>");
  return end == std::string::npos ? out : out.substr(0, end) + probe + out.substr(end);
}

inline std::string attribute(const std::string& dom, const std::string& name) {
  const std::size_t at = dom.find(name + "=\"");
  if (at == std::string::npos) return "";
  const std::size_t start = at + name.size() + 2;
  return dom.substr(start, dom.find('"', start) - start);
}

// The sweep points of a results file, as the report names them: "key=value, key=value" in the
// order of the axes object (sorted keys), or "" for a scenario as written. Per scenario name.
inline std::map<std::string, std::set<std::string>> sweep_points(const std::string& results_jsonl) {
  std::map<std::string, std::set<std::string>> points;
  for (const std::string& line : lines_of(read_all(results_jsonl))) {
    if (line.empty()) continue;
    const nlohmann::json run = nlohmann::json::parse(line);
    std::string label;
    for (const auto& [key, value] : run.at("axes").items()) {
      if (!label.empty()) label += ", ";
      label += key + "=" + value.dump();
    }
    points[run.at("scenario").get<std::string>()].insert(label);
  }
  return points;
}

// The acceptance checks of a report in the browser (issue 13): no console message; the summary is
// the first section of <main>, with a row for every sweep point of `results_jsonl`, and every
// point has its own section; no text of any chart lies outside its SVG; the guarantees section is
// a table with one cell per policy and fault class of `guarantees_json`. Leaves a screenshot at
// `screenshot`. `work` is a scratch folder.
inline void expect_report_reads_well_in_browser(const std::string& chromium, const std::string& html,
                                                const std::string& results_jsonl, const std::string& guarantees_json,
                                                const std::string& work, const std::string& screenshot) {
  const BrowserRun r = load_in_chromium(chromium, html, work, "--dump-dom");
  ASSERT_EQ(r.status, 0) << r.log;
  EXPECT_EQ(console_messages(r.log), "");
  const std::size_t main_at = r.dom.find("<main>");
  ASSERT_NE(main_at, std::string::npos);
  EXPECT_EQ(r.dom.find("<section", main_at), r.dom.find("<section id=\"summary\">", main_at)) << "summary first";
  const std::size_t summary_end = r.dom.find("</section>", main_at);
  ASSERT_NE(summary_end, std::string::npos);
  const std::string summary = r.dom.substr(main_at, summary_end - main_at);
  std::size_t point_count = 0;
  for (const auto& [scenario, labels] : sweep_points(results_jsonl)) {
    for (const std::string& label : labels) {
      ++point_count;
      if (label.empty()) continue;  // a scenario as written: its section is named by the scenario
      EXPECT_NE(summary.find("<td>" + label + "</td>"), std::string::npos) << scenario << " " << label << ": a summary row";
      EXPECT_NE(r.dom.find("<h3>" + label + " "), std::string::npos) << scenario << " " << label << ": a section";
    }
    EXPECT_NE(r.dom.find(scenario), std::string::npos) << scenario;
  }
  EXPECT_EQ(count_of(r.dom, "<section class=\"point\""), point_count) << "one section per sweep point";

  const auto matrix = nlohmann::json::parse(read_all(guarantees_json));
  EXPECT_EQ(count_of(r.dom, "<td class=\"g-"), matrix.at("rows").size() * matrix.at("columns").size())
      << "a guarantees cell per policy and fault class";

  const std::string probe_html = (std::filesystem::path(html).parent_path() / "probe.html").string();
  write_text(probe_html, with_clip_probe(read_all(html)));
  const BrowserRun probe = load_in_chromium(chromium, probe_html, work, "--dump-dom");
  std::filesystem::remove(probe_html);
  ASSERT_EQ(probe.status, 0) << probe.log;
  EXPECT_EQ(attribute(probe.dom, "data-clipped"), "none");
  EXPECT_GT(std::stoi("0" + attribute(probe.dom, "data-texts")), 0) << "the probe measured the charts' labels";

  std::filesystem::remove(screenshot);
  const BrowserRun shot = load_in_chromium(chromium, html, work, "--screenshot=" + screenshot);
  ASSERT_EQ(shot.status, 0) << shot.log;
  EXPECT_EQ(console_messages(shot.log), "");
  ASSERT_TRUE(std::filesystem::exists(screenshot)) << shot.log;
  EXPECT_GT(std::filesystem::file_size(screenshot), 10000u) << "a blank page would be a tiny PNG";
}

}  // namespace samplersim::testing
