// ImapPoller against a real Dovecot (test/support/dovecot_server.py, one server for the whole
// executable, one mailbox per test).
#include "adapters/mailin/imap_poller.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "adapters/mailin/imap_connection.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace casedesk::adapters::mailin {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

constexpr char kUser[] = "casedesk";
constexpr char kPassword[] = "pw-9d7Q-never-shown";

// test/support/dovecot_server.py, found from $CASEDESK_SOURCE_DIR, this file's path, or the
// working directory's ancestors.
std::string ScriptPath() {
  std::vector<std::filesystem::path> roots;
  if (const char* source = std::getenv("CASEDESK_SOURCE_DIR")) roots.emplace_back(source);
  roots.push_back(std::filesystem::path(__FILE__).parent_path() / "../../..");
  for (auto dir = std::filesystem::current_path(); dir != dir.root_path();
       dir = dir.parent_path()) {
    roots.push_back(dir);
    roots.push_back(dir / "main");
  }
  for (const auto& root : roots) {
    const auto script = root / "test/support/dovecot_server.py";
    if (std::filesystem::exists(script)) return std::filesystem::absolute(script).string();
  }
  return "";
}

// Drives the helper's stdin/stdout command protocol.
class Dovecot {
 public:
  bool Start(std::string* error) {
    const std::string script = ScriptPath();
    if (script.empty()) {
      *error = "test/support/dovecot_server.py not found (set CASEDESK_SOURCE_DIR)";
      return false;
    }
    int to_child[2], from_child[2];
    if (::pipe2(to_child, O_CLOEXEC) != 0 || ::pipe2(from_child, O_CLOEXEC) != 0) return false;
    pid_ = ::fork();
    if (pid_ == 0) {
      ::dup2(to_child[0], 0);
      ::dup2(from_child[1], 1);
      ::execlp("python3", "python3", script.c_str(), "--user", kUser, "--password", kPassword,
               nullptr);
      ::_exit(127);
    }
    ::close(to_child[0]);
    ::close(from_child[1]);
    in_ = to_child[1];
    out_ = from_child[0];
    const std::string line = ReadLine(60000);
    if (!absl::StartsWith(line, "listening ")) {
      *error = "dovecot_server.py did not start: " + line;
      return false;
    }
    port_ = std::stoi(line.substr(10));
    return true;
  }
  ~Dovecot() {
    if (in_ >= 0) ::close(in_);  // end of stdin: the helper stops dovecot and cleans up
    if (pid_ > 0) ::waitpid(pid_, nullptr, 0);
    if (out_ >= 0) ::close(out_);
  }

  int port() const { return port_; }
  std::string Url(const std::string& mailbox) const {
    return absl::StrCat("imap://127.0.0.1:", port_, "/", mailbox);
  }

  nlohmann::json Command(const std::string& command) {
    const std::string line = command + "\n";
    EXPECT_EQ(::write(in_, line.data(), line.size()), static_cast<ssize_t>(line.size()));
    const std::string answer = ReadLine(60000);
    nlohmann::json json = nlohmann::json::parse(answer, nullptr, false);
    EXPECT_TRUE(json.is_object() && json.value("ok", false)) << command << " -> " << answer;
    return json;
  }
  void Append(const std::string& mailbox, const std::string& raw) {
    Command(absl::StrCat("append ", mailbox, " ", absl::Base64Escape(raw)));
  }
  // Message-ID -> flags, for every message in the mailbox.
  std::map<std::string, std::vector<std::string>> Flags(const std::string& mailbox) {
    std::map<std::string, std::vector<std::string>> flags;
    const nlohmann::json answer = Command("messages " + mailbox);  // outlives the loop
    for (const auto& message : answer["messages"]) {
      flags[message["message_id"].get<std::string>()] =
          message["flags"].get<std::vector<std::string>>();
    }
    return flags;
  }

 private:
  std::string ReadLine(int timeout_ms) {
    while (buffer_.find('\n') == std::string::npos) {
      pollfd descriptor{out_, POLLIN, 0};
      if (::poll(&descriptor, 1, timeout_ms) <= 0) return buffer_;
      char chunk[65536];
      const ssize_t received = ::read(out_, chunk, sizeof chunk);
      if (received <= 0) return buffer_;
      buffer_.append(chunk, static_cast<size_t>(received));
    }
    const size_t end = buffer_.find('\n');
    std::string line = buffer_.substr(0, end);
    buffer_.erase(0, end + 1);
    return line;
  }

  pid_t pid_ = -1;
  int in_ = -1;
  int out_ = -1;
  int port_ = 0;
  std::string buffer_;
};

std::string Message(const std::string& id, const std::string& body = "Hello.\r\n") {
  return absl::StrCat("From: Alice <alice@customer.example>\r\nTo: support@desk.example\r\n",
                      "Subject: message ", id, "\r\nMessage-ID: <", id, "@customer.example>\r\n",
                      "\r\n", body);
}
std::string Id(const std::string& id) { return absl::StrCat("<", id, "@customer.example>"); }

class ImapPollerTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dovecot_ = new Dovecot;
    std::string error;
    if (!dovecot_->Start(&error)) {
      start_error_ = new std::string(error);
    }
  }
  static void TearDownTestSuite() {
    delete dovecot_;
    dovecot_ = nullptr;
  }
  void SetUp() override {
    ASSERT_EQ(start_error_, nullptr) << *start_error_;
    // One mailbox per test, named after it.
    mailbox_ = ::testing::UnitTest::GetInstance()->current_test_info()->name();
  }

  ImapPoller::Options Options() {
    ImapPoller::Options options;
    options.url = dovecot_->Url(mailbox_);
    options.username = kUser;
    options.password = kPassword;
    options.rcpt_to = "support@desk.example";
    options.timeout = absl::Seconds(20);
    options.log = [this](std::string_view line) {
      absl::MutexLock lock(&mutex_);
      logs_.emplace_back(line);
    };
    return options;
  }

  // Records deliveries; fails those whose raw text contains a configured marker.
  DeliverFn Deliver() {
    return [this](std::string_view raw, const MailDelivery& delivery) {
      absl::MutexLock lock(&mutex_);
      for (const auto& [marker, status] : failures_) {
        if (absl::StrContains(std::string(raw), marker)) return status;
      }
      delivered_.emplace_back(raw);
      last_delivery_ = delivery;
      return absl::OkStatus();
    };
  }
  void FailWhenContains(const std::string& marker, absl::Status status) {
    absl::MutexLock lock(&mutex_);
    failures_[marker] = std::move(status);
  }
  void ClearFailures() {
    absl::MutexLock lock(&mutex_);
    failures_.clear();
  }
  std::vector<std::string> delivered() {
    absl::MutexLock lock(&mutex_);
    return delivered_;
  }
  std::vector<std::string> logs() {
    absl::MutexLock lock(&mutex_);
    return logs_;
  }

  static Dovecot* dovecot_;
  static std::string* start_error_;
  std::string mailbox_;
  absl::Mutex mutex_;
  std::map<std::string, absl::Status> failures_;
  std::vector<std::string> delivered_;
  MailDelivery last_delivery_;
  std::vector<std::string> logs_;
};
Dovecot* ImapPollerTest::dovecot_ = nullptr;
std::string* ImapPollerTest::start_error_ = nullptr;

void ExpectCounts(const absl::StatusOr<PollCounts>& counts, int fetched, int delivered,
                  int failed) {
  ASSERT_TRUE(counts.ok()) << counts.status();
  EXPECT_EQ(counts->fetched, fetched);
  EXPECT_EQ(counts->delivered, delivered);
  EXPECT_EQ(counts->failed, failed);
}

TEST_F(ImapPollerTest, DeliversUnseenMessagesAndMarksThemSeen) {
  for (const char* id : {"a1", "a2", "a3"}) dovecot_->Append(mailbox_, Message(id));
  ImapPoller poller(Options(), Deliver());
  ExpectCounts(poller.PollOnce(), 3, 3, 0);
  EXPECT_THAT(delivered(), ElementsAre(Message("a1"), Message("a2"), Message("a3")));
  EXPECT_EQ(last_delivery_.channel, "imap");
  EXPECT_EQ(last_delivery_.rcpt_to, "support@desk.example");
  for (const auto& [id, flags] : dovecot_->Flags(mailbox_)) {
    EXPECT_THAT(flags, Contains("\\Seen")) << id;
  }
  ExpectCounts(poller.PollOnce(), 0, 0, 0);  // nothing new
  dovecot_->Append(mailbox_, Message("a4"));
  ExpectCounts(poller.PollOnce(), 1, 1, 0);
  EXPECT_EQ(delivered().back(), Message("a4"));
}

TEST_F(ImapPollerTest, AFailedDeliveryLeavesExactlyThatMessageUnseen) {
  for (const char* id : {"b1", "b2", "b3"}) dovecot_->Append(mailbox_, Message(id));
  FailWhenContains("<b2@", absl::InternalError("cannot keep it"));
  ImapPoller poller(Options(), Deliver());
  ExpectCounts(poller.PollOnce(), 3, 2, 1);
  std::map<std::string, std::vector<std::string>> flags = dovecot_->Flags(mailbox_);
  EXPECT_THAT(flags[Id("b1")], Contains("\\Seen"));
  EXPECT_THAT(flags[Id("b2")], Not(Contains("\\Seen")));
  EXPECT_THAT(flags[Id("b3")], Contains("\\Seen"));
  ASSERT_EQ(logs().size(), 1u);
  EXPECT_THAT(logs()[0], HasSubstr("cannot keep it"));

  ClearFailures();
  ExpectCounts(poller.PollOnce(), 1, 1, 0);
  EXPECT_EQ(delivered().back(), Message("b2"));
  for (const auto& [id, message_flags] : dovecot_->Flags(mailbox_)) {
    EXPECT_THAT(message_flags, Contains("\\Seen")) << id;
  }
}

TEST_F(ImapPollerTest, AnUnavailableStoreEndsThePollAndLeavesEverythingUnseen) {
  for (const char* id : {"c1", "c2", "c3"}) dovecot_->Append(mailbox_, Message(id));
  FailWhenContains("Message-ID", absl::UnavailableError("store down"));
  ImapPoller poller(Options(), Deliver());
  ExpectCounts(poller.PollOnce(), 1, 0, 1);
  for (const auto& [id, flags] : dovecot_->Flags(mailbox_)) {
    EXPECT_THAT(flags, Not(Contains("\\Seen"))) << id;
  }
  ClearFailures();
  ExpectCounts(poller.PollOnce(), 3, 3, 0);
}

TEST_F(ImapPollerTest, MovesStoredMessagesToAFolder) {
  for (const char* id : {"d1", "d2", "d3"}) dovecot_->Append(mailbox_, Message(id));
  FailWhenContains("<d3@", absl::UnavailableError("store down"));
  ImapPoller::Options options = Options();
  options.after = ImapPoller::After::kMove;
  options.folder = mailbox_ + "/Processed";  // does not exist yet: created on first use
  ImapPoller poller(options, Deliver());
  ExpectCounts(poller.PollOnce(), 3, 2, 1);
  EXPECT_THAT(dovecot_->Command("folders")["folders"], Contains(options.folder));
  std::map<std::string, std::vector<std::string>> left = dovecot_->Flags(mailbox_);
  ASSERT_EQ(left.size(), 1u);
  EXPECT_EQ(left.begin()->first, Id("d3"));
  EXPECT_EQ(dovecot_->Flags(options.folder).size(), 2u);
  ClearFailures();
  ExpectCounts(poller.PollOnce(), 1, 1, 0);
  EXPECT_THAT(dovecot_->Flags(mailbox_), IsEmpty());
  EXPECT_EQ(dovecot_->Flags(options.folder).size(), 3u);
}

TEST_F(ImapPollerTest, DeletesStoredMessages) {
  for (const char* id : {"e1", "e2"}) dovecot_->Append(mailbox_, Message(id));
  ImapPoller::Options options = Options();
  options.after = ImapPoller::After::kDelete;
  ImapPoller poller(options, Deliver());
  ExpectCounts(poller.PollOnce(), 2, 2, 0);
  EXPECT_THAT(dovecot_->Flags(mailbox_), IsEmpty());
}

TEST_F(ImapPollerTest, TakesAtMostABatchOldestFirst) {
  for (const char* id : {"f1", "f2", "f3"}) dovecot_->Append(mailbox_, Message(id));
  ImapPoller::Options options = Options();
  options.batch = 2;
  ImapPoller poller(options, Deliver());
  ExpectCounts(poller.PollOnce(), 2, 2, 0);
  ExpectCounts(poller.PollOnce(), 1, 1, 0);
  EXPECT_THAT(delivered(), ElementsAre(Message("f1"), Message("f2"), Message("f3")));
}

TEST_F(ImapPollerTest, MessagesArriveByteForByte) {
  // Lines the IMAP layer must not mistake for protocol: our tags, untagged answers, literals.
  const std::string body = absl::StrCat(std::string(200000, 'x'),
                                        "\r\nc5 OK done\r\n* 1 FETCH (UID 9 BODY[] {3}\r\n)\r\n",
                                        "{12}\r\n", "8-bit: caf\xc3\xa9 \xff\xfe\r\n.\r\n..\r\n");
  dovecot_->Append(mailbox_, Message("g1", body));
  ImapPoller poller(Options(), Deliver());
  ExpectCounts(poller.PollOnce(), 1, 1, 0);
  ASSERT_EQ(delivered().size(), 1u);
  EXPECT_EQ(delivered()[0], Message("g1", body));
}

TEST_F(ImapPollerTest, LeavesMessagesOverTheLimitUnseen) {
  dovecot_->Append(mailbox_, Message("h1", std::string(5000, 'y') + "\r\n"));
  dovecot_->Append(mailbox_, Message("h2"));
  ImapPoller::Options options = Options();
  options.max_message_bytes = 1000;
  ImapPoller poller(options, Deliver());
  ExpectCounts(poller.PollOnce(), 1, 1, 1);
  EXPECT_THAT(dovecot_->Flags(mailbox_)[Id("h1")], Not(Contains("\\Seen")));
  EXPECT_THAT(logs(), Contains(HasSubstr("max_message_bytes")));
}

TEST_F(ImapPollerTest, AMissingMailboxIsNotFound) {
  ImapPoller::Options options = Options();
  options.url = dovecot_->Url("NoSuchMailbox");
  ImapPoller poller(options, Deliver());
  EXPECT_TRUE(absl::IsNotFound(poller.PollOnce().status()));
}

TEST_F(ImapPollerTest, KeepsPollingWhileTheServerIsDownAndDeliversWhenItIsBack) {
  dovecot_->Append(mailbox_, Message("i1"));
  dovecot_->Command("down");
  ImapPoller::Options options = Options();
  options.poll_interval = absl::Milliseconds(100);
  ImapPoller poller(options, Deliver());
  const absl::Status down = poller.PollOnce().status();
  EXPECT_TRUE(absl::IsUnavailable(down)) << down;
  EXPECT_THAT(down.message(), HasSubstr("127.0.0.1"));
  poller.Start();
  const auto waited = [&](auto done) {
    for (int i = 0; i < 200 && !done(); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return done();
  };
  EXPECT_TRUE(waited([&] { return logs().size() >= 2; }));  // it tried, and tried again
  dovecot_->Command("up");
  EXPECT_TRUE(waited([&] { return !delivered().empty(); }));
  poller.Stop();
  EXPECT_THAT(delivered(), ElementsAre(Message("i1")));
  EXPECT_THAT(dovecot_->Flags(mailbox_)[Id("i1")], Contains("\\Seen"));
  for (const std::string& line : logs()) {
    EXPECT_THAT(line, Not(HasSubstr(kPassword)));
  }
}

TEST_F(ImapPollerTest, StopIsPrompt) {
  ImapPoller::Options options = Options();
  options.poll_interval = absl::Hours(1);
  ImapPoller poller(options, Deliver());
  poller.Start();
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  const auto started = std::chrono::steady_clock::now();
  poller.Stop();
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(1));
}

// Last of the server tests: Dovecot slows down later logins from an address that failed one.
TEST_F(ImapPollerTest, AWrongPasswordIsAClearErrorWithoutThePassword) {
  ImapPoller::Options options = Options();
  options.password = "wrong-Zq81-secret";
  ImapPoller poller(options, Deliver());
  const absl::StatusOr<PollCounts> counts = poller.PollOnce();
  ASSERT_TRUE(absl::IsPermissionDenied(counts.status())) << counts.status();
  EXPECT_THAT(counts.status().message(), HasSubstr("login refused"));
  EXPECT_THAT(counts.status().message(), HasSubstr(mailbox_));
  EXPECT_THAT(counts.status().message(), Not(HasSubstr("wrong-Zq81-secret")));
}

TEST(ImapPollerOptionsTest, RejectsOptionsThatCannotWork) {
  struct Case {
    std::string name;
    std::function<void(ImapPoller::Options&)> change;
    std::string field;
  };
  const std::vector<Case> cases = {
      {"http", [](auto& o) { o.url = "http://mail.example/INBOX"; }, "scheme"},
      {"credentials in url", [](auto& o) { o.url = "imaps://bob:hunter2@mail.example/INBOX"; },
       "credentials"},
      {"no user", [](auto& o) { o.username = ""; }, "username"},
      {"move nowhere", [](auto& o) { o.after = ImapPoller::After::kMove; }, "folder"},
      {"move to itself",
       [](auto& o) {
         o.after = ImapPoller::After::kMove;
         o.folder = "INBOX";
       },
       "folder"},
      {"non-ascii folder",
       [](auto& o) {
         o.after = ImapPoller::After::kMove;
         o.folder = "Gel\xc3\xb6scht";
       },
       "folder"},
      {"batch", [](auto& o) { o.batch = 0; }, "batch"},
      {"interval", [](auto& o) { o.poll_interval = absl::ZeroDuration(); }, "poll_interval"},
  };
  for (const Case& c : cases) {
    ImapPoller::Options options;
    options.url = "imaps://mail.example/INBOX";
    options.username = "support";
    options.password = "secret";
    c.change(options);
    const absl::Status status = ImapPoller::ValidateOptions(options);
    EXPECT_TRUE(absl::IsInvalidArgument(status)) << c.name;
    EXPECT_THAT(status.message(), HasSubstr(c.field)) << c.name;
    EXPECT_THAT(status.message(), Not(HasSubstr("hunter2"))) << c.name;
    ImapPoller poller(options,
                      [](std::string_view, const MailDelivery&) { return absl::OkStatus(); });
    EXPECT_TRUE(absl::IsInvalidArgument(poller.PollOnce().status())) << c.name;
  }
}

TEST(ImapUrlTest, TakesTheUrlApart) {
  absl::StatusOr<ImapEndpoint> plain = ParseImapUrl("imap://mail.example/Support%20Inbox");
  ASSERT_TRUE(plain.ok()) << plain.status();
  EXPECT_EQ(plain->connect_url, "imap://mail.example:143/");
  EXPECT_EQ(plain->mailbox, "Support Inbox");
  absl::StatusOr<ImapEndpoint> tls = ParseImapUrl("imaps://mail.example");
  ASSERT_TRUE(tls.ok()) << tls.status();
  EXPECT_EQ(tls->display, "imaps://mail.example:993/INBOX");
  EXPECT_EQ(QuoteMailbox("a\"b\\c"), "\"a\\\"b\\\\c\"");
}

}  // namespace
}  // namespace casedesk::adapters::mailin
