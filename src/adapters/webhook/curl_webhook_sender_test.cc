// CurlWebhookSender against a tiny HTTP server on 127.0.0.1 inside the test (a thread answering
// canned responses by path): what arrives (request line, headers, body), how every answer maps
// to the outbox's retry decision, timeouts, the response cap, and what is refused before any
// connection is made.
#include "adapters/webhook/curl_webhook_sender.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace casedesk::adapters::webhook {
namespace {

// One request as the server read it.
struct Received {
  std::string request_line;
  std::multimap<std::string, std::string> headers;  // lower-case names
  std::string body;
};

std::string Answer(std::string status_line, std::string extra = "", std::string body = "ok") {
  return absl::StrCat("HTTP/1.1 ", status_line, "\r\nContent-Length: ", body.size(),
                      "\r\nConnection: close\r\n", extra, "\r\n", body);
}

// Serves one connection at a time on 127.0.0.1 and a free port. The path (query dropped) picks
// the answer: a canned response, "/slow" (never answers; waits for the client to give up) or
// "/stall" (a 200 status line, then half the promised body and silence).
class CannedHttpServer {
 public:
  CannedHttpServer() {
    responses_ = {
        {"/ok", Answer("200 OK")},
        {"/accepted", Answer("202 Accepted")},
        {"/no-content", "HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n"},
        {"/error", Answer("500 Internal Server Error")},
        {"/unavailable", Answer("503 Service Unavailable", "Retry-After: 30\r\n")},
        {"/busy", Answer("429 Too Many Requests")},
        {"/missing", Answer("404 Not Found")},
        {"/gone", Answer("410 Gone")},
        {"/bad", Answer("400 Bad Request")},
        {"/moved", Answer("301 Moved Permanently", "Location: http://127.0.0.1:1/ok\r\n")},
        {"/big", Answer("200 OK", "", std::string(1 << 20, 'x'))},
        {"/big-error", Answer("502 Bad Gateway", "", std::string(1 << 20, 'x'))},
    };
  }
  ~CannedHttpServer() { Stop(); }

  bool Start() {
    listener_ = socket(AF_INET, SOCK_STREAM, 0);
    if (listener_ < 0) return false;
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(listener_, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0 ||
        listen(listener_, 8) != 0) {
      return false;
    }
    socklen_t length = sizeof(address);
    getsockname(listener_, reinterpret_cast<sockaddr*>(&address), &length);
    port_ = ntohs(address.sin_port);
    thread_ = std::thread([this] { Run(); });
    return true;
  }

  void Stop() {
    stopping_ = true;
    if (thread_.joinable()) thread_.join();
    if (listener_ >= 0) close(listener_);
    listener_ = -1;
  }

  std::string Url(std::string_view path_and_query) const {
    return absl::StrCat("http://127.0.0.1:", port_, std::string(path_and_query));
  }
  int port() const { return port_; }

  std::vector<Received> received() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return received_;
  }

 private:
  void Run() {
    while (!stopping_.load()) {
      pollfd waiting{listener_, POLLIN, 0};
      if (poll(&waiting, 1, 50) <= 0) continue;
      const int client = accept(listener_, nullptr, nullptr);
      if (client < 0) continue;
      Serve(client);
      close(client);
    }
  }

  void Serve(int client) {
    timeval timeout{5, 0};
    setsockopt(client, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
    std::string data;
    size_t head_end = std::string::npos;
    while ((head_end = data.find("\r\n\r\n")) == std::string::npos) {
      if (!ReadMore(client, data)) return;
    }
    Received request;
    std::vector<std::string> lines = absl::StrSplit(data.substr(0, head_end), "\r\n");
    request.request_line = lines[0];
    size_t content_length = 0;
    for (size_t i = 1; i < lines.size(); ++i) {
      const size_t colon = lines[i].find(':');
      if (colon == std::string::npos) continue;
      std::string name = absl::AsciiStrToLower(lines[i].substr(0, colon));
      std::string value(absl::StripAsciiWhitespace(lines[i].substr(colon + 1)));
      if (name == "content-length" && !absl::SimpleAtoi(value, &content_length)) return;
      request.headers.emplace(std::move(name), std::move(value));
    }
    while (data.size() < head_end + 4 + content_length) {
      if (!ReadMore(client, data)) return;
    }
    request.body = data.substr(head_end + 4, content_length);
    {
      std::lock_guard<std::mutex> lock(mutex_);
      received_.push_back(request);
    }

    std::vector<std::string> parts = absl::StrSplit(request.request_line, ' ');
    const std::string path = parts.size() > 1 ? parts[1].substr(0, parts[1].find('?')) : "";
    if (path == "/slow") {
      WaitForClientToLeave(client);
      return;
    }
    if (path == "/stall") {
      Send(client, "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nhalf of it");
      WaitForClientToLeave(client);
      return;
    }
    const auto response = responses_.find(path);
    Send(client, response != responses_.end() ? response->second : Answer("404 Not Found"));
  }

  static bool ReadMore(int client, std::string& data) {
    char buffer[4096];
    const ssize_t n = recv(client, buffer, sizeof(buffer), 0);
    if (n <= 0) return false;
    data.append(buffer, static_cast<size_t>(n));
    return true;
  }

  // The client may hang up early (the sender's cap): MSG_NOSIGNAL, errors ignored.
  static void Send(int client, const std::string& response) {
    size_t sent = 0;
    while (sent < response.size()) {
      const ssize_t n = send(client, response.data() + sent, response.size() - sent, MSG_NOSIGNAL);
      if (n <= 0) return;
      sent += static_cast<size_t>(n);
    }
  }

  // Until the client closes (readable at EOF), at most 5 s.
  static void WaitForClientToLeave(int client) {
    pollfd waiting{client, POLLIN, 0};
    poll(&waiting, 1, 5000);
  }

  std::map<std::string, std::string> responses_;
  int listener_ = -1;
  int port_ = 0;
  std::atomic<bool> stopping_{false};
  std::thread thread_;
  mutable std::mutex mutex_;
  std::vector<Received> received_;  // guarded by mutex_
};

std::unique_ptr<CurlWebhookSender> Sender(CurlWebhookOptions options = {}) {
  absl::StatusOr<std::unique_ptr<CurlWebhookSender>> sender = CurlWebhookSender::Create(options);
  EXPECT_TRUE(sender.ok()) << sender.status();
  return sender.ok() ? *std::move(sender) : nullptr;
}

ports::WebhookRequest Request(std::string url, std::string body = R"({"secret-body-marker":1})") {
  return {.url = std::move(url),
          .body = std::move(body),
          .headers = {{"X-Casedesk-Signature", "sha256=00ff"}}};
}

class CurlWebhookSenderTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(server_.Start()); }
  CannedHttpServer server_;
};

TEST_F(CurlWebhookSenderTest, PostsTheBodyAsJsonWithTheGivenHeaders) {
  auto sender = Sender();
  ASSERT_TRUE(sender);
  // Larger than curl's old 100-continue threshold: the body goes out at once, no Expect.
  const std::string body = absl::StrCat(R"({"padding":")", std::string(4000, 'p'), R"("})");
  ports::WebhookRequest request = Request(server_.Url("/ok?key=abc"), body);
  request.headers.push_back({"X-Extra", "two words"});
  ASSERT_TRUE(sender->Post(request).ok());

  const std::vector<Received> received = server_.received();
  ASSERT_EQ(received.size(), 1u);
  const Received& got = received[0];
  EXPECT_EQ(got.request_line, "POST /ok?key=abc HTTP/1.1");
  auto header = [&](const std::string& name) -> std::string {
    EXPECT_EQ(got.headers.count(name), 1u) << name;
    auto found = got.headers.find(name);
    return found == got.headers.end() ? "" : found->second;
  };
  EXPECT_EQ(header("content-type"), "application/json");
  EXPECT_EQ(header("user-agent"), "Casedesk-Webhook/1");
  EXPECT_EQ(header("x-casedesk-signature"), "sha256=00ff");
  EXPECT_EQ(header("x-extra"), "two words");
  EXPECT_EQ(header("host"), absl::StrCat("127.0.0.1:", server_.port()));
  EXPECT_EQ(header("content-length"), std::to_string(body.size()));
  EXPECT_EQ(got.headers.count("expect"), 0u);
  EXPECT_EQ(got.body, body) << "byte for byte";
}

TEST_F(CurlWebhookSenderTest, EveryAnswerMapsToSentRetryOrGiveUp) {
  auto sender = Sender();
  ASSERT_TRUE(sender);
  struct Row {
    std::string path;
    absl::StatusCode code;
    std::string answered;  // in the message; empty for OK
  };
  const Row rows[] = {
      {"/ok", absl::StatusCode::kOk, ""},
      {"/accepted", absl::StatusCode::kOk, ""},
      {"/no-content", absl::StatusCode::kOk, ""},
      {"/error", absl::StatusCode::kUnavailable, "answered 500"},
      {"/unavailable", absl::StatusCode::kUnavailable, "answered 503"},
      {"/busy", absl::StatusCode::kUnavailable, "answered 429"},
      {"/missing", absl::StatusCode::kInvalidArgument, "answered 404"},
      {"/gone", absl::StatusCode::kInvalidArgument, "answered 410"},
      {"/bad", absl::StatusCode::kInvalidArgument, "answered 400"},
      {"/moved", absl::StatusCode::kInvalidArgument, "answered 301 (redirects are not followed)"},
  };
  for (const Row& row : rows) {
    const absl::Status status = sender->Post(Request(server_.Url(row.path + "?token=hush")));
    EXPECT_EQ(status.code(), row.code) << row.path << ": " << status;
    EXPECT_TRUE(absl::StrContains(status.message(), row.answered)) << status;
    if (!status.ok()) {
      EXPECT_TRUE(absl::StrContains(status.message(),
                                    absl::StrCat("webhook to 127.0.0.1:", server_.port())))
          << status;
      // Neither the URL's path and query nor the body.
      EXPECT_FALSE(absl::StrContains(status.message(), "hush")) << status;
      EXPECT_FALSE(absl::StrContains(status.message(), row.path)) << status;
      EXPECT_FALSE(absl::StrContains(status.message(), "secret-body-marker")) << status;
    }
  }
  // One request each: the redirect was not followed.
  EXPECT_EQ(server_.received().size(), std::size(rows));
}

TEST_F(CurlWebhookSenderTest, LargeAnswersAreCutAtTheCapAndTheStatusLineDecides) {
  CurlWebhookOptions options;
  options.timeout = absl::Seconds(5);
  auto sender = Sender(options);
  ASSERT_TRUE(sender);
  EXPECT_TRUE(sender->Post(Request(server_.Url("/big"))).ok());
  EXPECT_EQ(sender->Post(Request(server_.Url("/big-error"))).code(),
            absl::StatusCode::kUnavailable);
  // A 2xx status line is the receiver's acceptance even if the rest of the answer stalls:
  // posting again would deliver twice.
  options.timeout = absl::Milliseconds(500);
  auto impatient = Sender(options);
  EXPECT_TRUE(impatient->Post(Request(server_.Url("/stall"))).ok());
}

TEST_F(CurlWebhookSenderTest, ASilentReceiverTimesOutAsUnavailable) {
  CurlWebhookOptions options;
  options.timeout = absl::Milliseconds(500);
  auto sender = Sender(options);
  ASSERT_TRUE(sender);
  const absl::Time start = absl::Now();
  const absl::Status status = sender->Post(Request(server_.Url("/slow")));
  EXPECT_EQ(status.code(), absl::StatusCode::kUnavailable) << status;
  EXPECT_TRUE(absl::StrContains(status.message(), "webhook to 127.0.0.1")) << status;
  EXPECT_LT(absl::Now() - start, absl::Seconds(3));
  EXPECT_EQ(server_.received().size(), 1u) << "the request did arrive";
}

TEST_F(CurlWebhookSenderTest, ARefusedConnectionIsUnavailable) {
  const std::string url = server_.Url("/ok");
  server_.Stop();  // the port is closed now
  auto sender = Sender();
  ASSERT_TRUE(sender);
  const absl::Status status = sender->Post(Request(url));
  EXPECT_EQ(status.code(), absl::StatusCode::kUnavailable) << status;
}

TEST_F(CurlWebhookSenderTest, LocalhostCountsAsLoopback) {
  auto sender = Sender();
  ASSERT_TRUE(sender);
  const absl::Status status =
      sender->Post(Request(absl::StrCat("http://localhost:", server_.port(), "/ok")));
  EXPECT_TRUE(status.ok()) << status;
}

TEST_F(CurlWebhookSenderTest, RefusesWhatItMayNotSendBeforeConnecting) {
  auto sender = Sender();
  ASSERT_TRUE(sender);
  const std::string port = std::to_string(server_.port());
  struct Row {
    ports::WebhookRequest request;
    std::string message;
  };
  auto with_header = [&](std::string name, std::string value) {
    ports::WebhookRequest request = Request(server_.Url("/ok"));
    request.headers.push_back({std::move(name), std::move(value)});
    return request;
  };
  const Row rows[] = {
      {Request("http://example.com/hook"), "url: must be https://"},
      {Request("http://10.0.0.1:" + port + "/ok"), "url: must be https://"},
      {Request("http://127.0.0.1.example.com/ok"), "url: must be https://"},
      {Request("ftp://127.0.0.1:" + port + "/ok"), "url: must be https://"},
      {Request("file:///etc/passwd"), "url:"},
      {Request("127.0.0.1:" + port + "/ok"), "url:"},
      {Request("http://127.0.0.1:" + port + "/o k"), "url: not a usable absolute URL"},
      {Request(""), "url: not a usable absolute URL"},
      {with_header("X-Evil", "a\r\nHost: elsewhere"), "headers[1]: the value must not contain"},
      {with_header("X Bad", "v"), "headers[1]: not a header name"},
      {with_header("", "v"), "headers[1]: not a header name"},
      {with_header("Host", "elsewhere.example"), "headers[1]: not a header name"},
      {with_header("content-type", "text/plain"), "headers[1]: not a header name"},
  };
  for (const Row& row : rows) {
    const absl::Status status = sender->Post(row.request);
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << row.request.url << status;
    EXPECT_TRUE(absl::StrContains(status.message(), row.message)) << status;
  }
  EXPECT_TRUE(server_.received().empty());
}

TEST(CurlWebhookSenderCreateTest, TimeoutsMustBePositive) {
  CurlWebhookOptions options;
  options.timeout = absl::ZeroDuration();
  EXPECT_EQ(CurlWebhookSender::Create(options).status().code(), absl::StatusCode::kInvalidArgument);
  options = {};
  options.connect_timeout = absl::Seconds(-1);
  absl::Status status = CurlWebhookSender::Create(options).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(absl::StrContains(status.message(), "connect_timeout")) << status;
}

}  // namespace
}  // namespace casedesk::adapters::webhook
