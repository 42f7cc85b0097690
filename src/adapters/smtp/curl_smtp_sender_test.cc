// CurlSmtpSender against a real SMTP server (aiosmtpd, test/support/smtp_sink.py): what
// arrives, and how every kind of failure maps to the outbox's retry decision.
#include "adapters/smtp/curl_smtp_sender.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <string>

#include "absl/strings/match.h"
#include "test/support/smtp_sink_process.h"

namespace casedesk::adapters::smtp {
namespace {

const char kMessage[] =
    "From: support@help.example.com\r\n"
    "To: alice@acme.example\r\n"
    "Subject: [Case #42] Disk full\r\n"
    "Message-ID: <m1@help.example.com>\r\n"
    "\r\n"
    "Hello,\r\n"
    ".a line starting with a dot\r\n"
    ".\r\n"
    "secret-body-marker\r\n";

ports::OutgoingMail Mail() {
  return {.envelope_from = "bounces@help.example.com",
          .recipients = {"alice@acme.example", "bob@acme.example"},
          .data = kMessage};
}

CurlSmtpOptions Options(std::string url, std::string username = "", std::string password = "",
                        std::string starttls = "try", absl::Duration timeout = absl::Seconds(5)) {
  CurlSmtpOptions options;
  options.url = std::move(url);
  options.username = std::move(username);
  options.password = std::move(password);
  options.starttls = std::move(starttls);
  options.timeout = timeout;
  return options;
}

std::unique_ptr<CurlSmtpSender> Sender(const CurlSmtpOptions& options) {
  absl::StatusOr<std::unique_ptr<CurlSmtpSender>> sender = CurlSmtpSender::Create(options);
  EXPECT_TRUE(sender.ok()) << sender.status();
  return sender.ok() ? *std::move(sender) : nullptr;
}

class CurlSmtpSenderTest : public ::testing::Test {
 protected:
  void StartSink(std::vector<std::string> args = {}) {
    ASSERT_TRUE(sink_.Start(args)) << sink_.error();
  }
  test::SmtpSinkProcess sink_;
};

TEST_F(CurlSmtpSenderTest, DeliversTheMessageAndEnvelopeAsGiven) {
  StartSink();
  auto sender = Sender(Options(sink_.url()));
  ASSERT_TRUE(sender);
  ASSERT_TRUE(sender->Send(Mail()).ok());
  const auto messages = sink_.WaitForMessages(1);
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_EQ(messages[0].data, kMessage) << "byte for byte, dot-stuffing undone";
  EXPECT_EQ(messages[0].envelope["mail_from"], "bounces@help.example.com");
  EXPECT_EQ(messages[0].envelope["rcpt_tos"],
            nlohmann::json::array({"alice@acme.example", "bob@acme.example"}));
  EXPECT_EQ(messages[0].envelope["peer"], "127.0.0.1");
}

TEST_F(CurlSmtpSenderTest, AnEmptyEnvelopeSenderIsTheNullSender) {
  StartSink();
  auto sender = Sender(Options(sink_.url()));
  ports::OutgoingMail mail = Mail();
  mail.envelope_from.clear();
  ASSERT_TRUE(sender->Send(mail).ok());
  const auto messages = sink_.WaitForMessages(1);
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_EQ(messages[0].envelope["mail_from"], "<>");
}

TEST_F(CurlSmtpSenderTest, TemporaryRefusalIsUnavailableUntilItEnds) {
  StartSink({"--tempfail"});
  auto sender = Sender(Options(sink_.url()));
  absl::Status status = sender->Send(Mail());
  EXPECT_EQ(status.code(), absl::StatusCode::kUnavailable) << status;
  EXPECT_TRUE(absl::StrContains(status.message(), "451")) << status;
  EXPECT_FALSE(absl::StrContains(status.message(), "secret-body-marker"));
  EXPECT_TRUE(sink_.Messages().empty());
}

TEST_F(CurlSmtpSenderTest, RuntimeOutageAndRecovery) {
  StartSink();
  auto sender = Sender(Options(sink_.url()));
  sink_.SetTempfail(true);
  EXPECT_EQ(sender->Send(Mail()).code(), absl::StatusCode::kUnavailable);
  sink_.SetTempfail(false);
  EXPECT_TRUE(sender->Send(Mail()).ok());
  EXPECT_EQ(sink_.WaitForMessages(1).size(), 1u);
}

TEST_F(CurlSmtpSenderTest, PermanentRefusalIsFailedPrecondition) {
  StartSink();
  auto sender = Sender(Options(sink_.url()));
  sink_.SetReject(true);
  absl::Status status = sender->Send(Mail());
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition) << status;
  EXPECT_TRUE(absl::StrContains(status.message(), "550")) << status;
}

TEST_F(CurlSmtpSenderTest, ConnectionRefusedIsUnavailable) {
  StartSink();
  const std::string url = sink_.url();
  sink_.Stop();
  auto sender = Sender(Options(url));
  absl::Status status = sender->Send(Mail());
  EXPECT_EQ(status.code(), absl::StatusCode::kUnavailable) << status;
}

TEST_F(CurlSmtpSenderTest, ASilentServerTimesOutAsUnavailable) {
  // Accepts connections (the kernel does, from the backlog) but never greets.
  const int listener = socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(listener, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(bind(listener, reinterpret_cast<sockaddr*>(&address), sizeof(address)), 0);
  ASSERT_EQ(listen(listener, 4), 0);
  socklen_t length = sizeof(address);
  getsockname(listener, reinterpret_cast<sockaddr*>(&address), &length);
  absl::StatusOr<std::unique_ptr<CurlSmtpSender>> sender =
      CurlSmtpSender::Create(Options("smtp://127.0.0.1:" + std::to_string(ntohs(address.sin_port)),
                                     "", "", "try", absl::Milliseconds(500)));
  ASSERT_TRUE(sender.ok());
  const absl::Time start = absl::Now();
  absl::Status status = (*sender)->Send(Mail());
  EXPECT_EQ(status.code(), absl::StatusCode::kUnavailable) << status;
  EXPECT_LT(absl::Now() - start, absl::Seconds(3));
  close(listener);
}

TEST_F(CurlSmtpSenderTest, AuthenticatesAndNeverShowsThePassword) {
  StartSink({"--auth", "desk:s3cret-pw"});
  auto good = Sender(Options(sink_.url(), "desk", "s3cret-pw"));
  ASSERT_TRUE(good->Send(Mail()).ok());
  const auto messages = sink_.WaitForMessages(1);
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_EQ(messages[0].envelope["auth_user"], "desk");

  auto wrong = Sender(Options(sink_.url(), "desk", "wr0ng-pw"));
  absl::Status status = wrong->Send(Mail());
  // A refused login is the relay's configuration, not the message's fault: retried.
  EXPECT_EQ(status.code(), absl::StatusCode::kUnavailable) << status;
  EXPECT_FALSE(absl::StrContains(status.message(), "wr0ng-pw")) << status;
  EXPECT_FALSE(absl::StrContains(status.message(), "secret-body-marker")) << status;

  auto anonymous = Sender(Options(sink_.url()));
  EXPECT_FALSE(anonymous->Send(Mail()).ok());
  EXPECT_EQ(sink_.Messages().size(), 1u);
}

TEST_F(CurlSmtpSenderTest, RequiredStartTlsWithoutTlsIsUnavailable) {
  StartSink();
  auto sender = Sender(Options(sink_.url(), "", "", "require"));
  absl::Status status = sender->Send(Mail());
  EXPECT_EQ(status.code(), absl::StatusCode::kUnavailable) << status;
  EXPECT_TRUE(sink_.Messages().empty());
}

TEST(CurlSmtpSenderOptionsTest, UnusableOptionsAreRefusedNamingTheOption) {
  struct Row {
    const char* name;
    CurlSmtpOptions options;
    const char* field;
  };
  const Row rows[] = {
      {"http url", Options("http://relay:25"), "smtp.url"},
      {"empty url", Options(""), "smtp.url"},
      {"line break", Options("smtp://relay:25\r\nX"), "smtp.url"},
      {"starttls", Options("smtp://relay:25", "", "", "maybe"), "smtp.starttls"},
      {"timeout", Options("smtp://relay:25", "", "", "try", absl::ZeroDuration()), "smtp.timeout"},
  };
  for (const Row& row : rows) {
    absl::StatusOr<std::unique_ptr<CurlSmtpSender>> sender = CurlSmtpSender::Create(row.options);
    EXPECT_EQ(sender.status().code(), absl::StatusCode::kInvalidArgument) << row.name;
    EXPECT_TRUE(absl::StartsWith(sender.status().message(), row.field)) << sender.status();
  }
  EXPECT_TRUE(CurlSmtpSender::Create(Options("smtps://relay:465")).ok());
}

TEST(CurlSmtpSenderOptionsTest, EnvelopeInjectionIsRefusedBeforeConnecting) {
  absl::StatusOr<std::unique_ptr<CurlSmtpSender>> sender =
      CurlSmtpSender::Create(Options("smtp://127.0.0.1:1"));
  ASSERT_TRUE(sender.ok());
  ports::OutgoingMail mail = Mail();
  mail.recipients = {"a@x.example>\r\nRCPT TO:<evil@x.example"};
  EXPECT_EQ((*sender)->Send(mail).code(), absl::StatusCode::kInvalidArgument);
  mail = Mail();
  mail.envelope_from = "a@x.example> SIZE=1";
  EXPECT_EQ((*sender)->Send(mail).code(), absl::StatusCode::kInvalidArgument);
  mail = Mail();
  mail.recipients.clear();
  EXPECT_EQ((*sender)->Send(mail).code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace casedesk::adapters::smtp
