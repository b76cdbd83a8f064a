// app/journal_study.h: JournalStorage's replay rules on hand-written logs (the record format and
// rules as Optuna 3.1.0's optuna/storages/_journal/storage.py applies them). A log written by the
// real library is read by the corpus case journal-good and the reality test
// RealMultiProcess.AuditOfRealJournalStudiesMatchesOptunasOwnReplay.
#include "app/journal_study.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace samplersim {
namespace {

namespace fs = std::filesystem;

class JournalStudy : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("samplersim-journal-" + std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string write(const std::string& text) {
    const std::string path = (dir_ / "study.log").string();
    std::ofstream(path, std::ios::binary) << text;
    return path;
  }
  fs::path dir_;
};

constexpr const char* kCategorical =
    R"("{\"name\": \"CategoricalDistribution\", \"attributes\": {\"choices\": [0, 1]}}")";

std::string create_study(const std::string& name) {
  return R"({"op_code": 0, "worker_id": "w", "study_name": ")" + name + R"(", "directions": [1]})" "\n";
}
std::string create_trial(int study, const std::string& start = "2026-12-01T00:00:00.000000") {
  return R"({"op_code": 4, "worker_id": "w", "study_id": )" + std::to_string(study) + R"(, "datetime_start": ")" + start + "\"}\n";
}
std::string set_param(int trial, const std::string& name, int value, const char* distribution = kCategorical) {
  return R"({"op_code": 5, "worker_id": "w", "trial_id": )" + std::to_string(trial) + R"(, "param_name": ")" + name +
         R"(", "param_value_internal": )" + std::to_string(value) + R"(, "distribution": )" + distribution + "}\n";
}
std::string set_state(int trial, int state, const std::string& time = "2026-12-01T00:00:01.500000") {
  const std::string key = state == 0 ? "datetime_start" : "datetime_complete";
  return R"({"op_code": 6, "worker_id": "w", "trial_id": )" + std::to_string(trial) + R"(, "state": )" +
         std::to_string(state) + R"(, "values": null, ")" + key + R"(": ")" + time + "\"}\n";
}
std::string set_attr(int trial, const std::string& key, const std::string& json) {
  return R"({"op_code": 9, "worker_id": "w", "trial_id": )" + std::to_string(trial) + R"(, "system_attr": {")" + key +
         "\": " + json + "}}\n";
}

TEST_F(JournalStudy, RecognisedByItsFirstByteOnly) {
  EXPECT_TRUE(is_journal_file(write("\n " + create_study("s"))));
  EXPECT_FALSE(is_journal_file(write("SQLite format 3")));
  EXPECT_FALSE(is_journal_file(write("")));
  EXPECT_FALSE(is_journal_file((dir_ / "missing.log").string()));
}

TEST_F(JournalStudy, TrialIdsCountEveryStudyNumbersCountTheirOwn) {
  const std::string path = write(create_study("a") + create_study("b") + create_trial(0) + create_trial(1) +
                                 create_trial(1) + set_param(2, "x", 1) + set_state(2, 1));
  EXPECT_EQ(list_journal_studies(path), (std::vector<std::string>{"a", "b"}));
  const StoredStudy b = read_journal_study(path, "b");
  ASSERT_EQ(b.trials.size(), 2u);
  EXPECT_EQ(b.trials[0].trial_id, 1);
  EXPECT_EQ(b.trials[0].number, 0);
  EXPECT_EQ(b.trials[1].trial_id, 2);
  EXPECT_EQ(b.trials[1].number, 1);
  EXPECT_EQ(b.trials[1].state, TrialState::kComplete);
  ASSERT_EQ(b.trials[1].params.size(), 1u);
  EXPECT_EQ(b.trials[1].params[0].name, "x");
  EXPECT_EQ(b.trials[1].params[0].internal_value, 1.0);
  EXPECT_EQ(b.trials[1].params[0].distribution.at("name"), "CategoricalDistribution");
  EXPECT_EQ(b.store_kind, StoreKind::kJournalFile);
  EXPECT_EQ(b.library_version, "");
  EXPECT_THROW(read_journal_study(path, ""), BadInput) << "two studies and no name";
}

TEST_F(JournalStudy, TimestampsAreMicrosecondsSinceTheEpoch) {
  const std::string path = write(create_study("s") + create_trial(0, "1970-01-02T00:00:01.25") + set_state(0, 1, "2026-12-01T04:39:20.914348"));
  const StoredStudy s = read_journal_study(path, "");
  ASSERT_EQ(s.trials.size(), 1u);
  EXPECT_EQ(s.trials[0].start_us, std::optional<std::int64_t>((86400 + 1) * 1'000'000LL + 250'000));
  EXPECT_EQ(s.trials[0].complete_us, std::optional<std::int64_t>(1'796'099'960'914'348LL));  // date -d '2026-12-01T04:39:20Z' +%s
}

TEST_F(JournalStudy, WritesOnAFinishedTrialAndLostClaimsAreIgnored) {
  // Trial 0 is enqueued (WAITING), claimed by two workers (the second RUNNING is the lost claim:
  // its start time is not applied), completed, then written again by the loser: ignored.
  const std::string waiting = R"({"op_code": 4, "worker_id": "w", "study_id": 0, "datetime_start": null, "state": 4, )"
                              R"("value": null, "values": null, "datetime_complete": null, "distributions": {}, )"
                              R"("params": {}, "user_attrs": {}, "system_attrs": {"fixed_params": {"x": 1}}, )"
                              R"("intermediate_values": {}})" "\n";
  const std::string path = write(create_study("s") + waiting + set_state(0, 0, "2026-12-01T00:00:01") +
                                 set_state(0, 0, "2026-12-01T00:00:02") + set_param(0, "x", 1) + set_state(0, 1) +
                                 set_param(0, "x", 0) + set_attr(0, "late", "true") + set_state(0, 3));
  const StoredStudy s = read_journal_study(path, "");
  ASSERT_EQ(s.trials.size(), 1u);
  const StoredTrial& t = s.trials[0];
  EXPECT_EQ(t.state, TrialState::kComplete);
  EXPECT_EQ(t.start_us, std::optional<std::int64_t>(1'796'083'201'000'000LL));
  ASSERT_EQ(t.params.size(), 1u);
  EXPECT_EQ(t.params[0].internal_value, 1.0);
  ASSERT_NE(t.system_attr("fixed_params"), nullptr);
  EXPECT_EQ(t.system_attr("late"), nullptr);
}

TEST_F(JournalStudy, AnIncompatibleDistributionIsIgnoredAsOptunaDoes) {
  const char* other = R"("{\"name\": \"CategoricalDistribution\", \"attributes\": {\"choices\": [5, 6]}}")";
  const std::string path = write(create_study("s") + create_trial(0) + set_param(0, "x", 1) + create_trial(0) +
                                 set_param(1, "x", 0, other) + set_param(1, "y", 0));
  const StoredStudy s = read_journal_study(path, "");
  ASSERT_EQ(s.trials.size(), 2u);
  ASSERT_EQ(s.trials[1].params.size(), 1u);
  EXPECT_EQ(s.trials[1].params[0].name, "y");
}

TEST_F(JournalStudy, DeletedStudiesAndDuplicateNamesAreNotListed) {
  const std::string path = write(create_study("a") + create_study("a") +
                                 R"({"op_code": 1, "worker_id": "w", "study_id": 0})" "\n" + create_study("b"));
  EXPECT_EQ(list_journal_studies(path), (std::vector<std::string>{"b"}));
}

TEST_F(JournalStudy, APartialLastRecordIsSkippedAMalformedOneIsRefused) {
  const std::string partial = create_study("s") + create_trial(0) + R"({"op_code": 6, "worker_id": "w", "tri)";
  EXPECT_EQ(read_journal_study(write(partial), "").trials.size(), 1u);
  try {
    read_journal_study(write(create_study("s") + "{\"op_code\": 6, \"worker_id\": \"w\", \"tri\n"), "");
    ADD_FAILURE() << "a complete malformed line must be refused";
  } catch (const BadInput& e) {
    EXPECT_NE(std::string(e.what()).find("study.log:2: (record): expected one JSON object per line"), std::string::npos) << e.what();
  }
  try {
    read_journal_study(write(create_study("s") + set_state(0, 9)), "");
    ADD_FAILURE() << "a state outside TrialState must be refused";
  } catch (const BadInput& e) {
    EXPECT_NE(std::string(e.what()).find("study.log:2: state: expected a TrialState from 0 (RUNNING) to 4 (WAITING), got 9"),
              std::string::npos)
        << e.what();
  }
}

}  // namespace
}  // namespace samplersim
