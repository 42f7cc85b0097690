// LmtpServer over a real socket on 127.0.0.1: the LMTP conversation as an MTA sees it.
#include "adapters/mailin/lmtp_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstring>
#include <map>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace casedesk::adapters::mailin {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::StartsWith;

struct Delivered {
  std::string raw;
  MailDelivery delivery;
};

// Records deliveries; answers with the status configured for the recipient (OK otherwise).
class Recorder {
 public:
  DeliverFn Fn() {
    return [this](std::string_view raw, const MailDelivery& delivery) {
      absl::MutexLock lock(&mutex_);
      delivered_.push_back({std::string(raw), delivery});
      auto it = answers_.find(delivery.rcpt_to);
      return it == answers_.end() ? absl::OkStatus() : it->second;
    };
  }
  void Answer(const std::string& rcpt, absl::Status status) {
    absl::MutexLock lock(&mutex_);
    answers_[rcpt] = std::move(status);
  }
  std::vector<Delivered> delivered() {
    absl::MutexLock lock(&mutex_);
    return delivered_;
  }

 private:
  absl::Mutex mutex_;
  std::map<std::string, absl::Status> answers_;
  std::vector<Delivered> delivered_;
};

// A raw client: writes bytes, reads complete replies (multi-line replies joined by '|').
class Client {
 public:
  explicit Client(int port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
  }
  ~Client() { Close(); }
  void Close() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }
  bool connected() const { return connected_; }

  void Send(std::string_view bytes) {
    while (!bytes.empty()) {
      const ssize_t sent = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
      if (sent <= 0) return;
      bytes.remove_prefix(static_cast<size_t>(sent));
    }
  }

  // The next reply ("" when the server closed or was silent for 5 s).
  std::string Reply() {
    std::string reply;
    while (true) {
      const size_t end = buffer_.find("\r\n");
      if (end == std::string::npos) {
        if (!Fill()) return reply;
        continue;
      }
      const std::string line = buffer_.substr(0, end);
      buffer_.erase(0, end + 2);
      if (!reply.empty()) reply += "|";
      reply += line;
      if (line.size() < 4 || line[3] != '-') return reply;
    }
  }
  std::vector<std::string> Replies(int count) {
    std::vector<std::string> replies;
    for (int i = 0; i < count; ++i) replies.push_back(Reply());
    return replies;
  }
  // True when the server closed the connection (EOF within 5 s).
  bool Closed() {
    while (Fill()) {
    }
    return eof_;
  }

 private:
  bool Fill() {
    pollfd descriptor{fd_, POLLIN, 0};
    if (::poll(&descriptor, 1, 5000) <= 0) return false;
    char chunk[4096];
    const ssize_t received = ::recv(fd_, chunk, sizeof chunk, 0);
    if (received <= 0) {
      eof_ = true;
      return false;
    }
    buffer_.append(chunk, static_cast<size_t>(received));
    return true;
  }

  int fd_ = -1;
  bool connected_ = false;
  bool eof_ = false;
  std::string buffer_;
};

class LmtpServerTest : public ::testing::Test {
 protected:
  void StartServer(LmtpServer::Options options = {}) {
    options.log = [this](std::string_view line) {
      absl::MutexLock lock(&log_mutex_);
      logs_.emplace_back(line);
    };
    server_ = std::make_unique<LmtpServer>(options, recorder_.Fn());
    absl::StatusOr<int> port = server_->Start();
    ASSERT_TRUE(port.ok()) << port.status();
    port_ = *port;
  }
  // A connected client past the greeting and LHLO.
  std::unique_ptr<Client> Greeted() {
    auto client = std::make_unique<Client>(port_);
    EXPECT_TRUE(client->connected());
    EXPECT_THAT(client->Reply(), StartsWith("220 "));
    client->Send("LHLO mta.example\r\n");
    EXPECT_THAT(client->Reply(), StartsWith("250-"));
    return client;
  }
  std::vector<std::string> logs() {
    absl::MutexLock lock(&log_mutex_);
    return logs_;
  }

  Recorder recorder_;
  std::unique_ptr<LmtpServer> server_;
  int port_ = 0;
  absl::Mutex log_mutex_;
  std::vector<std::string> logs_;
};

TEST_F(LmtpServerTest, GreetsAndAnnouncesExtensions) {
  LmtpServer::Options options;
  options.max_message_bytes = 12345;
  options.hostname = "desk.example";
  StartServer(options);
  Client client(port_);
  EXPECT_EQ(client.Reply(), "220 desk.example Casedesk LMTP ready");
  client.Send("LHLO mta.example\r\n");
  EXPECT_EQ(client.Reply(),
            "250-desk.example|250-PIPELINING|250-ENHANCEDSTATUSCODES|250-SIZE 12345|250 8BITMIME");
  client.Send("QUIT\r\n");
  EXPECT_THAT(client.Reply(), StartsWith("221 2.0.0"));
  EXPECT_TRUE(client.Closed());
}

TEST_F(LmtpServerTest, OneReplyPerRecipientWithMixedResults) {
  StartServer();
  recorder_.Answer("down@desk.example", absl::UnavailableError("store down"));
  recorder_.Answer("broken@desk.example", absl::InternalError("disk full"));
  auto client = Greeted();
  client->Send("MAIL FROM:<alice@customer.example> BODY=8BITMIME SIZE=40\r\n");
  EXPECT_THAT(client->Reply(), StartsWith("250 2.1.0"));
  for (const char* rcpt : {"support@desk.example", "down@desk.example", "broken@desk.example"}) {
    client->Send(absl::StrCat("RCPT TO:<", rcpt, ">\r\n"));
    EXPECT_THAT(client->Reply(), StartsWith("250 2.1.5"));
  }
  client->Send("DATA\r\n");
  EXPECT_THAT(client->Reply(), StartsWith("354 "));
  client->Send("Subject: help\r\n\r\nIt broke.\r\n.\r\n");
  const std::vector<std::string> replies = client->Replies(3);
  EXPECT_THAT(replies[0], StartsWith("250 2.0.0"));
  EXPECT_THAT(replies[1], StartsWith("451 4.3.0"));
  EXPECT_THAT(replies[2], StartsWith("451 4.3.0"));

  const std::vector<Delivered> delivered = recorder_.delivered();
  ASSERT_EQ(delivered.size(), 3u);
  for (const Delivered& one : delivered) {
    EXPECT_EQ(one.raw, "Subject: help\r\n\r\nIt broke.\r\n");
    EXPECT_EQ(one.delivery.channel, "lmtp");
    EXPECT_EQ(one.delivery.mail_from, "alice@customer.example");
  }
  EXPECT_EQ(delivered[0].delivery.rcpt_to, "support@desk.example");
  EXPECT_EQ(delivered[2].delivery.rcpt_to, "broken@desk.example");
  // Unavailable is routine (the MTA retries); any other failure is logged.
  ASSERT_EQ(logs().size(), 1u);
  EXPECT_THAT(logs()[0], HasSubstr("disk full"));
  EXPECT_THAT(logs()[0], HasSubstr("broken@desk.example"));

  // The transaction is over: the next message starts with MAIL again.
  client->Send("RCPT TO:<support@desk.example>\r\n");
  EXPECT_THAT(client->Reply(), StartsWith("503 5.5.1"));
}

TEST_F(LmtpServerTest, AnswersAPipelinedGroupInOrder) {
  StartServer();
  Client client(port_);
  EXPECT_THAT(client.Reply(), StartsWith("220 "));
  client.Send(
      "LHLO mta.example\r\nMAIL FROM:<>\r\nRCPT TO:<a@desk.example>\r\n"
      "RCPT TO:<b@desk.example>\r\nDATA\r\n");
  EXPECT_THAT(client.Replies(5),
              ElementsAre(StartsWith("250-"), StartsWith("250 2.1.0"), StartsWith("250 2.1.5"),
                          StartsWith("250 2.1.5"), StartsWith("354 ")));
  client.Send("Subject: x\r\n\r\nbody\r\n.\r\nRSET\r\nNOOP\r\nVRFY someone\r\nQUIT\r\n");
  EXPECT_THAT(client.Replies(6),
              ElementsAre(StartsWith("250 2.0.0"), StartsWith("250 2.0.0"), "250 2.0.0 OK",
                          "250 2.0.0 OK", StartsWith("252 2.5.0"), StartsWith("221 2.0.0")));
  const std::vector<Delivered> delivered = recorder_.delivered();
  ASSERT_EQ(delivered.size(), 2u);
  EXPECT_EQ(delivered[0].delivery.mail_from, "");  // the null reverse path
  EXPECT_EQ(delivered[1].delivery.rcpt_to, "b@desk.example");
}

TEST_F(LmtpServerTest, UnstuffsDotsAndNormalisesLineEnds) {
  struct Case {
    std::string name;
    std::string data;      // what the client sends after 354
    std::string expected;  // what is delivered
  };
  const std::vector<Case> cases = {
      {"crlf", "a\r\nb\r\n.\r\n", "a\r\nb\r\n"},
      {"bare lf", "a\nb\n.\n", "a\r\nb\r\n"},
      {"mixed", "a\r\nb\n.\r\n", "a\r\nb\r\n"},
      {"stuffed dots", "..leading\r\n...\r\n.. \r\nmid.dle.\r\n.\r\n",
       ".leading\r\n..\r\n. \r\nmid.dle.\r\n"},
      {"empty message", ".\r\n", ""},
      {"empty lines", "\r\n\r\nx\r\n.\r\n", "\r\n\r\nx\r\n"},
      {"8-bit and lone cr", "caf\xc3\xa9\rz\r\n.\r\n", "caf\xc3\xa9\rz\r\n"},
      {"long line", std::string(200000, 'x') + "\r\n.\r\n", std::string(200000, 'x') + "\r\n"},
      {"dot after a long line", std::string(70000, 'y') + ".\r\n.\r\n",
       std::string(70000, 'y') + ".\r\n"},
  };
  StartServer();
  auto client = Greeted();
  for (const Case& c : cases) {
    client->Send("MAIL FROM:<s@x.example>\r\nRCPT TO:<r@desk.example>\r\nDATA\r\n");
    EXPECT_THAT(client->Replies(3),
                ElementsAre(StartsWith("250"), StartsWith("250"), StartsWith("354")))
        << c.name;
    client->Send(c.data);
    EXPECT_THAT(client->Reply(), StartsWith("250 2.0.0")) << c.name;
  }
  const std::vector<Delivered> delivered = recorder_.delivered();
  ASSERT_EQ(delivered.size(), cases.size());
  for (size_t i = 0; i < cases.size(); ++i) {
    EXPECT_EQ(delivered[i].raw, cases[i].expected) << cases[i].name;
  }
}

TEST_F(LmtpServerTest, RefusesOversizeMessages) {
  LmtpServer::Options options;
  options.max_message_bytes = 100;
  StartServer(options);
  auto client = Greeted();
  // Declared too big: refused at MAIL.
  client->Send("MAIL FROM:<s@x.example> SIZE=101\r\n");
  EXPECT_THAT(client->Reply(), StartsWith("552 5.3.4"));
  client->Send("MAIL FROM:<s@x.example> SIZE=99999999999999999999999\r\n");
  EXPECT_THAT(client->Reply(), StartsWith("552 5.3.4"));
  // Undeclared: read to the end, then one 552 per recipient, nothing delivered.
  client->Send(
      "MAIL FROM:<s@x.example> SIZE=100\r\nRCPT TO:<a@d.example>\r\n"
      "RCPT TO:<b@d.example>\r\nDATA\r\n");
  EXPECT_THAT(client->Replies(4), ElementsAre(StartsWith("250"), StartsWith("250"),
                                              StartsWith("250"), StartsWith("354")));
  client->Send(std::string(150, 'z') + "\r\n.\r\n");
  EXPECT_THAT(client->Replies(2), ElementsAre(StartsWith("552 5.3.4"), StartsWith("552 5.3.4")));
  EXPECT_THAT(recorder_.delivered(), IsEmpty());
  // The session goes on; exactly at the limit is fine (98 bytes + CRLF = 100).
  client->Send("MAIL FROM:<s@x.example>\r\nRCPT TO:<a@d.example>\r\nDATA\r\n");
  EXPECT_THAT(client->Replies(3),
              ElementsAre(StartsWith("250"), StartsWith("250"), StartsWith("354")));
  client->Send(std::string(98, 'z') + "\r\n.\r\n");
  EXPECT_THAT(client->Reply(), StartsWith("250 2.0.0"));
  EXPECT_EQ(recorder_.delivered().size(), 1u);
}

TEST_F(LmtpServerTest, AnswersBadSequencesAndUnknownCommands) {
  struct Case {
    std::string command;
    std::string reply_prefix;
  };
  StartServer();
  Client client(port_);
  EXPECT_THAT(client.Reply(), StartsWith("220 "));
  // Before LHLO, and in the wrong order.
  const std::vector<Case> cases = {
      {"MAIL FROM:<a@b.example>", "503 5.5.1"},
      {"HELO mta.example", "500 5.5.1"},
      {"LHLO", "501 5.5.4"},
      {"LHLO mta.example", "250-"},
      {"RCPT TO:<a@b.example>", "503 5.5.1"},
      {"DATA", "503 5.5.1"},
      {"MAIL FROM:a@b.example", "501 5.5.4"},
      {"MAIL FROM:<a@b.example> SMTPUTF8", "555 5.5.4"},
      {"MAIL FROM:<a@b.example>", "250 2.1.0"},
      {"MAIL FROM:<a@b.example>", "503 5.5.1"},
      {"DATA", "503 5.5.1"},
      {"RCPT TO:<>", "501 5.1.3"},
      {"RCPT TO:<a@b.example> NOTIFY=NEVER", "555 5.5.4"},
      {"rcpt to:<@relay.example:c@d.example>", "250 2.1.5"},
      {"RSET", "250 2.0.0"},
      {"DATA", "503 5.5.1"},
      {"EXPN staff", "500 5.5.2"},
      {"noop", "250 2.0.0"},
  };
  for (const Case& c : cases) {
    client.Send(c.command + "\r\n");
    EXPECT_THAT(client.Reply(), StartsWith(c.reply_prefix)) << c.command;
  }
}

TEST_F(LmtpServerTest, SurvivesGarbageAndHangsUpOnPersistentGarbage) {
  StartServer();
  auto client = Greeted();
  client->Send(std::string("\x00\x01\xff\xfe binary\r\n", 14));
  EXPECT_THAT(client->Reply(), StartsWith("500 5.5.2"));
  client->Send(std::string(10000, 'A') + "\r\n");
  EXPECT_EQ(client->Reply(), "500 5.5.2 Line too long");
  client->Send("\r\n");
  EXPECT_THAT(client->Reply(), StartsWith("500"));
  client->Send("NOOP\r\n");  // still in sync after all that
  EXPECT_THAT(client->Reply(), StartsWith("250 2.0.0"));
  std::string noise;
  for (int i = 0; i < 50; ++i) noise += "GARBAGE\r\n";
  client->Send(noise);
  std::string last;
  for (std::string reply = client->Reply(); !reply.empty(); reply = client->Reply()) last = reply;
  EXPECT_THAT(last, StartsWith("421 4.7.0"));
  EXPECT_TRUE(client->Closed());
  // The server itself is fine.
  auto next = Greeted();
  next->Send("NOOP\r\n");
  EXPECT_THAT(next->Reply(), StartsWith("250"));
}

TEST_F(LmtpServerTest, DeliversNothingWhenTheClientLeavesMidData) {
  StartServer();
  {
    auto client = Greeted();
    client->Send("MAIL FROM:<s@x.example>\r\nRCPT TO:<r@desk.example>\r\nDATA\r\n");
    EXPECT_THAT(client->Replies(3),
                ElementsAre(StartsWith("250"), StartsWith("250"), StartsWith("354")));
    client->Send("Subject: half\r\n\r\nthe first half of the body\r\n");
  }  // closed without the final dot
  {
    auto client = Greeted();  // and one that has sent a lone "." without its line end
    client->Send("MAIL FROM:<s@x.example>\r\nRCPT TO:<r@desk.example>\r\nDATA\r\n");
    EXPECT_THAT(client->Replies(3),
                ElementsAre(StartsWith("250"), StartsWith("250"), StartsWith("354")));
    client->Send("body\r\n.");
  }
  server_->Stop();  // joins the connection threads
  EXPECT_THAT(recorder_.delivered(), IsEmpty());
}

TEST_F(LmtpServerTest, ServesConcurrentConnections) {
  StartServer();
  constexpr int kClients = 8;
  constexpr int kMessages = 5;
  std::vector<std::thread> threads;
  std::atomic<int> accepted{0};
  for (int c = 0; c < kClients; ++c) {
    threads.emplace_back([&, c] {
      Client client(port_);
      if (!absl::StartsWith(client.Reply(), "220")) return;
      client.Send("LHLO mta.example\r\n");
      client.Reply();
      for (int m = 0; m < kMessages; ++m) {
        client.Send(absl::StrCat("MAIL FROM:<s", c, "@x.example>\r\nRCPT TO:<r@d.example>\r\n",
                                 "DATA\r\n"));
        client.Replies(3);
        client.Send(absl::StrCat("Subject: ", c, "/", m, "\r\n\r\nx\r\n.\r\n"));
        if (absl::StartsWith(client.Reply(), "250 2.0.0")) ++accepted;
      }
      client.Send("QUIT\r\n");
      client.Reply();
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(accepted.load(), kClients * kMessages);
  std::set<std::string> subjects;
  for (const Delivered& one : recorder_.delivered()) subjects.insert(one.raw);
  EXPECT_EQ(subjects.size(), static_cast<size_t>(kClients * kMessages));
}

TEST_F(LmtpServerTest, TurnsAwayConnectionsBeyondTheLimit) {
  LmtpServer::Options options;
  options.threads = 1;
  StartServer(options);
  auto first = Greeted();
  Client second(port_);
  EXPECT_THAT(second.Reply(), StartsWith("421 4.3.2"));
  EXPECT_TRUE(second.Closed());
  first->Send("QUIT\r\n");
  EXPECT_THAT(first->Reply(), StartsWith("221"));
  EXPECT_TRUE(first->Closed());
  // The slot is free again (the server notices a moment after the close).
  for (int attempt = 0; attempt < 50; ++attempt) {
    Client third(port_);
    if (absl::StartsWith(third.Reply(), "220")) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ADD_FAILURE() << "no connection accepted after the first one left";
}

TEST_F(LmtpServerTest, ClosesIdleConnections) {
  LmtpServer::Options options;
  options.idle_timeout = absl::Milliseconds(200);
  StartServer(options);
  auto client = Greeted();
  EXPECT_THAT(client->Reply(), StartsWith("421 4.4.2"));
  EXPECT_TRUE(client->Closed());
  // Also when it goes silent in the middle of the data.
  auto other = Greeted();
  other->Send("MAIL FROM:<s@x.example>\r\nRCPT TO:<r@desk.example>\r\nDATA\r\nhalf\r\n");
  EXPECT_THAT(other->Replies(4), ElementsAre(StartsWith("250"), StartsWith("250"),
                                             StartsWith("354"), StartsWith("421 4.4.2")));
  EXPECT_THAT(recorder_.delivered(), IsEmpty());
}

TEST_F(LmtpServerTest, StopCutsOpenConnectionsPromptly) {
  StartServer();
  auto client = Greeted();
  const auto started = std::chrono::steady_clock::now();
  server_->Stop();
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(2));
  EXPECT_TRUE(client->Closed());
  Client refused(port_);
  EXPECT_FALSE(refused.connected());
}

TEST_F(LmtpServerTest, ListensOnAUnixSocket) {
  LmtpServer::Options options;
  options.listen = absl::StrCat("unix:/tmp/casedesk-lmtp-test-", ::getpid(), ".sock");
  StartServer(options);
  EXPECT_EQ(port_, 0);
  const int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  const std::string path = options.listen.substr(5);
  std::memcpy(address.sun_path, path.data(), path.size());
  ASSERT_EQ(::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
  char greeting[64] = {0};
  ASSERT_GT(::recv(fd, greeting, sizeof greeting - 1, 0), 0);
  EXPECT_THAT(std::string(greeting), StartsWith("220 "));
  ::close(fd);
  server_->Stop();
  EXPECT_NE(::access(path.c_str(), F_OK), 0);  // removed
}

TEST(LmtpServerOptionsTest, RejectsOptionsThatCannotWork) {
  struct Case {
    std::string listen;
    int threads;
    std::string field;
  };
  for (const Case& c : std::vector<Case>{{"127.0.0.1", 4, "listen"},
                                         {"127.0.0.1:abc", 4, "listen"},
                                         {"unix:relative.sock", 4, "listen"},
                                         {"127.0.0.1:0", 0, "threads"}}) {
    LmtpServer::Options options;
    options.listen = c.listen;
    options.threads = c.threads;
    const absl::Status status = LmtpServer::ValidateOptions(options);
    EXPECT_TRUE(absl::IsInvalidArgument(status)) << c.listen;
    EXPECT_THAT(status.message(), HasSubstr(c.field)) << c.listen;
  }
  LmtpServer::Options good;
  good.listen = "[::1]:0";
  EXPECT_TRUE(LmtpServer::ValidateOptions(good).ok());
}

}  // namespace
}  // namespace casedesk::adapters::mailin
