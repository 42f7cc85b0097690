#include "adapters/http/web_auth.h"

#include <string>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "adapters/http/route_matcher.h"
#include "adapters/http/web_message_page.h"
#include "adapters/http/web_session_cookie.h"
#include "app/web_sessions.h"

namespace casedesk::adapters::http {
namespace {

constexpr char kHtmlMediaType[] = "text/html; charset=utf-8";
constexpr size_t kMaxFormBytes = 64 * 1024;
// Pages load only their own stylesheet and script; nothing inline, no framing.
constexpr char kContentSecurityPolicy[] =
    "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

// Percent-encodes everything but unreserved characters and '/', for a query value.
std::string PercentEncodeQuery(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string encoded;
  encoded.reserve(text.size());
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (absl::ascii_isalnum(byte) || c == '-' || c == '.' || c == '_' || c == '~' || c == '/') {
      encoded += c;
    } else {
      encoded += '%';
      encoded += kHex[byte >> 4];
      encoded += kHex[byte & 0xF];
    }
  }
  return encoded;
}

bool IsSafeMethod(std::string_view method) { return method == "GET" || method == "HEAD"; }

}  // namespace

HttpHandler WebAuthenticated(app::AppContext& context, WebHandler handler) {
  return [&context, handler = std::move(handler)](const HttpRequest& request, Respond respond) {
    const std::optional<std::string> token = SessionTokenFrom(request);
    absl::StatusOr<app::Caller> caller =
        token ? app::AuthenticateSession(context, *token)
              : absl::StatusOr<app::Caller>(absl::UnauthenticatedError("no session cookie"));
    if (absl::IsUnauthenticated(caller.status())) {
      // Back to this page after signing in; a form's POST has no page to come back to.
      HttpResponse response =
          IsSafeMethod(request.method)
              ? SeeOther(absl::StrCat("/login?next=", PercentEncodeQuery(request.target)))
              : SeeOther("/login");
      // A cookie that no longer works is dropped.
      if (token) {
        response.headers.emplace_back("Set-Cookie", ExpiredSessionCookie(context.public_url));
      }
      return respond(std::move(response));
    }
    if (!caller.ok()) {
      return respond(MessagePage(503, "Unavailable",
                                 "The desk is unavailable at the moment; try again shortly."));
    }
    if (!IsSafeMethod(request.method)) {
      if (CrossSite(request)) {
        return respond(
            MessagePage(403, "Forbidden", "Forbidden: this form was sent from another site."));
      }
      const auto fields = FormFields(request);
      if (!fields ||
          !app::CheckCsrfToken(context.crypto, *token, FormValue(*fields, "csrf_token"))) {
        return respond(MessagePage(403, "Forbidden",
                                   "Forbidden: the form expired; reload the page and try again."));
      }
    }
    handler(request, std::move(respond),
            WebCaller{*std::move(caller), app::CsrfTokenFor(context.crypto, *token)});
  };
}

std::optional<std::vector<std::pair<std::string, std::string>>> FormFields(
    const HttpRequest& request) {
  const std::optional<std::string_view> type = request.Header("content-type");
  if (!type) return std::nullopt;
  // The media type, without parameters such as charset, compared case-insensitively.
  const std::string media(
      absl::StripAsciiWhitespace(std::string(type->substr(0, type->find(';')))));
  if (!absl::EqualsIgnoreCase(media, "application/x-www-form-urlencoded")) return std::nullopt;
  if (request.body.size() > kMaxFormBytes) return std::nullopt;
  return DecodeQuery(request.body);
}

std::string FormValue(const std::vector<std::pair<std::string, std::string>>& fields,
                      std::string_view name) {
  for (const auto& [key, value] : fields) {
    if (key == name) return value;
  }
  return "";
}

bool CrossSite(const HttpRequest& request) {
  // Browsers say so themselves (Fetch Metadata); older ones only send the Origin.
  if (request.Header("sec-fetch-site") == "cross-site") return true;
  const std::optional<std::string_view> origin = request.Header("origin");
  const std::optional<std::string_view> host = request.Header("host");
  if (!origin || *origin == "null") return origin.has_value();
  if (!host) return true;
  const size_t scheme = origin->find("://");
  const std::string_view origin_host =
      scheme == std::string_view::npos ? *origin : origin->substr(scheme + 3);
  return origin_host != *host;
}

HttpResponse HtmlPage(int status, std::string body) {
  // No Cache-Control here: the server adds "no-store" to any response without one.
  HttpResponse response;
  response.status = status;
  response.content_type = kHtmlMediaType;
  response.body = std::move(body);
  response.headers.emplace_back("Content-Security-Policy", kContentSecurityPolicy);
  response.headers.emplace_back("X-Frame-Options", "DENY");
  response.headers.emplace_back("Referrer-Policy", "same-origin");
  return response;
}

HttpResponse SeeOther(std::string_view location) {
  // Only a path on this site: "//host" and "/\host" are other sites to a browser, and control
  // characters have no place in a header.
  bool local =
      location.starts_with('/') && !location.starts_with("//") && !location.starts_with("/\\");
  for (const char c : location) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte == 0x7F) local = false;
  }
  HttpResponse response;
  response.status = 303;
  response.content_type = "";
  response.headers.emplace_back("Location", local ? std::string(location) : "/");
  return response;
}

}  // namespace casedesk::adapters::http
