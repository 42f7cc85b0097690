// HttpServer: serves a Router over HTTP/1.1 (keep-alive, pipelining) on a thread pool, using
// RESTinio underneath (kept inside http_server.cc; nothing else includes RESTinio).
//
// Each request is routed (404 / 405 with Allow / 400 for bad percent-encoding), checked against
// max_body_bytes (413), turned into an HttpRequest and handed to its handler with a Respond that
// may be called later from any thread; a second call is ignored, a handler that throws gets a
// 500, and a handler that drops every copy of Respond without calling it gets a 500 too. Every
// response carries `X-Content-Type-Options: nosniff`, `Cache-Control: no-store` unless the
// handler set one, a Date and a correct Content-Length (RESTinio writes "Content-Length: 0" even
// on a 204/304, whose body is dropped). The handler's Content-Length, Connection and
// Transfer-Encoding headers are ignored, and headers containing CR or LF are dropped.
//
// Body limits: RESTinio reads a whole body before the handler runs and closes the connection
// without a response when a body exceeds its own limit. So RESTinio's hard limit is set to
// 2 * max_body_bytes + 64 KiB: a body up to that size is read and answered with a 413
// problem+json; a larger one (by Content-Length, detected before reading it) gets the connection
// closed without a response. Malformed requests (bad request line, oversized URL or headers)
// also get the connection closed without a response: RESTinio 0.6 writes none.
//
// Streamed responses (HttpResponse::on_stream, for Server-Sent Events) go out with chunked
// transfer encoding: the status and headers at once, then each ResponseStream::Write as a chunk.
//
// Stop() drains: it closes the listening socket (new connections are refused), ends the open
// streamed responses, answers requests
// that arrive meanwhile on open connections with 503 and `Connection: close`, waits until every
// accepted request's response has been written (or drain_timeout passes), then stops the
// threads and closes the remaining connections.
//
// Thread-safety: Start() once, then Stop() and Wait() from any threads (Stop() may be called
// concurrently and repeatedly, but not from a handler: it joins the io threads). A Respond called
// after Stop() (past the drain timeout) is safely discarded. The Metrics must outlive the server and every Respond it handed
// out.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "adapters/http/http_types.h"
#include "adapters/http/metrics.h"

namespace casedesk::adapters::http {

struct HttpServerOptions {
  std::string host = "127.0.0.1";  // an IPv4 or IPv6 address literal
  uint16_t port = 8080;            // 0 picks a free port; see HttpServer::port()
  size_t threads = DefaultThreads();
  int64_t max_body_bytes = 26 * 1024 * 1024;
  std::chrono::milliseconds drain_timeout{10000};
  // A connection idle (or slow to send its request) this long is closed.
  std::chrono::milliseconds idle_timeout{60000};
  // A response not written within this long closes the connection (slow readers).
  std::chrono::milliseconds write_timeout{60000};
  // A handler that has not responded within this long gets its connection closed.
  std::chrono::milliseconds handler_timeout{60000};
  // Requests read ahead on one connection while earlier ones are being handled.
  size_t max_pipelined_requests = 16;
  size_t max_url_bytes = 8 * 1024;
  size_t max_header_name_bytes = 256;
  size_t max_header_value_bytes = 16 * 1024;
  size_t max_header_count = 100;

  // The hardware threads, at least 2.
  static size_t DefaultThreads();
};

class HttpServer {
 public:
  HttpServer(Router router, Metrics& metrics, HttpServerOptions options = {});
  ~HttpServer();  // Stop()s if still running
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Validates the routes, binds and starts serving. InvalidArgument for a bad route table or
  // host, Unavailable when the address cannot be bound, FailedPrecondition when called twice.
  absl::Status Start();

  // The bound port (the chosen one when options.port was 0); 0 before Start().
  uint16_t port() const;

  // Drains and stops (see above). Returns once stopped. Harmless before Start() or when
  // already stopped.
  void Stop();

  // Blocks until the server has stopped (returns at once if it never started).
  void Wait();

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace casedesk::adapters::http
