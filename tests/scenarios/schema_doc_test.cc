// scenarios/SCHEMA.md shows the schema the loader validates from (scenario_schema_keys() in
// scenarios/scenario_loader.cc): each table's key table in SCHEMA.md must be exactly
// scenario_schema_markdown(table), so a key added, removed or changed in one place and not the
// other fails here. On a mismatch the test prints the rows to paste into SCHEMA.md.
#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "scenarios/scenario_loader.h"

#ifndef SAMPLERSIM_SOURCE_DIR
#error "SAMPLERSIM_SOURCE_DIR must be defined as the source tree's root (the build sets it)"
#endif

namespace samplersim {
namespace {

std::vector<std::string> schema_md_lines() {
  std::ifstream in(std::string(SAMPLERSIM_SOURCE_DIR) + "/scenarios/SCHEMA.md");
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

bool is_heading_of(const std::string& line, std::string_view table) {
  if (!line.starts_with("#")) return false;
  if (table.empty()) return line.find("Top level") != std::string::npos;
  return line.find("`[" + std::string(table) + "]`") != std::string::npos;
}

// The first Markdown table ("| key | ...") after the heading of `table`, or "" if none.
std::string key_table_in_schema_md(const std::vector<std::string>& lines, std::string_view table) {
  std::size_t i = 0;
  while (i < lines.size() && !is_heading_of(lines[i], table)) ++i;
  while (i < lines.size() && !lines[i].starts_with("| key |")) ++i;
  std::string out;
  for (; i < lines.size() && lines[i].starts_with("|"); ++i) out += lines[i] + "\n";
  return out;
}

TEST(SchemaDoc, EveryKeyTableInSchemaMdMatchesTheDeclaration) {
  const std::vector<std::string> lines = schema_md_lines();
  ASSERT_FALSE(lines.empty()) << "scenarios/SCHEMA.md not found";
  int tables = 0;
  for (const SchemaTableDoc& t : scenario_schema_tables()) {
    if (t.free_keys) continue;
    ++tables;
    const std::string expected = scenario_schema_markdown(t.name);
    EXPECT_EQ(key_table_in_schema_md(lines, t.name), expected)
        << "scenarios/SCHEMA.md's key table for [" << t.name << "] differs from the schema declared in "
        << "scenarios/scenario_loader.cc; the declaration gives:\n" << expected;
  }
  EXPECT_EQ(tables, 12);  // top level, workers, group, objective, optimize, enqueue, initial_trials, store, machine,
                          // compare, run, faults
}

TEST(SchemaDoc, SchemaMdListsNoKeyTheDeclarationLacks) {
  std::set<std::string> declared;
  for (const SchemaKeyDoc& k : scenario_schema_keys()) declared.insert(std::string(k.key));
  std::set<std::string> documented;
  bool in_key_table = false;
  for (const std::string& line : schema_md_lines()) {
    if (line.starts_with("| key |")) in_key_table = true;
    if (!line.starts_with("|")) in_key_table = false;
    if (in_key_table && line.starts_with("| `")) documented.insert(line.substr(3, line.find('`', 3) - 3));
  }
  EXPECT_EQ(documented, declared);
}

TEST(SchemaDoc, DeclarationIsWellFormed) {
  std::set<std::string> seen;
  std::set<std::string_view> tables;
  for (const SchemaTableDoc& t : scenario_schema_tables()) tables.insert(t.name);
  for (const SchemaKeyDoc& k : scenario_schema_keys()) {
    EXPECT_TRUE(seen.insert(std::string(k.table) + "." + std::string(k.key)).second) << k.key << " twice";
    EXPECT_TRUE(tables.count(k.table)) << k.key << " in an undeclared table";
    EXPECT_FALSE(k.type.empty()) << k.key;
    EXPECT_FALSE(k.default_value.empty()) << k.key;
    EXPECT_FALSE(k.doc.empty()) << k.key;
    EXPECT_EQ(k.doc.find('\n'), std::string_view::npos) << k.key << ": the doc is one line";
    if (k.type == "integer") {
      EXPECT_LE(k.min, k.max) << k.key;
    } else {
      EXPECT_EQ(k.min, 0) << k.key;
      EXPECT_EQ(k.max, 0) << k.key;
    }
  }
}

}  // namespace
}  // namespace samplersim
