// The session cookie: reading its token from a request's Cookie headers and writing the
// Set-Cookie values that start and end a session. HttpOnly (no script reads it), SameSite=Lax
// (other sites' POSTs do not carry it), Path=/, and Secure when the desk's public URL is https.
// No Max-Age: the browser forgets it when it closes; the session itself ends on the server.
// Thread-safe: pure functions.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "adapters/http/http_types.h"

namespace casedesk::adapters::http {

// The first casedesk_session cookie's value, when the request has a non-empty one.
std::optional<std::string> SessionTokenFrom(const HttpRequest& request);

// Set-Cookie values; `public_url` decides Secure.
std::string SessionCookie(std::string_view token, std::string_view public_url);
std::string ExpiredSessionCookie(std::string_view public_url);

}  // namespace casedesk::adapters::http
