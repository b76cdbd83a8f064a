#include "reports/report_markdown.h"

#include <fmt/format.h>

#include "reports/human_units.h"
#include "reports/report_escape.h"
#include "reports/report_summary.h"
#include "reports/report_verdict.h"
#include "sim/plural.h"

namespace samplersim {

namespace {

const char* kTableHeader =
    "| policy | seed policy | runs | mean repeats [95% CI] | P(repeats > 0) [95% Wilson] | never evaluated (mean) "
    "| without a COMPLETE trial (mean) | wasted / useful compute [95% CI] | wasted time (mean) | makespan (mean) | verdict |\n"
    "|---|---|---:|---|---|---:|---:|---|---:|---:|---|\n";

std::string variant_heading(const VariantResult& v) { return md_escape(v.describe()) + " — " + v.setup(); }

std::string charts_md(const std::vector<ReportChart>& charts, const std::string& suffix) {
  std::string md;
  for (const ReportChart& c : charts) {
    if (!c.svg.empty()) {
      md += fmt::format("![{}]({})\n\n", md_escape(c.title + suffix), c.file);
    } else {
      md += fmt::format("*{}: not drawn ({}).*\n\n", md_escape(c.title + suffix), md_escape(c.note));
    }
  }
  return md;
}

std::string what_to_change(const ScenarioResult& sc, const std::vector<ReportRemedies>& remedies) {
  const ReportRemedies* file = remedies_for(sc, remedies);
  const RemediesArm user = remedies_arm_of(sc);
  if (user.arm.empty()) return "";
  if (file == nullptr) {
    if (const ReportRemedies* stale = stale_remedies_for(sc, remedies)) {
      return fmt::format("*What to change: not available; {} was made for scenario digest {}, not {} (the scenario "
                         "as these results ran it): the scenario changed since; {} again next to the results files "
                         "makes it current.*\n\n",
                         md_code_span("remedies/" + stale->file), md_code_span(stale->digest),
                         md_code_span(sc.base_digest),
                         md_code_span("samplersim run " + sc.name + " --format json > remedies/" + stale->file));
    }
    return fmt::format("*What to change: not available; {} next to the "
                       "results files (for a scenario of your own, the path of its file in place of its name) simulates "
                       "and ranks the remedies for the scenario as written, and this section shows them.*\n\n",
                       md_code_span("samplersim run " + sc.name + " --format json > remedies/" + sc.name + ".json"));
  }
  const ReportRemedyRanking* ranking = file->for_arm(user.arm);
  if (ranking == nullptr) {
    return fmt::format("*What to change: not available; {} ranks the remedies of {}, not of {}, the arm "
                       "this scenario's summary calls yours.*\n\n",
                       md_code_span("remedies/" + file->file), md_escape(ranked_arms(*file)), md_escape(user.arm));
  }
  std::string md = fmt::format("### What to change: your arm {} ({})\n\nFrom {} ({} runs per remedy, the scenario "
                               "as written). Recommended: better on uncovered combinations, repeats or wasted time at 95% "
                               "and worse on none; in rank order, your Optuna release first.\n\n",
                               md_escape(ranking->arm), md_escape(ranking->family), md_code_span("remedies/" + file->file),
                               file->reps);
  if (!user.as_written) md += md_escape(remedies_scope_note(user)) + "\n\n";
  int rank = 0;
  int others = 0;
  for (const ReportRemedy& r : ranking->remedies) {
    if (!r.recommended()) {
      ++others;
      continue;
    }
    md += fmt::format("{}. **{}** ({}; simulated as {}): {}\n\n", ++rank, md_escape(r.title), md_escape(r.group),
                      md_code_span(r.simulated), md_escape(r.change));
    md += md_code_block(r.code);
    if (!r.note.empty()) md += "   " + md_escape(r.note) + "\n";
    md += "\n";
  }
  if (rank == 0) md += "No simulated remedy does better than this arm.\n\n";
  if (others > 0) {
    md += fmt::format("{} {} simulated: trade-offs, not better or worse.\n\n", plural(others, "more remedy", "more remedies"),
                      others == 1 ? "was" : "were");
  }
  return md;
}

std::string guarantees_md(const GuaranteesTable& g) {
  std::string md = "| policy / seed policy |";
  std::string rule = "|---|";
  for (const auto& c : g.columns) {
    md += " " + md_escape(c.name) + " |";
    rule += "---|";
  }
  md += " why |\n" + rule + "---|\n";
  for (const auto& r : g.rows) {
    md += "| " + md_escape(r.arm) + " |";
    for (const auto& cell : r.cells) {
      md += fmt::format(" coverage {}, no repeats {} |", cell.coverage_holds ? "holds" : "**VIOLATED**",
                        cell.no_repeats_holds ? "holds" : "**VIOLATED**");
    }
    md += " " + md_escape(r.note) + " |\n";
  }
  md += "\n";
  for (const auto& c : g.columns) md += "- **" + md_escape(c.name) + "**: " + md_escape(c.description) + "\n";
  return md + "\n";
}

}  // namespace

std::string markdown_table_row(const ArmResult& a, const Verdict& verdict) {
  return fmt::format("| {} | {} | {} | {} | {} | {:.3f} | {:.3f} | {} | {} | {} | {}: {} |\n", md_escape(a.policy),
                     md_escape(a.seed_policy), a.stats.runs, format_mean_ci(a.stats.repeats, 3),
                     format_share_ci(a.stats.p_repeats(0.95)), a.stats.never_evaluated.mean(),
                     a.stats.uncovered.mean(), format_percent_mean_ci(a.stats.wasted_share),
                     format_duration_s(a.stats.wasted_time_s.mean()), format_duration_s(a.stats.makespan_s.mean()),
                     verdict.clean ? "clean" : "**repeats**", md_escape(verdict.text));
}

std::string render_markdown(const ReportModel& model) {
  const ReportData& d = model.data;
  std::string md = "# samplersim comparison report\n\n";
  md += fmt::format("{} from {}, {}. Intervals are 95%: Student-t for means, Wilson "
                    "for proportions. *Wasted / useful compute* is the objective time spent on combinations already "
                    "evaluated, divided by the time spent on first evaluations.\n\n",
                    plural(d.runs, "run"), plural(model.input_files, "results file"), plural(d.scenarios.size(), "scenario"));
  md += "## Summary\n\n";
  md += "One row per scenario and sweep point: the Optuna arm that does worst (most combinations without a COMPLETE "
        "trial, then most repeats), the best arm available in Optuna today (a seed policy or release compared), and "
        "the best library design. Means per run; the sections below give intervals.\n\n";
  md += "| scenario | point | setup | your arm | result | best in Optuna today | best library design |\n"
        "|---|---|---|---|---|---|---|\n";
  for (const SummaryRow& r : report_summary(d, model.remedies)) {
    md += fmt::format("| {} | {} | {} | {} | {} | {} | {} |\n", md_escape(r.scenario), md_escape(r.point),
                      md_escape(r.setup), md_escape(r.user_arm), md_escape(r.user_result), md_escape(r.best_today),
                      md_escape(r.best_design.empty() ? "-" : r.best_design));
  }
  md += "\n";
  for (std::size_t s = 0; s < d.scenarios.size(); ++s) {
    const ScenarioResult& sc = d.scenarios[s];
    md += fmt::format("## Scenario {}\n\n", md_escape(sc.name));
    md += fmt::format("Scenario digest {}; {}.\n\n", md_code_span(sc.base_digest), plural(sc.variants.size(), "sweep point"));
    md += what_to_change(sc, model.remedies);
    if (s < model.charts.size()) md += charts_md(model.charts[s], "");
    for (std::size_t i = 0; i < sc.variants.size(); ++i) {
      const VariantResult& v = sc.variants[i];
      md += fmt::format("### {}\n\n", variant_heading(v));
      for (const std::string& f : scenario_findings(v)) md += "- " + md_escape(f) + "\n";
      md += "\n";
      md += kTableHeader;
      const std::vector<Verdict> verdicts = arm_verdicts(v);
      for (std::size_t k = 0; k < v.arms.size(); ++k) md += markdown_table_row(v.arms[k], verdicts[k]);
      md += "\n";
      if (s < model.variant_charts.size() && i < model.variant_charts[s].size()) {
        md += charts_md(model.variant_charts[s][i], " — " + v.describe());
      }
    }
  }
  if (!model.timelines.empty()) {
    md += "## Timelines of audited studies\n\nEach trial that evaluated a combination as a bar from its start to its end, "
          "coloured by state; a black dot marks a repeat.\n\n";
    for (const ReportAttachment& a : model.timelines) md += fmt::format("![{}]({})\n\n", md_escape(a.name), a.file);
  }
  md += "## Guarantees matrix\n\n";
  if (!model.guarantees.empty()) {
    md += fmt::format("From {}: whether coverage (every combination gets a COMPLETE trial) and no-repeats hold for "
                      "each policy under each fault class.\n\n",
                      md_code_span(model.guarantees_source));
    md += guarantees_md(model.guarantees);
  } else if (!model.guarantees_markdown.empty()) {
    md += fmt::format("From {}:\n\n", md_code_span(model.guarantees_source));
    md += md_code_block(model.guarantees_markdown);  // shown as written, never interpreted
    md += "\n";
  } else {
    md += "Not available: no `guarantees.json` (or `guarantees.md`) next to the results files. (Extension point: "
          "`samplersim guarantees --format json > guarantees.json` there, and this section shows it as a table.)\n\n";
  }
  md += "## Counterexamples\n\n";
  if (!model.counterexamples.empty()) {
    for (const ReportAttachment& a : model.counterexamples) md += fmt::format("![{}]({})\n\n", md_escape(a.name), a.file);
  } else {
    md += "Not available: no `counterexamples/*.svg` next to the results files. (Extension point: the checking work "
          "writes shrunk counterexample diagrams there and this section shows them.)\n\n";
  }
  md += "---\nCharts drawn by gnuplot (SVG terminal); the `.gp` script beside each chart redraws it.\n";
  return md;
}

}  // namespace samplersim
