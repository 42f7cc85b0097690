// RouteMatcher: finds the route for a method and a raw request path, built once from the
// Router's table. Patterns are split into segments and kept in a small trie; a literal segment
// beats a parameter (`/cases/search` wins over `/cases/{number}`), and when the literal branch
// has no route for the method the parameter branch is tried. A single trailing slash is ignored
// (`/api/v1/cases/` matches `/api/v1/cases`); empty segments (`//`) never match. Path segments
// are percent-decoded after splitting, so `%2F` inside a parameter stays in that parameter.
// Also here: the percent-decoding helpers for the path and the query string.
// Thread-safety: immutable after Create(); Match() may be called from any number of threads.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "adapters/http/http_types.h"

namespace casedesk::adapters::http {

enum class RouteOutcome {
  kMatched,
  kNotFound,          // no pattern matches the path
  kMethodNotAllowed,  // the path matches, but no route for this method (see allowed_methods)
  kBadRequest,        // malformed percent-encoding in the path
};

struct RouteMatch {
  RouteOutcome outcome = RouteOutcome::kNotFound;
  size_t route_index = 0;  // index into the Router's routes(), when kMatched
  std::vector<std::pair<std::string, std::string>> path_params;  // decoded, when kMatched
  std::string allowed_methods;  // "GET, PATCH", when kMethodNotAllowed
};

class RouteMatcher {
 public:
  // Rejects patterns that do not start with '/', contain empty or malformed segments ("{}",
  // "a{b}"), repeat a parameter name, or duplicate another route's method and shape.
  static absl::StatusOr<RouteMatcher> Create(const std::vector<Route>& routes);

  // `raw_path` is the path part of the request target, still percent-encoded, without query.
  RouteMatch Match(std::string_view method, std::string_view raw_path) const;

 private:
  struct Node {
    std::vector<std::pair<std::string, uint32_t>> literal_children;
    std::optional<uint32_t> parameter_child;
    std::vector<std::pair<std::string, uint32_t>> methods;  // method -> route index
  };
  struct MatchState;

  RouteMatcher() = default;
  bool Walk(uint32_t node_index, size_t segment_index, MatchState& state) const;

  std::vector<Node> nodes_;
  std::vector<std::vector<std::string>> parameter_names_;  // per route index, in path order
};

// Strict percent-decoding: nullopt on a '%' not followed by two hex digits. With
// plus_as_space, '+' becomes ' ' (query strings, application/x-www-form-urlencoded).
std::optional<std::string> PercentDecode(std::string_view text, bool plus_as_space);

// Splits and decodes `a=1&b=x%20y&flag` into ordered pairs ("flag" -> ""); empty pieces are
// skipped. nullopt when any piece has malformed percent-encoding.
std::optional<std::vector<std::pair<std::string, std::string>>> DecodeQuery(
    std::string_view query);

}  // namespace casedesk::adapters::http
