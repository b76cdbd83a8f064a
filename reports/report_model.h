// ReportModel: everything a rendered report shows, assembled by reports/report_builder.h and
// rendered to Markdown (report_markdown.h) and self-contained HTML (html_report.h).
//
// Extension points (filled from files found next to the results files, never faked):
//   guarantees.json          the guarantees matrix (`samplersim guarantees --format json`), shown as
//                            a table with a cell per policy and fault class
//   guarantees.md            the same as text (older layout), shown as written when no .json is found
//   counterexamples/*.svg    shrunk counterexample diagrams written by the checking work
//   audit-timelines/*.svg    `samplersim audit --report`: the audited study's trials as bars over
//                            time, coloured by state, repeats marked (shown only when present; the
//                            report copies them to timelines/tN.svg, which it never reads back, so
//                            re-running a report into its results folder does not add figures)
//   remedies/*.json          `samplersim run SCENARIO --format json`: the ranked remedies of the
//                            scenario's arms (reports/report_remedies.h)
// When none is found the report says where to put them.
#pragma once

#include <string>
#include <vector>

#include "reports/report_data.h"
#include "reports/report_remedies.h"

namespace samplersim {

struct ReportChart {
  std::string title;     // plain text (escaped by renderers)
  std::string file;      // relative to the report directory, e.g. "charts/s1-p2-wasted-compute.svg"
  std::string svg;       // gnuplot's SVG; "" if it could not be drawn
  std::string note;      // why it is missing, when svg is ""
};

struct ReportAttachment {
  std::string name;      // file name as found
  std::string file;      // relative path in the report directory
  std::string content;   // raw bytes
};

// The guarantees matrix as read from guarantees.json: a cell per policy row and fault class.
struct GuaranteesTable {
  struct Column {
    std::string name;         // fault class, "crashes"
    std::string description;  // what the column injects
  };
  struct Cell {
    bool coverage_holds = false;
    bool no_repeats_holds = false;
  };
  struct Row {
    std::string arm;  // "optuna-3.6/none"
    std::vector<Cell> cells;  // one per column
    std::string note;
  };
  std::vector<Column> columns;
  std::vector<Row> rows;
  bool empty() const { return rows.empty(); }
};

struct ReportModel {
  ReportData data;
  std::vector<std::vector<ReportChart>> charts;  // per scenario (across its sweep points), same order as data.scenarios
  std::vector<std::vector<std::vector<ReportChart>>> variant_charts;  // [scenario][sweep point]
  GuaranteesTable guarantees;                    // empty if no guarantees.json was found
  std::string guarantees_markdown;               // "" if no guarantees.md was found (or a .json was)
  std::string guarantees_source;
  std::vector<ReportAttachment> counterexamples;
  std::vector<ReportAttachment> timelines;       // from timelines/*.svg (audited studies)
  std::vector<ReportRemedies> remedies;          // from remedies/*.json, in file-name order
  int input_files = 0;
};

// Formatting shared by both renderers (and the tests that check them).
std::string format_mean_ci(const MeanAccumulator& m, int digits);        // "0.890 [0.864, 0.915]"
std::string format_share_ci(const Interval& i);                          // "77.6% [75.7%, 79.3%]"
std::string format_percent_mean_ci(const MeanAccumulator& m);            // "12.3% [11.0%, 13.6%]"

}  // namespace samplersim
