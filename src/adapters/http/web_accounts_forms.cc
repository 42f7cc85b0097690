#include "adapters/http/web_accounts_forms.h"

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "adapters/http/web_auth.h"

namespace casedesk::adapters::http {
namespace {

constexpr size_t kCsrfHexLength = 32;
// Longer cookies are not ours; refusing them bounds the digest work per request.
constexpr size_t kMaxCookieLength = 512;

std::string_view Trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

// Labelled apart from the session CSRF token (web_sessions.h), so neither stands for the other.
std::string FormTokenFor(const ports::Crypto& crypto, std::string_view cookie) {
  const std::string mac = crypto.Mac(absl::StrCat("signed-out-form:", crypto.Digest(cookie)));
  return absl::BytesToHexString(mac).substr(0, kCsrfHexLength);
}

}  // namespace

std::optional<std::string> CookieValue(const HttpRequest& request, std::string_view name) {
  // RFC 6265: "name=value" pairs separated by "; "; HTTP/2 clients may send several headers.
  for (const auto& [header, value] : request.headers) {
    if (header != "cookie") continue;
    std::string_view rest = value;
    while (!rest.empty()) {
      const size_t semicolon = rest.find(';');
      const std::string_view pair = Trim(rest.substr(0, semicolon));
      rest = semicolon == std::string_view::npos ? std::string_view() : rest.substr(semicolon + 1);
      const size_t equals = pair.find('=');
      if (equals == std::string_view::npos || Trim(pair.substr(0, equals)) != name) continue;
      std::string_view cookie = Trim(pair.substr(equals + 1));
      if (cookie.size() >= 2 && cookie.front() == '"' && cookie.back() == '"') {
        cookie = cookie.substr(1, cookie.size() - 2);
      }
      if (!cookie.empty()) return std::string(cookie);
    }
  }
  return std::nullopt;
}

SignedOutForm PrepareSignedOutForm(const HttpRequest& request, const ports::Crypto& crypto) {
  SignedOutForm form;
  std::optional<std::string> cookie = CookieValue(request, kFormCookie);
  if (cookie && cookie->size() <= kMaxCookieLength) {
    form.cookie = *std::move(cookie);
  } else {
    form.cookie = crypto.RandomToken();
    form.new_cookie = true;
  }
  form.csrf_token = FormTokenFor(crypto, form.cookie);
  return form;
}

void AddFormCookie(HttpResponse& response, const SignedOutForm& form, std::string_view public_url) {
  if (!form.new_cookie) return;
  std::string cookie =
      absl::StrCat(std::string(kFormCookie), "=", form.cookie, "; Path=/; HttpOnly; SameSite=Lax");
  if (absl::StartsWithIgnoreCase(std::string(public_url), "https:")) cookie += "; Secure";
  response.headers.emplace_back("Set-Cookie", std::move(cookie));
}

bool SignedOutFormIsGenuine(const HttpRequest& request,
                            const std::vector<std::pair<std::string, std::string>>& fields,
                            const ports::Crypto& crypto) {
  if (CrossSite(request)) return false;
  const std::optional<std::string> cookie = CookieValue(request, kFormCookie);
  if (!cookie || cookie->size() > kMaxCookieLength) return false;
  return crypto.ConstantTimeEquals(FormTokenFor(crypto, *cookie), FormValue(fields, "csrf_token"));
}

}  // namespace casedesk::adapters::http
