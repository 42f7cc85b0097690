#include "adapters/http/api_auth.h"

#include <string_view>

#include "absl/strings/match.h"

namespace casedesk::adapters::http {
namespace {

constexpr std::string_view kBearer = "bearer";

std::string_view TrimSpaces(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

// The token of "Bearer TOKEN" (scheme case-insensitive, RFC 7235), or empty.
std::string_view BearerToken(std::string_view header) {
  header = TrimSpaces(header);
  if (header.size() <= kBearer.size() + 1) return {};
  const std::string_view scheme = header.substr(0, kBearer.size());
  if (!absl::EqualsIgnoreCase(absl::string_view(scheme.data(), scheme.size()),
                              absl::string_view(kBearer.data(), kBearer.size()))) {
    return {};
  }
  const char separator = header[kBearer.size()];
  if (separator != ' ' && separator != '\t') return {};
  const std::string_view token = TrimSpaces(header.substr(kBearer.size() + 1));
  if (token.find_first_of(" \t") != std::string_view::npos) return {};
  return token;
}

}  // namespace

absl::StatusOr<app::Caller> AuthenticateRequest(app::AppContext& context,
                                                const HttpRequest& request) {
  const std::optional<std::string_view> header = request.Header("authorization");
  if (!header) return absl::UnauthenticatedError("a valid API token is required");
  const std::string_view token = BearerToken(*header);
  if (token.empty()) return absl::UnauthenticatedError("a valid API token is required");
  return app::AuthenticateToken(context, token);
}

}  // namespace casedesk::adapters::http
