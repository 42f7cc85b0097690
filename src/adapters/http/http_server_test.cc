#include "adapters/http/http_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <map>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace casedesk::adapters::http {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using namespace std::chrono_literals;

struct ClientResponse {
  int status = 0;
  std::map<std::string, std::string> headers;  // lower-cased names
  std::string body;
  std::string Header(const std::string& name) const {
    const auto it = headers.find(name);
    return it == headers.end() ? "" : it->second;
  }
};

// A tiny blocking HTTP/1.1 client over a POSIX socket; reads are bounded by a 5 s timeout.
class Client {
 public:
  explicit Client(uint16_t port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    timeval timeout{5, 0};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
  }
  ~Client() { ::close(fd_); }
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  bool connected() const { return connected_; }

  bool Send(std::string_view data) {
    while (!data.empty()) {
      const ssize_t sent = ::send(fd_, data.data(), data.size(), MSG_NOSIGNAL);
      if (sent <= 0) return false;
      data.remove_prefix(static_cast<size_t>(sent));
    }
    return true;
  }

  // One response (Content-Length framing); nullopt on EOF, reset or timeout.
  std::optional<ClientResponse> Read() {
    size_t header_end;
    while ((header_end = buffer_.find("\r\n\r\n")) == std::string::npos) {
      if (!Fill()) return std::nullopt;
    }
    ClientResponse response;
    const std::string head = buffer_.substr(0, header_end);
    buffer_.erase(0, header_end + 4);
    size_t line_end = head.find("\r\n");
    const std::string status_line = head.substr(0, line_end);
    if (status_line.rfind("HTTP/1.1 ", 0) != 0) return std::nullopt;
    response.status = std::stoi(status_line.substr(9, 3));
    while (line_end != std::string::npos) {
      const size_t start = line_end + 2;
      line_end = head.find("\r\n", start);
      const std::string line = head.substr(start, line_end - start);
      const size_t colon = line.find(':');
      std::string name = line.substr(0, colon);
      for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      std::string value = line.substr(colon + 1);
      while (!value.empty() && value.front() == ' ') value.erase(0, 1);
      response.headers[name] = value;
    }
    const size_t length =
        response.headers.count("content-length") ? std::stoul(response.headers["content-length"]) : 0;
    while (buffer_.size() < length) {
      if (!Fill()) return std::nullopt;
    }
    response.body = buffer_.substr(0, length);
    buffer_.erase(0, length);
    return response;
  }

  // True when the server closed the connection (EOF or reset) before sending anything more.
  bool ClosedByPeer() {
    if (!buffer_.empty()) return false;
    char byte;
    const ssize_t received = ::recv(fd_, &byte, 1, 0);
    return received == 0 || (received < 0 && errno == ECONNRESET);
  }

  std::optional<ClientResponse> Exchange(const std::string& request) {
    if (!Send(request)) return std::nullopt;
    return Read();
  }

 private:
  bool Fill() {
    char chunk[16384];
    const ssize_t received = ::recv(fd_, chunk, sizeof chunk, 0);
    if (received <= 0) return false;
    buffer_.append(chunk, static_cast<size_t>(received));
    return true;
  }

  int fd_ = -1;
  bool connected_ = false;
  std::string buffer_;
};

std::string Get(const std::string& target, const std::string& extra_headers = "") {
  return "GET " + target + " HTTP/1.1\r\nHost: test\r\n" + extra_headers + "\r\n";
}

std::string Post(const std::string& target, const std::string& body,
                 const std::string& content_type = "application/json") {
  return "POST " + target + " HTTP/1.1\r\nHost: test\r\nContent-Type: " + content_type +
         "\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
}

HttpResponse Text(int status, std::string body) {
  HttpResponse response;
  response.status = status;
  response.content_type = "text/plain";
  response.body = std::move(body);
  return response;
}

class HttpServerTest : public ::testing::Test {
 protected:
  static constexpr int64_t kMaxBody = 1024;

  void SetUp() override {
    Router router;
    router.Add("GET", "/hello", [](const HttpRequest&, Respond respond) {
      respond(Text(200, "hello"));
    });
    router.Add("POST", "/echo", [](const HttpRequest& request, Respond respond) {
      HttpResponse response = Text(201, request.body);
      response.content_type = std::string(request.Header("content-type").value_or(""));
      respond(std::move(response));
    });
    router.Add("GET", "/inspect/{name}", [](const HttpRequest& request, Respond respond) {
      std::string out = "method=" + request.method + "\ntarget=" + request.target +
                        "\npath=" + request.path + "\nroute=" + request.route +
                        "\nremote=" + request.remote_address + "\n";
      for (const auto& [key, value] : request.path_params) out += "param " + key + "=" + value + "\n";
      for (const auto& [key, value] : request.query) out += "query " + key + "=" + value + "\n";
      out += "header x-test=" + std::string(request.Header("x-test").value_or("-")) + "\n";
      respond(Text(200, out));
    });
    // Answers from a worker thread after the given number of milliseconds.
    router.Add("GET", "/slow/{ms}", [this](const HttpRequest& request, Respond respond) {
      const int delay = std::stoi(request.path_params.at("ms"));
      slow_entered_.fetch_add(1);
      std::lock_guard lock(workers_mutex_);
      workers_.emplace_back([delay, respond, name = request.path_params.at("ms")] {
        std::this_thread::sleep_for(std::chrono::milliseconds(delay));
        respond(Text(200, "slow " + name));
      });
    });
    router.Add("GET", "/throws", [](const HttpRequest&, Respond) -> void {
      throw std::runtime_error("boom");
    });
    router.Add("GET", "/twice", [](const HttpRequest&, Respond respond) {
      respond(Text(200, "first"));
      respond(Text(409, "second"));
    });
    router.Add("GET", "/responds-then-throws", [](const HttpRequest&, Respond respond) {
      respond(Text(200, "answered"));
      throw std::runtime_error("late boom");
    });
    router.Add("GET", "/never", [](const HttpRequest&, Respond) {});
    router.Add("GET", "/custom", [](const HttpRequest&, Respond respond) {
      HttpResponse response = Text(200, "cached");
      response.headers = {{"Cache-Control", "max-age=60"},
                          {"Content-Length", "999"},
                          {"X-Custom", "yes"},
                          {"X-Bad", "a\r\nInjected: 1"}};
      respond(std::move(response));
    });
    router.Add("DELETE", "/custom", [](const HttpRequest&, Respond respond) {
      respond(Text(204, ""));
    });
    HttpServerOptions options;
    options.port = 0;
    options.max_body_bytes = kMaxBody;
    options.drain_timeout = 5s;
    server_ = std::make_unique<HttpServer>(std::move(router), metrics_, options);
    ASSERT_TRUE(server_->Start().ok());
    ASSERT_NE(server_->port(), 0);
  }

  void TearDown() override {
    if (server_) server_->Stop();
    std::lock_guard lock(workers_mutex_);
    for (auto& worker : workers_) worker.join();
  }

  Metrics metrics_;
  std::unique_ptr<HttpServer> server_;
  std::atomic<int> slow_entered_{0};
  std::mutex workers_mutex_;
  std::vector<std::thread> workers_;
};

TEST_F(HttpServerTest, GetAndPostWithBody) {
  Client client(server_->port());
  ASSERT_TRUE(client.connected());
  auto response = client.Exchange(Get("/hello"));
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->body, "hello");
  EXPECT_EQ(response->Header("content-type"), "text/plain");
  EXPECT_EQ(response->Header("content-length"), "5");
  EXPECT_EQ(response->Header("x-content-type-options"), "nosniff");
  EXPECT_EQ(response->Header("cache-control"), "no-store");
  EXPECT_THAT(response->Header("date"), HasSubstr(" GMT"));

  response = client.Exchange(Post("/echo", R"({"subject":"disk full"})"));
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 201);
  EXPECT_EQ(response->body, R"({"subject":"disk full"})");
  EXPECT_EQ(response->Header("content-type"), "application/json");
}

TEST_F(HttpServerTest, FillsTheRequest) {
  Client client(server_->port());
  auto response = client.Exchange(
      Get("/inspect/a%20b%2Fc?a=1&b=x%20y&c=d+e&flag", "X-TEST: Mixed Case\r\n"));
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->body,
            "method=GET\n"
            "target=/inspect/a%20b%2Fc?a=1&b=x%20y&c=d+e&flag\n"
            "path=/inspect/a b/c\n"
            "route=/inspect/{name}\n"
            "remote=127.0.0.1\n"
            "param name=a b/c\n"
            "query a=1\nquery b=x y\nquery c=d e\nquery flag=\n"
            "header x-test=Mixed Case\n");
}

TEST_F(HttpServerTest, KeepAliveServesManyRequestsOnOneConnection) {
  Client client(server_->port());
  for (int i = 0; i < 20; ++i) {
    auto response = client.Exchange(Get("/inspect/n" + std::to_string(i)));
    ASSERT_TRUE(response) << i;
    EXPECT_EQ(response->status, 200);
    EXPECT_THAT(response->body, HasSubstr("param name=n" + std::to_string(i) + "\n"));
  }
}

TEST_F(HttpServerTest, PipelinedResponsesComeInRequestOrder) {
  Client client(server_->port());
  // The first request is answered last (from another thread), yet its response comes first.
  ASSERT_TRUE(client.Send(Get("/slow/300") + Get("/hello") + Post("/echo", "xyz", "text/plain") +
                          Get("/inspect/last")));
  auto first = client.Read();
  auto second = client.Read();
  auto third = client.Read();
  auto fourth = client.Read();
  ASSERT_TRUE(first && second && third && fourth);
  EXPECT_EQ(first->body, "slow 300");
  EXPECT_EQ(second->body, "hello");
  EXPECT_EQ(third->body, "xyz");
  EXPECT_THAT(fourth->body, HasSubstr("param name=last"));
}

TEST_F(HttpServerTest, RespondsFromAnotherThreadAfterADelay) {
  Client client(server_->port());
  const auto start = std::chrono::steady_clock::now();
  auto response = client.Exchange(Get("/slow/200"));
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->body, "slow 200");
  EXPECT_GE(std::chrono::steady_clock::now() - start, 200ms);
}

TEST_F(HttpServerTest, UnknownPathIs404AndWrongMethodIs405) {
  Client client(server_->port());
  auto response = client.Exchange(Get("/nowhere"));
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 404);
  EXPECT_EQ(response->Header("content-type"), "application/problem+json");
  EXPECT_THAT(response->body, HasSubstr(R"("status":404)"));
  EXPECT_THAT(response->body, HasSubstr(R"("title":"Not Found")"));

  response = client.Exchange(Post("/hello", "{}"));
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 405);
  EXPECT_EQ(response->Header("allow"), "GET");
  EXPECT_EQ(response->Header("content-type"), "application/problem+json");
  EXPECT_THAT(response->body, HasSubstr(R"("status":405)"));

  response = client.Exchange(Get("/custom/"));  // trailing slash tolerated
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 200);

  response = client.Exchange(Get("/inspect/%zz"));
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 400);
  response = client.Exchange(Get("/inspect/x?q=%"));
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 400);
}

TEST_F(HttpServerTest, OversizedBodyGets413AndTheConnectionStaysUsable) {
  Client client(server_->port());
  auto response = client.Exchange(Post("/echo", std::string(kMaxBody + 1, 'x')));
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 413);
  EXPECT_EQ(response->Header("content-type"), "application/problem+json");
  EXPECT_THAT(response->body, HasSubstr("larger than 1024 bytes"));
  response = client.Exchange(Post("/echo", std::string(kMaxBody, 'y')));
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 201);
  EXPECT_EQ(response->body.size(), static_cast<size_t>(kMaxBody));
}

TEST_F(HttpServerTest, BodyBeyondTheHardLimitClosesTheConnection) {
  Client client(server_->port());
  ASSERT_TRUE(client.Send("POST /echo HTTP/1.1\r\nHost: test\r\nContent-Length: 100000000\r\n\r\n"));
  EXPECT_TRUE(client.ClosedByPeer());
}

TEST_F(HttpServerTest, MalformedRequestLineClosesTheConnection) {
  Client client(server_->port());
  ASSERT_TRUE(client.Send("THIS IS NOT HTTP\r\n\r\n"));
  EXPECT_TRUE(client.ClosedByPeer());
  Client other(server_->port());  // the server is unaffected
  auto response = other.Exchange(Get("/hello"));
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 200);
}

TEST_F(HttpServerTest, OversizedUrlClosesTheConnection) {
  Client client(server_->port());
  ASSERT_TRUE(client.Send(Get("/inspect/" + std::string(20000, 'a'))));
  EXPECT_TRUE(client.ClosedByPeer());
}

TEST_F(HttpServerTest, HandlerExceptionGives500AndSecondRespondIsIgnored) {
  Client client(server_->port());
  auto response = client.Exchange(Get("/throws"));
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 500);
  EXPECT_EQ(response->Header("content-type"), "application/problem+json");
  EXPECT_THAT(response->body, Not(HasSubstr("boom")));

  response = client.Exchange(Get("/twice"));
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->body, "first");

  response = client.Exchange(Get("/responds-then-throws"));
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->body, "answered");

  response = client.Exchange(Get("/never"));
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 500);

  // The connection is still in step: exactly one response per request.
  response = client.Exchange(Get("/hello"));
  ASSERT_TRUE(response);
  EXPECT_EQ(response->body, "hello");
}

TEST_F(HttpServerTest, ResponseHeadersFromTheHandler) {
  Client client(server_->port());
  auto response = client.Exchange(Get("/custom"));
  ASSERT_TRUE(response);
  EXPECT_EQ(response->Header("cache-control"), "max-age=60");
  EXPECT_EQ(response->Header("content-length"), "6");  // the handler's value is ignored
  EXPECT_EQ(response->Header("x-custom"), "yes");
  EXPECT_EQ(response->Header("x-bad"), "");
  EXPECT_EQ(response->Header("injected"), "");
  EXPECT_EQ(response->Header("x-content-type-options"), "nosniff");

  response = client.Exchange("DELETE /custom HTTP/1.1\r\nHost: test\r\n\r\n");
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 204);
  EXPECT_EQ(response->Header("content-length"), "0");  // RESTinio always writes it
  EXPECT_EQ(response->body, "");
  EXPECT_EQ(response->headers.count("content-type"), 0u);
  EXPECT_EQ(response->Header("cache-control"), "no-store");
  response = client.Exchange(Get("/hello"));  // still in step after a body-less response
  ASSERT_TRUE(response);
  EXPECT_EQ(response->body, "hello");
}

TEST_F(HttpServerTest, SixtyFourConcurrentKeepAliveConnections) {
  constexpr int kConnections = 64;
  constexpr int kRequests = 25;
  std::atomic<int> ok{0};
  std::vector<std::thread> clients;
  for (int c = 0; c < kConnections; ++c) {
    clients.emplace_back([&, c] {
      Client client(server_->port());
      for (int i = 0; i < kRequests; ++i) {
        const std::string name = std::to_string(c) + "-" + std::to_string(i);
        auto response = client.Exchange(Get("/inspect/" + name));
        if (response && response->status == 200 &&
            response->body.find("param name=" + name + "\n") != std::string::npos) {
          ok.fetch_add(1);
        }
      }
    });
  }
  for (auto& client : clients) client.join();
  EXPECT_EQ(ok.load(), kConnections * kRequests);
}

TEST_F(HttpServerTest, CountsRequestsInMetrics) {
  Client client(server_->port());
  ASSERT_TRUE(client.Exchange(Get("/hello")));
  ASSERT_TRUE(client.Exchange(Get("/hello")));
  ASSERT_TRUE(client.Exchange(Get("/no/such/path")));
  ASSERT_TRUE(client.Exchange(Get("/throws")));
  const std::string text = metrics_.RenderPrometheus();
  EXPECT_THAT(text, HasSubstr("casedesk_http_requests_total{route=\"/hello\",method=\"GET\","
                              "status=\"200\"} 2\n"));
  EXPECT_THAT(text, HasSubstr("casedesk_http_requests_total{route=\"unmatched\",method=\"GET\","
                              "status=\"404\"} 1\n"));
  EXPECT_THAT(text, HasSubstr("casedesk_http_requests_total{route=\"/throws\",method=\"GET\","
                              "status=\"500\"} 1\n"));
  EXPECT_THAT(text, HasSubstr("casedesk_http_request_duration_seconds_count{route=\"/hello\","
                              "method=\"GET\"} 2\n"));
  EXPECT_THAT(text, Not(HasSubstr("/no/such/path")));
  EXPECT_THAT(text, HasSubstr("casedesk_http_requests_in_flight 0\n"));
}

TEST_F(HttpServerTest, StopDrainsInFlightRequests) {
  Client slow(server_->port());
  Client idle(server_->port());
  ASSERT_TRUE(idle.Exchange(Get("/hello")));  // an open keep-alive connection
  ASSERT_TRUE(slow.Send(Get("/slow/1500")));
  while (slow_entered_.load() == 0) std::this_thread::sleep_for(1ms);

  auto stopped = std::async(std::launch::async, [this] { server_->Stop(); });
  // New connections are refused once the listening socket is closed.
  bool refused = false;
  for (int attempt = 0; attempt < 100 && !refused; ++attempt) {
    Client late(server_->port());
    if (!late.connected()) {
      refused = true;
    } else {
      auto response = late.Exchange(Get("/hello"));
      if (!response) {
        refused = true;  // accepted by the kernel backlog, then dropped
      } else if (response->status != 200) {  // 200: Stop() has not begun yet; try again
        EXPECT_EQ(response->status, 503);
        refused = true;
      }
    }
    if (!refused) std::this_thread::sleep_for(5ms);
  }
  EXPECT_TRUE(refused);
  // A request on an already open connection gets 503 and Connection: close.
  auto rejected = idle.Exchange(Get("/hello"));
  ASSERT_TRUE(rejected);
  EXPECT_EQ(rejected->status, 503);
  EXPECT_EQ(rejected->Header("connection"), "close");
  EXPECT_EQ(rejected->Header("content-type"), "application/problem+json");
  EXPECT_TRUE(idle.ClosedByPeer());

  // The in-flight request still completes.
  EXPECT_EQ(stopped.wait_for(0ms), std::future_status::timeout);
  auto response = slow.Read();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->body, "slow 1500");
  stopped.get();
  server_->Wait();  // returns at once: stopped
  Client after(server_->port());
  EXPECT_FALSE(after.connected());
}

TEST_F(HttpServerTest, StopClosesIdleConnectionsAndWaitReturns) {
  Client idle(server_->port());
  ASSERT_TRUE(idle.Exchange(Get("/hello")));
  auto waiter = std::async(std::launch::async, [this] { server_->Wait(); });
  EXPECT_EQ(waiter.wait_for(50ms), std::future_status::timeout);
  std::thread stopper([this] { server_->Stop(); });
  server_->Stop();  // concurrent and repeated Stop() calls are harmless
  stopper.join();
  EXPECT_EQ(waiter.wait_for(2s), std::future_status::ready);
  EXPECT_TRUE(idle.ClosedByPeer());
}

TEST(HttpServerLifetimeTest, RespondAfterTheDrainTimeoutAndDestructionIsDiscarded) {
  Metrics metrics;
  std::mutex mutex;
  std::optional<Respond> kept;
  std::atomic<bool> entered{false};
  Router router;
  router.Add("GET", "/hang", [&](const HttpRequest&, Respond respond) {
    std::lock_guard lock(mutex);
    kept = std::move(respond);
    entered = true;
  });
  HttpServerOptions options;
  options.port = 0;
  options.drain_timeout = 100ms;
  auto server = std::make_unique<HttpServer>(std::move(router), metrics, options);
  ASSERT_TRUE(server->Start().ok());
  Client client(server->port());
  ASSERT_TRUE(client.Send(Get("/hang")));
  while (!entered) std::this_thread::sleep_for(1ms);
  const auto start = std::chrono::steady_clock::now();
  server->Stop();  // gives up after the drain timeout
  EXPECT_GE(std::chrono::steady_clock::now() - start, 100ms);
  server.reset();
  std::lock_guard lock(mutex);
  (*kept)(Text(200, "too late"));  // must neither crash nor reach the client
  kept.reset();                    // releases the connection and the last io_context reference
  EXPECT_TRUE(client.ClosedByPeer());
}

TEST(HttpServerStartTest, ReportsBadRoutesAndBusyPorts) {
  Metrics metrics;
  Router bad;
  bad.Add("GET", "no-slash", [](const HttpRequest&, Respond) {});
  HttpServerOptions options;
  options.port = 0;
  HttpServer bad_server(std::move(bad), metrics, options);
  EXPECT_EQ(bad_server.Start().code(), absl::StatusCode::kInvalidArgument);

  HttpServer first(Router(), metrics, options);
  ASSERT_TRUE(first.Start().ok());
  EXPECT_EQ(first.Start().code(), absl::StatusCode::kFailedPrecondition);
  options.port = first.port();
  HttpServer second(Router(), metrics, options);
  EXPECT_EQ(second.Start().code(), absl::StatusCode::kUnavailable);

  options.host = "not-an-address";
  options.port = 0;
  HttpServer third(Router(), metrics, options);
  EXPECT_EQ(third.Start().code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace casedesk::adapters::http
