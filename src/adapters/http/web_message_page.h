// A bare HTML page with one sentence, for refusals the web pages have no page of their own for
// (a form that expired, a store outage), with HtmlPage's security headers.
// Thread-safe: a pure function.
#pragma once

#include <string_view>

#include "adapters/http/http_types.h"

namespace casedesk::adapters::http {

// `title` and `message` are escaped.
HttpResponse MessagePage(int status, std::string_view title, std::string_view message);

}  // namespace casedesk::adapters::http
