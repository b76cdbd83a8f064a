#include "reports/report_markdown.h"

#include <fmt/format.h>

#include "reports/report_escape.h"
#include "reports/report_summary.h"
#include "reports/report_verdict.h"

namespace samplersim {

namespace {

const char* kTableHeader =
    "| policy | seed policy | runs | mean repeats [95% CI] | P(repeats > 0) [95% Wilson] | never evaluated (mean) "
    "| without a COMPLETE trial (mean) | wasted / useful compute [95% CI] | makespan s (mean) |\n"
    "|---|---|---:|---|---|---:|---:|---|---:|\n";

std::string variant_heading(const VariantResult& v) {
  return fmt::format("{} — {} processes × {} threads, {} combinations", md_escape(v.describe()), v.processes, v.threads,
                     v.grid_size);
}

}  // namespace

std::string markdown_table_row(const ArmResult& a) {
  return fmt::format("| {} | {} | {} | {} | {} | {:.3f} | {:.3f} | {} | {:.3f} |\n", md_escape(a.policy),
                     md_escape(a.seed_policy), a.stats.runs, format_mean_ci(a.stats.repeats, 3),
                     format_share_ci(a.stats.p_repeats(0.95)), a.stats.never_evaluated.mean(),
                     a.stats.uncovered.mean(), format_percent_mean_ci(a.stats.wasted_share), a.stats.makespan_s.mean());
}

std::string render_markdown(const ReportModel& model) {
  const ReportData& d = model.data;
  std::string md = "# samplersim comparison report\n\n";
  md += fmt::format("{} runs from {} results file(s), {} scenario(s). Intervals are 95%: Student-t for means, Wilson "
                    "for proportions. *Wasted / useful compute* is the objective time spent on combinations already "
                    "evaluated, divided by the time spent on first evaluations.\n\n",
                    d.runs, model.input_files, d.scenarios.size());
  md += "## Summary\n\n";
  md += "One row per scenario and sweep point: the Optuna arm that does worst (most combinations without a COMPLETE "
        "trial, then most repeats), the best arm available in Optuna today (a seed policy or release compared), and "
        "the best library design. Means per run; the sections below give intervals.\n\n";
  md += "| scenario | point | setup | your arm | result | best in Optuna today | best library design |\n"
        "|---|---|---|---|---|---|---|\n";
  for (const SummaryRow& r : report_summary(d)) {
    md += fmt::format("| {} | {} | {} | {} | {} | {} | {} |\n", md_escape(r.scenario), md_escape(r.point),
                      md_escape(r.setup), md_escape(r.user_arm), md_escape(r.user_result), md_escape(r.best_today),
                      md_escape(r.best_design.empty() ? "-" : r.best_design));
  }
  md += "\n";
  for (std::size_t s = 0; s < d.scenarios.size(); ++s) {
    const ScenarioResult& sc = d.scenarios[s];
    md += fmt::format("## Scenario {}\n\n", md_escape(sc.name));
    md += fmt::format("Scenario digest `{}`.\n\n", md_escape(sc.base_digest));
    const VariantResult& first = sc.variants.front();
    md += fmt::format("### Verdicts ({})\n\n", md_escape(first.describe()));
    for (const std::string& f : scenario_findings(first)) md += "- " + md_escape(f) + "\n";
    md += "\n";
    for (const Verdict& v : arm_verdicts(first)) md += fmt::format("- **{}** {}.\n", md_escape(v.label), md_escape(v.text));
    md += "\n";
    const auto table = [&](const VariantResult& v) {
      md += fmt::format("### Comparison: {}\n\n", variant_heading(v));
      md += kTableHeader;
      for (const ArmResult& a : v.arms) md += markdown_table_row(a);
      md += "\n";
    };
    table(first);
    if (s < model.charts.size() && !model.charts[s].empty()) {
      md += "### Charts\n\n";
      for (const ReportChart& c : model.charts[s]) {
        if (!c.svg.empty()) {
          md += fmt::format("![{}]({})\n\n", md_escape(c.title), c.file);
        } else {
          md += fmt::format("*{}: not drawn ({}).*\n\n", md_escape(c.title), md_escape(c.note));
        }
      }
    }
    for (std::size_t i = 1; i < sc.variants.size(); ++i) table(sc.variants[i]);
  }
  md += "## Guarantees matrix\n\n";
  if (!model.guarantees_markdown.empty()) {
    md += fmt::format("From `{}`:\n\n", md_escape(model.guarantees_source));
    md += md_code_block(model.guarantees_markdown);  // shown as written, never interpreted
    md += "\n";
  } else {
    md += "Not available: no `guarantees.md` next to the results files. (Extension point: the fixes work writes "
          "`guarantees.md` there and this section includes it.)\n\n";
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
