// The only file that includes RESTinio (it is heavy to compile).
#include "adapters/http/http_server.h"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <ctime>
#include <cstdio>
#include <exception>
#include <future>
#include <mutex>
#include <optional>
#include <thread>
#include <utility>
#include <vector>

#include <restinio/all.hpp>

#include "adapters/http/problem.h"
#include "adapters/http/route_matcher.h"

namespace casedesk::adapters::http {

size_t HttpServerOptions::DefaultThreads() {
  return std::max<size_t>(2, std::thread::hardware_concurrency());
}

namespace {

// RESTinio's default traits: an asio strand per connection (so a response may be produced on
// any thread) and the null logger. RESTinio logs every misbehaving client (parse errors,
// timeouts, resets) at error level, which would let clients flood stderr; our own errors
// (handler exceptions, failed starts) are written to stderr below.
using Traits = restinio::default_traits_t;
using RestinioServer = restinio::http_server_t<Traits>;

// Beyond max_body_bytes we answer 413 ourselves; RESTinio drops the connection beyond this.
constexpr uint64_t kHardBodySlackBytes = 64 * 1024;

void LogError(const std::string& message) {
  std::fprintf(stderr, "casedesk http: %s\n", message.c_str());
}

std::string_view ReasonPhrase(int status) {
  switch (status) {
    case 200: return "OK";
    case 201: return "Created";
    case 202: return "Accepted";
    case 204: return "No Content";
    case 206: return "Partial Content";
    case 301: return "Moved Permanently";
    case 302: return "Found";
    case 303: return "See Other";
    case 304: return "Not Modified";
    case 307: return "Temporary Redirect";
    case 308: return "Permanent Redirect";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 406: return "Not Acceptable";
    case 409: return "Conflict";
    case 410: return "Gone";
    case 412: return "Precondition Failed";
    case 413: return "Content Too Large";
    case 415: return "Unsupported Media Type";
    case 416: return "Range Not Satisfiable";
    case 422: return "Unprocessable Content";
    case 428: return "Precondition Required";
    case 429: return "Too Many Requests";
    case 500: return "Internal Server Error";
    case 501: return "Not Implemented";
    case 502: return "Bad Gateway";
    case 503: return "Service Unavailable";
    case 504: return "Gateway Timeout";
    default: return status < 400 ? "OK" : status < 500 ? "Client Error" : "Server Error";
  }
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    const auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : c; };
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

std::string ToLower(std::string_view text) {
  std::string lowered(text);
  for (char& c : lowered) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return lowered;
}

// The Date header value, formatted once per second per thread (strftime is not free).
const std::string& CurrentHttpDate() {
  thread_local std::time_t cached_second = 0;
  thread_local std::string cached_value;
  const std::time_t now = std::time(nullptr);
  if (now != cached_second) {
    cached_second = now;
    cached_value = restinio::make_date_field_value(now);
  }
  return cached_value;
}

// Counts accepted requests whose response has not been written (or failed); Stop() waits for
// it to reach zero.
class DrainTracker {
 public:
  void Begin() { count_.fetch_add(1, std::memory_order_relaxed); }
  void End() {
    if (count_.fetch_sub(1, std::memory_order_acq_rel) == 1) {
      std::lock_guard lock(mutex_);
      idle_.notify_all();
    }
  }
  // True when idle before the timeout.
  bool WaitIdle(std::chrono::milliseconds timeout) {
    std::unique_lock lock(mutex_);
    return idle_.wait_for(lock, timeout,
                          [this] { return count_.load(std::memory_order_acquire) == 0; });
  }
  int64_t count() const { return count_.load(std::memory_order_relaxed); }

 private:
  std::atomic<int64_t> count_{0};
  std::mutex mutex_;
  std::condition_variable idle_;
};

// A streamed response's body on RESTinio's chunked output. Writes and Close may come from any
// thread; the builder is used under the mutex. A failed write (the client left) is noted by
// RESTinio's callback, which may run inline on the connection's strand, so it only sets a flag
// and the next Write (a keep-alive comment at the latest) closes the stream.
class ChunkedStream final : public ResponseStream,
                            public std::enable_shared_from_this<ChunkedStream> {
 public:
  using Builder = restinio::response_builder_t<restinio::chunked_output_t>;

  ChunkedStream(std::shared_ptr<asio::io_context> io_context, Builder builder,
                std::shared_ptr<DrainTracker> drain)
      : io_context_(std::move(io_context)),
        builder_(std::move(builder)),
        drain_(std::move(drain)) {}
  ~ChunkedStream() override { Close(); }

  bool Write(std::string text) override {
    if (broken_.load(std::memory_order_acquire)) {
      Close();
      return false;
    }
    std::lock_guard lock(mutex_);
    if (closed_) return false;
    builder_.append_chunk(std::move(text));
    builder_.flush([weak = weak_from_this()](const asio::error_code& error) {
      if (!error) return;
      if (auto self = weak.lock()) self->broken_.store(true, std::memory_order_release);
    });
    return true;
  }

  void Close() override {
    std::lock_guard lock(mutex_);
    if (closed_) return;
    closed_ = true;
    try {
      builder_.done([drain = drain_](const asio::error_code&) { drain->End(); });
    } catch (const std::exception& error) {
      LogError(std::string("failed to end a streamed response: ") + error.what());
      drain_->End();
    }
  }

  bool closed() const override {
    std::lock_guard lock(mutex_);
    return closed_ || broken_.load(std::memory_order_acquire);
  }

 private:
  std::shared_ptr<asio::io_context> io_context_;  // first: outlives the connection in builder_
  mutable std::mutex mutex_;
  Builder builder_;  // guarded by mutex_
  bool closed_ = false;  // guarded by mutex_
  std::atomic<bool> broken_{false};
  std::shared_ptr<DrainTracker> drain_;
};

// The streams still open, so that Stop() can end them before it waits for the drain. A stream
// whose handler answers after that (it was already running) is ended at once.
class OpenStreams {
 public:
  void Add(const std::shared_ptr<ChunkedStream>& stream) {
    std::unique_lock lock(mutex_);
    if (closing_) {
      lock.unlock();
      stream->Close();
      return;
    }
    std::erase_if(streams_,
                  [](const std::weak_ptr<ChunkedStream>& open) { return open.expired(); });
    streams_.push_back(stream);
  }
  void CloseAll() {
    std::vector<std::weak_ptr<ChunkedStream>> streams;
    {
      std::lock_guard lock(mutex_);
      closing_ = true;
      streams.swap(streams_);
    }
    for (const auto& weak : streams) {
      if (auto stream = weak.lock()) stream->Close();
    }
  }

 private:
  std::mutex mutex_;
  std::vector<std::weak_ptr<ChunkedStream>> streams_;  // guarded by mutex_
  bool closing_ = false;                               // guarded by mutex_
};

// One request and its single answer. Shared by the Respond copies handed to the handler; the
// first Complete() wins. If every copy is dropped without an answer, the destructor sends 500.
class Exchange {
 public:
  // Declared first so it is destroyed last: the request handle owns the connection, whose
  // socket must be closed while its io_context still exists.
  std::shared_ptr<asio::io_context> io_context;
  restinio::request_handle_t handle;
  std::shared_ptr<DrainTracker> drain;
  std::shared_ptr<OpenStreams> streams;
  Metrics* metrics = nullptr;
  Metrics::Series* series = nullptr;
  std::chrono::steady_clock::time_point start;
  bool close_connection = false;
  HttpRequest request;

  ~Exchange() {
    if (!responded_.load(std::memory_order_acquire)) {
      LogError("handler for " + request.method + " " + request.route +
               " dropped its Respond without answering; sending 500");
      Complete(ProblemResponse(500, "the request was not answered"));
    }
  }

  void Complete(HttpResponse response) noexcept {
    if (responded_.exchange(true, std::memory_order_acq_rel)) return;
    if (response.status < 200 || response.status > 599) {
      LogError("handler for " + request.method + " " + request.route + " answered status " +
               std::to_string(response.status) + "; sending 500");
      response = ProblemResponse(500, "an internal error occurred");
    }
    metrics->Record(series, response.status, std::chrono::steady_clock::now() - start);
    metrics->RequestFinished();
    if (!handle) {  // failed before the request handle was attached; nothing to answer through
      drain->End();
      return;
    }
    try {
      Write(std::move(response));
    } catch (const std::exception& error) {
      LogError(std::string("failed to write a response: ") + error.what());
      drain->End();
    }
  }

 private:
  template <typename Builder>
  void AddHeaders(Builder& builder, HttpResponse& response) {
    builder.append_header(restinio::http_field::date, CurrentHttpDate());
    const bool has_content_type = (!response.body.empty() || response.on_stream) &&
                                  !response.content_type.empty();
    if (has_content_type) {
      builder.append_header(restinio::http_field::content_type, std::move(response.content_type));
    }
    bool has_cache_control = false;
    for (auto& [name, value] : response.headers) {
      // The server owns the framing; a CR or LF would split the response.
      if (EqualsIgnoreCase(name, "content-length") || EqualsIgnoreCase(name, "connection") ||
          EqualsIgnoreCase(name, "transfer-encoding") ||
          EqualsIgnoreCase(name, "x-content-type-options") ||
          (has_content_type && EqualsIgnoreCase(name, "content-type"))) {
        continue;
      }
      if (name.find_first_of("\r\n:") != std::string::npos ||
          value.find_first_of("\r\n") != std::string::npos) {
        LogError("dropped a response header with a line break from " + request.route);
        continue;
      }
      has_cache_control = has_cache_control || EqualsIgnoreCase(name, "cache-control");
      builder.append_header(std::move(name), std::move(value));
    }
    builder.append_header("X-Content-Type-Options", "nosniff");
    if (!has_cache_control) builder.append_header(restinio::http_field::cache_control, "no-store");
    if (close_connection) builder.connection_close();
  }

  void Write(HttpResponse response) {
    const restinio::http_status_line_t status_line{
        restinio::http_status_code_t{static_cast<uint16_t>(response.status)},
        std::string(ReasonPhrase(response.status))};
    // Invoked by RESTinio once the response is written, or with an error when it cannot be
    // (connection closed); either way the request no longer holds up a drain.
    auto written = [drain = drain](const asio::error_code&) { drain->End(); };
    if (response.on_stream && response.status == 200) {
      WriteStream(status_line, std::move(response));
      return;
    }
    // RESTinio always writes Content-Length, so a 204 or 304 carries "Content-Length: 0" (RFC
    // 9110 says it should not; clients accept it). Their body is dropped.
    if (response.status == 204 || response.status == 304) response.body.clear();
    restinio::request_handle_t request_handle = std::move(handle);
    auto builder = request_handle->create_response(status_line);
    AddHeaders(builder, response);
    builder.set_body(std::move(response.body));
    builder.done(std::move(written));
  }

  // Headers now (chunked), then the stream is the handler's; its Close ends the drain entry.
  void WriteStream(const restinio::http_status_line_t& status_line, HttpResponse response) {
    restinio::request_handle_t request_handle = std::move(handle);
    auto builder = request_handle->create_response<restinio::chunked_output_t>(status_line);
    AddHeaders(builder, response);
    if (!response.body.empty()) builder.append_chunk(std::move(response.body));
    builder.flush();
    auto stream = std::make_shared<ChunkedStream>(io_context, std::move(builder), drain);
    streams->Add(stream);
    response.on_stream(stream);
  }

  std::atomic<bool> responded_{false};
};

}  // namespace

class HttpServer::Impl {
 public:
  Impl(Router router, Metrics& metrics, HttpServerOptions options)
      : router_(std::move(router)), metrics_(metrics), options_(std::move(options)) {}

  ~Impl() { Stop(); }

  absl::Status Start() {
    std::lock_guard stop_lock(stop_mutex_);
    {
      std::lock_guard lock(state_mutex_);
      if (state_ != State::kNew) return absl::FailedPreconditionError("server already started");
    }
    auto matcher = RouteMatcher::Create(router_.routes());
    if (!matcher.ok()) return matcher.status();
    matcher_.emplace(*std::move(matcher));
    for (const Route& route : router_.routes()) {
      route_series_.push_back(metrics_.SeriesFor(route.pattern, route.method));
    }
    asio::error_code address_error;
    const auto address = asio::ip::make_address(options_.host, address_error);
    if (address_error) {
      return absl::InvalidArgumentError("not an IP address: '" + options_.host + "'");
    }
    if (options_.max_body_bytes < 0) return absl::InvalidArgumentError("max_body_bytes < 0");
    const size_t threads = std::max<size_t>(1, options_.threads);

    io_context_ = std::make_shared<asio::io_context>(static_cast<int>(threads));
    const auto max_body = static_cast<uint64_t>(options_.max_body_bytes);
    try {
      server_ = std::make_unique<RestinioServer>(
          restinio::external_io_context(*io_context_), [&](auto& settings) {
            settings.address(address)
                .port(options_.port)
                .request_handler(
                    [this](restinio::request_handle_t handle) { return Handle(std::move(handle)); })
                .max_pipelined_requests(std::max<size_t>(1, options_.max_pipelined_requests))
                .read_next_http_message_timelimit(options_.idle_timeout)
                .write_http_response_timelimit(options_.write_timeout)
                .handle_request_timeout(options_.handler_timeout)
                .concurrent_accepts_count(threads)
                .incoming_http_msg_limits(restinio::incoming_http_msg_limits_t{}
                                              .max_url_size(options_.max_url_bytes)
                                              .max_field_name_size(options_.max_header_name_bytes)
                                              .max_field_value_size(options_.max_header_value_bytes)
                                              .max_field_count(options_.max_header_count)
                                              .max_body_size(2 * max_body + kHardBodySlackBytes))
                .socket_options_setter([](restinio::socket_options_t& socket_options) {
                  socket_options.set_option(asio::ip::tcp::no_delay{true});
                })
                .acceptor_post_bind_hook([this](asio::ip::tcp::acceptor& acceptor) {
                  bound_port_.store(acceptor.local_endpoint().port());
                });
          });
      // No io thread runs yet, so opening synchronously here cannot race the acceptor's strand.
      server_->open_sync();
    } catch (const std::exception& error) {
      server_.reset();
      io_context_.reset();
      return absl::UnavailableError("cannot listen on " + options_.host + ":" +
                                    std::to_string(options_.port) + ": " + error.what());
    }
    work_guard_.emplace(io_context_->get_executor());
    for (size_t i = 0; i < threads; ++i) {
      threads_.emplace_back([io_context = io_context_] { RunLoop(*io_context); });
    }
    std::lock_guard lock(state_mutex_);
    state_ = State::kRunning;
    return absl::OkStatus();
  }

  uint16_t port() const { return bound_port_.load(); }

  void Stop() {
    std::lock_guard stop_lock(stop_mutex_);
    {
      std::lock_guard lock(state_mutex_);
      if (state_ != State::kRunning) return;
    }
    draining_.store(true, std::memory_order_release);
    std::promise<void> closed;
    server_->close_async([&closed] { closed.set_value(); },
                         [&closed](std::exception_ptr) {
                           LogError("closing the listening socket failed");
                           closed.set_value();
                         });
    closed.get_future().wait();
    streams_->CloseAll();  // streamed responses never end on their own
    if (!drain_->WaitIdle(options_.drain_timeout)) {
      LogError("drain timeout: " + std::to_string(drain_->count()) +
               " request(s) still unanswered; stopping anyway");
    }
    work_guard_.reset();
    io_context_->stop();
    for (std::thread& thread : threads_) thread.join();
    threads_.clear();
    server_.reset();
    // Destroying the io_context closes the remaining (idle) connections; a Respond still held
    // elsewhere keeps it alive until it is called or dropped.
    io_context_.reset();
    {
      std::lock_guard lock(state_mutex_);
      state_ = State::kStopped;
    }
    stopped_.notify_all();
  }

  void Wait() {
    std::unique_lock lock(state_mutex_);
    stopped_.wait(lock, [this] { return state_ != State::kRunning; });
  }

 private:
  enum class State { kNew, kRunning, kStopped };

  static void RunLoop(asio::io_context& io_context) {
    while (true) {
      try {
        io_context.run();
        return;
      } catch (const std::exception& error) {
        LogError(std::string("io thread caught: ") + error.what());
      }
    }
  }

  // Runs on an io thread for every complete request.
  restinio::request_handling_status_t Handle(restinio::request_handle_t handle) {
    auto exchange = std::make_shared<Exchange>();
    exchange->start = std::chrono::steady_clock::now();
    drain_->Begin();
    metrics_.RequestStarted();
    exchange->io_context = io_context_;
    exchange->drain = drain_;
    exchange->streams = streams_;
    exchange->metrics = &metrics_;

    const auto& header = handle->header();
    HttpRequest& request = exchange->request;
    request.method = header.method().c_str();
    request.target = std::string(header.request_target());
    const std::string_view target = request.target;
    const size_t question = target.find('?');
    const std::string_view raw_path = target.substr(0, question);
    const std::string_view raw_query =
        question == std::string_view::npos ? std::string_view() : target.substr(question + 1);

    RouteMatch match = matcher_->Match(request.method, raw_path);
    if (match.outcome == RouteOutcome::kMatched) {
      const Route& route = router_.routes()[match.route_index];
      exchange->series = route_series_[match.route_index];
      request.route = route.pattern;
    } else {
      exchange->series = metrics_.SeriesFor(Metrics::kUnmatchedRoute, request.method);
    }
    exchange->handle = std::move(handle);
    const restinio::request_handle_t& request_handle = exchange->handle;

    if (draining_.load(std::memory_order_acquire)) {
      exchange->close_connection = true;
      exchange->Complete(ProblemResponse(503, "the server is shutting down"));
      return restinio::request_accepted();
    }
    if (request_handle->body().size() > static_cast<uint64_t>(options_.max_body_bytes)) {
      exchange->Complete(ProblemResponse(
          413, "the request body is larger than " + std::to_string(options_.max_body_bytes) +
                   " bytes"));
      return restinio::request_accepted();
    }
    std::optional<std::string> path = PercentDecode(raw_path, /*plus_as_space=*/false);
    auto query = DecodeQuery(raw_query);
    if (!path || !query || match.outcome == RouteOutcome::kBadRequest) {
      exchange->Complete(ProblemResponse(400, "malformed percent-encoding in the request target"));
      return restinio::request_accepted();
    }
    if (match.outcome == RouteOutcome::kNotFound) {
      exchange->Complete(ProblemResponse(404, "no such resource"));
      return restinio::request_accepted();
    }
    if (match.outcome == RouteOutcome::kMethodNotAllowed) {
      HttpResponse response = ProblemResponse(
          405, "method " + request.method + " is not allowed here; allowed: " +
                   match.allowed_methods);
      response.headers.emplace_back("Allow", match.allowed_methods);
      exchange->Complete(std::move(response));
      return restinio::request_accepted();
    }

    request.path = *std::move(path);
    request.query = *std::move(query);
    for (auto& [name, value] : match.path_params) {
      request.path_params.emplace(std::move(name), std::move(value));
    }
    request.headers.reserve(header.fields_count());
    header.for_each_field([&request](const restinio::http_header_field_t& field) {
      request.headers.emplace_back(ToLower(field.name()), field.value());
    });
    // RESTinio keeps the body const; the copy is the price of not exposing RESTinio to handlers.
    request.body = request_handle->body();
    request.remote_address = request_handle->remote_endpoint().address().to_string();

    const Route& route = router_.routes()[match.route_index];
    try {
      route.handler(request,
                    [exchange](HttpResponse response) { exchange->Complete(std::move(response)); });
    } catch (const std::exception& error) {
      LogError("handler for " + route.method + " " + route.pattern + " threw: " + error.what());
      exchange->Complete(ProblemResponse(500, "an internal error occurred"));
    } catch (...) {
      LogError("handler for " + route.method + " " + route.pattern + " threw a non-exception");
      exchange->Complete(ProblemResponse(500, "an internal error occurred"));
    }
    return restinio::request_accepted();
  }

  const Router router_;
  Metrics& metrics_;
  const HttpServerOptions options_;
  std::optional<RouteMatcher> matcher_;
  std::vector<Metrics::Series*> route_series_;  // by route index

  std::shared_ptr<DrainTracker> drain_ = std::make_shared<DrainTracker>();
  std::shared_ptr<OpenStreams> streams_ = std::make_shared<OpenStreams>();
  std::atomic<bool> draining_{false};
  std::atomic<uint16_t> bound_port_{0};

  std::shared_ptr<asio::io_context> io_context_;
  std::unique_ptr<RestinioServer> server_;
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> work_guard_;
  std::vector<std::thread> threads_;

  std::mutex stop_mutex_;  // serialises Start() and Stop()
  std::mutex state_mutex_;
  std::condition_variable stopped_;
  State state_ = State::kNew;
};

HttpServer::HttpServer(Router router, Metrics& metrics, HttpServerOptions options)
    : impl_(std::make_unique<Impl>(std::move(router), metrics, std::move(options))) {}

HttpServer::~HttpServer() = default;

absl::Status HttpServer::Start() { return impl_->Start(); }
uint16_t HttpServer::port() const { return impl_->port(); }
void HttpServer::Stop() { impl_->Stop(); }
void HttpServer::Wait() { impl_->Wait(); }

}  // namespace casedesk::adapters::http
