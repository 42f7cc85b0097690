#include "adapters/http/web_session_cookie.h"

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "adapters/http/web_auth.h"

namespace casedesk::adapters::http {
namespace {

std::string Attributes(std::string_view public_url) {
  std::string attributes = "; Path=/; HttpOnly; SameSite=Lax";
  if (absl::StartsWithIgnoreCase(std::string(public_url), "https:")) attributes += "; Secure";
  return attributes;
}

std::string_view TrimCookieSpace(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

}  // namespace

std::optional<std::string> SessionTokenFrom(const HttpRequest& request) {
  // RFC 6265: "name=value" pairs separated by "; "; HTTP/2 clients may send several headers.
  for (const auto& [name, value] : request.headers) {
    if (name != "cookie") continue;
    std::string_view rest = value;
    while (!rest.empty()) {
      const size_t semicolon = rest.find(';');
      const std::string_view pair = TrimCookieSpace(rest.substr(0, semicolon));
      rest = semicolon == std::string_view::npos ? std::string_view() : rest.substr(semicolon + 1);
      const size_t equals = pair.find('=');
      if (equals == std::string_view::npos ||
          TrimCookieSpace(pair.substr(0, equals)) != kSessionCookie) {
        continue;
      }
      std::string_view token = TrimCookieSpace(pair.substr(equals + 1));
      if (token.size() >= 2 && token.front() == '"' && token.back() == '"') {
        token = token.substr(1, token.size() - 2);
      }
      if (!token.empty()) return std::string(token);
    }
  }
  return std::nullopt;
}

std::string SessionCookie(std::string_view token, std::string_view public_url) {
  return absl::StrCat(std::string(kSessionCookie), "=", std::string(token), Attributes(public_url));
}

std::string ExpiredSessionCookie(std::string_view public_url) {
  return absl::StrCat(std::string(kSessionCookie), "=; Max-Age=0", Attributes(public_url));
}

}  // namespace casedesk::adapters::http
