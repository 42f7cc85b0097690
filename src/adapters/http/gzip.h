// gzip (RFC 1952) compression of response bodies, and whether a request accepts it. Cached
// documents are compressed once per version, so compression costs nothing per request.
// Thread-safe: pure functions.
#pragma once

#include <string>
#include <string_view>

#include "adapters/http/http_types.h"

namespace casedesk::adapters::http {

// The gzip member holding `data` at the best compression level.
std::string Gzip(std::string_view data);

// Whether the request's Accept-Encoding names gzip (or *) without q=0.
bool AcceptsGzip(const HttpRequest& request);

}  // namespace casedesk::adapters::http
