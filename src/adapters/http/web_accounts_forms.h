// CSRF protection for the signed-out account forms (sign up, forgot password, choose a
// password), which have no session to derive a token from: a pre-session cookie holding 256
// random bits (HttpOnly, SameSite=Lax, set by the page that shows the form) and, in the form, a
// keyed MAC over that cookie's digest. Another site can neither read the cookie nor compute the
// MAC without the desk's key, and its cross-site POSTs are refused by origin as well.
// Thread-safe: pure functions over the thread-safe crypto port.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "adapters/http/http_types.h"
#include "ports/crypto.h"

namespace casedesk::adapters::http {

inline constexpr std::string_view kFormCookie = "casedesk_form";

// The token a signed-out form carries, and the cookie it is bound to.
struct SignedOutForm {
  std::string cookie;       // the pre-session cookie's value
  bool new_cookie = false;  // the request had none: the response must set it
  std::string csrf_token;
};

// The request's pre-session cookie (or a new one) and the form token for it.
SignedOutForm PrepareSignedOutForm(const HttpRequest& request, const ports::Crypto& crypto);

// Adds the Set-Cookie of a new pre-session cookie; `public_url` decides Secure.
void AddFormCookie(HttpResponse& response, const SignedOutForm& form, std::string_view public_url);

// Whether a posted signed-out form may be acted on: not sent from another site, and its
// csrf_token field is the MAC of the request's pre-session cookie (constant-time compare).
bool SignedOutFormIsGenuine(const HttpRequest& request,
                            const std::vector<std::pair<std::string, std::string>>& fields,
                            const ports::Crypto& crypto);

// The value of the first cookie called `name` in the request's Cookie headers, if non-empty.
std::optional<std::string> CookieValue(const HttpRequest& request, std::string_view name);

}  // namespace casedesk::adapters::http
