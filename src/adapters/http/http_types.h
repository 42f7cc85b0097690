// The HTTP vocabulary shared by the server (http_server.cc, on RESTinio) and the route handlers
// (api_*.cc). Handlers never see RESTinio: they get an HttpRequest and answer through Respond,
// exactly once, from any thread (so a write can answer after its durable commit).
// Thread-safety: HttpRequest is immutable once built; Respond may be called from any thread.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace casedesk::adapters::http {

struct HttpRequest {
  std::string method;  // "GET", "POST", ...
  std::string target;  // path and query as received
  std::string path;    // decoded path without the query
  std::string route;   // the pattern that matched, e.g. "/api/v1/cases/{number}"
  std::map<std::string, std::string> path_params;               // {"number": "100001"}
  std::vector<std::pair<std::string, std::string>> query;       // decoded, in order
  std::vector<std::pair<std::string, std::string>> headers;     // names lower-cased
  std::string body;
  std::string remote_address;

  // First value of a header (name lower-case), if present.
  std::optional<std::string_view> Header(std::string_view lower_name) const {
    for (const auto& [name, value] : headers) {
      if (name == lower_name) return value;
    }
    return std::nullopt;
  }
  // First value of a query parameter, if present.
  std::optional<std::string_view> Query(std::string_view name) const {
    for (const auto& [key, value] : query) {
      if (key == name) return value;
    }
    return std::nullopt;
  }
};

// The body of a streamed response (Server-Sent Events), written over time from any thread: the
// server sends each Write as an HTTP/1.1 chunk. It closes when the handler calls Close, the
// client goes away (the next Write fails) or the server stops.
class ResponseStream {
 public:
  virtual ~ResponseStream() = default;
  // Sends `text`; false once the stream is closed.
  virtual bool Write(std::string text) = 0;
  // Ends the response. Idempotent.
  virtual void Close() = 0;
  virtual bool closed() const = 0;
};

struct HttpResponse {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  // extra headers
  // Set for a streamed response: the server sends the status and headers (chunked, `body`
  // first when not empty), then hands the open stream to this callback, which keeps it.
  std::function<void(std::shared_ptr<ResponseStream>)> on_stream;
};

using Respond = std::function<void(HttpResponse)>;
using HttpHandler = std::function<void(const HttpRequest&, Respond)>;

struct Route {
  std::string method;
  std::string pattern;  // "/api/v1/cases/{number}"; segments in braces are parameters
  HttpHandler handler;
};

// The route table. Handlers are registered before the server starts and never change after.
class Router {
 public:
  void Add(std::string method, std::string pattern, HttpHandler handler) {
    routes_.push_back({std::move(method), std::move(pattern), std::move(handler)});
  }
  const std::vector<Route>& routes() const { return routes_; }

 private:
  std::vector<Route> routes_;
};

}  // namespace casedesk::adapters::http
