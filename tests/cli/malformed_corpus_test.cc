// The malformed-input corpus (tests/data/malformed/README.md): every case of every input kind
// gets its expected exit status and a one-line message matching its pattern, in bounded time and
// memory, with nothing unsafe on the terminal, no new file and no input changed.
#include <gtest/gtest.h>

#include <algorithm>
#include <iostream>
#include <set>

#include "tests/cli/malformed_corpus.h"

#ifndef SAMPLERSIM_SOURCE_DIR
#error "SAMPLERSIM_SOURCE_DIR must be defined"
#endif
#ifndef SAMPLERSIM_BINARY
#error "SAMPLERSIM_BINARY must be defined"
#endif

#if defined(__SANITIZE_ADDRESS__)
#define SAMPLERSIM_CORPUS_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SAMPLERSIM_CORPUS_ASAN 1
#endif
#endif

namespace samplersim::corpus {
namespace {

const fs::path kCorpus = fs::path(SAMPLERSIM_SOURCE_DIR) / "tests/data/malformed";
constexpr unsigned kSecondsPerCase = 120;  // generous: a shared 2-core machine under load
#if defined(SAMPLERSIM_CORPUS_ASAN)
constexpr std::uint64_t kMemoryBytes = 0;  // ASan reserves terabytes of address space
#else
constexpr std::uint64_t kMemoryBytes = std::uint64_t{3} << 30;
#endif

// Every input kind and every class of issue 10 has at least one case.
const char* const kKinds[] = {"scenario", "sweep", "replay", "results", "study", "cli", "output"};
const char* const kClasses[] = {"replay-divergence", "deep-nesting", "unbounded-read",  "unbounded-memory",
                                "bad-accepted",      "file-damage",  "messages",        "toml-ub",
                                "schema"};

std::vector<Case> all_cases() {
  std::vector<Case> cases;
  for (const char* kind : kKinds) {
    const std::vector<Case> some = read_manifest(kCorpus / kind / "cases.txt");
    cases.insert(cases.end(), some.begin(), some.end());
  }
  return cases;
}

std::string describe(const Case& c, const Outcome& o) {
  return c.where + " [" + c.kind + "/" + c.name + "]: samplersim " + c.arguments + "\n  exit " + std::to_string(o.status) +
         "\n  stderr: " + o.err + "  stdout: " + o.out.substr(0, 400);
}

TEST(MalformedCorpus, EveryCaseIsRefusedCleanlyAndChangesNothing) {
  const std::vector<Case> cases = all_cases();
  // The corpus itself: enough cases, unique names, every kind and class covered.
  EXPECT_GE(cases.size(), 200u);
  std::set<std::string> names;
  std::map<std::string, int> per_kind;
  std::map<std::string, int> per_class;
  for (const Case& c : cases) {
    EXPECT_TRUE(names.insert(c.kind + "/" + c.name).second) << c.where << ": duplicate name " << c.name;
    ++per_kind[c.kind];
    ++per_class[c.klass];
    EXPECT_NE(std::find_if(std::begin(kClasses), std::end(kClasses), [&](const char* k) { return c.klass == k; }),
              std::end(kClasses))
        << c.where << ": unknown class " << c.klass;
  }
  for (const char* kind : kKinds) EXPECT_GT(per_kind[kind], 0) << "no case of kind " << kind;
  for (const char* klass : kClasses) EXPECT_GT(per_class[klass], 0) << "no case of class " << klass;

  const auto corpus_before = fingerprint_tree(kCorpus);
  const fs::path scratch = fs::temp_directory_path() / ("samplersim-corpus-" + std::to_string(::getpid()));
  fs::remove_all(scratch);
  int index = 0;
  for (const Case& c : cases) {
    const fs::path out = scratch / std::to_string(index++);
    const fs::path capture = out.string() + ".capture";
    fs::create_directories(out);
    fs::create_directories(capture);
    const std::map<std::string, std::string> vars = {
        {"$IN", (kCorpus / c.kind).string()}, {"$OUT", out.string()}, {"$DATA", (kCorpus.parent_path()).string()},
        {"$SRC", SAMPLERSIM_SOURCE_DIR}};
    try {
      std::stringstream directives(c.setup);
      for (std::string d; std::getline(directives, d, ';');) run_setup(trim(d), kCorpus / c.kind, out, vars);
    } catch (const std::exception& e) {
      ADD_FAILURE() << c.where << ": setup failed: " << e.what();
      continue;
    }
    const auto out_before = fingerprint_tree(out);
    std::vector<std::string> args;
    for (const std::string& w : split_words(c.arguments)) args.push_back(substitute(w, vars));
    const Outcome o = run_binary(SAMPLERSIM_BINARY, args, out, capture, kSecondsPerCase, kMemoryBytes);

    EXPECT_EQ(o.status, c.status) << describe(c, o);
    EXPECT_TRUE(std::regex_search(o.err, std::regex(c.pattern))) << "stderr does not match /" << c.pattern << "/\n" << describe(c, o);
    // A failure is one line, "samplersim: <message>\n"; a finding (exit 1) may print it on stdout.
    if (c.status >= 2 || !o.err.empty()) {
      EXPECT_TRUE(o.err.starts_with("samplersim: ") && o.err.find('\n') == o.err.size() - 1) << describe(c, o);
    }
    if (c.status == 2 || c.status == 4) {
      EXPECT_EQ(o.out, "") << "bad input writes nothing\n" << describe(c, o);
    }
    EXPECT_EQ(first_unsafe(o.err, false), "") << "unsafe character on stderr\n" << describe(c, o);
    EXPECT_EQ(first_unsafe(o.out, true), "") << "unsafe character on stdout\n" << describe(c, o);
    EXPECT_EQ(fingerprint_tree(out), out_before) << "files appeared, vanished or changed in the case directory\n"
                                                 << describe(c, o);
  }
  EXPECT_EQ(fingerprint_tree(kCorpus), corpus_before) << "the corpus itself was changed";
  std::error_code ec;
  for (const auto& entry : fs::recursive_directory_iterator(scratch, ec)) fs::permissions(entry.path(), fs::perms::all, ec);
  fs::remove_all(scratch, ec);
  std::cout << "malformed corpus: " << cases.size() << " cases";
  for (const auto& [kind, n] : per_kind) std::cout << ", " << kind << " " << n;
  std::cout << "\n";
}

}  // namespace
}  // namespace samplersim::corpus
