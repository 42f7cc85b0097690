#include "adapters/system/config.h"

#include <stdlib.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <string>

#include "gtest/gtest.h"

namespace casedesk::adapters::system {
namespace {

using Environment = std::map<std::string, std::string>;

class ConfigFile {
 public:
  explicit ConfigFile(const std::string& content) {
    char pattern[] = "/tmp/config_test.XXXXXX";
    const int fd = ::mkstemp(pattern);
    ::close(fd);
    path_ = pattern;
    std::ofstream(path_, std::ios::trunc) << content;
  }
  ~ConfigFile() { ::unlink(path_.c_str()); }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

std::string Message(const absl::Status& status) { return std::string(status.message()); }

TEST(LoadConfigTest, DefaultsNeedNoFile) {
  auto config = LoadConfig(std::nullopt, {});
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->server.listen, "127.0.0.1:8080");
  EXPECT_EQ(config->server.threads, 0);
  EXPECT_EQ(config->server.drain_timeout_seconds, 10);
  EXPECT_EQ(config->store.url, "");
  EXPECT_EQ(config->store.sqlite_mmap_mib, 64);
  EXPECT_EQ(config->store.pg_writers, 0);
  EXPECT_EQ(config->store.pg_batch_units, 32);
  EXPECT_EQ(config->store.pg_case_cache_mib, 64);
  EXPECT_EQ(config->limits.max_attachment_bytes, 26214400);
  EXPECT_EQ(config->limits.max_json_body_bytes, 1048576);
  EXPECT_EQ(config->smtp.url, "");
  EXPECT_EQ(config->smtp.password, "");
  EXPECT_EQ(config->secrets.key_file, "");
  EXPECT_EQ(config->log.level, "info");
  EXPECT_EQ(KeyFilePath(*config, "/srv/desk"), "/srv/desk/secret.key");
}

TEST(LoadConfigTest, FileSetsEverySetting) {
  ConfigFile file(R"(
[server]
listen = "[::1]:0"
threads = 4
drain_timeout_seconds = 30

[store]
url = "sqlite:/srv/desk/other.db"

[limits]
max_attachment_bytes = 1000000
max_json_body_bytes = 65536

[smtp]
url = "smtps://mail.example.com:465"
username = "desk"
password = "hunter2"
from = "Support <support@example.com>"
starttls = "require"
first_retry_seconds = 5

[mail]
lmtp_listen = "127.0.0.1:2424"
imap_url = "imaps://imap.example.com/INBOX"
imap_username = "support"
imap_password = "imap-secret"
imap_after = "move:Processed"
imap_interval_seconds = 15
max_message_bytes = 1048576

[secrets]
key_file = "/etc/casedesk/secret.key"

[log]
level = "debug"
)");
  auto config = LoadConfig(file.path(), {});
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->server.listen, "[::1]:0");
  EXPECT_EQ(config->server.threads, 4);
  EXPECT_EQ(config->server.drain_timeout_seconds, 30);
  EXPECT_EQ(config->store.url, "sqlite:/srv/desk/other.db");
  EXPECT_EQ(config->limits.max_attachment_bytes, 1000000);
  EXPECT_EQ(config->limits.max_json_body_bytes, 65536);
  EXPECT_EQ(config->smtp.url, "smtps://mail.example.com:465");
  EXPECT_EQ(config->smtp.username, "desk");
  EXPECT_EQ(config->smtp.password, "hunter2");
  EXPECT_EQ(config->smtp.from, "Support <support@example.com>");
  EXPECT_EQ(config->smtp.starttls, "require");
  EXPECT_EQ(config->smtp.first_retry_seconds, 5);
  EXPECT_EQ(config->mail.lmtp_listen, "127.0.0.1:2424");
  EXPECT_EQ(config->mail.imap_url, "imaps://imap.example.com/INBOX");
  EXPECT_EQ(config->mail.imap_username, "support");
  EXPECT_EQ(config->mail.imap_password, "imap-secret");
  EXPECT_EQ(config->mail.imap_after, "move:Processed");
  EXPECT_EQ(config->mail.imap_interval_seconds, 15);
  EXPECT_EQ(config->mail.max_message_bytes, 1048576);
  EXPECT_EQ(config->secrets.key_file, "/etc/casedesk/secret.key");
  EXPECT_EQ(config->log.level, "debug");
  EXPECT_EQ(KeyFilePath(*config, "/srv/desk"), "/etc/casedesk/secret.key");
}

TEST(LoadConfigTest, EnvironmentSetsEverySettingAndWinsOverTheFile) {
  ConfigFile file(R"(
[server]
listen = "127.0.0.1:9000"
threads = 2
[smtp]
url = "smtp://file.example.com:25"
from = "file@example.com"
[log]
level = "warn"
)");
  const Environment environment = {
      {"CASEDESK_SERVER_LISTEN", "0.0.0.0:8443"},
      {"CASEDESK_SERVER_THREADS", "8"},
      {"CASEDESK_SERVER_DRAIN_TIMEOUT_SECONDS", "5"},
      {"CASEDESK_STORE_URL", "postgresql://desk:pw@db.example.com/desk"},
      {"CASEDESK_LIMITS_MAX_ATTACHMENT_BYTES", "2048"},
      {"CASEDESK_LIMITS_MAX_JSON_BODY_BYTES", "4096"},
      {"CASEDESK_SMTP_URL", "smtp://env.example.com:587"},
      {"CASEDESK_SMTP_USERNAME", "env-user"},
      {"CASEDESK_SMTP_PASSWORD", "env-secret"},
      {"CASEDESK_SMTP_FROM", "env@example.com"},
      {"CASEDESK_SMTP_STARTTLS", "off"},
      {"CASEDESK_MAIL_LMTP_LISTEN", "[::1]:24"},
      {"CASEDESK_MAIL_IMAP_URL", "imap://127.0.0.1:1143/Support"},
      {"CASEDESK_MAIL_IMAP_USERNAME", "u"},
      {"CASEDESK_MAIL_IMAP_PASSWORD", "p"},
      {"CASEDESK_MAIL_IMAP_AFTER", "delete"},
      {"CASEDESK_MAIL_IMAP_INTERVAL_SECONDS", "5"},
      {"CASEDESK_MAIL_MAX_MESSAGE_BYTES", "70000"},
      {"CASEDESK_SECRETS_KEY_FILE", "/run/secret.key"},
      {"CASEDESK_LOG_LEVEL", "error"},
      // Not settings: ignored rather than rejected.
      {"CASEDESK_ADMIN_PASSWORD", "x"},
      {"CASEDESK_BIN", "/usr/bin/casedesk"},
  };
  auto config = LoadConfig(file.path(), environment);
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->server.listen, "0.0.0.0:8443");
  EXPECT_EQ(config->server.threads, 8);
  EXPECT_EQ(config->server.drain_timeout_seconds, 5);
  EXPECT_EQ(config->store.url, "postgresql://desk:pw@db.example.com/desk");
  EXPECT_EQ(config->limits.max_attachment_bytes, 2048);
  EXPECT_EQ(config->limits.max_json_body_bytes, 4096);
  EXPECT_EQ(config->smtp.url, "smtp://env.example.com:587");
  EXPECT_EQ(config->smtp.username, "env-user");
  EXPECT_EQ(config->smtp.password, "env-secret");
  EXPECT_EQ(config->smtp.from, "env@example.com");
  EXPECT_EQ(config->smtp.starttls, "off");
  EXPECT_EQ(config->mail.lmtp_listen, "[::1]:24");
  EXPECT_EQ(config->mail.imap_url, "imap://127.0.0.1:1143/Support");
  EXPECT_EQ(config->mail.imap_username, "u");
  EXPECT_EQ(config->mail.imap_password, "p");
  EXPECT_EQ(config->mail.imap_after, "delete");
  EXPECT_EQ(config->mail.imap_interval_seconds, 5);
  EXPECT_EQ(config->mail.max_message_bytes, 70000);
  EXPECT_EQ(config->secrets.key_file, "/run/secret.key");
  EXPECT_EQ(config->log.level, "error");
}

TEST(LoadConfigTest, FileErrorsNameTheKeyAndLine) {
  const struct {
    std::string content;
    std::string expected_in_message;
  } kCases[] = {
      {"[server]\nlisten = 8080\n", ":2: server.listen must be a string"},
      {"[server]\nthreads = \"4\"\n", ":2: server.threads must be an integer"},
      {"[server]\nthreads = 4.5\n", "server.threads must be an integer"},
      {"[limits]\nmax_attachment_bytes = true\n", "limits.max_attachment_bytes must be an integer"},
      {"[server]\nthreads = 99999999999\n", "server.threads is out of range"},
      {"[server]\nlisten = \"127.0.0.1:1\"\nport = 80\n", ":3: unknown key 'server.port'"},
      {"[smtp]\nhost = \"x\"\n", "unknown key 'smtp.host' (known in [smtp]: url, username"},
      {"[database]\nurl = \"x\"\n", ":1: unknown section 'database'"},
      {"listen = \"127.0.0.1:1\"\n", "unknown section 'listen'"},
      {"server = 3\n", "'server' must be a table"},
      {"[server\nlisten = 1\n", ":1:"},                       // TOML syntax error with its position
      {"[server]\nlisten = \"a\"\nlisten = \"b\"\n", ":3:"},  // duplicate key
  };
  for (const auto& test : kCases) {
    ConfigFile file(test.content);
    auto config = LoadConfig(file.path(), {});
    ASSERT_TRUE(absl::IsInvalidArgument(config.status())) << test.content << config.status();
    EXPECT_NE(Message(config.status()).find(test.expected_in_message), std::string::npos)
        << Message(config.status());
    EXPECT_NE(Message(config.status()).find(file.path()), std::string::npos)
        << Message(config.status());
  }
}

TEST(LoadConfigTest, MissingFileIsNotFound) {
  auto config = LoadConfig("/nonexistent/casedesk.toml", {});
  EXPECT_TRUE(absl::IsNotFound(config.status())) << config.status();
}

TEST(LoadConfigTest, InvalidValuesNameTheSettingAndItsVariable) {
  const struct {
    Environment environment;
    std::string expected_in_message;
  } kCases[] = {
      {{{"CASEDESK_SERVER_THREADS", "many"}}, "CASEDESK_SERVER_THREADS must be an integer"},
      {{{"CASEDESK_SERVER_THREADS", ""}}, "CASEDESK_SERVER_THREADS must be an integer"},
      {{{"CASEDESK_SERVER_THREADS", "4294967296"}}, "CASEDESK_SERVER_THREADS is out of range"},
      {{{"CASEDESK_SERVER_THREADS", "-1"}}, "server.threads (CASEDESK_SERVER_THREADS)"},
      {{{"CASEDESK_SERVER_LISTEN", "8080"}}, "server.listen (CASEDESK_SERVER_LISTEN)"},
      {{{"CASEDESK_SERVER_DRAIN_TIMEOUT_SECONDS", "-5"}}, "server.drain_timeout_seconds"},
      {{{"CASEDESK_STORE_URL", "mysql://x"}}, "store.url (CASEDESK_STORE_URL)"},
      {{{"CASEDESK_STORE_SQLITE_MMAP_MIB", "-1"}}, "store.sqlite_mmap_mib"},
      {{{"CASEDESK_STORE_PG_WRITERS", "-1"}}, "store.pg_writers"},
      {{{"CASEDESK_STORE_PG_BATCH_UNITS", "0"}}, "store.pg_batch_units"},
      {{{"CASEDESK_STORE_PG_BATCH_UNITS", "65"}}, "store.pg_batch_units"},
      {{{"CASEDESK_STORE_PG_CASE_CACHE_MIB", "-1"}}, "store.pg_case_cache_mib"},
      {{{"CASEDESK_LIMITS_MAX_ATTACHMENT_BYTES", "0"}}, "limits.max_attachment_bytes"},
      {{{"CASEDESK_LIMITS_MAX_ATTACHMENT_BYTES", "2147483648"}}, "limits.max_attachment_bytes"},
      {{{"CASEDESK_LIMITS_MAX_JSON_BODY_BYTES", "10"}}, "limits.max_json_body_bytes"},
      {{{"CASEDESK_SMTP_URL", "http://mail"}, {"CASEDESK_SMTP_FROM", "a@b.c"}},
       "smtp.url (CASEDESK_SMTP_URL)"},
      {{{"CASEDESK_SMTP_URL", "smtp://mail:25"}}, "smtp.from (CASEDESK_SMTP_FROM) is required"},
      {{{"CASEDESK_SMTP_STARTTLS", "maybe"}}, "smtp.starttls (CASEDESK_SMTP_STARTTLS)"},
      {{{"CASEDESK_SMTP_FIRST_RETRY_SECONDS", "0"}}, "smtp.first_retry_seconds"},
      {{{"CASEDESK_MAIL_LMTP_LISTEN", "24"}}, "mail.lmtp_listen (CASEDESK_MAIL_LMTP_LISTEN)"},
      {{{"CASEDESK_MAIL_IMAP_URL", "pop3://x"}}, "mail.imap_url (CASEDESK_MAIL_IMAP_URL)"},
      {{{"CASEDESK_MAIL_IMAP_AFTER", "move:"}}, "mail.imap_after (CASEDESK_MAIL_IMAP_AFTER)"},
      {{{"CASEDESK_MAIL_IMAP_INTERVAL_SECONDS", "0"}}, "mail.imap_interval_seconds"},
      {{{"CASEDESK_MAIL_MAX_MESSAGE_BYTES", "100"}}, "mail.max_message_bytes"},
      {{{"CASEDESK_LOG_LEVEL", "verbose"}}, "log.level (CASEDESK_LOG_LEVEL)"},
  };
  for (const auto& test : kCases) {
    auto config = LoadConfig(std::nullopt, test.environment);
    ASSERT_TRUE(absl::IsInvalidArgument(config.status())) << test.expected_in_message;
    EXPECT_NE(Message(config.status()).find(test.expected_in_message), std::string::npos)
        << Message(config.status());
  }
}

TEST(LoadConfigTest, EnvironmentCanClearAFileSetting) {
  ConfigFile file("[store]\nurl = \"sqlite:/elsewhere.db\"\n");
  auto config = LoadConfig(file.path(), {{"CASEDESK_STORE_URL", ""}});
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->store.url, "");
}

TEST(EnvironmentFromProcessTest, ReadsOnlyCasedeskVariables) {
  ASSERT_EQ(::setenv("CASEDESK_SMTP_URL", "smtp://from-env:25", 1), 0);
  ASSERT_EQ(::setenv("CASEDESK_EMPTY", "", 1), 0);
  ASSERT_EQ(::setenv("NOT_CASEDESK_SMTP_URL", "ignored", 1), 0);
  const Environment environment = EnvironmentFromProcess();
  ::unsetenv("CASEDESK_SMTP_URL");
  ::unsetenv("CASEDESK_EMPTY");
  ::unsetenv("NOT_CASEDESK_SMTP_URL");
  ASSERT_EQ(environment.count("CASEDESK_SMTP_URL"), 1u);
  EXPECT_EQ(environment.at("CASEDESK_SMTP_URL"), "smtp://from-env:25");
  ASSERT_EQ(environment.count("CASEDESK_EMPTY"), 1u);
  EXPECT_EQ(environment.at("CASEDESK_EMPTY"), "");
  for (const auto& [name, value] : environment) {
    EXPECT_EQ(name.rfind("CASEDESK_", 0), 0u) << name;
  }
  EXPECT_EQ(environment.count("PATH"), 0u);
}

TEST(DescribeConfigForLogTest, ShowsSettingsButNoSecrets) {
  Config config;
  config.smtp.url = "smtp://mailer:mail-secret@mail.example.com:587";
  config.smtp.password = "hunter2";
  config.mail.imap_url = "imaps://box:imap-url-secret@imap.example.com/INBOX";
  config.mail.imap_password = "imap-secret";
  config.store.url = "postgresql://desk:db-secret@db.example.com:5432/desk?sslmode=require";
  const std::string line = DescribeConfigForLog(config);
  EXPECT_NE(line.find("server.listen=\"127.0.0.1:8080\""), std::string::npos) << line;
  EXPECT_NE(line.find("limits.max_attachment_bytes=26214400"), std::string::npos) << line;
  EXPECT_NE(line.find("smtp.password=(set)"), std::string::npos) << line;
  EXPECT_NE(line.find("smtp.url=\"smtp://mailer:(redacted)@mail.example.com:587\""),
            std::string::npos)
      << line;
  EXPECT_NE(
      line.find(
          "store.url=\"postgresql://desk:(redacted)@db.example.com:5432/desk?sslmode=require\""),
      std::string::npos)
      << line;
  EXPECT_NE(line.find("mail.imap_password=(set)"), std::string::npos) << line;
  for (const char* secret :
       {"hunter2", "mail-secret", "db-secret", "imap-secret", "imap-url-secret"}) {
    EXPECT_EQ(line.find(secret), std::string::npos) << secret << " leaked: " << line;
  }
  EXPECT_NE(DescribeConfigForLog(Config{}).find("smtp.password=(not set)"), std::string::npos);
}

TEST(DescribeConfigForLogTest, UrlsWithoutPasswordsAreShownAsTheyAre) {
  const struct {
    std::string url;
    std::string shown;
  } kCases[] = {
      {"smtp://mail.example.com:25", "smtp://mail.example.com:25"},
      {"smtp://user@mail.example.com:25", "smtp://user@mail.example.com:25"},
      {"smtp://mail.example.com:25/a@b", "smtp://mail.example.com:25/a@b"},
      {"smtp://u:p%40ss@host:25", "smtp://u:(redacted)@host:25"},
      {"smtp://u:p@ss@host:25", "smtp://u:(redacted)@host:25"},
  };
  for (const auto& test : kCases) {
    Config config;
    config.smtp.url = test.url;
    const std::string line = DescribeConfigForLog(config);
    EXPECT_NE(line.find("smtp.url=\"" + test.shown + "\""), std::string::npos) << line;
  }
}

TEST(ParseListenAddressTest, Table) {
  const struct {
    std::string address;
    bool ok;
    std::string host;
    uint16_t port;
  } kCases[] = {
      {"127.0.0.1:8080", true, "127.0.0.1", 8080},
      {"0.0.0.0:0", true, "0.0.0.0", 0},
      {"localhost:65535", true, "localhost", 65535},
      {"desk-1.example.com:443", true, "desk-1.example.com", 443},
      {"[::1]:0", true, "::1", 0},
      {"[::]:8080", true, "::", 8080},
      {"[2001:db8::1]:80", true, "2001:db8::1", 80},
      {"[::ffff:127.0.0.1]:80", true, "::ffff:127.0.0.1", 80},
      {"127.0.0.1:65536", false, "", 0},
      {"127.0.0.1:99999", false, "", 0},
      {"127.0.0.1:123456", false, "", 0},
      {"127.0.0.1:", false, "", 0},
      {"127.0.0.1:-1", false, "", 0},
      {"127.0.0.1:+80", false, "", 0},
      {"127.0.0.1: 80", false, "", 0},
      {"127.0.0.1", false, "", 0},
      {":8080", false, "", 0},
      {"", false, "", 0},
      {"::1:8080", false, "", 0},
      {"[::1]", false, "", 0},
      {"[::1]8080", false, "", 0},
      {"[::1:8080", false, "", 0},
      {"[]:80", false, "", 0},
      {"[example.com]:80", false, "", 0},
      {"host name:80", false, "", 0},
      {"host/evil:80", false, "", 0},
  };
  for (const auto& test : kCases) {
    auto parsed = ParseListenAddress(test.address);
    EXPECT_EQ(parsed.ok(), test.ok) << test.address;
    if (parsed.ok() && test.ok) {
      EXPECT_EQ(parsed->first, test.host) << test.address;
      EXPECT_EQ(parsed->second, test.port) << test.address;
    }
  }
}

}  // namespace
}  // namespace casedesk::adapters::system
