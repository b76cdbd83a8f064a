// app/pg_study.h redacted_url: no password of a PostgreSQL URL reaches a message, in any of the
// forms a new user wrote them (the README promises it).
#include "app/pg_study.h"

#include <gtest/gtest.h>

namespace samplersim {
namespace {

TEST(RedactedUrl, MasksTheUserinfoPassword) {
  EXPECT_EQ(redacted_url("postgresql://u:secret@host:5432/db"), "postgresql://u:***@host:5432/db");
  EXPECT_EQ(redacted_url("postgresql+psycopg2://u:s3cr3t@h/db?sslmode=disable"),
            "postgresql+psycopg2://u:***@h/db?sslmode=disable");
  // An unbalanced IPv6 host: still masked (the report's case; libpq then quotes the URI).
  EXPECT_EQ(redacted_url("postgresql://u:pw@[::1:1/db"), "postgresql://u:***@[::1:1/db");
}

TEST(RedactedUrl, MasksPasswordParameters) {
  EXPECT_EQ(redacted_url("postgresql://u@127.0.0.1:1/db?password=hunter2&sslmode=disable"),
            "postgresql://u@127.0.0.1:1/db?password=***&sslmode=disable");
  EXPECT_EQ(redacted_url("postgres://h/db?sslmode=disable&PASSWORD=x"), "postgres://h/db?sslmode=disable&PASSWORD=***");
}

TEST(RedactedUrl, MasksUrisQuotedInAMessage) {
  const std::string message =
      R"(invalid URI query parameter: "postgresql://u:pw@[::1:1/db?connect_timeout=10" (password=abc))";
  const std::string shown = redacted_url(message);
  EXPECT_EQ(shown.find("pw@"), std::string::npos) << shown;
  EXPECT_EQ(shown.find("abc"), std::string::npos) << shown;
  EXPECT_NE(shown.find("postgresql://u:***@[::1:1/db?connect_timeout=10"), std::string::npos) << shown;
}

TEST(RedactedUrl, LeavesUrlsWithoutPasswordsAlone) {
  for (const char* url : {"postgresql://u@host:5432/db", "postgresql://host/db", "sqlite:///a:b@c.db",
                          "postgresql://u@[::1]:5432/db?sslmode=disable", "no url here: user@host"}) {
    EXPECT_EQ(redacted_url(url), url);
  }
}

}  // namespace
}  // namespace samplersim
