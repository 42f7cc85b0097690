// Signed-in browsers: the session cookie, CSRF protection and the small HTTP helpers every
// server-rendered page shares. Pages wrap their handlers in WebAuthenticated: a GET without a
// valid session is sent to /login (and back afterwards); a POST must also carry the session's
// CSRF token in a `csrf_token` form field and, when the browser sends an Origin, come from this
// site. Thread-safe: stateless functions over the thread-safe context.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "adapters/http/http_types.h"
#include "app/app_context.h"
#include "app/caller.h"

namespace casedesk::adapters::http {

inline constexpr std::string_view kSessionCookie = "casedesk_session";

// Who is signed in, and the token their forms must carry.
struct WebCaller {
  app::Caller caller;
  std::string csrf_token;
};

using WebHandler = std::function<void(const HttpRequest&, Respond, const WebCaller&)>;

HttpHandler WebAuthenticated(app::AppContext& context, WebHandler handler);

// The fields of an application/x-www-form-urlencoded body (at most 64 KiB), in order; nullopt
// when the body is not such a form or is malformed.
std::optional<std::vector<std::pair<std::string, std::string>>> FormFields(
    const HttpRequest& request);
// The first value of a form field, or "".
std::string FormValue(const std::vector<std::pair<std::string, std::string>>& fields,
                      std::string_view name);

// Whether a browser sent this request from another site (its Origin names another host).
bool CrossSite(const HttpRequest& request);

// An HTML response with the pages' security headers (Content-Security-Policy without inline
// scripts or styles, no framing, no caching unless the caller sets Cache-Control).
HttpResponse HtmlPage(int status, std::string body);
// 303 See Other to a path on this site (anything else becomes "/").
HttpResponse SeeOther(std::string_view location);

}  // namespace casedesk::adapters::http
