#include "reports/html_report.h"

#include <array>
#include <string_view>

#include <fmt/format.h>

#include "reports/human_units.h"
#include "reports/report_escape.h"
#include "reports/report_summary.h"
#include "reports/report_verdict.h"
#include "sim/plural.h"

namespace samplersim {

namespace {

constexpr const char* kStyle = R"css(
:root { color-scheme: light; }
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1b1b1b; margin: 0 auto; max-width: 1180px; padding: 24px; }
h1 { font-size: 1.7em; margin-bottom: 0.2em; }
h2 { border-bottom: 2px solid #0072B2; padding-bottom: 4px; margin-top: 2em; }
h3 { margin-top: 1.4em; }
table { border-collapse: collapse; margin: 8px 0 16px; font-variant-numeric: tabular-nums; }
th, td { border: 1px solid #d0d0d0; padding: 4px 8px; text-align: left; vertical-align: top; }
td { white-space: nowrap; }
table.summary td { white-space: normal; }
table.arms td { white-space: normal; }
table.arms td.num, table.arms td:nth-child(-n+2) { white-space: nowrap; }
td.verdict { min-width: 18em; }
table.remedies td { white-space: normal; }
table.remedies pre { margin: 0; padding: 6px; }
table.guarantees td { white-space: nowrap; font-size: 0.9em; }
table.guarantees td.why { white-space: normal; color: #444; }
td.g-both { background: #d7f0e5; }
td.g-part { background: #fbeccc; }
td.g-none { background: #f7d4c6; }
.charts { display: flex; flex-wrap: wrap; gap: 12px; }
.charts figure { flex: 1 1 460px; margin: 4px 0 16px; }
th { background: #f2f5f8; }
td.num { text-align: right; }
tr.dirty td:first-child { border-left: 4px solid #D55E00; }
tr.clean td:first-child { border-left: 4px solid #009E73; }
ul.verdicts li { margin: 4px 0; }
.clean-tag { color: #00734f; font-weight: 600; }
.dirty-tag { color: #b34700; font-weight: 600; }
figure { margin: 12px 0 24px; }
figure svg, figure img { max-width: 100%; height: auto; border: 1px solid #e4e4e4; }
figure.chart svg { max-width: 760px; display: block; }
figcaption { color: #555; font-size: 0.9em; }
.note { color: #555; font-style: italic; }
pre { background: #f6f6f6; padding: 10px; overflow-x: auto; }
code { font-size: 0.92em; }
nav ul { columns: 2; }
)css";

// gnuplot writes an XML prolog and a DOCTYPE before <svg; inline HTML wants only the element.
// Every gnuplot SVG uses the same element ids (gpPt0, textbox, ...); inlined side by side they
// would collide, so each chart's ids get the prefix "c<n>_".
std::string svg_body(const std::string& svg, int chart_index) {
  static constexpr std::array<std::string_view, 6> kIds = {"gnuplot_canvas", "gnuplot_plot_", "gpDot", "gpPt", "greybox", "textbox"};
  const auto start = svg.find("<svg");
  if (start == std::string::npos) return "";
  std::string body = svg.substr(start);
  const std::string prefix = fmt::format("c{}_", chart_index);
  std::string out;
  out.reserve(body.size() + body.size() / 8);
  for (std::size_t i = 0; i < body.size();) {
    bool matched = false;
    for (std::string_view id : kIds) {
      if (body.compare(i, id.size(), id) == 0) {
        out += prefix;
        out += id;
        i += id.size();
        matched = true;
        break;
      }
    }
    if (!matched) out += body[i++];
  }
  return out;
}

std::string table(const VariantResult& v) {
  std::string h = "<table class=\"arms\">\n<thead><tr><th>policy</th><th>seed policy</th><th>runs</th><th>mean repeats [95% CI]</th>"
                  "<th>P(repeats&nbsp;&gt;&nbsp;0) [95% Wilson]</th><th>never evaluated (mean)</th>"
                  "<th>without a COMPLETE trial (mean)</th>"
                  "<th>wasted / useful compute [95% CI]</th><th>wasted time (mean)</th><th>makespan (mean)</th>"
                  "<th>verdict</th></tr></thead>\n<tbody>\n";
  const std::vector<Verdict> verdicts = arm_verdicts(v);
  for (std::size_t i = 0; i < v.arms.size(); ++i) {
    const ArmResult& a = v.arms[i];
    h += fmt::format("<tr class=\"{}\"><td>{}</td><td>{}</td><td class=\"num\">{}</td><td>{}</td><td>{}</td>"
                     "<td class=\"num\">{:.3f}</td><td class=\"num\">{:.3f}</td><td>{}</td>"
                     "<td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"verdict\"><span class=\"{}\">{}</span> {}</td></tr>\n",
                     a.stats.runs_with_repeats == 0 ? "clean" : "dirty", html_escape(a.policy), html_escape(a.seed_policy),
                     a.stats.runs, html_escape(format_mean_ci(a.stats.repeats, 3)),
                     html_escape(format_share_ci(a.stats.p_repeats(0.95))), a.stats.never_evaluated.mean(),
                     a.stats.uncovered.mean(), html_escape(format_percent_mean_ci(a.stats.wasted_share)),
                     format_duration_s(a.stats.wasted_time_s.mean()), format_duration_s(a.stats.makespan_s.mean()),
                     verdicts[i].clean ? "clean-tag" : "dirty-tag", verdicts[i].clean ? "clean" : "repeats",
                     html_escape(verdicts[i].text));
  }
  return h + "</tbody>\n</table>\n";
}

// What to change: the ranked remedies of the user's arm for the scenario as written.
std::string what_to_change(const ScenarioResult& sc, const std::vector<ReportRemedies>& remedies) {
  const ReportRemedies* file = remedies_for(sc, remedies);
  const RemediesArm user = remedies_arm_of(sc);
  if (user.arm.empty()) return "";
  if (file == nullptr) {
    if (const ReportRemedies* stale = stale_remedies_for(sc, remedies)) {
      return "<p class=\"note\">What to change: not available; <code>remedies/" + html_escape(stale->file) +
             "</code> was made for scenario digest <code>" + html_escape(stale->digest) + "</code>, not <code>" +
             html_escape(sc.base_digest) +
             "</code> (the scenario as these results ran it): the scenario changed since; <code>samplersim run " +
             html_escape(sc.name) + " --format json &gt; remedies/" + html_escape(stale->file) +
             "</code> again next to the results files makes it current.</p>\n";
    }
    return "<p class=\"note\">What to change: not available; <code>samplersim run " + html_escape(sc.name) +
           " --format json &gt; remedies/" + html_escape(sc.name) +
           ".json</code> next to the results files (for a scenario of your own, the path of its file in place of its "
           "name) simulates and ranks the remedies for the scenario as written, and this section shows them.</p>\n";
  }
  const ReportRemedyRanking* ranking = file->for_arm(user.arm);
  if (ranking == nullptr) {
    return "<p class=\"note\">What to change: not available; <code>remedies/" + html_escape(file->file) +
           "</code> ranks the remedies of " + html_escape(ranked_arms(*file)) + ", not of " + html_escape(user.arm) +
           ", the arm this scenario's summary calls yours.</p>\n";
  }
  std::string h = fmt::format("<h3>What to change: your arm {} ({})</h3>\n<p>From <code>remedies/{}</code> ({} runs per "
                              "remedy, the scenario as written). Recommended: better on uncovered combinations, repeats "
                              "or wasted time at 95% and worse on none; in rank order, your Optuna release first.</p>\n",
                              html_escape(ranking->arm), html_escape(ranking->family), html_escape(file->file), file->reps);
  if (!user.as_written) h += "<p class=\"note\">" + html_escape(remedies_scope_note(user)) + "</p>\n";
  int rank = 0;
  int others = 0;
  std::string rows;
  for (const ReportRemedy& r : ranking->remedies) {
    if (!r.recommended()) {
      ++others;
      continue;
    }
    rows += fmt::format("<tr><td class=\"num\">{}</td><td>{}</td><td>{}<br><code>{}</code></td><td>{}</td><td><pre><code>{}</code></pre>{}</td></tr>\n",
                        ++rank, html_escape(r.group), html_escape(r.title), html_escape(r.simulated), html_escape(r.change),
                        html_escape(r.code), r.note.empty() ? "" : "<p class=\"note\">" + html_escape(r.note) + "</p>");
  }
  if (rows.empty()) {
    h += "<p>No simulated remedy does better than this arm.</p>\n";
  } else {
    h += "<table class=\"remedies\">\n<thead><tr><th>rank</th><th>level</th><th>change (simulated as)</th><th>effect per "
         "run</th><th>code</th></tr></thead>\n<tbody>\n" + rows + "</tbody>\n</table>\n";
  }
  if (others > 0) {
    h += fmt::format("<p class=\"note\">{} {} simulated: trade-offs, not better or worse.</p>\n",
                     plural(others, "more remedy", "more remedies"), others == 1 ? "was" : "were");
  }
  return h;
}

std::string figures(const std::vector<ReportChart>& charts, const std::string& caption_suffix, int& chart_index) {
  std::string h;
  for (const ReportChart& c : charts) {
    if (!c.svg.empty()) {
      h += "<figure class=\"chart\">\n" + svg_body(c.svg, ++chart_index) + "\n<figcaption>" + html_escape(c.title + caption_suffix) +
           "</figcaption>\n</figure>\n";
    } else {
      h += "<p class=\"note\">" + html_escape(c.title + caption_suffix) + ": not drawn (" + html_escape(c.note) + ").</p>\n";
    }
  }
  return h;
}

// The guarantees matrix: a row per policy, a cell per fault class, coloured by what holds.
std::string guarantees_table(const GuaranteesTable& g) {
  std::string h = "<table class=\"guarantees\">\n<thead><tr><th>policy / seed policy</th>";
  for (const auto& c : g.columns) h += "<th title=\"" + html_escape(c.description) + "\">" + html_escape(c.name) + "</th>";
  h += "<th>why</th></tr></thead>\n<tbody>\n";
  for (const auto& r : g.rows) {
    h += "<tr><th scope=\"row\">" + html_escape(r.arm) + "</th>";
    for (const auto& cell : r.cells) {
      const int held = static_cast<int>(cell.coverage_holds) + static_cast<int>(cell.no_repeats_holds);
      static constexpr std::array<const char*, 3> kClass = {"g-none", "g-part", "g-both"};
      h += fmt::format("<td class=\"{}\">coverage {}<br>no repeats {}</td>", kClass[static_cast<std::size_t>(held)],
                       cell.coverage_holds ? "holds" : "VIOLATED", cell.no_repeats_holds ? "holds" : "VIOLATED");
    }
    h += "<td class=\"why\">" + html_escape(r.note) + "</td></tr>\n";
  }
  h += "</tbody>\n</table>\n<ul class=\"legend\">\n";
  for (const auto& c : g.columns) h += "<li><b>" + html_escape(c.name) + "</b>: " + html_escape(c.description) + "</li>\n";
  return h + "</ul>\n";
}

}  // namespace

std::string base64_encode(const std::string& bytes) {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    const unsigned v = (static_cast<unsigned char>(bytes[i]) << 16) | (static_cast<unsigned char>(bytes[i + 1]) << 8) |
                       static_cast<unsigned char>(bytes[i + 2]);
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += kAlphabet[(v >> 6) & 63];
    out += kAlphabet[v & 63];
  }
  if (i + 1 == bytes.size()) {
    const unsigned v = static_cast<unsigned char>(bytes[i]) << 16;
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += "==";
  } else if (i + 2 == bytes.size()) {
    const unsigned v = (static_cast<unsigned char>(bytes[i]) << 16) | (static_cast<unsigned char>(bytes[i + 1]) << 8);
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += kAlphabet[(v >> 6) & 63];
    out += '=';
  }
  return out;
}

std::string render_html(const ReportModel& model) {
  const ReportData& d = model.data;
  std::string h = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
  h += "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">\n";
  h += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  h += "<title>samplersim comparison report</title>\n<style>";
  h += kStyle;
  h += "</style>\n</head>\n<body>\n<header>\n<h1>samplersim comparison report</h1>\n";
  h += fmt::format("<p>{} from {}, {}. Intervals are 95%: Student-t for means, Wilson for "
                   "proportions. <em>Wasted / useful compute</em> is the objective time spent on combinations already "
                   "evaluated, divided by the time spent on first evaluations.</p>\n",
                   plural(d.runs, "run"), plural(model.input_files, "results file"), plural(d.scenarios.size(), "scenario"));
  h += "<nav><ul>\n<li><a href=\"#summary\">Summary</a></li>\n";
  for (std::size_t s = 0; s < d.scenarios.size(); ++s) {
    h += fmt::format("<li><a href=\"#s{}\">Scenario {}</a></li>\n", s + 1, html_escape(d.scenarios[s].name));
  }
  if (!model.timelines.empty()) h += "<li><a href=\"#timelines\">Timelines of audited studies</a></li>\n";
  h += "<li><a href=\"#guarantees\">Guarantees matrix</a></li>\n<li><a href=\"#counterexamples\">Counterexamples</a></li>\n";
  h += "</ul></nav>\n</header>\n<main>\n";
  h += "<section id=\"summary\">\n<h2>Summary</h2>\n<p>One row per scenario and sweep point: the Optuna arm that does "
       "worst (most combinations without a COMPLETE trial, then most repeats), the best arm available in Optuna today (a "
       "seed policy or release compared), and the best library design. Means per run; the sections below give "
       "intervals.</p>\n<table class=\"summary\">\n<thead><tr><th>scenario</th><th>point</th><th>setup</th><th>your "
       "arm</th><th>result</th><th>best in Optuna today</th><th>best library design</th></tr></thead>\n<tbody>\n";
  for (const SummaryRow& r : report_summary(d, model.remedies)) {
    h += fmt::format("<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n",
                     html_escape(r.scenario), html_escape(r.point), html_escape(r.setup), html_escape(r.user_arm),
                     html_escape(r.user_result), html_escape(r.best_today),
                     html_escape(r.best_design.empty() ? "-" : r.best_design));
  }
  h += "</tbody>\n</table>\n</section>\n";
  int chart_index = 0;
  for (std::size_t s = 0; s < d.scenarios.size(); ++s) {
    const ScenarioResult& sc = d.scenarios[s];
    h += fmt::format("<section class=\"scenario\" id=\"s{}\">\n<h2>Scenario {}</h2>\n", s + 1, html_escape(sc.name));
    h += fmt::format("<p>Scenario digest <code>{}</code>; {}.</p>\n", html_escape(sc.base_digest),
                     plural(sc.variants.size(), "sweep point"));
    h += what_to_change(sc, model.remedies);
    if (s < model.charts.size()) h += figures(model.charts[s], "", chart_index);
    for (std::size_t i = 0; i < sc.variants.size(); ++i) {
      const VariantResult& v = sc.variants[i];
      h += fmt::format("<section class=\"point\" id=\"s{}-p{}\">\n<h3>{} — {}</h3>\n", s + 1, i + 1,
                       html_escape(v.describe()), html_escape(v.setup()));
      h += "<ul class=\"findings\">\n";
      for (const std::string& f : scenario_findings(v)) h += "<li>" + html_escape(f) + "</li>\n";
      h += "</ul>\n";
      h += table(v);
      if (s < model.variant_charts.size() && i < model.variant_charts[s].size()) {
        h += "<div class=\"charts\">\n" + figures(model.variant_charts[s][i], " — " + v.describe(), chart_index) + "</div>\n";
      }
      h += "</section>\n";
    }
    h += "</section>\n";
  }
  if (!model.timelines.empty()) {
    h += "<section id=\"timelines\">\n<h2>Timelines of audited studies</h2>\n<p>Each trial that evaluated a combination "
         "as a bar from its start to its end (seconds since the study's first trial started), coloured by state; a "
         "black dot marks a repeat, a trial whose combination an earlier trial had already evaluated.</p>\n";
    for (const ReportAttachment& a : model.timelines) {
      h += "<figure><img alt=\"" + html_escape(a.name) + "\" src=\"data:image/svg+xml;base64," + base64_encode(a.content) +
           "\"><figcaption>" + html_escape(a.name) + "</figcaption></figure>\n";
    }
    h += "</section>\n";
  }
  h += "<section id=\"guarantees\">\n<h2>Guarantees matrix</h2>\n";
  if (!model.guarantees.empty()) {
    h += "<p>From <code>" + html_escape(model.guarantees_source) + "</code>: whether coverage (every combination gets "
         "a COMPLETE trial) and no-repeats hold for each policy under each fault class.</p>\n" +
         guarantees_table(model.guarantees);
  } else if (!model.guarantees_markdown.empty()) {
    h += "<p>From <code>" + html_escape(model.guarantees_source) + "</code>:</p>\n<pre>" +
         html_escape(model.guarantees_markdown) + "</pre>\n";
  } else {
    h += "<p class=\"note\">Not available: no <code>guarantees.json</code> (or <code>guarantees.md</code>) next to the results files (extension point: "
         "<code>samplersim guarantees --format json &gt; guarantees.json</code> there, and this section shows it as a table).</p>\n";
  }
  h += "</section>\n<section id=\"counterexamples\">\n<h2>Counterexamples</h2>\n";
  if (!model.counterexamples.empty()) {
    for (const ReportAttachment& a : model.counterexamples) {
      h += "<figure><img alt=\"" + html_escape(a.name) + "\" src=\"data:image/svg+xml;base64," + base64_encode(a.content) +
           "\"><figcaption>" + html_escape(a.name) + "</figcaption></figure>\n";
    }
  } else {
    h += "<p class=\"note\">Not available: no <code>counterexamples/*.svg</code> next to the results files (extension "
         "point: the checking work writes shrunk counterexample diagrams there and this section shows them).</p>\n";
  }
  h += "</section>\n</main>\n<footer><p class=\"note\">Charts drawn by gnuplot (SVG terminal). Self-contained: no "
       "scripts, no network.</p></footer>\n</body>\n</html>\n";
  return h;
}

}  // namespace samplersim
