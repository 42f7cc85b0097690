#include "adapters/http/route_matcher.h"

#include <algorithm>

#include "absl/status/status.h"

namespace casedesk::adapters::http {
namespace {

// Splits "/a/b/" into {"a", "b"}: the leading slash is required, one trailing slash is ignored,
// and "/" is the empty list. Empty inner segments are kept (they then match nothing).
std::optional<std::vector<std::string_view>> SplitPath(std::string_view path) {
  if (path.empty() || path.front() != '/') return std::nullopt;
  path.remove_prefix(1);
  if (!path.empty() && path.back() == '/') path.remove_suffix(1);
  std::vector<std::string_view> segments;
  if (path.empty()) return segments;
  size_t start = 0;
  while (true) {
    const size_t slash = path.find('/', start);
    if (slash == std::string_view::npos) {
      segments.push_back(path.substr(start));
      return segments;
    }
    segments.push_back(path.substr(start, slash - start));
    start = slash + 1;
  }
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool IsParameter(std::string_view segment) {
  return segment.size() >= 2 && segment.front() == '{' && segment.back() == '}';
}

}  // namespace

std::optional<std::string> PercentDecode(std::string_view text, bool plus_as_space) {
  std::string decoded;
  decoded.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '%') {
      if (i + 2 >= text.size()) return std::nullopt;
      const int high = HexValue(text[i + 1]);
      const int low = HexValue(text[i + 2]);
      if (high < 0 || low < 0) return std::nullopt;
      decoded.push_back(static_cast<char>(high * 16 + low));
      i += 2;
    } else if (c == '+' && plus_as_space) {
      decoded.push_back(' ');
    } else {
      decoded.push_back(c);
    }
  }
  return decoded;
}

std::optional<std::vector<std::pair<std::string, std::string>>> DecodeQuery(
    std::string_view query) {
  std::vector<std::pair<std::string, std::string>> pairs;
  while (!query.empty()) {
    const size_t amp = query.find('&');
    const std::string_view piece = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    if (piece.empty()) continue;
    const size_t equals = piece.find('=');
    auto key = PercentDecode(piece.substr(0, equals), /*plus_as_space=*/true);
    auto value = PercentDecode(
        equals == std::string_view::npos ? std::string_view() : piece.substr(equals + 1),
        /*plus_as_space=*/true);
    if (!key || !value) return std::nullopt;
    pairs.emplace_back(std::move(*key), std::move(*value));
  }
  return pairs;
}

absl::StatusOr<RouteMatcher> RouteMatcher::Create(const std::vector<Route>& routes) {
  RouteMatcher matcher;
  matcher.nodes_.emplace_back();  // the root
  for (size_t route_index = 0; route_index < routes.size(); ++route_index) {
    const Route& route = routes[route_index];
    const auto invalid = [&](std::string_view why) {
      return absl::InvalidArgumentError("route " + route.method + " " + route.pattern + ": " +
                                        std::string(why));
    };
    if (route.method.empty()) return invalid("empty method");
    const auto segments = SplitPath(route.pattern);
    if (!segments) return invalid("pattern must start with '/'");
    std::vector<std::string> names;
    uint32_t node = 0;
    for (std::string_view segment : *segments) {
      if (segment.empty()) return invalid("empty segment");
      if (IsParameter(segment)) {
        std::string name(segment.substr(1, segment.size() - 2));
        if (name.empty() || name.find_first_of("{}/") != std::string::npos) {
          return invalid("malformed parameter");
        }
        if (std::find(names.begin(), names.end(), name) != names.end()) {
          return invalid("repeated parameter name");
        }
        names.push_back(std::move(name));
        if (!matcher.nodes_[node].parameter_child) {
          matcher.nodes_[node].parameter_child = static_cast<uint32_t>(matcher.nodes_.size());
          matcher.nodes_.emplace_back();
        }
        node = *matcher.nodes_[node].parameter_child;
        continue;
      }
      if (segment.find_first_of("{}") != std::string_view::npos) {
        return invalid("braces must enclose a whole segment");
      }
      auto& children = matcher.nodes_[node].literal_children;
      const auto it = std::find_if(children.begin(), children.end(),
                                   [&](const auto& child) { return child.first == segment; });
      if (it != children.end()) {
        node = it->second;
      } else {
        const auto child = static_cast<uint32_t>(matcher.nodes_.size());
        children.emplace_back(std::string(segment), child);
        matcher.nodes_.emplace_back();  // invalidates `children`; not used again
        node = child;
      }
    }
    auto& methods = matcher.nodes_[node].methods;
    for (const auto& [method, index] : methods) {
      if (method == route.method) {
        return invalid("duplicates route " + routes[index].method + " " + routes[index].pattern);
      }
    }
    methods.emplace_back(route.method, static_cast<uint32_t>(route_index));
    matcher.parameter_names_.push_back(std::move(names));
  }
  return matcher;
}

struct RouteMatcher::MatchState {
  std::string_view method;
  std::vector<std::string> segments;           // decoded
  std::vector<size_t> parameter_segments;      // indices into segments, along the current walk
  std::vector<std::string_view> allowed;       // methods of path matches without our method
  uint32_t route_index = 0;
};

// Depth-first, literal children before the parameter child; stops at the first terminal that
// has a route for the method. Terminals without it contribute their methods to `allowed`.
bool RouteMatcher::Walk(uint32_t node_index, size_t segment_index, MatchState& state) const {
  const Node& node = nodes_[node_index];
  if (segment_index == state.segments.size()) {
    for (const auto& [method, route_index] : node.methods) {
      if (method == state.method) {
        state.route_index = route_index;
        return true;
      }
    }
    for (const auto& [method, route_index] : node.methods) {
      if (std::find(state.allowed.begin(), state.allowed.end(), method) == state.allowed.end()) {
        state.allowed.push_back(method);
      }
    }
    return false;
  }
  const std::string& segment = state.segments[segment_index];
  for (const auto& [literal, child] : node.literal_children) {
    if (literal == segment) {
      if (Walk(child, segment_index + 1, state)) return true;
      break;
    }
  }
  if (node.parameter_child && !segment.empty()) {
    state.parameter_segments.push_back(segment_index);
    if (Walk(*node.parameter_child, segment_index + 1, state)) return true;
    state.parameter_segments.pop_back();
  }
  return false;
}

RouteMatch RouteMatcher::Match(std::string_view method, std::string_view raw_path) const {
  RouteMatch result;
  const auto raw_segments = SplitPath(raw_path);
  if (!raw_segments) return result;  // kNotFound: not an origin-form path
  MatchState state;
  state.method = method;
  state.segments.reserve(raw_segments->size());
  for (std::string_view raw : *raw_segments) {
    auto decoded = PercentDecode(raw, /*plus_as_space=*/false);
    if (!decoded) {
      result.outcome = RouteOutcome::kBadRequest;
      return result;
    }
    state.segments.push_back(std::move(*decoded));
  }
  if (Walk(0, 0, state)) {
    result.outcome = RouteOutcome::kMatched;
    result.route_index = state.route_index;
    const auto& names = parameter_names_[state.route_index];
    result.path_params.reserve(names.size());
    for (size_t i = 0; i < names.size(); ++i) {
      result.path_params.emplace_back(names[i],
                                      std::move(state.segments[state.parameter_segments[i]]));
    }
    return result;
  }
  if (!state.allowed.empty()) {
    std::sort(state.allowed.begin(), state.allowed.end());
    result.outcome = RouteOutcome::kMethodNotAllowed;
    for (std::string_view allowed : state.allowed) {
      if (!result.allowed_methods.empty()) result.allowed_methods += ", ";
      result.allowed_methods += allowed;
    }
  }
  return result;
}

}  // namespace casedesk::adapters::http
