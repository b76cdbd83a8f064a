// Escaping for everything a report shows that came from a results file or a scenario (names,
// descriptions, axis keys and values). Nothing a user writes may break or script a page.
// Unsafe characters (sim/unsafe_text.h) never pass: bidirectional controls and zero-width
// characters become a visible "[U+202E]", other controls and bytes that are not UTF-8 become U+FFFD.
//   html_escape:  & < > " ' -> entities; control characters other than \n\t -> U+FFFD. Safe in
//                 element content and in quoted attribute values.
//   md_escape:    backslash-escapes Markdown syntax characters (\ ` * _ { } [ ] < > # + | ~ & $),
//                 newlines and control characters become spaces. Safe inside a table cell or a
//                 line of text.
//   md_code_block: a fenced code block (``` text) showing `text` literally: the fence is longer
//                 than any run of backticks in it, so nothing inside is Markdown or HTML.
//   md_code_span: an inline code span (`text`) showing `text` literally: nothing is
//                 backslash-escaped (inside a code span a backslash is shown, so md_escape would
//                 turn "my_grid" into "my\_grid"). Text with < ` | & \, a control or a non-ASCII
//                 byte is not put in a span but md_escape'd (a span is literal only to CommonMark).
//   chart_label:  keeps [A-Za-z0-9 ._:/=+,()%-], replaces anything else with '?', at most 60
//                 characters: safe inside a single-quoted gnuplot string with noenhanced text,
//                 and as text in the SVG gnuplot writes.
// Pure functions, O(length).
#pragma once

#include <string>
#include <string_view>

namespace samplersim {

std::string html_escape(std::string_view text);
std::string md_escape(std::string_view text);
std::string md_code_block(std::string_view text);
std::string md_code_span(std::string_view text);
std::string chart_label(std::string_view text);

}  // namespace samplersim
